"""Working a message: route it, pass it on, assign it, note it, merge duplicates, close it.

The allowed moves are MESSAGE_TRANSITIONS; every move goes through `audit.workflow.transition`
on a row locked in the caller's transaction. Passing a message to another unit (转办) keeps its
state and is recorded as its own event. Every routing decision a person makes becomes a
`RoutingLabel`, the district's training data (`textintel_train`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govmatrix.audit.services import event_record
from govmatrix.audit.workflow import transition
from govmatrix.core.errors import InvalidTransition, NotFound, ValidationFailed
from govmatrix.core.types import Actor
from govmatrix.inbox import clocks, rules
from govmatrix.inbox.models import (
    LabelSource,
    Message,
    MessageKind,
    MessageNote,
    MessageState,
    MessageTopic,
    ReplyState,
    RoutedBy,
    RoutingLabel,
)
from govmatrix.org.models import Unit
from govmatrix.org.permissions import UNIT_EDITOR_ROLES, require, scope_for

S = MessageState
MESSAGE_TRANSITIONS: dict[str, set[str]] = {
    S.TRIAGE: {S.OPEN, S.CLOSED, S.MERGED},
    S.OPEN: {S.TRIAGE, S.ANSWERED, S.CLOSED, S.MERGED},
    S.ANSWERED: {S.CLOSED},
    S.CLOSED: {S.TRIAGE, S.OPEN, S.ANSWERED},
    S.MERGED: set(),
}
# Replies in these states are still on their way: a message with one is not closed or merged.
_PENDING_REPLY = (ReplyState.SUBMITTED, ReplyState.PUBLISHING)


def locked_message(actor: Actor | None, message_id: int) -> Message:
    message = (
        Message.objects.select_for_update(of=("self",))
        .select_related("account", "account__unit", "unit", "topic")
        .filter(pk=message_id)
        .first()
    )
    if message is None or (actor is not None and not rules.can_view(scope_for(actor), message)):
        raise NotFound(_("留言不存在。"))
    return message


def move(
    message: Message,
    *,
    to: str,
    actor: Actor | None,
    verb: str,
    also_update: Sequence[str] = (),
    note: str = "",
    data: dict[str, Any] | None = None,
) -> str:
    # The running deadline follows the state (none once closed or merged).
    previous = message.state
    message.state = to
    changed = [*also_update, *clocks.set_stage(message)]
    message.state = previous
    return transition(
        message,
        to=to,
        allowed=MESSAGE_TRANSITIONS,
        actor=actor,
        verb=verb,
        unit_id=message.unit_id,
        field="state",
        also_update=sorted(set(changed)),
        note=note,
        data=data,
    )


def _require_work(actor: Actor, message: Message) -> None:
    require(
        rules.can_work(scope_for(actor), message),
        _("只有责任单位的运维人员和领导（或管理办公室）可以办理这条留言。"),
    )


def _unit(unit_id: int) -> Unit:
    unit = Unit.objects.filter(pk=unit_id, is_active=True).first()
    if unit is None:
        raise ValidationFailed({"unit_id": _("单位不存在或已停用。")})
    return unit


def _reason(reason: str, field: str = "reason") -> str:
    cleaned = (reason or "").strip()
    if not cleaned:
        raise ValidationFailed({field: _("请写明理由。")})
    return cleaned


# --- routing --------------------------------------------------------------------------------
@transaction.atomic
def message_route(*, actor: Actor, message_id: int, unit_id: int, reason: str = "") -> Message:
    """Send the message to the unit that answers for it (分办 from triage, 转办 from a unit)."""
    message = locked_message(actor, message_id)
    scope = scope_for(actor)
    unit = _unit(unit_id)
    if message.state == S.TRIAGE:
        require(rules.can_triage(scope), _("待分办的留言由管理办公室分办。"))
        source = LabelSource.TRIAGE
    else:
        require(
            rules.can_route(scope, message),
            _("只有责任单位（或管理办公室）可以转办这条留言。"),
        )
        if message.state != S.OPEN:
            raise InvalidTransition(
                _("当前状态为「%(s)s」，不能转办。") % {"s": message.get_state_display()}
            )
        if unit.pk == message.unit_id:
            raise ValidationFailed({"unit_id": _("留言已经由该单位办理。")})
        reason = _reason(reason)
        source = LabelSource.REROUTE
    previous = message.unit
    RoutingLabel.objects.create(
        message=message,
        source=source,
        from_unit=previous,
        to_unit=unit,
        from_topic=message.topic,
        to_topic=message.topic,
        from_kind=message.kind,
        to_kind=message.kind,
        reason=reason.strip(),
        actor=rules.acting_user(actor),
    )
    message.unit = unit
    message.routed_by = RoutedBy.PERSON
    message.unit_confidence = 1.0
    message.assignee = None
    fields = ["unit", "routed_by", "unit_confidence", "assignee"]
    data = {"from_unit": previous.pk if previous else None, "to_unit": unit.pk}
    if message.state == S.TRIAGE:
        move(
            message,
            to=S.OPEN,
            actor=actor,
            verb="message.routed",
            also_update=fields,
            note=reason.strip(),
            data=data,
        )
    else:
        message.save(update_fields=[*fields, "updated_at"])
        event_record(
            actor=actor,
            verb="message.rerouted",
            obj=message,
            unit_id=unit.pk,
            note=reason,
            data=data,
        )
        if previous is not None:
            event_record(
                actor=actor,
                verb="message.rerouted",
                obj=message,
                unit_id=previous.pk,
                note=reason,
                data=data,
            )
    return message


@transaction.atomic
def message_return_to_triage(*, actor: Actor, message_id: int, reason: str) -> Message:
    """The unit says the message is not its to answer: back to the office's triage queue."""
    message = locked_message(actor, message_id)
    require(rules.can_route(scope_for(actor), message), _("您不能退回这条留言。"))
    reason = _reason(reason)
    message.assignee = None
    move(
        message,
        to=S.TRIAGE,
        actor=actor,
        verb="message.returned_to_triage",
        also_update=["assignee"],
        note=reason,
    )
    return message


