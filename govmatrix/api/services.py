from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from govmatrix.api.models import ApiToken
from govmatrix.audit.services import event_record
from govmatrix.core.types import Actor

TOKEN_PREFIX = "gm_"  # noqa: S105 - a visible marker, not a secret


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@transaction.atomic
def api_token_create(*, user: User, label: str = "", actor: Actor | None = None) -> str:
    """A new token for `user`; returns the token, which is never stored or shown again."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    record = ApiToken.objects.create(
        user=user, key_hash=hash_token(token), prefix=token[:8], label=label
    )
    event_record(
        actor=actor or user,
        verb="api_token.created",
        obj=record,
        note=label,
        data={"user": user.get_username(), "prefix": record.prefix},
    )
    return token


def api_token_user(token: str) -> User | None:
    record = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_token(token), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if record is None:
        return None
    now = timezone.now()
    # Touch at most once a minute: the timestamp is for people, not a write on every call.
    if record.last_used_at is None or (now - record.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=record.pk).update(last_used_at=now)
    return record.user
