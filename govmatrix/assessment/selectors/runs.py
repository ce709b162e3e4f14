"""Reads of runs and their results, scoped: the office sees every run; a unit's people see
published runs, and in them only their own accounts and units (see `rules`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from govmatrix.assessment.compute import quarter_context
from govmatrix.assessment.models import (
    FINAL_RUN_STATUSES,
    AssessmentRun,
    RunAccountResult,
    RunStatus,
    RunUnitResult,
)
from govmatrix.assessment.providers import Evidence, evidence_for
from govmatrix.assessment.scoring import METRICS, Quarter, Standing, compare
from govmatrix.assessment.selectors.events import event_evidence
from govmatrix.core.errors import NotFound
from govmatrix.core.types import Actor
from govmatrix.org.permissions import scope_for


def run_list(*, user: Actor, quarter: str = "", status: str = "") -> QuerySet[AssessmentRun]:
    runs = AssessmentRun.objects.select_related("scheme_version", "created_by")
    scope = scope_for(user)
    if not scope.sees_all:
        if not scope.unit_ids:
            return runs.none()
        runs = runs.filter(status=RunStatus.PUBLISHED, account_rows__unit_id__in=scope.unit_ids)
    if quarter:
        runs = runs.filter(quarter=quarter)
    if status:
        runs = runs.filter(status=status)
    return runs.distinct().order_by("-quarter", "-id")


def run_get(*, user: Actor, run_id: int) -> AssessmentRun:
    run = run_list(user=user).filter(pk=run_id).first()
    if run is None:
        raise NotFound(_("考核不存在或尚未发布。"))
    return run


def account_rows(
    *, user: Actor, run: AssessmentRun, unit_id: int | None = None, q: str = ""
) -> QuerySet[RunAccountResult]:
    rows = RunAccountResult.objects.filter(run=run)
    visible = scope_for(user).visible_unit_ids
    if visible is not None:
        rows = rows.filter(unit_id__in=visible)
    if unit_id:
        rows = rows.filter(unit_id=unit_id)
    if q:
        rows = rows.filter(Q(account_name__icontains=q) | Q(unit_name__icontains=q))
    return rows.order_by("position")


def unit_rows(*, user: Actor, run: AssessmentRun) -> QuerySet[RunUnitResult]:
    rows = RunUnitResult.objects.filter(run=run)
    visible = scope_for(user).visible_unit_ids
    if visible is not None:
        rows = rows.filter(unit_id__in=visible)
    return rows.order_by("position")


def previous_run(run: AssessmentRun) -> AssessmentRun | None:
    """The final run of the quarter before, with the same scheme if there is one."""
    before = str(Quarter.parse(run.quarter).previous())
    final = AssessmentRun.objects.filter(quarter=before, status__in=FINAL_RUN_STATUSES)
    return final.filter(scheme_name=run.scheme_name).first() or final.order_by("-id").first()


def _standings(run: AssessmentRun) -> dict[str, Standing]:
    return {
        str(account_id): Standing(str(account_id), rank, total, vetoed)
        for account_id, rank, total, vetoed in RunAccountResult.objects.filter(run=run).values_list(
            "account_id", "rank", "total", "vetoed"
        )
    }


def rank_changes(run: AssessmentRun, previous: AssessmentRun | None) -> dict[int, int | None]:
    """account id → places moved up (+) or down (−) since `previous`; None when unranked."""
    if previous is None:
        return {}
    comparison = compare(_standings(run), _standings(previous))
    return {int(c.account): c.rank_change for c in comparison.changes if c.status == "both"}


@dataclass(frozen=True)
class ComparedRow:
    account_id: int
    name: str
    unit_name: str
    rank: int | None
    previous_rank: int | None
    change: int | None
    total: float | None
    previous_total: float | None
    status: str


def run_comparison(
    *, user: Actor, current: AssessmentRun, previous: AssessmentRun
) -> list[ComparedRow]:
    names = {
        r.account_id: (r.account_name, r.unit_name)
        for run in (current, previous)
        for r in account_rows(user=user, run=run)
    }
    comparison = compare(_standings(current), _standings(previous))
    return [
        ComparedRow(
            int(c.account), *names[int(c.account)], c.rank, c.previous_rank, c.rank_change,
            c.total, c.previous_total, c.status,
        )
        for c in comparison.changes
        if int(c.account) in names
    ]  # fmt: skip


# --- drill-down ------------------------------------------------------------------------------
def account_result(*, user: Actor, run: AssessmentRun, account_id: int) -> RunAccountResult:
    row = account_rows(user=user, run=run).filter(account_id=account_id).first()
    if row is None:
        raise NotFound(_("该账号不在本次考核中，或您无权查看。"))
    return row


def account_detail(*, user: Actor, run: AssessmentRun, account_id: int) -> dict[str, Any]:
    """Everything behind one account's score: dimensions, indicators with their metric values
    and sources, and the veto items (hit, clear, or not checkable for want of data)."""
    row = account_result(user=user, run=run, account_id=account_id)
    definition = run.scheme_version.definition
    snapshot: dict[str, Any] = next(
        (a for a in (run.result or {}).get("accounts", []) if a["account"] == str(account_id)), {}
    )
    values = (run.metrics or {}).get(str(account_id), {})
    sources = run.sources or {}

    def metric(name: str) -> dict[str, Any]:
        spec = METRICS.get(name)
        return {
            "name": name,
            "label": spec.label_zh if spec else name,
            "value": values.get(name),
            "sources": sources.get(name, []),
        }

    indicators = [
        {
            "key": ind["key"],
            "label": ind.get("label_zh", ind["key"]),
            "dimension": ind["dimension"],
            "metrics": [metric(m) for m in ind.get("metrics", [])],
            **snapshot.get("indicators", {}).get(ind["key"], {}),
        }
        for ind in definition.get("indicators", [])
    ]
    hits = {v["key"]: v for v in snapshot.get("vetoes", [])}
    vetoes = []
    for veto in definition.get("vetoes", []):
        rule_metric = veto["rule"].split()[0]
        state = "hit" if veto["key"] in hits else (
            "unevaluated" if veto["key"] in snapshot.get("vetoes_unevaluated", []) else "clear"
        )  # fmt: skip
        vetoes.append({"key": veto["key"], "label": veto.get("label_zh", veto["key"]),
                       "rule": veto["rule"], "metric": metric(rule_metric), "state": state})  # fmt: skip
    dimensions = [
        {"key": d["key"], "label": d.get("label_zh", d["key"]), "weight": d["weight"],
         **snapshot.get("dimensions", {}).get(d["key"], {})}
        for d in definition.get("dimensions", [])
    ]  # fmt: skip
    return {"row": row, "snapshot": snapshot, "indicators": indicators, "vetoes": vetoes,
            "dimensions": dimensions}  # fmt: skip


def metric_evidence(
    *, user: Actor, run: AssessmentRun, account_id: int, metric: str
) -> Evidence | None:
    """The rows behind one metric value (today's records of the run's quarter)."""
    account_result(user=user, run=run, account_id=account_id)
    if metric not in METRICS:
        raise NotFound(_("没有这个数据项。"))
    check: date = run.check_date or Quarter.parse(run.quarter).end
    ctx = quarter_context(Quarter.parse(run.quarter), check, account_ids=[account_id])
    found = evidence_for(ctx, account_id, metric, (run.sources or {}).get(metric, []))
    if found is None and scope_for(user).sees_all:
        found = event_evidence(ctx, account_id, metric)
    return found