@transaction.atomic
def message_reclassify(
    *, actor: Actor, message_id: int, kind: str | None = None, topic_id: int | None = None
) -> Message:
    """Correct the kind or the topic; a new kind restarts nothing but re-reads its targets."""
    message = locked_message(actor, message_id)
    require(rules.can_work(scope_for(actor), message), _("您不能更正这条留言的分类。"))
    fields: list[str] = []
    topic = message.topic
    if topic_id is not None and topic_id != message.topic_id:
        topic = MessageTopic.objects.filter(pk=topic_id, is_active=True).first()
        if topic is None:
            raise ValidationFailed({"topic_id": _("主题不存在或已停用。")})
    if kind is not None and kind not in MessageKind.values:
        raise ValidationFailed({"kind": _("没有这种类型。")})
    new_kind = kind or message.kind
    if topic == message.topic and new_kind == message.kind:
        return message
    RoutingLabel.objects.create(
        message=message,
        source=LabelSource.RECLASSIFY,
        from_unit=message.unit,
        to_unit=message.unit,
        from_topic=message.topic,
        to_topic=topic,
        from_kind=message.kind,
        to_kind=new_kind,
        actor=rules.acting_user(actor),
    )
    data = {
        "kind": [message.kind, new_kind],
        "topic": [message.topic_id, topic.pk if topic else None],
    }
    if topic != message.topic:
        message.topic, message.topic_confidence = topic, 1.0
        fields += ["topic", "topic_confidence"]
    if new_kind != message.kind:
        message.kind, message.kind_confidence = new_kind, 1.0
        due = clocks.deadlines_for(new_kind, message.received_at)
        for name, value in due.as_fields().items():
            setattr(message, name, value)
        fields += ["kind", "kind_confidence", *due.as_fields()]
        fields += clocks.set_stage(message)
    message.save(update_fields=[*fields, "updated_at"])
    event_record(
        actor=actor, verb="message.reclassified", obj=message, unit_id=message.unit_id, data=data
    )
    return message


# --- assignment and notes ---------------------------------------------------------------------
@transaction.atomic
def message_assign(*, actor: Actor, message_id: int, assignee_id: int | None) -> Message:
    """Give the message to one of the unit's operators (or take it; None: nobody)."""
    message = locked_message(actor, message_id)
    scope = scope_for(actor)
    _require_work(actor, message)
    if message.state not in (S.OPEN, S.ANSWERED):
        raise InvalidTransition(
            _("当前状态为「%(s)s」，不能指派。") % {"s": message.get_state_display()}
        )
    assignee = None
    if assignee_id is not None:
        if assignee_id != actor.pk:
            require(
                rules.can_assign_others(scope, message.unit_id),
                _("只有单位领导或管理办公室可以把留言指派给他人。"),
            )
        assignee = User.objects.filter(pk=assignee_id, is_active=True).first()
        if assignee is None or not scope_for(assignee).has_role(message.unit_id, UNIT_EDITOR_ROLES):
            raise ValidationFailed({"assignee_id": _("只能指派给责任单位的人员。")})
    else:
        require(
            rules.can_assign_others(scope, message.unit_id) or message.assignee_id == actor.pk,
            _("只有单位领导或管理办公室可以撤销他人的指派。"),
        )
    if assignee == message.assignee:
        return message
    before = message.assignee_id
    message.assignee = assignee
    message.save(update_fields=["assignee", "updated_at"])
    event_record(
        actor=actor,
        verb="message.assigned",
        obj=message,
        unit_id=message.unit_id,
        data={"from": before, "to": assignee.pk if assignee else None},
    )
    return message


