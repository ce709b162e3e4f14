"""Harmful-comment cases (R5.3) and content-inspection findings (R1.4), scoped like the pages:
list and read cases, flag a comment, file the written application, escalate, record the outcome.
A refused move answers 403 or 409 and changes nothing."""

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from govmatrix.moderation import services
from govmatrix.moderation.models import CaseOutcome, CaseState, FindingRule
from govmatrix.moderation.selectors.cases import (
    CaseFilter,
    case_actions,
    case_documents,
    case_get,
    case_list,
    evidence_check,
)
from govmatrix.moderation.selectors.inspection import FindingFilter, finding_list

router = Router(tags=["moderation"])


class DocumentOut(Schema):
    id: int
    kind: str
    version: int
    number: str
    sha256: str
    created_at: datetime
    download_url: str

    @staticmethod
    def resolve_download_url(document: Any) -> str:
        return f"/moderation/{document.case_id}/documents/{document.pk}/"


class ActionOut(Schema):
    requested: str
    applied: str
    state: str
    note: str
    approved_at: datetime
    finished_at: datetime | None


class EvidenceOut(Schema):
    canonical: str
    sha256: str
    intact: bool


class CaseOut(Schema):
    id: int
    number: str
    state: str
    unit_id: int
    account_id: int
    source_message_id: int | None
    platform: str
    comment_id: str
    flag_source: str
    category: str
    reason: str
    comment_text: str
    author_name: str
    comment_url: str
    comment_at: datetime
    evidence_sha256: str
    flagged_at: datetime
    reported_at: datetime | None
    application_filed_at: datetime | None
    escalated_at: datetime | None
    closed_at: datetime | None
    recipients: list[str]
    outcome: str
    outcome_note: str


class CaseDetailOut(CaseOut):
    evidence: EvidenceOut
    documents: list[DocumentOut]
    actions: list[ActionOut]

    @staticmethod
    def resolve_evidence(case: Any) -> dict[str, Any]:
        return {
            "canonical": case.evidence_canonical,
            "sha256": case.evidence_sha256,
            "intact": evidence_check(case).intact,
        }

    @staticmethod
    def resolve_documents(case: Any) -> list[Any]:
        return list(case_documents(case))

    @staticmethod
    def resolve_actions(case: Any) -> list[Any]:
        return list(case_actions(case))


class FlagIn(Schema):
    message_id: int
    category: str
    reason: str = Field(min_length=1, max_length=2000)


class ApplicationIn(Schema):
    number: str | None = None
    title: str | None = None
    addressee: str | None = None
    body: str | None = None
    reason: str | None = None
    request: str | None = None
    contact: str | None = None
    phone: str | None = None


class EscalateIn(Schema):
    addressee: str | None = None
    copy_to: str | None = None
    number: str | None = None
    title: str | None = None
    body: str | None = None
    request: str | None = None
    contact: str | None = None
    phone: str | None = None


class OutcomeIn(Schema):
    outcome: CaseOutcome
    note: str = ""


class FindingOut(Schema):
    id: int
    rule: str
    status: str
    severity: str
    unit_id: int
    account_id: int
    post_id: int | None
    post_url: str
    description: str
    found_on: Any
    rectify_due: Any
    assessment_finding_id: int | None


def _case(request: HttpRequest, case_id: int) -> Any:
    return case_get(user=request.user, case_id=case_id)


def _given(payload: Schema) -> dict[str, Any]:
    return {k: v for k, v in payload.dict().items() if v is not None}


@router.get("/moderation/cases", response=list[CaseOut])
@paginate(LimitOffsetPagination)
def list_cases(
    request: HttpRequest,
    state: CaseState | None = None,
    unit_id: int | None = None,
    category: str = "",
    q: str = "",
) -> Any:
    filters = CaseFilter(state=state or "", unit_id=unit_id, category=category, q=q)
    return case_list(user=request.user, filters=filters)


@router.get("/moderation/cases/{case_id}", response=CaseDetailOut)
def get_case(request: HttpRequest, case_id: int) -> Any:
    return _case(request, case_id)


@router.post("/moderation/cases", response={201: CaseDetailOut})
def flag_comment(request: HttpRequest, payload: FlagIn) -> Any:
    case = services.harm_case_flag(
        actor=request.user,
        message_id=payload.message_id,
        category=payload.category,
        reason=payload.reason,
    )
    return Status(201, _case(request, case.pk))


@router.post("/moderation/cases/{case_id}/application", response=CaseDetailOut)
def file_application(
    request: HttpRequest, case_id: int, payload: ApplicationIn | None = None
) -> Any:
    fields = _given(payload) if payload is not None else {}
    services.harm_case_application_file(actor=request.user, case_id=case_id, **fields)
    return _case(request, case_id)


@router.post("/moderation/cases/{case_id}/escalate", response=CaseDetailOut)
def escalate(request: HttpRequest, case_id: int, payload: EscalateIn | None = None) -> Any:
    fields = _given(payload) if payload is not None else {}
    services.harm_case_escalate(actor=request.user, case_id=case_id, **fields)
    return _case(request, case_id)


@router.post("/moderation/cases/{case_id}/outcome", response=CaseDetailOut)
def record_outcome(request: HttpRequest, case_id: int, payload: OutcomeIn) -> Any:
    services.harm_case_close(
        actor=request.user, case_id=case_id, outcome=payload.outcome, note=payload.note
    )
    return _case(request, case_id)


@router.get("/moderation/findings", response=list[FindingOut])
@paginate(LimitOffsetPagination)
def list_findings(
    request: HttpRequest,
    unit_id: int | None = None,
    rule: FindingRule | None = None,
    status: str = "",
) -> Any:
    filters = FindingFilter(unit_id=unit_id, rule=rule or "", status=status)
    return finding_list(user=request.user, filters=filters)
