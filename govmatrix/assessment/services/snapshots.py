"""The daily metric snapshots: collect one account's day through its connector, and store it.

Storing is an upsert on (account, day) and on (account, post id), so collecting a day again —
on purpose, after a crash, or by two workers at once — updates the rows and never duplicates
them. Platform calls are made outside any transaction; only the store is one.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from govmatrix.assessment.models import AccountSnapshot, PostObservation, SnapshotSource
from govmatrix.assessment.providers.registry import local_midnight
from govmatrix.assessment.providers.snapshots import OBSERVATION_WINDOW_DAYS
from govmatrix.assessment.sources import SourcePost, post_source_for
from govmatrix.audit.services import event_record
from govmatrix.matrix.models import OFFICIAL_KINDS, OPEN_STATUSES, Account
from govmatrix.platforms.base import Capability, ConnectorError, PostMetrics
from govmatrix.platforms.registry import account_ref, connector_for

logger = logging.getLogger(__name__)

DAILY_FIELDS = (
    "followers",
    "following",
    "posts_count",
    "posts_published",
    "posts_original",
    "replies_sent",
    "interaction_enabled",
)
_POST_BATCH = 100


@dataclass(frozen=True)
class Collected:
    values: dict[str, Any]
    posts: list[SourcePost]
    counts: dict[str, PostMetrics]
    notes: list[str]


def _connector(platform: str) -> Any:
    """The platform's connector, if it measures anything (the manual platforms' cannot)."""
    try:
        connector = connector_for(platform)
    except ConnectorError:
        return None
    measures = {Capability.ACCOUNT_METRICS, Capability.POST_METRICS}
    return connector if measures & connector.capabilities() else None


def collectable(account: Account) -> bool:
    return _connector(account.platform) is not None or post_source_for(account.platform) is not None


def _collect(account: Account, day: date) -> Collected | None:
    """Read what the platform tells about the account (no database writes)."""
    connector = _connector(account.platform)
    source = post_source_for(account.platform)
    if connector is None and source is None:
        return None
    values: dict[str, Any] = {}
    notes: list[str] = []
    ref = account_ref(account)
    capabilities = connector.capabilities() if connector else frozenset()
    if Capability.ACCOUNT_METRICS in capabilities:
        try:
            metrics = connector.account_metrics(ref)
            values.update(
                followers=metrics.followers, following=metrics.following, posts_count=metrics.posts
            )
        except ConnectorError as exc:
            notes.append(f"account_metrics: {exc.message}")
    else:
        notes.append("account_metrics: unsupported")
    posts: list[SourcePost] = []
    day_start, day_end = local_midnight(day), local_midnight(day + timedelta(days=1))
    if source is not None:
        try:
            posts = source.posts(
                account, since=day_end - timedelta(days=OBSERVATION_WINDOW_DAYS), until=day_end
            )
            today = [p for p in posts if timezone.localdate(p.published_at) == day]
            values["posts_published"] = len(today)
            values["posts_original"] = sum(1 for p in today if p.is_original)
            values["replies_sent"] = source.own_replies(account, since=day_start, until=day_end)
            values["interaction_enabled"] = source.interaction_enabled(account)
        except Exception as exc:  # a source is another app's code: record, do not crash the night
            logger.exception(
                "post source of %s failed for account %s", account.platform, account.pk
            )
            notes.append(f"posts: {exc}")
            posts = []
    else:
        notes.append("posts: no post source")
    counts: dict[str, PostMetrics] = {}
    if posts and Capability.POST_METRICS in capabilities:
        ids = [p.id for p in posts]
        try:
            for start in range(0, len(ids), _POST_BATCH):
                counts.update(connector.post_metrics(ref, ids[start : start + _POST_BATCH]))
        except ConnectorError as exc:
            notes.append(f"post_metrics: {exc.message}")
    return Collected(values=values, posts=posts, counts=counts, notes=notes)


def account_snapshot_collect(*, account_id: int, day: date) -> AccountSnapshot | None:
    """Collect one account's day through its connector and post source; None if neither exists."""
    account = Account.objects.select_related("unit").filter(pk=account_id).first()
    if account is None:
        return None
    collected = _collect(account, day)
    if collected is None:
        return None
    return snapshot_store(
        account_id=account.pk,
        day=day,
        values=collected.values,
        posts=collected.posts,
        counts={k: (m.reposts, m.comments, m.likes) for k, m in collected.counts.items()},
        source=SnapshotSource.CONNECTOR,
        note="; ".join(collected.notes),
    )