@transaction.atomic
def message_note_add(*, actor: Actor, message_id: int, text: str) -> MessageNote:
    message = locked_message(actor, message_id)
    _require_work(actor, message)
    text = (text or "").strip()
    if not text:
        raise ValidationFailed({"text": _("备注不能为空。")})
    note = MessageNote.objects.create(message=message, author=rules.acting_user(actor), text=text)
    event_record(
        actor=actor,
        verb="message.noted",
        obj=message,
        unit_id=message.unit_id,
        data={"note": note.pk, "text": text},
    )
    return note


# --- merging, closing, reopening --------------------------------------------------------------
@transaction.atomic
def message_merge(*, actor: Actor, message_id: int, into_id: int) -> Message:
    """The same citizen about the same matter: the duplicate follows the message it joins."""
    if message_id == into_id:
        raise ValidationFailed({"into_id": _("不能合并到自身。")})
    first, second = sorted([message_id, into_id])
    locked = {first: locked_message(actor, first), second: locked_message(actor, second)}
    duplicate, target = locked[message_id], locked[into_id]
    scope = scope_for(actor)
    require(
        rules.can_work(scope, duplicate) and rules.can_work(scope, target),
        _("只能合并您能办理的留言。"),
    )
    if (duplicate.platform, duplicate.author_id) != (target.platform, target.author_id):
        raise ValidationFailed({"into_id": _("只能合并同一网民的留言。")})
    if target.state in (S.MERGED, S.CLOSED):
        raise InvalidTransition(_("要并入的留言已办结或已合并。"))
    if duplicate.replies.exclude(state__in=[ReplyState.DRAFT, ReplyState.RETURNED]).exists():
        raise InvalidTransition(_("这条留言已有提交或发布的答复，不能合并。"))
    duplicate.merged_into = target
    move(
        duplicate,
        to=S.MERGED,
        actor=actor,
        verb="message.merged",
        also_update=["merged_into"],
        data={"into": target.pk},
    )
    return duplicate


@transaction.atomic
def message_close(*, actor: Actor, message_id: int, note: str = "") -> Message:
    """办结. Without a published answer the reason is required (praise, nothing to answer …)."""
    message = locked_message(actor, message_id)
    scope = scope_for(actor)
    if message.state == S.TRIAGE:
        require(rules.can_triage(scope), _("待分办的留言由管理办公室处理。"))
    else:
        _require_work(actor, message)
    if message.state in (S.TRIAGE, S.OPEN):
        note = _reason(note, "note")
    if message.replies.filter(state__in=_PENDING_REPLY).exists():
        raise InvalidTransition(_("有答复正在审核或发布，待其完成后再办结。"))
    message.resolved_at = timezone.now()
    move(
        message,
        to=S.CLOSED,
        actor=actor,
        verb="message.closed",
        also_update=["resolved_at"],
        note=note.strip(),
    )
    return message


def close_answered(message: Message, *, actor: Actor | None, at: Any) -> None:
    """A published reply marked "close after publishing" closes its message (no person acts)."""
    message.resolved_at = at
    move(
        message,
        to=S.CLOSED,
        actor=actor,
        verb="message.closed",
        also_update=["resolved_at"],
        note=_("答复发布后办结"),
    )


@transaction.atomic
def message_reopen(*, actor: Actor, message_id: int, reason: str) -> Message:
    message = locked_message(actor, message_id)
    _require_work(actor, message)
    reason = _reason(reason)
    target = S.ANSWERED if message.first_response_at else S.OPEN
    if message.unit_id is None:
        target = S.TRIAGE
    message.resolved_at = None
    move(
        message,
        to=target,
        actor=actor,
        verb="message.reopened",
        also_update=["resolved_at"],
        note=reason,
    )
    return message


# --- many at once -----------------------------------------------------------------------------
@transaction.atomic
def messages_bulk(
    *, actor: Actor, message_ids: Sequence[int], action: str, **arguments: Any
) -> int:
    """One action on many messages, all or nothing; returns how many changed."""
    calls = {
        "assign": lambda pk: message_assign(actor=actor, message_id=pk, **arguments),
        "route": lambda pk: message_route(actor=actor, message_id=pk, **arguments),
        "close": lambda pk: message_close(actor=actor, message_id=pk, **arguments),
    }
    if action not in calls:
        raise ValidationFailed({"action": _("不支持的批量操作。")})
    ids = sorted(set(message_ids))
    if not ids:
        raise ValidationFailed({"ids": _("请先选择留言。")})
    for pk in ids:
        calls[action](pk)
    return len(ids)
