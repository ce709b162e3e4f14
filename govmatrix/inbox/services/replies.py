"""Replies: drafted (from a wording), checked like a post, approved by the principal leader of
the unit answering for the message (R5.1), published through the connector and the outbox.

"Facts fast, causes cautiously" (R4.2): a reply that does not close the message leaves it
answered and open; a reminder asks for the follow-up, and every reply is threaded under the
citizen's message on the platform. REPLY_TRANSITIONS is the table of moves.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from govmatrix.audit.context import current_ip
from govmatrix.audit.services import event_record
from govmatrix.audit.workflow import transition
from govmatrix.core.errors import InvalidTransition, NotFound, ValidationFailed
from govmatrix.core.types import Actor, as_user
from govmatrix.inbox import clocks, rules
from govmatrix.inbox.models import (
    InboxSettings,
    Message,
    MessageState,
    Reply,
    ReplyReview,
    ReplyState,
    ReviewDecision,
    Wording,
)
from govmatrix.inbox.services import notices
from govmatrix.inbox.services.messages import close_answered, locked_message
from govmatrix.inbox.services.messages import move as move_message
from govmatrix.org.permissions import require, scope_for
from govmatrix.platforms.models import OutboxKind, OutboxOperation
from govmatrix.platforms.services import OutcomeHandler, outbox_enqueue
from govmatrix.publishing.selectors.office import content_check
from govmatrix.workdays.calendar import YearMissing
from govmatrix.workdays.selectors import work_calendar

logger = logging.getLogger(__name__)

SUBJECT_TYPE = "inbox.reply"
R = ReplyState
REPLY_TRANSITIONS: dict[str, set[str]] = {
    R.DRAFT: {R.SUBMITTED},
    R.SUBMITTED: {R.PUBLISHING, R.RETURNED, R.DRAFT},
    R.RETURNED: {R.SUBMITTED, R.DRAFT},
    R.PUBLISHING: {R.PUBLISHED, R.FAILED},
    R.PUBLISHED: set(),
    R.FAILED: {R.PUBLISHING, R.DRAFT},
}
_EDITABLE = (R.DRAFT, R.SUBMITTED, R.RETURNED, R.FAILED)
_ANSWERABLE = (MessageState.OPEN, MessageState.ANSWERED)


def locked_reply(actor: Actor | None, reply_id: int) -> Reply:
    reply = (
        Reply.objects.select_for_update(of=("self",))
        .select_related("message", "message__account", "message__unit", "author")
        .filter(pk=reply_id)
        .first()
    )
    if reply is None or (actor is not None and not rules.can_view(scope_for(actor), reply.message)):
        raise NotFound(_("答复不存在。"))
    return reply


def move(
    reply: Reply,
    *,
    to: str,
    actor: Actor | None,
    verb: str,
    also_update: tuple[str, ...] | list[str] = (),
    note: str = "",
    data: dict[str, Any] | None = None,
) -> str:
    return transition(
        reply,
        to=to,
        allowed=REPLY_TRANSITIONS,
        actor=actor,
        verb=verb,
        unit_id=reply.message.unit_id,
        field="state",
        also_update=also_update,
        note=note,
        data={"version": reply.version, "message": reply.message_id, **(data or {})},
    )


def _require_drafter(actor: Actor, message: Message) -> None:
    require(
        rules.can_work(scope_for(actor), message),
        _("只有责任单位的运维人员和领导（或管理办公室）可以撰写答复。"),
    )


def _require_answerable(message: Message) -> None:
    if message.state not in _ANSWERABLE:
        raise InvalidTransition(
            _("留言当前为「%(s)s」，不能答复。") % {"s": message.get_state_display()}
        )


def _checked_text(text: str, message: Message) -> str:
    if problem := rules.reply_text_problem(text, message):
        raise ValidationFailed({"text": problem})
    return text.strip()


def _open_review(reply: Reply) -> ReplyReview | None:
    return ReplyReview.objects.select_for_update().filter(reply=reply, decision="").first()


def _close_review(reply: Reply, *, actor: Actor, decision: str, comment: str = "") -> None:
    review = _open_review(reply)
    if review is None:
        return
    review.decision = decision
    review.decided_by = as_user(actor)
    review.decided_at = timezone.now()
    review.comment = comment
    review.save(update_fields=["decision", "decided_by", "decided_at", "comment"])


# --- writing ------------------------------------------------------------------------------------
@transaction.atomic
def reply_create(
    *,
    actor: Actor,
    message_id: int,
    text: str,
    wording_id: int | None = None,
    closes: bool = False,
    rebuttal_id: int | None = None,
) -> Reply:
    message = locked_message(actor, message_id)
    _require_drafter(actor, message)
    _require_answerable(message)
    wording = None
    if wording_id is not None:
        wording = Wording.objects.filter(pk=wording_id, is_active=True).first()
        if wording is None:
            raise ValidationFailed({"wording_id": _("口径不存在或已停用。")})
        Wording.objects.filter(pk=wording.pk).update(times_used=wording.times_used + 1)
    reply = Reply.objects.create(
        message=message,
        author=rules.acting_user(actor),
        text=_checked_text(text, message),
        wording=wording,
        wording_text=wording.text if wording else "",
        closes=closes,
        rebuttal_id=rebuttal_id,
    )
    event_record(
        actor=actor,
        verb="reply.created",
        obj=reply,
        unit_id=message.unit_id,
        to_state=reply.state,
        data={
            "message": message.pk,
            "text": reply.text,
            "wording": wording.pk if wording else None,
        },
    )
    return reply


@transaction.atomic
def reply_update(*, actor: Actor, reply_id: int, text: str, closes: bool | None = None) -> Reply:
    """Change a reply; a reply past draft goes back to draft (it needs approval again)."""
    reply = locked_reply(actor, reply_id)
    _require_drafter(actor, reply.message)
    if reply.state not in _EDITABLE:
        raise InvalidTransition(_("发布中或已发布的答复不能修改。"))
    cleaned = _checked_text(text, reply.message)
    changed = cleaned != reply.text
    if not changed and (closes is None or closes == reply.closes):
        return reply
    data = {"text": [reply.text, cleaned]} if changed else {}
    if changed:
        reply.text, reply.version = cleaned, reply.version + 1
    if closes is not None:
        reply.closes = closes
    fields = ["text", "version", "closes"]
    event_record(
        actor=actor,
        verb="reply.updated",
        obj=reply,
        unit_id=reply.message.unit_id,
        data={"version": reply.version, **data},
    )
    if reply.state == R.DRAFT:
        reply.save(update_fields=[*fields, "updated_at"])
    else:
        if reply.state == R.SUBMITTED:
            _close_review(reply, actor=actor, decision=ReviewDecision.WITHDRAWN)
        move(
            reply,
            to=R.DRAFT,
            actor=actor,
            verb="reply.reopened",
            also_update=fields,
            note=_("答复被修改，须重新审核。"),
        )
    return reply


# --- review -----------------------------------------------------------------------------------
@transaction.atomic
def reply_submit(*, actor: Actor, reply_id: int) -> Reply:
    """Send the reply to the principal leader, with the content check's hits."""
    reply = locked_reply(actor, reply_id)
    _require_drafter(actor, reply.message)
    if R.SUBMITTED in REPLY_TRANSITIONS[reply.state]:
        _require_answerable(reply.message)
        _checked_text(reply.text, reply.message)
    hits = [hit.as_dict() for hit in content_check(reply.text)]
    move(reply, to=R.SUBMITTED, actor=actor, verb="reply.submitted", data={"hits": len(hits)})
    ReplyReview.objects.create(
        reply=reply,
        version=reply.version,
        text=reply.text,
        submitted_by=rules.acting_user(actor),
        submitted_at=timezone.now(),
        check_hits=hits,
    )
    transaction.on_commit(lambda: notices.notify_reply_submitted(reply, actor.pk))
    return reply


