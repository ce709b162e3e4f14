"""Reads of inspections, findings and checklists: the office sees all; a unit its own findings."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from govmatrix.assessment.models import (
    ChecklistItem,
    Finding,
    FindingStatus,
    InspectionPlan,
    InspectionTarget,
)
from govmatrix.assessment.rules import OPEN_FINDING_STATUSES
from govmatrix.core.errors import NotFound
from govmatrix.core.types import Actor
from govmatrix.org.permissions import scope_for


def plan_list(*, user: Actor) -> QuerySet[InspectionPlan]:
    if not scope_for(user).sees_all:
        return InspectionPlan.objects.none()
    return InspectionPlan.objects.annotate(
        target_count=Count("targets", distinct=True),
        finding_count=Count("findings", filter=~Q(findings__status="withdrawn"), distinct=True),
    ).order_by("-check_date", "-id")


def plan_get(*, user: Actor, plan_id: int) -> InspectionPlan:
    plan = plan_list(user=user).filter(pk=plan_id).first()
    if plan is None:
        raise NotFound(_("检查计划不存在。"))
    return plan


def plan_targets(plan: InspectionPlan) -> QuerySet[InspectionTarget]:
    return plan.targets.select_related("account", "unit").order_by(
        "unit__sort_order", "account__handle"
    )


def plan_finding_counts(plan: InspectionPlan) -> dict[int, int]:
    """account id → findings of the plan (withdrawn ones left out)."""
    rows = (
        plan.findings.exclude(status=FindingStatus.WITHDRAWN)
        .values("account_id")
        .annotate(n=Count("id"))
        .values_list("account_id", "n")
    )
    return dict(rows)


@dataclass(frozen=True)
class FindingFilter:
    status: str = ""
    unit_id: int | None = None
    account_id: int | None = None
    plan_id: int | None = None
    overdue: bool = False
    q: str = ""


def finding_list(*, user: Actor, filters: FindingFilter | None = None) -> QuerySet[Finding]:
    findings = Finding.objects.select_related("account", "unit", "item", "plan")
    visible = scope_for(user).visible_unit_ids
    if visible is not None:
        findings = findings.filter(unit_id__in=visible)
    f = filters or FindingFilter()
    if f.status == "open":
        findings = findings.filter(status__in=OPEN_FINDING_STATUSES)
    elif f.status:
        findings = findings.filter(status=f.status)
    if f.unit_id:
        findings = findings.filter(unit_id=f.unit_id)
    if f.account_id:
        findings = findings.filter(account_id=f.account_id)
    if f.plan_id:
        findings = findings.filter(plan_id=f.plan_id)
    if f.overdue:
        findings = findings.filter(
            status__in=OPEN_FINDING_STATUSES, rectify_due__lt=timezone.localdate()
        )
    if f.q:
        findings = findings.filter(
            Q(description__icontains=f.q) | Q(account__display_name__icontains=f.q)
        )
    return findings.order_by("rectify_due", "-id")


def finding_get(*, user: Actor, finding_id: int) -> Finding:
    finding = finding_list(user=user).filter(pk=finding_id).first()
    if finding is None:
        raise NotFound(_("检查发现不存在。"))
    return finding


def findings_to_answer(*, user: Actor) -> QuerySet[Finding]:
    """A unit's open findings (the office's own list is `findings_to_verify`)."""
    scope = scope_for(user)
    if scope.sees_all:
        return Finding.objects.none()
    return finding_list(user=user).filter(status__in=OPEN_FINDING_STATUSES)


def findings_to_verify(*, user: Actor) -> QuerySet[Finding]:
    if not scope_for(user).is_office_admin:
        return Finding.objects.none()
    return Finding.objects.filter(status=FindingStatus.RECTIFIED)


def checklist(*, active_only: bool = False) -> QuerySet[ChecklistItem]:
    items = ChecklistItem.objects.annotate(finding_count=Count("findings"))
    return items.filter(is_active=True) if active_only else items
