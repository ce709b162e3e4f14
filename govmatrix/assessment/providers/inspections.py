"""Metrics from the office's inspections (R1.4): findings, and the manual veto flags.

An account that no inspection covered in the quarter has no data; one that was inspected and
had nothing wrong reads 0. A finding counts in its plan's quarter (or, outside any plan, in the
quarter it was found in). Withdrawn findings do not count.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from govmatrix.assessment.models import (
    Finding,
    FindingMetric,
    FindingStatus,
    InspectionTarget,
    PlanStatus,
)
from govmatrix.assessment.providers.registry import Evidence, MetricContext, MetricProvider, Value

FINDING_METRICS = frozenset(FindingMetric.values)
COUNTED_PLANS = (PlanStatus.IN_PROGRESS, PlanStatus.COMPLETED)


def _findings(ctx: MetricContext, account_ids: list[int]) -> QuerySet[Finding]:
    """The quarter's findings: those of its plans (whenever they were written down), and those
    found in it outside any plan (the automated content inspection)."""
    in_quarter = Q(plan__quarter=str(ctx.quarter)) | Q(
        plan__isnull=True, found_on__gte=ctx.quarter.start, found_on__lte=ctx.quarter.end
    )
    return Finding.objects.filter(in_quarter, account_id__in=account_ids).exclude(
        status=FindingStatus.WITHDRAWN
    )


def inspected_accounts(ctx: MetricContext) -> set[int]:
    targets = InspectionTarget.objects.filter(
        account_id__in=ctx.account_ids,
        plan__status__in=COUNTED_PLANS,
        plan__check_date__gte=ctx.quarter.start,
        plan__check_date__lte=ctx.quarter.end,
    ).values_list("account_id", flat=True)
    return set(targets) | set(_findings(ctx, ctx.account_ids).values_list("account_id", flat=True))


class InspectionProvider(MetricProvider):
    key = "inspections"
    label = gettext_lazy("检查发现")
    metrics = FINDING_METRICS

    def compute(self, ctx: MetricContext) -> dict[int, dict[str, Value]]:
        # Inspected: every metric starts at a real 0 (findings imply an inspection).
        counts: dict[int, dict[str, Value]] = {
            account_id: dict.fromkeys(FINDING_METRICS, 0) for account_id in inspected_accounts(ctx)
        }
        for account_id, metric in _findings(ctx, ctx.account_ids).values_list(
            "account_id", "item__metric"
        ):
            row = counts[account_id]
            row[FindingMetric.GENERAL] = (row[FindingMetric.GENERAL] or 0) + 1
            if metric != FindingMetric.GENERAL:
                row[metric] = (row[metric] or 0) + 1
        return counts

    def evidence(self, ctx: MetricContext, account_id: int, metric: str) -> Evidence | None:
        if metric not in FINDING_METRICS:
            return None
        findings = _findings(ctx, [account_id]).select_related("item", "plan")
        if metric != FindingMetric.GENERAL:
            findings = findings.filter(item__metric=metric)
        rows = list(findings.order_by("found_on", "id"))
        return Evidence(
            title=_("本季度检查发现"),
            headers=[_("发现日期"), _("检查计划"), _("检查项"), _("严重程度"), _("问题描述"),
                     _("状态")],
            rows=[
                [f.found_on, f.plan.title if f.plan else f.get_source_display(), f.item.label,
                 f.get_severity_display(), f.description, f.get_status_display()]
                for f in rows
            ],
            links=[reverse("assessment:finding", args=[f.pk]) for f in rows],
            more_url=reverse("assessment:findings") + f"?account={account_id}",
            more_label=_("检查发现列表"),
            note=_("没有被本季度检查覆盖的账号为“无数据”。"),
        )  # fmt: skip
