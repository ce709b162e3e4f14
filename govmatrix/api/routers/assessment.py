"""Quarterly assessment runs, scoped like the pages: the office sees every run; a unit's people
see published runs and, in them, their own accounts only."""

from datetime import date, datetime
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from govmatrix.assessment.models import AssessmentRun
from govmatrix.assessment.reports.texts import labels
from govmatrix.assessment.selectors.runs import account_rows, run_get, run_list, unit_rows
from govmatrix.assessment.services.runs import (
    run_create,
    run_discard,
    run_freeze,
    run_publish,
    run_recompute,
)

router = Router(tags=["assessment"])


class RunOut(Schema):
    id: int
    quarter: str
    scheme: str
    scheme_version: int
    scheme_hash: str
    status: str
    progress: int
    check_date: date | None
    account_count: int | None
    scored_count: int | None
    vetoed_count: int | None
    result_hash: str
    created_at: datetime
    computed_at: datetime | None
    frozen_at: datetime | None
    published_at: datetime | None
    error: str

    @staticmethod
    def resolve_scheme(run: AssessmentRun) -> str:
        return run.scheme_name

    @staticmethod
    def resolve_scheme_version(run: AssessmentRun) -> int:
        return run.scheme_version.number

    @staticmethod
    def resolve_scheme_hash(run: AssessmentRun) -> str:
        return run.scheme_version.content_hash


class VetoOut(Schema):
    key: str
    label: str
    rule: str
    value: float | None


class AccountScoreOut(Schema):
    account_id: int
    account: str
    unit_id: int
    unit: str
    rank: int | None
    total: float | None
    score_before_veto: float | None
    vetoed: bool
    vetoes: list[VetoOut]
    vetoes_unevaluated: list[str]
    missing: list[str]
    coverage: float
    dimensions: dict[str, float | None]


class UnitScoreOut(Schema):
    unit_id: int
    unit: str
    rank: int | None
    score: float | None
    accounts: int
    scored_accounts: int
    vetoed_accounts: int


class RunDetailOut(RunOut):
    accounts: list[AccountScoreOut]
    units: list[UnitScoreOut]


class RunIn(Schema):
    quarter: str = Field(..., examples=["2026Q3"])
    scheme: str | int = Field("four_dimensions", examples=["four_dimensions", 3])


def _detail(request: HttpRequest, run: AssessmentRun) -> AssessmentRun:
    """The run with its visible account and unit rows attached for the schema to read."""
    definition = run.scheme_version.definition
    veto_labels = labels(definition, "vetoes")
    rules = {v["key"]: v["rule"] for v in definition.get("vetoes", [])}
    hits = {
        acc["account"]: {v["key"]: v["value"] for v in acc["vetoes"]}
        for acc in (run.result or {}).get("accounts", [])
    }
    accounts = [
        {
            "account_id": r.account_id, "account": r.account_name, "unit_id": r.unit_id,
            "unit": r.unit_name, "rank": r.rank, "total": r.total,
            "score_before_veto": r.score_before_veto, "vetoed": r.vetoed,
            "vetoes": [{"key": k, "label": veto_labels.get(k, k), "rule": rules.get(k, ""),
                        "value": hits.get(str(r.account_id), {}).get(k)} for k in r.vetoes],
            "vetoes_unevaluated": r.vetoes_unevaluated, "missing": r.missing,
            "coverage": r.coverage, "dimensions": r.dimensions,
        }
        for r in account_rows(user=request.user, run=run)
    ]  # fmt: skip
    units = [
        {"unit_id": u.unit_id, "unit": u.unit_name, "rank": u.rank, "score": u.score,
         "accounts": u.accounts, "scored_accounts": u.scored_accounts,
         "vetoed_accounts": u.vetoed_accounts}
        for u in unit_rows(user=request.user, run=run)
    ]  # fmt: skip
    run.accounts, run.units = accounts, units  # type: ignore[attr-defined]
    return run


@router.get("/assessment/runs", response=list[RunOut])
@paginate(LimitOffsetPagination)
def list_runs(request: HttpRequest, quarter: str = "", status: str = "") -> Any:
    return run_list(user=request.user, quarter=quarter, status=status)


@router.get("/assessment/runs/{run_id}", response=RunDetailOut)
def get_run(request: HttpRequest, run_id: int) -> Any:
    return _detail(request, run_get(user=request.user, run_id=run_id))


@router.post("/assessment/runs", response={201: RunOut})
def create_run(request: HttpRequest, payload: RunIn) -> Any:
    run = run_create(actor=request.user, quarter=payload.quarter, scheme=payload.scheme)
    return Status(201, run_get(user=request.user, run_id=run.pk))


ACTIONS = {
    "freeze": run_freeze,
    "publish": run_publish,
    "recompute": run_recompute,
    "discard": run_discard,
}


@router.post("/assessment/runs/{run_id}/{action}", response=RunOut)
def move_run(
    request: HttpRequest, run_id: int, action: Literal["freeze", "publish", "recompute", "discard"]
) -> Any:
    ACTIONS[action](actor=request.user, run_id=run_id)
    return run_get(user=request.user, run_id=run_id)
