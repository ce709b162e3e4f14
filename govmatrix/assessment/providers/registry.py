"""The metric-provider registry: where the quarter's metric values come from.

Each provider computes some metric names (from `scoring/metrics.py`) for one quarter and a set
of accounts. Apps register theirs in `AppConfig.ready()`:

    from govmatrix.assessment.providers import MetricProvider, register_provider

    class InboxProvider(MetricProvider):
        key = "inbox"
        label = _("网民留言")
        metrics = frozenset({"messages_received", "messages_answered", ...})

        def compute(self, ctx):                    # ctx: MetricContext
            return {account_id: {"messages_received": 12, ...}, ...}

        def evidence(self, ctx, account_id, metric):   # optional: the rows behind a value
            return Evidence(title=..., headers=[...], rows=[...], links=[...])

    register_provider(InboxProvider())

Rules: a metric no provider computes, or that a provider leaves out or returns as None for an
account, reads **no data** (None) — never zero. Where several providers declare one metric, the
one with the highest `priority` that has a value for the account wins. Providers never see each
other; they read their own tables or the event log (`events_between`). See
docs/assessment-metrics.md for the verbs each later app is expected to read.
"""

from __future__ import annotations

import logging
import math
from abc import ABC, abstractmethod
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, ClassVar

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.functional import Promise

from govmatrix.assessment.scoring import METRICS, Quarter
from govmatrix.audit.models import Event

logger = logging.getLogger(__name__)

Value = float | int | None
Values = dict[int, dict[str, Value]]


@dataclass(frozen=True)
class AccountInfo:
    id: int
    unit_id: int
    platform: str
    handle: str
    name: str
    unit_name: str = ""
    activated_on: date | None = None
    closed_on: date | None = None
    profile_url: str = ""


@dataclass(frozen=True)
class MetricContext:
    """One quarter and the accounts assessed in it.

    `check_date` is the last day counted: the quarter's last day, or yesterday while the
    quarter is still running. `check_points` adds, per account, the days an inspection looked
    at it (the dormancy veto is measured backwards from each check time point).
    """

    quarter: Quarter
    check_date: date
    accounts: tuple[AccountInfo, ...]
    check_points: Mapping[int, tuple[date, ...]] = field(default_factory=dict)

    @property
    def account_ids(self) -> list[int]:
        return [a.id for a in self.accounts]

    @property
    def start(self) -> datetime:
        return local_midnight(self.quarter.start)

    @property
    def end(self) -> datetime:
        """Exclusive: midnight after the check date."""
        return local_midnight(self.check_date + timedelta(days=1))

    def account(self, account_id: int) -> AccountInfo | None:
        return next((a for a in self.accounts if a.id == account_id), None)

    def period(self, account: AccountInfo) -> tuple[date, date] | None:
        """The days of the quarter the account was open, up to the check date (None: none)."""
        first = max(self.quarter.start, account.activated_on or self.quarter.start)
        last = min(self.check_date, account.closed_on or self.check_date)
        return (first, last) if first <= last else None


def local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


@dataclass(frozen=True)
class Evidence:
    """The rows behind one metric value of one account, for the drill-down page."""

    title: str
    headers: list[str]
    rows: list[list[Any]]
    links: list[str] = field(default_factory=list)  # one per row, "" for none
    more_url: str = ""  # the filtered list elsewhere in GovMatrix, where one exists
    more_label: str = ""
    note: str = ""


class MetricProvider(ABC):
    """Subclass, set the class attributes, implement `compute` (and optionally `evidence`)."""

    key: ClassVar[str] = ""
    label: ClassVar[str | Promise] = ""
    metrics: ClassVar[frozenset[str]] = frozenset()
    priority: ClassVar[int] = 0

    @abstractmethod
    def compute(self, ctx: MetricContext) -> Mapping[int, Mapping[str, Value]]:
        """{account id: {metric: value}}: a value for every metric it measures, None for none."""

    def evidence(self, ctx: MetricContext, account_id: int, metric: str) -> Evidence | None:
        return None


_PROVIDERS: dict[str, MetricProvider] = {}


def register_provider(provider: MetricProvider) -> None:
    """Add (or replace, by key) a provider. Unknown metric names are refused at once."""
    if not provider.key:
        raise ValueError("a metric provider needs a key")
    unknown = sorted(set(provider.metrics) - set(METRICS))
    if unknown:
        raise ValueError(f"provider {provider.key!r}: unknown metric names {unknown}")
    _PROVIDERS[provider.key] = provider


