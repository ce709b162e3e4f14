"""Opinion trends (舆情动向): topics, places and phrases rising in citizens' messages.

For a window W (the last 24 hours, or the last 7 days) an item's count `c` is compared with
its usual level, taken from the **28 days before the window** (the baseline): the expected
count is `e = baseline count × W / 28 days`. The statistic is a Poisson z-score with one
added to the variance, `z = (c − e) / √(e + 1)`, which stays sober for items that are new or
rare. An item is **rising** when c ≥ 3 and z ≥ 2; a **spike** (the office is alerted) when
c ≥ 5, z ≥ 4 and c ≥ 2e.

Phrases are jieba words of two or more characters (filler words left out), counted once per
message. Merged duplicates are not counted.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.cache import cache
from django.db.models import Count, QuerySet
from django.utils import timezone

from govmatrix.inbox.models import Message, MessageState, TrendDimension
from govmatrix.textintel.classify import trend_phrases

BASELINE = timedelta(days=28)
WINDOWS = {"24h": timedelta(hours=24), "7d": timedelta(days=7)}
RISING_MIN, RISING_Z = 3, 2.0
SPIKE_MIN, SPIKE_Z, SPIKE_RATIO = 5, 4.0, 2.0
CACHE_SECONDS = 300


@dataclass(frozen=True)
class TrendItem:
    dimension: str
    key: str
    label: str
    count: int
    expected: float
    z: float

    @property
    def ratio(self) -> float:
        return self.count / self.expected if self.expected > 0 else math.inf

    @property
    def spike(self) -> bool:
        return (
            self.count >= SPIKE_MIN
            and self.z >= SPIKE_Z
            and self.count >= SPIKE_RATIO * self.expected
        )


def z_score(count: int, expected: float) -> float:
    return (count - expected) / math.sqrt(expected + 1.0)


def _messages(start: datetime, end: datetime) -> QuerySet[Message]:
    return Message.objects.filter(received_at__gte=start, received_at__lt=end).exclude(
        state=MessageState.MERGED
    )


def _count_field(rows: QuerySet[Message], field: str) -> Counter[str]:
    counts: Counter[str] = Counter()
    for key, n in (
        rows.exclude(**{f"{field}__isnull": True})
        .values_list(field)
        .annotate(n=Count("id"))
        .order_by()
    ):
        if key not in (None, ""):
            counts[str(key)] += n
    return counts


def _count_phrases(rows: QuerySet[Message]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for text in rows.values_list("search_text", flat=True).iterator(chunk_size=2000):
        counts.update(set(trend_phrases((text or "").split())))
    return counts


def _compare(
    dimension: str,
    current: Counter[str],
    baseline: Counter[str],
    scale: float,
    labels: dict[str, str],
) -> list[TrendItem]:
    items = []
    for key, count in current.items():
        expected = baseline.get(key, 0) * scale
        z = z_score(count, expected)
        if count >= RISING_MIN and z >= RISING_Z:
            items.append(
                TrendItem(
                    dimension, key, labels.get(key, key), count, round(expected, 2), round(z, 2)
                )
            )
    return sorted(items, key=lambda i: (-i.z, -i.count, i.key))


def rising(
    *, window: str, now: datetime | None = None, limit: int = 15
) -> dict[str, list[TrendItem]]:
    """{dimension: rising items, strongest first} for one window; cached for five minutes."""
    moment = now or timezone.now()
    span = WINDOWS[window]
    cache_key = f"inbox:trends:{window}:{int(moment.timestamp() // CACHE_SECONDS)}"
    if now is None and (held := cache.get(cache_key)) is not None:
        return held  # type: ignore[no-any-return,unused-ignore]
    current_rows = _messages(moment - span, moment)
    base_rows = _messages(moment - span - BASELINE, moment - span)
    scale = span / BASELINE
    from govmatrix.inbox.models import MessageTopic

    topic_names = {str(pk): name for pk, name in MessageTopic.objects.values_list("pk", "name")}
    out = {
        TrendDimension.TOPIC: _compare(
            TrendDimension.TOPIC,
            _count_field(current_rows, "topic_id"),
            _count_field(base_rows, "topic_id"),
            scale,
            topic_names,
        )[:limit],
        TrendDimension.PLACE: _compare(
            TrendDimension.PLACE,
            _count_field(current_rows, "place_name"),
            _count_field(base_rows, "place_name"),
            scale,
            {},
        )[:limit],
        TrendDimension.PHRASE: _compare(
            TrendDimension.PHRASE,
            _count_phrases(current_rows),
            _count_phrases(base_rows),
            scale,
            {},
        )[:limit],
    }
    result = {str(k): v for k, v in out.items()}
    if now is None:
        cache.set(cache_key, result, CACHE_SECONDS)
    return result


def spikes(*, now: datetime | None = None) -> list[tuple[str, TrendItem]]:
    found = []
    for window in WINDOWS:
        for items in rising(window=window, now=now).values():
            found += [(window, item) for item in items if item.spike]
    return found


def messages_of(
    item_dimension: str, key: str, *, window: str, now: datetime | None = None
) -> QuerySet[Message]:
    """The messages behind one trend item (for a rebuttal or a look)."""
    moment = now or timezone.now()
    rows = _messages(moment - WINDOWS[window], moment)
    if item_dimension == TrendDimension.TOPIC:
        return rows.filter(topic_id=int(key)) if key.isdigit() else rows.none()
    if item_dimension == TrendDimension.PLACE:
        return rows.filter(place_name=key)
    return rows.filter(search_text__contains=key)


def daily_counts(*, days: int = 14, now: datetime | None = None) -> list[tuple[str, int]]:
    """Messages per day over the last `days` days (the chart beside the trend tables)."""
    moment = timezone.localtime(now or timezone.now())
    start = (moment - timedelta(days=days - 1)).replace(hour=0, minute=0, second=0, microsecond=0)
    counts: Counter[str] = Counter()
    for received in _messages(start, moment + timedelta(seconds=1)).values_list(
        "received_at", flat=True
    ):
        counts[timezone.localtime(received).date().isoformat()] += 1
    return [
        (
            (start + timedelta(days=i)).date().isoformat(),
            counts.get((start + timedelta(days=i)).date().isoformat(), 0),
        )
        for i in range(days)
    ]
