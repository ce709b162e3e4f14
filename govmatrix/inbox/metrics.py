"""Response metrics for the assessment (R1.5, R4.1): per account and per unit.

    response_metrics(start=…, end=…, by="account")   # or by="unit"
    → {id: ResponseMetrics(received=…, answered=…, …)}

Counted over the messages **received** in [start, end), merged duplicates left out. Times are
in working hours (the district's calendar); a time that cannot be computed (a year missing)
is left out of the medians and said in `unknown_times`. "Within SLA" compares with each
message's own deadline: the first answer with `ack_due_at`, the resolution with
`resolve_due_at`. "No data" is None, never zero: an account that received nothing has no
response time.

`InboxMetricProvider` offers these to the assessment's metric registry when it exists.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Count, F, Q

from govmatrix.inbox.clocks import working_between
from govmatrix.inbox.models import Message, MessageState


@dataclass
class ResponseMetrics:
    received: int = 0
    answered: int = 0
    answered_within_sla: int = 0
    resolved: int = 0
    resolved_within_sla: int = 0
    unanswered_over_3_months: int = 0
    unknown_times: int = 0
    response_hours: list[float] = field(default_factory=list, repr=False)
    resolution_hours: list[float] = field(default_factory=list, repr=False)

    @staticmethod
    def _quantile(values: list[float], q: float) -> float | None:
        if not values:
            return None
        ordered = sorted(values)
        if len(ordered) == 1:
            return round(ordered[0], 2)
        return round(statistics.quantiles(ordered, n=100, method="inclusive")[int(q * 100) - 1], 2)

    @property
    def median_response_hours(self) -> float | None:
        return round(statistics.median(self.response_hours), 2) if self.response_hours else None

    @property
    def p90_response_hours(self) -> float | None:
        return self._quantile(self.response_hours, 0.9)

    @property
    def median_resolution_hours(self) -> float | None:
        return round(statistics.median(self.resolution_hours), 2) if self.resolution_hours else None

    @property
    def answered_within_sla_share(self) -> float | None:
        return round(self.answered_within_sla / self.received, 4) if self.received else None

    @property
    def resolved_within_sla_share(self) -> float | None:
        return round(self.resolved_within_sla / self.received, 4) if self.received else None


def _hours(start: datetime, end: datetime) -> float | None:
    span = working_between(start, end)
    return None if span is None else round(span / timedelta(hours=1), 4)


def response_metrics(
    *,
    start: datetime,
    end: datetime,
    by: str = "account",
    ids: Collection[int] | None = None,
) -> dict[int, ResponseMetrics]:
    """{account or unit id: its metrics} for messages received in [start, end)."""
    if by not in {"account", "unit"}:
        raise ValueError("by must be 'account' or 'unit'")
    key = "account_id" if by == "account" else "unit_id"
    rows = Message.objects.filter(received_at__gte=start, received_at__lt=end).exclude(
        state=MessageState.MERGED
    )
    if ids is not None:
        rows = rows.filter(**{f"{key}__in": list(ids)})
    out: dict[int, ResponseMetrics] = defaultdict(ResponseMetrics)
    stale = end - timedelta(days=90)
    values = rows.values_list(
        key,
        "received_at",
        "first_response_at",
        "ack_due_at",
        "resolved_at",
        "resolve_due_at",
    )
    for owner, received, first, ack_due, resolved, resolve_due in values.iterator(chunk_size=2000):
        if owner is None:
            continue
        m = out[owner]
        m.received += 1
        if first is not None and first < end:
            m.answered += 1
            if ack_due is not None and first <= ack_due:
                m.answered_within_sla += 1
            hours = _hours(received, first)
            if hours is None:
                m.unknown_times += 1
            else:
                m.response_hours.append(hours)
        elif received < stale:
            m.unanswered_over_3_months += 1
        if resolved is not None and resolved < end:
            m.resolved += 1
            if resolve_due is not None and resolved <= resolve_due:
                m.resolved_within_sla += 1
            hours = _hours(received, resolved)
            if hours is not None:
                m.resolution_hours.append(hours)
    return dict(out)


def sla_counts(*, start: datetime, end: datetime, by: str = "unit") -> dict[int, dict[str, int]]:
    """{unit or account id: received, answered, answered on time} in one grouped query (the
    dashboard's chart: counts only, no working-time arithmetic per message)."""
    key = "account_id" if by == "account" else "unit_id"
    rows = (
        Message.objects.filter(received_at__gte=start, received_at__lt=end)
        .exclude(state=MessageState.MERGED)
        .exclude(**{f"{key}__isnull": True})
        .values(key)
        .annotate(
            received=Count("id"),
            answered=Count("id", filter=Q(first_response_at__isnull=False)),
            on_time=Count("id", filter=Q(first_response_at__lte=F("ack_due_at"))),
        )
        .order_by()
    )
    return {
        row[key]: {
            "received": row["received"],
            "answered": row["answered"],
            "on_time": row["on_time"],
        }
        for row in rows
    }


def assessment_values(metrics: ResponseMetrics) -> dict[str, float | int | None]:
    """The names of the assessment's metric catalogue (assessment/scoring/metrics.py)."""
    return {
        "messages_received": metrics.received,
        "messages_answered": metrics.answered,
        "messages_answered_within_sla": metrics.answered_within_sla,
        "median_response_hours": metrics.median_response_hours,
        "p90_response_hours": metrics.p90_response_hours,
        "messages_unanswered_over_3_months": metrics.unanswered_over_3_months,
    }


ASSESSMENT_METRICS = frozenset(assessment_values(ResponseMetrics()))


def message_rows(
    *, account_id: int, start: datetime, end: datetime, metric: str
) -> Iterable[Message]:
    """The messages behind one account's value (for the assessment's drill-down)."""
    rows = Message.objects.filter(
        account_id=account_id, received_at__gte=start, received_at__lt=end
    ).exclude(state=MessageState.MERGED)
    if metric in {"messages_answered", "median_response_hours", "p90_response_hours"}:
        rows = rows.filter(first_response_at__isnull=False, first_response_at__lt=end)
    elif metric == "messages_unanswered_over_3_months":
        rows = rows.filter(received_at__lt=end - timedelta(days=90)).exclude(
            first_response_at__lt=end
        )
    return rows.order_by("received_at")[:500]


def register_assessment_provider() -> bool:
    """Offer the metrics to the assessment's registry, if that app provides one."""
    import importlib.util

    try:
        if importlib.util.find_spec("govmatrix.assessment.providers") is None:
            return False
    except ModuleNotFoundError:
        return False
    from govmatrix.assessment.providers import register_provider  # type: ignore[import-not-found,unused-ignore]
    from govmatrix.inbox.assessment_provider import provider

    register_provider(provider())
    return True
