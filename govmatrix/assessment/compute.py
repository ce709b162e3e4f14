"""The quarter's computation: which accounts are assessed, their metrics, and the scoring.

Plain reads and the pure engine; the run service stores what this returns.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Q
from django.utils import timezone

from govmatrix.assessment.models import InspectionTarget, PlanStatus
from govmatrix.assessment.providers import (
    AccountInfo,
    MetricContext,
    Values,
    compute_metrics,
)
from govmatrix.assessment.scoring import Quarter, Result, Scheme, UnitResult, score
from govmatrix.matrix.models import OFFICIAL_KINDS, Account, AccountStatus


def check_date_of(quarter: Quarter, *, today: date | None = None) -> date | None:
    """The last day counted: the quarter's end, or yesterday while it runs (None: not begun)."""
    today = today or timezone.localdate()
    last = min(quarter.end, today - timedelta(days=1))
    return last if last >= quarter.start else None


def assessed_accounts(quarter: Quarter, check_date: date) -> list[Account]:
    """Official accounts (main and sub) open at some time between the quarter's start and the
    check date; planned accounts and staff personal accounts are not assessed."""
    return list(
        Account.objects.filter(kind__in=OFFICIAL_KINDS)
        .exclude(status=AccountStatus.PLANNED)
        .filter(Q(activated_on__isnull=True) | Q(activated_on__lte=check_date))
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=quarter.start))
        .select_related("unit")
        .order_by("unit__sort_order", "unit__code", "handle")
    )


def account_info(account: Account) -> AccountInfo:
    return AccountInfo(
        id=account.pk,
        unit_id=account.unit_id,
        platform=account.platform,
        handle=account.handle,
        name=account.display_name,
        unit_name=account.unit.name,
        activated_on=account.activated_on,
        closed_on=account.closed_on,
        profile_url=account.profile_url,
    )


def inspection_check_points(
    quarter: Quarter, account_ids: list[int]
) -> dict[int, tuple[date, ...]]:
    points: dict[int, set[date]] = defaultdict(set)
    rows = InspectionTarget.objects.filter(
        account_id__in=account_ids,
        plan__status__in=(PlanStatus.IN_PROGRESS, PlanStatus.COMPLETED),
        plan__check_date__gte=quarter.start,
        plan__check_date__lte=quarter.end,
    ).values_list("account_id", "plan__check_date")
    for account_id, day in rows:
        points[account_id].add(day)
    return {account_id: tuple(sorted(days)) for account_id, days in points.items()}


def quarter_context(
    quarter: Quarter, check_date: date, *, account_ids: list[int] | None = None
) -> MetricContext:
    accounts = assessed_accounts(quarter, check_date)
    if account_ids is not None:
        accounts = [a for a in accounts if a.pk in set(account_ids)]
    infos = tuple(account_info(a) for a in accounts)
    return MetricContext(
        quarter=quarter,
        check_date=check_date,
        accounts=infos,
        check_points=inspection_check_points(quarter, [a.id for a in infos]),
    )


@dataclass(frozen=True)
class Outcome:
    context: MetricContext
    values: Values
    sources: dict[str, list[str]]
    result: Result
    units: list[UnitResult]


def compute_quarter(
    quarter: Quarter,
    check_date: date,
    scheme: Scheme,
    *,
    on_progress: Callable[[int, str], None] | None = None,
) -> Outcome:
    ctx = quarter_context(quarter, check_date)
    values, sources = compute_metrics(ctx, on_progress=on_progress)
    result = score(scheme, {str(account_id): row for account_id, row in values.items()})
    units = result.units({str(a.id): str(a.unit_id) for a in ctx.accounts})
    return Outcome(context=ctx, values=values, sources=sources, result=result, units=units)


def snapshot_hash(data: Any) -> str:
    """SHA-256 of the JSON as stored (sorted keys, no spaces): the frozen result's fingerprint."""
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
