"""Reads of the content inspection: runs, findings (scoped: the office sees every unit, a unit
its own), the per-unit summary, and the typo list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from govmatrix.core.errors import NotFound
from govmatrix.core.types import Actor
from govmatrix.moderation.models import (
    OPEN_FINDING_STATUSES,
    ContentFinding,
    FindingRule,
    FindingStatus,
    InspectionRun,
    TypoPair,
)
from govmatrix.org.permissions import UNIT_EDITOR_ROLES, scope_for

_OPEN = [str(s) for s in OPEN_FINDING_STATUSES]


@dataclass(frozen=True)
class FindingFilter:
    unit_id: int | None = None
    account_id: int | None = None
    rule: str = ""
    status: str = ""  # a status, or "open" (open or rectified), "overdue"
    q: str = ""


def visible_findings(user: Actor) -> QuerySet[ContentFinding]:
    rows = ContentFinding.objects.select_related("account", "unit")
    visible = scope_for(user).visible_unit_ids
    return rows if visible is None else rows.filter(unit_id__in=visible)


def overdue_q(today: date | None = None) -> Q:
    return Q(status=FindingStatus.OPEN, rectify_due__lt=today or timezone.localdate())


def finding_list(*, user: Actor, filters: FindingFilter | None = None) -> QuerySet[ContentFinding]:
    f = filters or FindingFilter()
    rows = visible_findings(user)
    if f.unit_id:
        rows = rows.filter(unit_id=f.unit_id)
    if f.account_id:
        rows = rows.filter(account_id=f.account_id)
    if f.rule:
        rows = rows.filter(rule=f.rule)
    if f.status == "open":
        rows = rows.filter(status__in=_OPEN)
    elif f.status == "overdue":
        rows = rows.filter(overdue_q())
    elif f.status:
        rows = rows.filter(status=f.status)
    if q := f.q.strip():
        rows = rows.filter(
            Q(description__icontains=q)
            | Q(post_excerpt__icontains=q)
            | Q(account__display_name__icontains=q)
        )
    return rows.order_by("rectify_due", "-found_on", "-id")


def finding_get(*, user: Actor, finding_id: int) -> ContentFinding:
    finding = visible_findings(user).filter(pk=finding_id).first()
    if finding is None:
        raise NotFound(_("巡检发现不存在。"))
    return finding


@dataclass(frozen=True)
class UnitSummary:
    unit_id: int
    unit_name: str
    open: int
    overdue: int
    rectified: int
    warnings: int


def findings_by_unit(*, user: Actor) -> list[UnitSummary]:
    """Open, overdue, waiting-for-verification findings and dormancy warnings per unit."""
    today = timezone.localdate()
    rows = (
        visible_findings(user)
        .filter(status__in=_OPEN)
        .values("unit_id", "unit__name", "unit__sort_order")
        .annotate(
            open=Count(
                "pk", filter=Q(status=FindingStatus.OPEN) & ~Q(rule=FindingRule.DORMANT_WARNING)
            ),
            overdue=Count("pk", filter=overdue_q(today) & ~Q(rule=FindingRule.DORMANT_WARNING)),
            rectified=Count("pk", filter=Q(status=FindingStatus.RECTIFIED)),
            warnings=Count(
                "pk", filter=Q(rule=FindingRule.DORMANT_WARNING, status=FindingStatus.OPEN)
            ),
        )
        .order_by("unit__sort_order", "unit__name")
    )
    return [
        UnitSummary(
            r["unit_id"], r["unit__name"], r["open"], r["overdue"], r["rectified"], r["warnings"]
        )
        for r in rows
    ]


def findings_to_rectify(*, user: Actor) -> QuerySet[ContentFinding]:
    """Open findings of the user's own units (dormancy warnings are reminders, not to-dos)."""
    scope = scope_for(user)
    units = [unit for unit, role in scope.roles if role in UNIT_EDITOR_ROLES]
    return ContentFinding.objects.filter(status=FindingStatus.OPEN, unit_id__in=units).exclude(
        rule=FindingRule.DORMANT_WARNING
    )


def findings_to_verify(*, user: Actor) -> QuerySet[ContentFinding]:
    return visible_findings(user).filter(status=FindingStatus.RECTIFIED)


def dormancy_warnings(*, user: Actor) -> QuerySet[ContentFinding]:
    return (
        visible_findings(user)
        .filter(
            rule__in=[FindingRule.DORMANT_WARNING, FindingRule.DORMANT], status=FindingStatus.OPEN
        )
        .order_by("-rule", "rectify_due")
    )


def run_list(*, limit: int = 20) -> QuerySet[InspectionRun]:
    return InspectionRun.objects.select_related("started_by").order_by("-created_at", "-id")[:limit]


def last_run() -> InspectionRun | None:
    return InspectionRun.objects.order_by("-created_at", "-id").first()


def typo_list(*, q: str = "") -> QuerySet[TypoPair]:
    rows = TypoPair.objects.all()
    if q.strip():
        rows = rows.filter(Q(wrong__icontains=q.strip()) | Q(correct__icontains=q.strip()))
    return rows
