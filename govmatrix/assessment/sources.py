"""Where the daily collection finds an account's posts and its own replies.

The connector interface reads counts (`account_metrics`, `post_metrics(ids)`) but has no call
that lists an account's posts, so each platform registers a post source here. The local
platform's is below; a connector that grows a listing call can register one the same way.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from django.apps import apps
from django.urls import NoReverseMatch, reverse

from govmatrix.matrix.models import Account

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SourcePost:
    id: str
    published_at: datetime
    is_original: bool
    url: str = ""


class PostSource(Protocol):
    def posts(self, account: Account, *, since: datetime, until: datetime) -> list[SourcePost]:
        """The account's live posts (reposts included) published in [since, until)."""
        ...

    def own_replies(self, account: Account, *, since: datetime, until: datetime) -> int | None:
        """How many replies the account itself wrote in [since, until); None if unknown."""
        ...

    def interaction_enabled(self, account: Account) -> bool | None:
        """Whether citizens can comment or write to the account; None if unknown."""
        ...


_SOURCES: dict[str, PostSource] = {}


def register_post_source(platform: str, source: PostSource) -> None:
    _SOURCES[platform] = source


def post_source_for(platform: str) -> PostSource | None:
    return _SOURCES.get(platform)


def _local_post_url(handle: str, post_id: int) -> str:
    try:
        return reverse("local:post", kwargs={"handle": handle, "post_id": post_id})
    except NoReverseMatch:
        return ""


class LocalPostSource:
    """The built-in local platform: its posts, and the comments and messages an account wrote."""

    def posts(self, account: Account, *, since: datetime, until: datetime) -> list[SourcePost]:
        from govmatrix.platforms.local.models import LocalPost

        rows = LocalPost.objects.filter(
            account=account, deleted_at__isnull=True, created_at__gte=since, created_at__lt=until
        ).values_list("pk", "created_at", "repost_of_id")
        return [
            SourcePost(
                id=str(pk),
                published_at=created,
                is_original=repost_of is None,
                url=_local_post_url(account.handle, pk),
            )
            for pk, created, repost_of in rows
        ]

    def own_replies(self, account: Account, *, since: datetime, until: datetime) -> int | None:
        from govmatrix.platforms.local.models import LocalComment, LocalMessage

        window = {"official_account": account, "created_at__gte": since, "created_at__lt": until}
        return LocalComment.objects.filter(**window).count() + (
            LocalMessage.objects.filter(**window).count()
        )

    def interaction_enabled(self, account: Account) -> bool | None:
        return True  # the local platform always takes comments and messages


def register_builtin_sources() -> None:
    if apps.is_installed("govmatrix.platforms.local"):
        register_post_source("local", LocalPostSource())
