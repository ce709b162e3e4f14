"""The Weibo and Mastodon connectors as the settings configure them, and their registration.

Registered connectors are wrapped by `health.recording`, so every call an account makes —
from the outbox, the inbox sync or a page — leaves its mark on the account's sync health.
"""

from __future__ import annotations

from django.conf import settings

from govmatrix.matrix.models import Account, Platform
from govmatrix.platforms.base import AccountRef
from govmatrix.platforms.links import crypto
from govmatrix.platforms.links.health import recording
from govmatrix.platforms.links.models import PlatformLink
from govmatrix.platforms.mastodon.connector import MastodonConnector
from govmatrix.platforms.registry import register_connector, register_credentials_source
from govmatrix.platforms.weibo.budget import HourlyBudget
from govmatrix.platforms.weibo.connector import WeiboConnector


def weibo_connector() -> WeiboConnector:
    return WeiboConnector(
        base_url=settings.WEIBO_API_BASE,
        app_key=settings.WEIBO_APP_KEY,
        app_secret=settings.WEIBO_APP_SECRET,
        safe_link=settings.WEIBO_SAFE_LINK,
        timeout=settings.PLATFORM_TIMEOUT_SECONDS,
        budget=HourlyBudget(
            {"post": settings.WEIBO_POSTS_PER_HOUR, "comment": settings.WEIBO_COMMENTS_PER_HOUR}
        ),
    )


def mastodon_connector() -> MastodonConnector:
    return MastodonConnector(
        default_base=settings.MASTODON_API_BASE,
        timeout=settings.PLATFORM_TIMEOUT_SECONDS,
        allow_http=settings.DEBUG,
    )


def stored_credentials(account: Account) -> AccountRef | None:
    """The account's decrypted credentials, when it is linked to the platform it is on."""
    if account.platform not in (Platform.WEIBO, Platform.MASTODON) or account.pk is None:
        return None
    link = PlatformLink.objects.filter(account_id=account.pk, platform=account.platform).first()
    if link is None:
        return None
    return AccountRef(
        platform=account.platform,
        handle=account.handle,
        external_id=link.external_id,
        credentials=crypto.open_credentials(link.sealed),
    )


def register() -> None:
    register_connector(Platform.WEIBO.value, lambda: recording(weibo_connector()))
    register_connector(Platform.MASTODON.value, lambda: recording(mastodon_connector()))
    register_credentials_source(stored_credentials)
