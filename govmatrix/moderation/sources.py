"""What moderation reads from other apps, in one place: citizens' comments from the inbox, and
published posts and last-post times from publishing and the platforms' post sources.

These are read-only adapters. People's reads go through the inbox's scoped selectors; the
worker's reads (the screening scan, the nightly inspection) have no user and read the rows
directly, which this module keeps to the few columns it needs.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Max, Q
from django.utils import timezone

from govmatrix.core.types import Actor
from govmatrix.matrix.models import Account

# Where a comment is public and spreads: what a case is about. Direct messages are private.
PUBLIC_CHANNELS = ("comment", "mention")


@dataclass(frozen=True)
class CommentRef:
    """A citizen's comment as the case freezes it."""

    message_id: int | None
    platform: str
    comment_id: str
    account_id: int
    unit_ids: frozenset[int]  # the account's unit and the unit the inbox routed it to
    channel: str
    post_id: str
    url: str
    author_id: str
    author_name: str
    text: str
    created_at: datetime
    harm_score: float | None  # the classifier's probability, when the inbox computed it


def _messages() -> Any:
    from govmatrix.inbox.models import Message

    return Message.objects.select_related("account")


def comment_from_message(m: Any) -> CommentRef:
    account_unit, routed = m.account.unit_id, m.unit_id
    return CommentRef(
        message_id=m.pk,
        platform=m.platform,
        comment_id=m.external_id,
        account_id=m.account_id,
        unit_ids=frozenset(u for u in (account_unit, routed) if u),
        channel=m.channel,
        post_id=m.post_external_id or "",
        url=m.url or "",
        author_id=m.author_id,
        author_name=m.author_name,
        text=m.text,
        created_at=m.received_at,
        harm_score=m.harm_score if m.harm_source == "classifier" else None,
    )


def visible_comment(*, user: Actor, message_id: int) -> CommentRef:
    """A message the user may see (the inbox's scoped selector raises NotFound otherwise)."""
    from govmatrix.inbox.selectors.messages import message_get

    return comment_from_message(message_get(user=user, message_id=message_id))


def comment_by_id(message_id: int) -> CommentRef | None:
    message = _messages().filter(pk=message_id).first()
    return comment_from_message(message) if message is not None else None


def comments_ingested_since(
    since: datetime, *, after: tuple[datetime, int] | None = None, limit: int
) -> list[tuple[CommentRef, datetime]]:
    """Public comments stored since `since`, oldest first (keyset: after `after`), with the
    moment each was stored; comments that already have a case are left out."""
    from govmatrix.moderation.models import HarmCase

    rows = _messages().filter(ingested_at__gte=since, channel__in=PUBLIC_CHANNELS)
    if after is not None:
        at, pk = after
        rows = rows.filter(Q(ingested_at__gt=at) | Q(ingested_at=at, pk__gt=pk))
    rows = rows.exclude(
        pk__in=HarmCase.objects.filter(source_message_id__isnull=False).values("source_message_id")
    ).order_by("ingested_at", "pk")[:limit]
    return [(comment_from_message(m), m.ingested_at) for m in rows]


def comments_by_ids(message_ids: Iterable[int]) -> list[CommentRef]:
    """The public comments among these messages that have no case yet."""
    from govmatrix.moderation.models import HarmCase

    ids = list(message_ids)
    taken = set(
        HarmCase.objects.filter(source_message_id__in=ids).values_list(
            "source_message_id", flat=True
        )
    )
    rows = _messages().filter(
        pk__in=[i for i in ids if i not in taken], channel__in=PUBLIC_CHANNELS
    )
    return [comment_from_message(m) for m in rows.order_by("pk")]


def recent_comments(*, user: Actor, q: str = "", days: int = 30, limit: int = 50) -> list[Any]:
    """Comments the user may see, newest first, for the "flag a comment" page."""
    from govmatrix.inbox.selectors.messages import visible_messages

    since = timezone.now() - timedelta(days=days)
    rows = visible_messages(user).filter(channel__in=PUBLIC_CHANNELS, received_at__gte=since)
    if q.strip():
        rows = rows.filter(text__icontains=q.strip())
    return list(rows.order_by("-received_at", "-id")[:limit])


# --- published posts ---------------------------------------------------------------------------
@dataclass(frozen=True)
class PublishedPost:
    id: int
    account_id: int
    unit_id: int
    text: str
    url: str
    published_at: datetime


def published_posts(*, since: datetime) -> list[PublishedPost]:
    """Every account's posts published through GovMatrix since `since`, oldest first."""
    from govmatrix.publishing.models import Post, PostStatus

    rows = (
        Post.objects.filter(status=PostStatus.PUBLISHED, published_at__gte=since)
        .order_by("published_at", "pk")
        .values_list("pk", "account_id", "account__unit_id", "text", "public_url", "published_at")
    )
    return [
        PublishedPost(pk, account_id, unit_id, text, url, published)
        for pk, account_id, unit_id, text, url, published in rows
        if published is not None
    ]


def last_post_dates(accounts: Iterable[Account], *, lookback: int) -> dict[int, date]:
    """{account id: local date of its latest post}, from publishing and from the platform's
    post source (posts written on the platform itself). Accounts without a post in the last
    `lookback` days are left out."""
    from govmatrix.assessment.sources import post_source_for
    from govmatrix.publishing.models import Post, PostStatus

    accounts = list(accounts)
    since = timezone.now() - timedelta(days=lookback)
    latest: dict[int, datetime] = {
        account_id: moment
        for account_id, moment in Post.objects.filter(
            status=PostStatus.PUBLISHED,
            account__in=[a.pk for a in accounts],
            published_at__gte=since,
        )
        .values("account_id")
        .annotate(last=Max("published_at"))
        .values_list("account_id", "last")
    }
    until = timezone.now() + timedelta(minutes=1)
    for account in accounts:
        source = post_source_for(account.platform)
        if source is None:
            continue
        for post in source.posts(account, since=since, until=until):
            if account.pk not in latest or post.published_at > latest[account.pk]:
                latest[account.pk] = post.published_at
    return {pk: timezone.localtime(moment).date() for pk, moment in latest.items()}