def unregister_provider(key: str) -> None:
    _PROVIDERS.pop(key, None)


def registered_providers() -> list[MetricProvider]:
    return sorted(_PROVIDERS.values(), key=lambda p: (-p.priority, p.key))


def metric_sources() -> dict[str, list[str]]:
    """Every catalogue metric → the keys of the providers that compute it (best first)."""
    sources: dict[str, list[str]] = {name: [] for name in METRICS}
    for provider in registered_providers():
        for name in provider.metrics:
            sources[name].append(provider.key)
    for name, (parts, _derive) in DERIVED.items():
        if not sources[name] and any(sources[p] for p in parts):
            sources[name].append("derived")
    return sources


def provider(key: str) -> MetricProvider | None:
    return _PROVIDERS.get(key)


# --- derived metrics ---------------------------------------------------------------------------
def _effective_interactions(values: Mapping[str, Value]) -> Value:
    """Answered messages plus own replies. Unknown while any part is unknown, except that a
    known positive part already proves "not zero" (the veto `== 0` must never fire on a guess)."""
    parts = [values.get("messages_answered"), values.get("replies_sent")]
    known = [p for p in parts if p is not None]
    if len(known) == len(parts) or any(p > 0 for p in known):
        return sum(known)
    return None


DERIVED: dict[str, tuple[tuple[str, ...], Callable[[Mapping[str, Value]], Value]]] = {
    "effective_interactions": (("messages_answered", "replies_sent"), _effective_interactions),
}


# --- computing a quarter --------------------------------------------------------------------
class ProviderFailed(Exception):
    def __init__(self, key: str, error: Exception) -> None:
        super().__init__(f"{key}: {error}")
        self.key = key
        self.error = error


def _number(value: Any) -> Value:
    if value is None or isinstance(value, bool):
        return None if value is None else int(value)
    if isinstance(value, Decimal):
        value = float(value)
    if isinstance(value, int | float) and math.isfinite(value):
        return value
    return None


def compute_metrics(
    ctx: MetricContext,
    *,
    providers: Iterable[MetricProvider] | None = None,
    on_progress: Callable[[int, str], None] | None = None,
) -> tuple[Values, dict[str, list[str]]]:
    """Every catalogue metric for every account of `ctx`: a number, or None for no data.

    Returns the values and, per metric, the providers that were asked (best first).
    """
    chosen = list(providers) if providers is not None else registered_providers()
    chosen.sort(key=lambda p: (-p.priority, p.key))
    values: Values = {a.id: dict.fromkeys(METRICS) for a in ctx.accounts}
    sources: dict[str, list[str]] = {name: [] for name in METRICS}
    for index, prov in enumerate(chosen):
        if on_progress:
            on_progress(index, str(prov.label or prov.key))
        try:
            computed = prov.compute(ctx)
        except Exception as exc:
            raise ProviderFailed(prov.key, exc) from exc
        for name in prov.metrics:
            sources[name].append(prov.key)
        for account_id, metrics in computed.items():
            row = values.get(account_id)
            if row is None:
                continue
            for name, raw in metrics.items():
                if name not in prov.metrics:
                    logger.warning("provider %s returned undeclared metric %s", prov.key, name)
                    continue
                if row[name] is None:
                    row[name] = _number(raw)
    for name, (parts, derive) in DERIVED.items():
        if sources[name]:
            continue
        if any(sources[p] for p in parts):
            sources[name].append("derived")
        for row in values.values():
            if row[name] is None:
                row[name] = derive(row)
    return values, sources


def evidence_for(
    ctx: MetricContext, account_id: int, metric: str, keys: Collection[str]
) -> Evidence | None:
    """The rows behind a value, from the first of `keys` (a run's sources) that has any."""
    for key in keys:
        prov = _PROVIDERS.get(key)
        if prov is None:
            continue
        found = prov.evidence(ctx, account_id, metric)
        if found is not None:
            return found
    return None


def events_between(
    *,
    verbs: Collection[str],
    start: datetime,
    end: datetime,
    unit_ids: Collection[int] | None = None,
) -> QuerySet[Event]:
    """Events of the given verbs in [start, end), for providers that read the event log."""
    events = Event.objects.filter(verb__in=list(verbs), created_at__gte=start, created_at__lt=end)
    if unit_ids is not None:
        events = events.filter(unit_id__in=list(unit_ids))
    return events.order_by("seq")
