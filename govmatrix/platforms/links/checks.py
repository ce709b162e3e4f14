"""A start-up check: without a credentials key GovMatrix runs, but cannot use linked accounts."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks


def credentials_key(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    if settings.PLATFORM_CREDENTIALS_KEYS:
        return []
    return [
        checks.Warning(
            "PLATFORM_CREDENTIALS_KEYS is not set: accounts cannot be linked to Weibo or Mastodon.",
            hint="Set it to one or more Fernet keys, newest first (docs/platforms.md).",
            id="platform_links.W001",
        )
    ]


def register() -> None:
    checks.register(credentials_key, checks.Tags.security)
