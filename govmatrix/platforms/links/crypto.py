"""Sealing and opening stored credentials with the configured Fernet keys (see `keys`)."""

from __future__ import annotations

import json
from datetime import datetime
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.utils.translation import gettext as _

from govmatrix.core.errors import DomainError
from govmatrix.platforms.base import Credentials


class CredentialsUnavailable(DomainError):
    """No key is configured, or none of the configured keys opens the stored credentials."""


@lru_cache(maxsize=4)
def _multi(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key) for key in keys])


def _keys() -> tuple[str, ...]:
    keys = tuple(settings.PLATFORM_CREDENTIALS_KEYS)
    if not keys:
        raise CredentialsUnavailable(
            _("未配置平台凭据密钥（PLATFORM_CREDENTIALS_KEYS），不能接入或使用平台账号。")
        )
    return keys


def configured() -> bool:
    return bool(settings.PLATFORM_CREDENTIALS_KEYS)


def require_keys() -> None:
    _keys()


def seal_text(value: str) -> str:
    return _multi(_keys()).encrypt(value.encode()).decode("ascii")


def open_text(token: str) -> str:
    try:
        return _multi(_keys()).decrypt(token.encode("ascii")).decode()
    except InvalidToken:
        raise CredentialsUnavailable(
            _(
                "现有密钥都打不开已存的平台凭据：密钥是否被提前移除？请恢复旧密钥，或重新授权该账号。"
            )
        ) from None


def reseal(token: str) -> str:
    """The same secret sealed with the newest key (MultiFernet.rotate)."""
    try:
        return _multi(_keys()).rotate(token.encode("ascii")).decode("ascii")
    except InvalidToken:
        raise CredentialsUnavailable(_("现有密钥都打不开这条凭据。")) from None


def sealed_with_newest(token: str) -> bool:
    try:
        Fernet(_keys()[0]).decrypt(token.encode("ascii"))
    except InvalidToken:
        return False
    return True


def seal_credentials(credentials: Credentials) -> str:
    payload: dict[str, Any] = {
        "access_token": credentials.access_token,
        "refresh_token": credentials.refresh_token,
        "expires_at": credentials.expires_at.isoformat() if credentials.expires_at else None,
        "extra": dict(credentials.extra),
    }
    return seal_text(json.dumps(payload))


def open_credentials(token: str) -> Credentials:
    payload = json.loads(open_text(token))
    expires = payload.get("expires_at")
    return Credentials(
        access_token=payload["access_token"],
        refresh_token=payload.get("refresh_token"),
        expires_at=datetime.fromisoformat(expires) if expires else None,
        extra={str(k): str(v) for k, v in (payload.get("extra") or {}).items()},
    )
