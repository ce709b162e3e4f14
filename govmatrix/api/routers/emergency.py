from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from govmatrix.emergency import services
from govmatrix.emergency.models import IncidentLevel, IncidentStatus, StatementKind
from govmatrix.emergency.selectors.incidents import (
    incident_clocks,
    incident_get,
    incident_list,
    statement_get,
)
from govmatrix.emergency.selectors.orders import (
    ORDER_FILTERS,
    OrderFilter,
    order_get,
    order_list,
)
from govmatrix.emergency.templatetags.emergency import order_state

router = Router(tags=["emergency"])


class ClockOut(Schema):
    key: str
    label: str
    due_at: datetime
    done_at: datetime | None
    state: str
    text: str


class IncidentOut(Schema):
    id: int
    number: str
    title: str
    level: str
    summary: str
    status: str
    commander_id: int
    commander: str
    unit_ids: list[int]
    declared_at: datetime
    first_info_due_at: datetime
    full_release_due_at: datetime
    first_info_at: datetime | None
    full_release_at: datetime | None
    press_conference_at: datetime | None
    stood_down_at: datetime | None
    clocks: list[ClockOut]

    @staticmethod
    def resolve_number(incident: Any) -> str:
        return f"{incident.year}-{incident.sequence}"

    @staticmethod
    def resolve_commander(incident: Any) -> str:
        return str(incident.commander.name)

    @staticmethod
    def resolve_unit_ids(incident: Any) -> list[int]:
        return sorted(u.pk for u in incident.units.all())

    @staticmethod
    def resolve_clocks(incident: Any) -> list[Any]:
        return incident_clocks(incident)


class IncidentIn(Schema):
    title: str = Field(min_length=1, max_length=100)
    level: IncidentLevel
    commander_id: int
    unit_ids: list[int] = []
    summary: str = ""
    declared_at: datetime | None = None
    pause_publishing: bool = False


class StandDownIn(Schema):
    note: str = Field("", max_length=200)


class CopyOut(Schema):
    """The statement as the main account of another platform published it (a copy)."""

    id: int
    platform: str
    account_id: int
    post_id: int
    status: str
    published_at: datetime | None
    public_url: str | None
    failure_message: str
    orders_count: int

    @staticmethod
    def resolve_account_id(copy: Any) -> int:
        return int(copy.post.account_id)

    @staticmethod
    def resolve_status(copy: Any) -> str:
        return str(copy.post.status)

    @staticmethod
    def resolve_public_url(copy: Any) -> str | None:
        return copy.post.public_url or None

    @staticmethod
    def resolve_failure_message(copy: Any) -> str:
        return str(copy.post.failure_message)


class StatementOut(Schema):
    id: int
    incident_id: int
    kind: str
    sequence: int
    post_id: int
    account_id: int
    text: str
    status: str
    version: int
    repost_comment: str
    repost_minutes: int
    order_reposts: bool
    target_all: bool
    target_ids: list[int]
    approved_by: str | None
    published_at: datetime | None
    public_url: str | None
    orders_count: int
    copies: list[CopyOut]

    @staticmethod
    def resolve_copies(statement: Any) -> list[Any]:
        return list(statement.copies.all())

    @staticmethod
    def resolve_account_id(statement: Any) -> int:
        return int(statement.post.account_id)

    @staticmethod
    def resolve_text(statement: Any) -> str:
        return str(statement.post.text)

    @staticmethod
    def resolve_status(statement: Any) -> str:
        return str(statement.post.status)

    @staticmethod
    def resolve_version(statement: Any) -> int:
        return int(statement.post.version)

    @staticmethod
    def resolve_target_ids(statement: Any) -> list[int]:
        return [] if statement.target_all else sorted(a.pk for a in statement.targets.all())

    @staticmethod
    def resolve_approved_by(statement: Any) -> str | None:
        approver = statement.post.approved_by
        return approver.get_username() if approver else None

    @staticmethod
    def resolve_public_url(statement: Any) -> str | None:
        return statement.post.public_url or None


class StatementIn(Schema):
    text: str = Field(min_length=1, max_length=5000)
    kind: StatementKind | None = None
    repost_comment: str = Field("", max_length=280)
    repost_minutes: int | None = Field(None, ge=5, le=1440)
    order_reposts: bool = True
    target_account_ids: list[int] | None = None
    account_id: int | None = None


class ApproveIn(Schema):
    comment: str = ""
    version: int | None = None


class ReturnIn(Schema):
    comment: str = Field(min_length=1)


class OrderOut(Schema):
    id: int
    statement_id: int
    # The copy the order reposts (on the account's platform); null: the statement's own post.
    copy_id: int | None
    account_id: int
    account: str
    unit_id: int
    state: str
    situation: str
    situation_text: str
    auto: bool
    created_at: datetime
    due_at: datetime
    in_flight: bool
    reposted_at: datetime | None
    latency_seconds: int | None
    repost_external_id: str
    repost_url: str
    proof: str
    exemption_reason: str
    last_error: str

    @staticmethod
    def resolve_account(order: Any) -> str:
        return str(order.account.display_name)

    @staticmethod
    def resolve_situation(order: Any) -> str:
        return order_state(order)[1]

    @staticmethod
    def resolve_situation_text(order: Any) -> str:
        return order_state(order)[2]


