"""Counts and the calendar: what publishing looks like over time, scoped to the viewer."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from govmatrix.core.types import Actor
from govmatrix.org.permissions import scope_for
from govmatrix.publishing.models import Post, PostStatus

CALENDAR_STATES = (
    PostStatus.SCHEDULED,
    PostStatus.PUBLISHING,
    PostStatus.PUBLISHED,
    PostStatus.FAILED,
)


def _posts(user: Actor) -> QuerySet[Post]:
    posts = Post.objects.select_related("account", "account__unit")
    visible = scope_for(user).visible_unit_ids
    return posts if visible is None else posts.filter(account__unit_id__in=visible)


def _day_bounds(day: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    start = datetime.combine(day, time.min, tzinfo=tz)
    return start, start + timedelta(days=1)


@dataclass(frozen=True)
class CalendarDay:
    day: date
    in_month: bool
    is_today: bool
    posts: list[Post]


def calendar_days(
    *, user: Actor, start: date, end: date, unit_id: int | None = None, month: int | None = None
) -> list[CalendarDay]:
    """Scheduled and published posts for each day from `start` to `end` (inclusive)."""
    first, _ = _day_bounds(start)
    _, last = _day_bounds(end)
    posts = (
        _posts(user)
        .filter(status__in=CALENDAR_STATES)
        .annotate(when=Coalesce("published_at", "scheduled_at"))
        .filter(when__gte=first, when__lt=last)
        .order_by("when", "id")
    )
    if unit_id:
        posts = posts.filter(account__unit_id=unit_id)
    by_day: dict[date, list[Post]] = {}
    for post in posts:
        by_day.setdefault(timezone.localtime(post.when).date(), []).append(post)
    today = timezone.localdate()
    days = []
    day = start
    while day <= end:
        days.append(
            CalendarDay(
                day=day,
                in_month=month is None or day.month == month,
                is_today=day == today,
                posts=by_day.get(day, []),
            )
        )
        day += timedelta(days=1)
    return days


@dataclass(frozen=True)
class Today:
    published: int
    scheduled: int
    publishing: int
    failed: int
    day: date


def today_counts(*, user: Actor) -> Today:
    day = timezone.localdate()
    start, end = _day_bounds(day)
    counts = _posts(user).aggregate(
        published=Count(
            "id",
            filter=Q(status=PostStatus.PUBLISHED, published_at__gte=start, published_at__lt=end),
        ),
        scheduled=Count("id", filter=Q(status=PostStatus.SCHEDULED, scheduled_at__lt=end)),
        publishing=Count("id", filter=Q(status=PostStatus.PUBLISHING)),
        failed=Count("id", filter=Q(status=PostStatus.FAILED)),
    )
    return Today(day=day, **counts)


def published_per_day(*, user: Actor, days: int = 30) -> list[tuple[date, int]]:
    """Posts published on each of the last `days` days (today included), oldest first."""
    today = timezone.localdate()
    first_day = today - timedelta(days=days - 1)
    start, _ = _day_bounds(first_day)
    rows = (
        _posts(user)
        .filter(status=PostStatus.PUBLISHED, published_at__gte=start)
        .annotate(day=TruncDate("published_at", tzinfo=timezone.get_current_timezone()))
        .values("day")
        .annotate(n=Count("id"))
    )
    counts: Counter[date] = Counter({row["day"]: row["n"] for row in rows})
    return [
        (first_day + timedelta(days=i), counts[first_day + timedelta(days=i)]) for i in range(days)
    ]
