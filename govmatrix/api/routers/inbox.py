from datetime import datetime
from enum import StrEnum
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from govmatrix.inbox import clocks, services
from govmatrix.inbox.models import MessageKind, MessageState
from govmatrix.inbox.selectors.messages import MessageFilter, message_get, message_list
from govmatrix.inbox.selectors.replies import reply_get

router = Router(tags=["inbox"])


class SlaState(StrEnum):
    ON_TIME = "on_time"
    NEAR = "near"
    OVERDUE = "overdue"
    UNKNOWN = "unknown"
    MET = "met"
    MISSED = "missed"


class Confidence(Schema):
    value: str | None
    confidence: float


class Deadlines(Schema):
    state: str
    first_response_due_at: datetime | None
    resolution_due_at: datetime | None
    running_due_at: datetime | None
    first_response_at: datetime | None
    resolved_at: datetime | None
    problem: str


class ReplyOut(Schema):
    id: int
    message_id: int
    text: str
    state: str
    version: int
    closes: bool
    author: str
    approved_by: str | None
    approved_at: datetime | None
    published_at: datetime | None
    external_id: str
    public_url: str | None

    @staticmethod
    def resolve_author(reply: Any) -> str:
        return str(reply.author.get_username())

    @staticmethod
    def resolve_approved_by(reply: Any) -> str | None:
        return reply.approved_by.get_username() if reply.approved_by else None

    @staticmethod
    def resolve_public_url(reply: Any) -> str | None:
        return reply.public_url or None


class MessageOut(Schema):
    id: int
    platform: str
    external_id: str
    account_id: int
    channel: str
    author_name: str
    text: str
    received_at: datetime
    state: str
    kind: Confidence
    topic: Confidence
    unit: Confidence
    unit_id: int | None
    routed_by: str
    harm_score: float
    harm_flagged: bool
    assignee: str | None
    sla: Deadlines

    @staticmethod
    def resolve_kind(m: Any) -> dict[str, Any]:
        return {"value": m.kind, "confidence": m.kind_confidence}

    @staticmethod
    def resolve_topic(m: Any) -> dict[str, Any]:
        return {"value": m.topic.name if m.topic else None, "confidence": m.topic_confidence}

    @staticmethod
    def resolve_unit(m: Any) -> dict[str, Any]:
        return {"value": m.unit.code if m.unit else None, "confidence": m.unit_confidence}

    @staticmethod
    def resolve_assignee(m: Any) -> str | None:
        return m.assignee.get_username() if m.assignee else None

    @staticmethod
    def resolve_sla(m: Any) -> dict[str, Any]:
        return {
            "state": clocks.sla_state(m),
            "first_response_due_at": m.ack_due_at,
            "resolution_due_at": m.resolve_due_at,
            "running_due_at": m.next_due_at,
            "first_response_at": m.first_response_at,
            "resolved_at": m.resolved_at,
            "problem": m.sla_problem,
        }


class MessageDetailOut(MessageOut):
    replies: list[ReplyOut]

    @staticmethod
    def resolve_replies(m: Any) -> list[Any]:
        return list(m.replies.select_related("author", "approved_by").order_by("created_at", "id"))


class RouteIn(Schema):
    unit_id: int
    reason: str = ""


class ReplyIn(Schema):
    text: str = Field(min_length=1, max_length=5000)
    closes: bool = False
    wording_id: int | None = None
    submit: bool = True


class ApproveIn(Schema):
    comment: str = ""
    version: int | None = None


@router.get("/messages", response=list[MessageOut])
@paginate(LimitOffsetPagination)
def list_messages(
    request: HttpRequest,
    unit: int | None = None,
    kind: MessageKind | None = None,
    sla_state: SlaState | None = None,
    state: MessageState | None = None,
    account: int | None = None,
    q: str = "",
) -> Any:
    filters = MessageFilter(
        unit_id=unit,
        kind=kind or "",
        sla_state=sla_state or "",
        state=state or "",
        account_id=account,
        q=q,
    )
    return message_list(user=request.user, filters=filters, now=timezone.now())


@router.get("/messages/{message_id}", response=MessageDetailOut)
def get_message(request: HttpRequest, message_id: int) -> Any:
    return message_get(user=request.user, message_id=message_id)


@router.post("/messages/{message_id}/route", response=MessageOut)
def route_message(request: HttpRequest, message_id: int, payload: RouteIn) -> Any:
    services.message_route(
        actor=request.user, message_id=message_id, unit_id=payload.unit_id, reason=payload.reason
    )
    return message_get(user=request.user, message_id=message_id)


@router.post("/messages/{message_id}/replies", response={201: ReplyOut})
def create_reply(request: HttpRequest, message_id: int, payload: ReplyIn) -> Any:
    reply = services.reply_create(
        actor=request.user,
        message_id=message_id,
        text=payload.text,
        wording_id=payload.wording_id,
        closes=payload.closes,
    )
    if payload.submit:
        services.reply_submit(actor=request.user, reply_id=reply.pk)
    return Status(201, reply_get(user=request.user, reply_id=reply.pk))


@router.get("/replies/{reply_id}", response=ReplyOut)
def get_reply(request: HttpRequest, reply_id: int) -> Any:
    return reply_get(user=request.user, reply_id=reply_id)


@router.post("/replies/{reply_id}/approve", response=ReplyOut)
def approve_reply(request: HttpRequest, reply_id: int, payload: ApproveIn | None = None) -> Any:
    body = payload or ApproveIn()
    services.reply_approve(
        actor=request.user, reply_id=reply_id, comment=body.comment, version=body.version
    )
    return reply_get(user=request.user, reply_id=reply_id)