@transaction.atomic
def reply_withdraw(*, actor: Actor, reply_id: int) -> Reply:
    reply = locked_reply(actor, reply_id)
    _require_drafter(actor, reply.message)
    move(reply, to=R.DRAFT, actor=actor, verb="reply.withdrawn")
    _close_review(reply, actor=actor, decision=ReviewDecision.WITHDRAWN)
    return reply


def _require_approver(actor: Actor, reply: Reply) -> None:
    require(
        rules.can_approve_reply(scope_for(actor), reply.message),
        _("只有责任单位的主要领导可以审核答复。"),
    )


def idempotency_key(reply: Reply) -> str:
    return f"{SUBJECT_TYPE}:{reply.pk}:v{reply.version}:r{reply.publish_round}"


def _start_publishing(reply: Reply, *, actor: Actor | None, verb: str) -> None:
    reply.publish_round += 1
    move(
        reply,
        to=R.PUBLISHING,
        actor=actor,
        verb=verb,
        also_update=["publish_round"],
        data={"round": reply.publish_round},
    )
    outbox_enqueue(
        account=reply.message.account,
        kind=OutboxKind.REPLY,
        payload={"interaction_id": reply.message.external_id, "text": reply.text},
        idempotency_key=idempotency_key(reply),
        subject=reply,
        operator=reply.approved_by,
        operator_ip=reply.approved_ip,
    )