@transaction.atomic
def snapshot_store(
    *,
    account_id: int,
    day: date,
    values: Mapping[str, Any],
    posts: Sequence[SourcePost] = (),
    counts: Mapping[str, tuple[int, int, int]] | None = None,
    source: str = SnapshotSource.CONNECTOR,
    note: str = "",
) -> AccountSnapshot:
    """Upsert the account's row for `day` and its observed posts (idempotent)."""
    now = timezone.now()
    row = {name: values.get(name) for name in DAILY_FIELDS}
    AccountSnapshot.objects.bulk_create(
        [AccountSnapshot(account_id=account_id, day=day, source=source, note=note[:300],
                         collected_at=now, **row)],
        update_conflicts=True,
        unique_fields=["account", "day"],
        update_fields=[*DAILY_FIELDS, "source", "note", "collected_at"],
    )  # fmt: skip
    counts = counts or {}
    _upsert_posts(account_id, day, source, [p for p in posts if p.id in counts], counts)
    _upsert_posts(account_id, day, source, [p for p in posts if p.id not in counts], None)
    snapshot = AccountSnapshot.objects.get(account_id=account_id, day=day)
    event_record(
        actor=None,
        actor_name="system",
        verb="metric_snapshot.collected",
        obj=snapshot,
        unit_id=snapshot.account.unit_id,
        data={"account": account_id, "day": day, "posts": len(posts), "source": source},
    )
    return snapshot


def _upsert_posts(
    account_id: int,
    day: date,
    source: str,
    posts: Iterable[SourcePost],
    counts: Mapping[str, tuple[int, int, int]] | None,
) -> None:
    rows = []
    for post in posts:
        reposts, comments, likes = counts[post.id] if counts else (None, None, None)
        rows.append(
            PostObservation(
                account_id=account_id, post_id=post.id, published_at=post.published_at,
                published_on=timezone.localdate(post.published_at), is_original=post.is_original, url=post.url[:500], reposts=reposts,
                comments=comments, likes=likes, observed_on=day, source=source,
            )
        )  # fmt: skip
    if not rows:
        return
    fields = ["published_at", "published_on", "is_original", "url", "observed_on", "source"]
    if counts is not None:  # without new counts, the last known ones stay
        fields += ["reposts", "comments", "likes"]
    PostObservation.objects.bulk_create(
        rows, update_conflicts=True, unique_fields=["account", "post_id"], update_fields=fields
    )


def accounts_to_collect() -> list[int]:
    accounts = Account.objects.filter(kind__in=OFFICIAL_KINDS, status__in=OPEN_STATUSES)
    return [a.pk for a in accounts.only("pk", "platform") if collectable(a)]


def days_missing(*, account_ids: Sequence[int], until: date, days: int) -> list[tuple[int, date]]:
    """(account, day) pairs of the last `days` days up to `until` without a snapshot."""
    first = until - timedelta(days=days - 1)
    have = set(
        AccountSnapshot.objects.filter(
            account_id__in=account_ids, day__gte=first, day__lte=until
        ).values_list("account_id", "day")
    )
    return [
        (account_id, first + timedelta(days=offset))
        for offset in range(days)
        for account_id in account_ids
        if (account_id, first + timedelta(days=offset)) not in have
    ]


@dataclass(frozen=True)
class DayRow:
    """One account's day for a bulk import (the demo district, or a migration from elsewhere)."""

    account_id: int
    day: date
    values: Mapping[str, Any]
    posts: Sequence[SourcePost] = ()
    counts: Mapping[str, tuple[int, int, int]] | None = None


@transaction.atomic
def snapshots_import(*, rows: Sequence[DayRow], source: str, note: str = "") -> int:
    """Upsert many account-days at once, with one audit event for the whole import."""
    if len({(r.account_id, r.day) for r in rows}) != len(rows):
        raise ValueError("an import holds each account-day once")
    now = timezone.now()
    AccountSnapshot.objects.bulk_create(
        [AccountSnapshot(account_id=r.account_id, day=r.day, source=source, note=note[:300],
                         collected_at=now, **{n: r.values.get(n) for n in DAILY_FIELDS})
         for r in rows],
        update_conflicts=True,
        unique_fields=["account", "day"],
        update_fields=[*DAILY_FIELDS, "source", "note", "collected_at"],
        batch_size=500,
    )  # fmt: skip
    # A post seen on several days is stored once, as of its latest day.
    latest = {
        (r.account_id, p.id): (r, p) for r in sorted(rows, key=lambda r: r.day) for p in r.posts
    }
    posts = list(latest.values())
    observations = [
        PostObservation(
            account_id=r.account_id, post_id=p.id, published_at=p.published_at,
            published_on=timezone.localdate(p.published_at), is_original=p.is_original, url=p.url[:500], observed_on=r.day, source=source,
            **dict(zip(("reposts", "comments", "likes"),
                       (r.counts or {}).get(p.id, (None, None, None)), strict=True)),
        )
        for r, p in posts
    ]  # fmt: skip
    PostObservation.objects.bulk_create(
        observations,
        update_conflicts=True,
        unique_fields=["account", "post_id"],
        update_fields=["published_at", "published_on", "is_original", "url", "observed_on",
                       "source", "reposts",
                       "comments", "likes"],
        batch_size=500,
    )  # fmt: skip
    days = sorted({r.day for r in rows})
    event_record(
        actor=None,
        actor_name="system",
        verb="metric_snapshot.imported",
        note=note,
        data={"rows": len(rows), "posts": len(observations), "source": source,
              "accounts": len({r.account_id for r in rows}),
              "first_day": days[0] if days else None, "last_day": days[-1] if days else None},
    )  # fmt: skip
    return len(rows)
