"""The keys that seal stored platform credentials, read from the environment at start-up.

`PLATFORM_CREDENTIALS_KEYS` is a comma-separated list of Fernet keys, newest first (or
`PLATFORM_CREDENTIALS_KEYS_FILE` names a file holding that list). The newest key seals; every
key in the list opens, so a key can be rotated in without a window in which stored
credentials are unreadable (`manage.py rotate_platform_credentials` then reseals every row with
the newest key, after which the old key can be dropped).

This module imports nothing of Django's but its exception, so `config/settings.py` can use it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib

from django.core.exceptions import ImproperlyConfigured

ENV_NAME = "PLATFORM_CREDENTIALS_KEYS"
HOW_TO_MAKE_ONE = (
    "make one with: python -c 'from cryptography.fernet import Fernet; "
    "print(Fernet.generate_key().decode())'"
)


def derive_development_key(secret: str) -> str:
    """A Fernet key derived from the secret key: for DEBUG and the test settings only."""
    digest = hashlib.sha256(b"govmatrix-platform-credentials:" + secret.encode()).digest()
    return base64.urlsafe_b64encode(digest).decode()


def _check(key: str, position: int) -> str:
    try:
        raw = base64.urlsafe_b64decode(key.encode("ascii"))
    except (binascii.Error, UnicodeEncodeError, ValueError):
        raw = b""
    if len(raw) != 32 or len(key) != 44:
        # Never echo the value: it may be a real key with a typo in it.
        raise ImproperlyConfigured(
            f"{ENV_NAME}: key number {position} is not a Fernet key "
            f"(44 characters of URL-safe base64); {HOW_TO_MAKE_ONE}"
        )
    return key


def parse_keys(raw: str) -> tuple[str, ...]:
    keys = [item.strip() for item in raw.replace("\n", ",").split(",") if item.strip()]
    if not keys:
        raise ImproperlyConfigured(f"{ENV_NAME} is set but holds no key; {HOW_TO_MAKE_ONE}")
    checked = tuple(_check(key, i) for i, key in enumerate(keys, start=1))
    if len(set(checked)) != len(checked):
        raise ImproperlyConfigured(f"{ENV_NAME} lists the same key twice.")
    return checked


def credential_keys(
    raw: str, *, file_path: str = "", development_secret: str | None
) -> tuple[str, ...]:
    """The configured keys, newest first.

    With neither the variable nor the file set: a key derived from `development_secret` when
    one is given (DEBUG), else no key at all — GovMatrix then runs, but refuses to link an
    account to a platform until a key is configured (a system check says so at start-up).
    """
    if file_path:
        try:
            with open(file_path, encoding="utf-8") as handle:
                raw = handle.read()
        except OSError as exc:
            raise ImproperlyConfigured(
                f"{ENV_NAME}_FILE={file_path!r} cannot be read: {exc.strerror}."
            ) from exc
        return parse_keys(raw)
    if raw.strip():
        return parse_keys(raw)
    if development_secret:
        return (derive_development_key(development_secret),)
    return ()