@transaction.atomic
def reply_approve(
    *, actor: Actor, reply_id: int, comment: str = "", version: int | None = None
) -> Reply:
    """The principal leader approves; the reply goes to the platform through the outbox."""
    reply = locked_reply(actor, reply_id)
    _require_approver(actor, reply)
    if version is not None and version != reply.version:
        raise InvalidTransition(_("答复在您阅读后被修改过，请重新查看后再审核。"))
    if reply.state != R.SUBMITTED:
        raise InvalidTransition(
            _("答复当前为「%(s)s」，不在待审核状态。") % {"s": reply.get_state_display()}
        )
    message = locked_message(None, reply.message_id)
    _require_answerable(message)
    review = _open_review(reply)
    if review is None:
        raise InvalidTransition(_("这条答复没有待审核的提交。"))
    now = timezone.now()
    reply.approved_text, reply.approved_version = reply.text, reply.version
    reply.approved_by, reply.approved_at = as_user(actor), now
    reply.approved_ip = current_ip.get()
    reply.save(
        update_fields=[
            "approved_text",
            "approved_version",
            "approved_by",
            "approved_at",
            "approved_ip",
            "updated_at",
        ]
    )
    review.decision, review.decided_by, review.decided_at = (
        ReviewDecision.APPROVED,
        as_user(actor),
        now,
    )
    review.comment = comment.strip()
    review.save(update_fields=["decision", "decided_by", "decided_at", "comment"])
    _start_publishing(reply, actor=actor, verb="reply.approved")
    return reply


@transaction.atomic
def reply_return(*, actor: Actor, reply_id: int, comment: str) -> Reply:
    reply = locked_reply(actor, reply_id)
    _require_approver(actor, reply)
    if not comment.strip():
        raise ValidationFailed({"comment": _("退回时请写明修改意见。")})
    move(reply, to=R.RETURNED, actor=actor, verb="reply.returned", note=comment.strip())
    _close_review(reply, actor=actor, decision=ReviewDecision.RETURNED, comment=comment.strip())
    transaction.on_commit(lambda: notices.notify_reply_returned(reply, comment.strip(), actor.pk))
    return reply


@transaction.atomic
def reply_retry(*, actor: Actor, reply_id: int) -> Reply:
    """Publish a failed reply again (its approval stands: the text did not change)."""
    reply = locked_reply(actor, reply_id)
    scope = scope_for(actor)
    require(
        rules.can_work(scope, reply.message) or rules.can_approve_reply(scope, reply.message),
        _("您不能处理这条答复。"),
    )
    if reply.state == R.FAILED:
        _require_answerable(reply.message)
    _start_publishing(reply, actor=actor, verb="reply.retry")
    return reply


# --- outcomes, called by the outbox inside its transaction -------------------------------------
def _reply_for(operation: OutboxOperation) -> Reply | None:
    reply = locked_reply(None, int(operation.subject_id))
    if reply.state != R.PUBLISHING or operation.idempotency_key != idempotency_key(reply):
        logger.warning(
            "outbox operation %s is not the current round of reply %s", operation.pk, reply.pk
        )
        return None
    return reply


def _followup_due(at: Any) -> Any:
    row = InboxSettings.objects.filter(pk=1).first()
    days = float(row.followup_days) if row else 2.0
    calendar = work_calendar()
    try:
        return calendar.add(at, calendar.hours.per_day * days)
    except YearMissing:
        return None


def reply_published(operation: OutboxOperation) -> None:
    reply = _reply_for(operation)
    if reply is None:
        return
    result = operation.result or {}
    created = result.get("created_at")
    parsed = parse_datetime(created) if isinstance(created, str) else None
    reply.published_at = parsed or timezone.now()
    reply.external_id = str(result.get("id") or "")[:100]
    reply.public_url = str(result.get("url") or "")[:500]
    reply.failure_message = ""
    move(
        reply,
        to=R.PUBLISHED,
        actor=None,
        verb="reply.published",
        also_update=["published_at", "external_id", "public_url", "failure_message"],
        data={"operation": operation.pk, "external_id": reply.external_id},
    )
    message = locked_message(None, reply.message_id)
    at = reply.published_at
    fields: list[str] = []
    if message.first_response_at is None:
        message.first_response_at = at
        fields.append("first_response_at")
    if reply.closes and message.state in _ANSWERABLE:
        message.followup_due_at = None
        message.save(update_fields=[*fields, "followup_due_at", "updated_at"])
        close_answered(message, actor=None, at=at)
    else:
        message.followup_due_at = _followup_due(at)
        fields.append("followup_due_at")
        if message.state == MessageState.OPEN:
            move_message(
                message,
                to=MessageState.ANSWERED,
                actor=None,
                verb="message.answered",
                also_update=fields,
                data={"reply": reply.pk},
            )
        else:
            fields += clocks.set_stage(message)
            message.save(update_fields=[*fields, "updated_at"])
    transaction.on_commit(lambda: notices.notify_reply_published(reply))


def reply_publish_failed(operation: OutboxOperation) -> None:
    reply = _reply_for(operation)
    if reply is None:
        return
    reply.failure_message = operation.last_error_message or operation.last_error_code
    move(
        reply,
        to=R.FAILED,
        actor=None,
        verb="reply.failed",
        also_update=["failure_message"],
        note=reply.failure_message,
        data={"operation": operation.pk},
    )
    transaction.on_commit(lambda: notices.notify_reply_failed(reply))


OUTCOME_HANDLER = OutcomeHandler(on_success=reply_published, on_failure=reply_publish_failed)