class RecordIn(Schema):
    url: str = Field(min_length=1, max_length=500)
    external_id: str = Field("", max_length=100)
    reposted_at: datetime | None = None


class ExemptIn(Schema):
    reason: str = Field(min_length=1, max_length=200)


def _aware(moment: datetime | None) -> datetime | None:
    if moment is None or timezone.is_aware(moment):
        return moment
    return timezone.make_aware(moment)  # a time without a zone is read as the district's


def _statement(request: HttpRequest, statement_id: int) -> Any:
    return statement_get(user=request.user, statement_id=statement_id)


@router.get("/emergency/incidents", response=list[IncidentOut])
@paginate(LimitOffsetPagination)
def list_incidents(request: HttpRequest, status: IncidentStatus | None = None) -> Any:
    return incident_list(user=request.user, status=status or "").prefetch_related("units")


@router.get("/emergency/incidents/{incident_id}", response=IncidentOut)
def get_incident(request: HttpRequest, incident_id: int) -> Any:
    return incident_get(user=request.user, incident_id=incident_id)


@router.post("/emergency/incidents", response={201: IncidentOut})
def declare_incident(request: HttpRequest, payload: IncidentIn) -> Any:
    incident = services.incident_declare(
        actor=request.user,
        title=payload.title,
        level=payload.level,
        commander_id=payload.commander_id,
        unit_ids=payload.unit_ids,
        summary=payload.summary,
        declared_at=_aware(payload.declared_at),
        pause_publishing=payload.pause_publishing,
    )
    return Status(201, incident_get(user=request.user, incident_id=incident.pk))


@router.post("/emergency/incidents/{incident_id}/stand-down", response=IncidentOut)
def stand_down_incident(request: HttpRequest, incident_id: int, payload: StandDownIn) -> Any:
    services.incident_stand_down(actor=request.user, incident_id=incident_id, note=payload.note)
    return incident_get(user=request.user, incident_id=incident_id)


@router.post("/emergency/incidents/{incident_id}/statements", response={201: StatementOut})
def create_statement(request: HttpRequest, incident_id: int, payload: StatementIn) -> Any:
    statement = services.statement_create(
        actor=request.user,
        incident_id=incident_id,
        text=payload.text,
        kind=payload.kind or "",
        repost_comment=payload.repost_comment,
        repost_minutes=payload.repost_minutes,
        order_reposts=payload.order_reposts,
        target_account_ids=payload.target_account_ids,
        account_id=payload.account_id,
    )
    return Status(201, _statement(request, statement.pk))


@router.get("/emergency/statements/{statement_id}", response=StatementOut)
def get_statement(request: HttpRequest, statement_id: int) -> Any:
    return _statement(request, statement_id)


@router.post("/emergency/statements/{statement_id}/submit", response=StatementOut)
def submit_statement(request: HttpRequest, statement_id: int) -> Any:
    services.statement_submit(actor=request.user, statement_id=statement_id)
    return _statement(request, statement_id)


@router.post("/emergency/statements/{statement_id}/approve", response=StatementOut)
def approve_statement(
    request: HttpRequest, statement_id: int, payload: ApproveIn | None = None
) -> Any:
    body = payload or ApproveIn()
    services.statement_approve(
        actor=request.user, statement_id=statement_id, comment=body.comment, version=body.version
    )
    return _statement(request, statement_id)


@router.post("/emergency/statements/{statement_id}/return", response=StatementOut)
def return_statement(request: HttpRequest, statement_id: int, payload: ReturnIn) -> Any:
    services.statement_return(
        actor=request.user, statement_id=statement_id, comment=payload.comment
    )
    return _statement(request, statement_id)


@router.get("/emergency/repost-orders", response=list[OrderOut])
@paginate(LimitOffsetPagination)
def list_orders(
    request: HttpRequest,
    incident_id: int | None = None,
    statement_id: int | None = None,
    state: str = "",
    unit_id: int | None = None,
) -> Any:
    filters = OrderFilter(
        incident_id=incident_id,
        statement_id=statement_id,
        state=state if state in ORDER_FILTERS else "",
        unit_id=unit_id,
    )
    return order_list(user=request.user, filters=filters).order_by("due_at", "id")


@router.get("/emergency/repost-orders/{order_id}", response=OrderOut)
def get_order(request: HttpRequest, order_id: int) -> Any:
    return order_get(user=request.user, order_id=order_id)


@router.post("/emergency/repost-orders/{order_id}/repost", response=OrderOut)
def repost_order(request: HttpRequest, order_id: int) -> Any:
    services.repost_order_repost(actor=request.user, order_id=order_id)
    return order_get(user=request.user, order_id=order_id)


@router.post("/emergency/repost-orders/{order_id}/record", response=OrderOut)
def record_order(request: HttpRequest, order_id: int, payload: RecordIn) -> Any:
    services.repost_order_record(
        actor=request.user,
        order_id=order_id,
        url=payload.url,
        external_id=payload.external_id,
        reposted_at=_aware(payload.reposted_at),
    )
    return order_get(user=request.user, order_id=order_id)


@router.post("/emergency/repost-orders/{order_id}/exempt", response=OrderOut)
def exempt_order(request: HttpRequest, order_id: int, payload: ExemptIn) -> Any:
    services.repost_order_exempt(actor=request.user, order_id=order_id, reason=payload.reason)
    return order_get(user=request.user, order_id=order_id)
