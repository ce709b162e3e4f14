"""Every move of a message and of a reply: the whole tables walked, allowed and refused, and
the services' own refusals (wrong state, wrong person, wrong citizen) that change nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from govmatrix.audit.models import Event
from govmatrix.audit.workflow import transition
from govmatrix.core.errors import InvalidTransition, NotAllowed, NotFound, ValidationFailed
from govmatrix.inbox import services
from govmatrix.inbox.models import (
    LabelSource,
    Message,
    MessageState,
    Reply,
    ReplyState,
    RoutingLabel,
)
from tests.inbox.conftest import Inbox, draft_reply, published_reply, submitted_reply

M_STATES = list(MessageState.values)
R_STATES = list(ReplyState.values)


def _pairs(states: list[str]) -> list[tuple[str, str]]:
    return [(a, b) for a in states for b in states if a != b]


def test_the_tables_know_every_state_and_only_those() -> None:
    assert set(services.MESSAGE_TRANSITIONS) == set(M_STATES)
    assert set(services.REPLY_TRANSITIONS) == set(R_STATES)
    for targets in [*services.MESSAGE_TRANSITIONS.values(), *services.REPLY_TRANSITIONS.values()]:
        assert targets <= set(M_STATES) | set(R_STATES)
    assert services.MESSAGE_TRANSITIONS[MessageState.MERGED] == set()
    assert services.REPLY_TRANSITIONS[ReplyState.PUBLISHED] == set()


def _force_message(message: Message, state: str, inbox: Inbox) -> Message:
    now = timezone.now()
    Message.objects.filter(pk=message.pk).update(
        state=state,
        unit=inbox.district.street01,
        resolved_at=now,
        first_response_at=now,
        merged_into=message,  # every column the target states need is in place
    )
    return Message.objects.get(pk=message.pk)


@pytest.mark.parametrize(("start", "end"), _pairs(M_STATES))
def test_every_message_move_is_allowed_or_refused_as_the_table_says(
    inbox: Inbox, start: str, end: str
) -> None:
    message = _force_message(
        inbox.arrive(inbox.district.street01_account, "路灯坏了。"), start, inbox
    )
    allowed = end in services.MESSAGE_TRANSITIONS[start]
    if allowed:
        transition(
            message,
            to=end,
            allowed=services.MESSAGE_TRANSITIONS,
            actor=None,
            verb="test.move",
            unit_id=None,
            field="state",
        )
        assert Message.objects.get(pk=message.pk).state == end
        assert Event.objects.filter(verb="test.move", from_state=start, to_state=end).exists()
    else:
        with pytest.raises(InvalidTransition):
            transition(
                message,
                to=end,
                allowed=services.MESSAGE_TRANSITIONS,
                actor=None,
                verb="test.move",
                unit_id=None,
                field="state",
            )
        assert Message.objects.get(pk=message.pk).state == start
        assert not Event.objects.filter(verb="test.move").exists()


def _force_reply(reply: Reply, state: str, inbox: Inbox) -> Reply:
    Reply.objects.filter(pk=reply.pk).update(
        state=state,
        approved_by=inbox.district.leader,
        approved_version=reply.version,
        published_at=timezone.now(),
    )
    return Reply.objects.select_related("message").get(pk=reply.pk)


@pytest.mark.parametrize(("start", "end"), _pairs(R_STATES))
def test_every_reply_move_is_allowed_or_refused_as_the_table_says(
    inbox: Inbox, start: str, end: str
) -> None:
    message = inbox.arrive(inbox.district.street01_account, "路灯坏了。")
    reply = _force_reply(draft_reply(message, inbox.district.operator), start, inbox)
    if end in services.REPLY_TRANSITIONS[start]:
        transition(
            reply,
            to=end,
            allowed=services.REPLY_TRANSITIONS,
            actor=None,
            verb="test.move",
            unit_id=None,
            field="state",
        )
        assert Reply.objects.get(pk=reply.pk).state == end
    else:
        with pytest.raises(InvalidTransition):
            transition(
                reply,
                to=end,
                allowed=services.REPLY_TRANSITIONS,
                actor=None,
                verb="test.move",
                unit_id=None,
                field="state",
            )
        assert Reply.objects.get(pk=reply.pk).state == start


# --- the services' own rules ----------------------------------------------------------------
def _snapshot(message: Message) -> tuple[Any, ...]:
    fresh = Message.objects.get(pk=message.pk)
    return (
        fresh.state,
        fresh.unit_id,
        fresh.assignee_id,
        fresh.merged_into_id,
        Event.objects.count(),
        RoutingLabel.objects.count(),
    )


def test_triage_routing_is_the_offices_and_becomes_a_label(inbox: Inbox) -> None:
    d = inbox.district
    message = inbox.arrive(d.main_account, "有个事情想反映一下。")
    assert message.state == MessageState.TRIAGE
    before = _snapshot(message)
    with pytest.raises((NotAllowed, NotFound)):
        services.message_route(actor=d.operator, message_id=message.pk, unit_id=d.street01.pk)
    assert _snapshot(message) == before
    services.message_route(actor=d.office_admin, message_id=message.pk, unit_id=d.street01.pk)
    message.refresh_from_db()
    assert message.state == MessageState.OPEN and message.unit == d.street01
    assert message.routed_by == "person" and message.unit_confidence == 1.0
    label = RoutingLabel.objects.get(message=message)
    assert label.source == LabelSource.TRIAGE and label.to_unit == d.street01


def test_passing_a_message_on_needs_a_reason_and_keeps_its_clock(inbox: Inbox) -> None:
    d = inbox.district
    message = inbox.arrive(d.street01_account, "小区门口的路灯坏了。")
    services.message_assign(actor=d.operator, message_id=message.pk, assignee_id=d.operator.pk)
    before = _snapshot(message)
    with pytest.raises(ValidationFailed):
        services.message_route(actor=d.operator, message_id=message.pk, unit_id=d.street02.pk)
    with pytest.raises(ValidationFailed):
        services.message_route(
            actor=d.operator, message_id=message.pk, unit_id=d.street01.pk, reason="同一单位"
        )
    assert _snapshot(message) == before
    services.message_route(
        actor=d.operator, message_id=message.pk, unit_id=d.street02.pk, reason="路灯在西城辖区"
    )
    moved = Message.objects.get(pk=message.pk)
    assert moved.unit == d.street02 and moved.assignee is None and moved.state == MessageState.OPEN
    assert moved.ack_due_at == message.ack_due_at  # the citizen's clock does not restart
    label = RoutingLabel.objects.get(message=message)
    assert (label.source, label.from_unit, label.to_unit, label.reason) == (
        LabelSource.REROUTE,
        d.street01,
        d.street02,
        "路灯在西城辖区",
    )
    # Now it is 西城's: 东城 can no longer pass it on.
    with pytest.raises((NotAllowed, NotFound)):
        services.message_route(
            actor=d.operator, message_id=message.pk, unit_id=d.street01.pk, reason="再转回"
        )


def test_an_answered_message_is_not_passed_on(inbox: Inbox) -> None:
    d = inbox.district
    message = inbox.arrive(d.street01_account, "路灯坏了。")
    published_reply(message, d.operator, d.leader)
    before = _snapshot(message)
    with pytest.raises(InvalidTransition):
        services.message_route(
            actor=d.office_admin, message_id=message.pk, unit_id=d.street02.pk, reason="改派"
        )
    assert _snapshot(message) == before


def test_assignment_rules(inbox: Inbox) -> None:
    d = inbox.district
    message = inbox.arrive(d.street01_account, "路灯坏了。")
    services.message_assign(actor=d.operator, message_id=message.pk, assignee_id=d.operator.pk)
    with pytest.raises(NotAllowed):  # an operator does not hand work to others
        services.message_assign(actor=d.operator, message_id=message.pk, assignee_id=d.leader.pk)
    with pytest.raises(ValidationFailed):  # nor may anyone outside the unit be given it
        services.message_assign(actor=d.leader, message_id=message.pk, assignee_id=d.neighbour.pk)
    services.message_assign(actor=d.leader, message_id=message.pk, assignee_id=d.charge.pk)
    assert Message.objects.get(pk=message.pk).assignee == d.charge
    with pytest.raises((NotAllowed, NotFound)):
        services.message_note_add(actor=d.neighbour, message_id=message.pk, text="看一下")
    services.message_note_add(actor=d.charge, message_id=message.pk, text="明天去现场")
    assert message.notes.get().text == "明天去现场"


def test_merging_takes_the_same_citizen_and_a_message_still_being_worked(inbox: Inbox) -> None:
    d = inbox.district
    first = inbox.arrive(d.street01_account, "东城路的路灯坏了。", who="王先生")
    again = inbox.arrive(d.street01_account, "东城路的路灯还是不亮！", who="王先生")
    other = inbox.arrive(d.street01_account, "东城路的路灯坏了。", who="李女士")
    before = _snapshot(other)
    with pytest.raises(ValidationFailed):
        services.message_merge(actor=d.operator, message_id=other.pk, into_id=first.pk)
    assert _snapshot(other) == before
    services.message_merge(actor=d.operator, message_id=again.pk, into_id=first.pk)
    again.refresh_from_db()
    assert again.state == MessageState.MERGED and again.merged_into == first
    assert again.next_due_at is None
    with pytest.raises(InvalidTransition):
        services.message_merge(actor=d.operator, message_id=first.pk, into_id=again.pk)


def test_a_message_with_a_reply_under_review_is_not_merged_or_closed(inbox: Inbox) -> None:
    d = inbox.district
    first = inbox.arrive(d.street01_account, "路灯坏了。", who="王先生")
    second = inbox.arrive(d.street01_account, "路灯还是坏的。", who="王先生")
    submitted_reply(second, d.operator)
    with pytest.raises(InvalidTransition):
        services.message_merge(actor=d.operator, message_id=second.pk, into_id=first.pk)
    with pytest.raises(InvalidTransition):
        services.message_close(actor=d.operator, message_id=second.pk, note="重复")


def test_closing_without_an_answer_needs_a_reason_and_reopening_restarts_nothing(
    inbox: Inbox,
) -> None:
    d = inbox.district
    message = inbox.arrive(d.street01_account, "为东城街道点赞！")
    with pytest.raises(ValidationFailed):
        services.message_close(actor=d.operator, message_id=message.pk)
    services.message_close(actor=d.operator, message_id=message.pk, note="表扬，无需答复")
    closed = Message.objects.get(pk=message.pk)
    assert closed.state == MessageState.CLOSED and closed.resolved_at and closed.next_due_at is None
    with pytest.raises(ValidationFailed):
        services.message_reopen(actor=d.operator, message_id=message.pk, reason="")
    services.message_reopen(actor=d.operator, message_id=message.pk, reason="网民追问")
    reopened = Message.objects.get(pk=message.pk)
    assert reopened.state == MessageState.OPEN and reopened.resolved_at is None
    assert reopened.next_due_at == message.ack_due_at


def test_a_reply_is_refused_on_a_closed_or_triaged_message(inbox: Inbox) -> None:
    d = inbox.district
    triaged = inbox.arrive(d.main_account, "有个事情想反映一下。")
    with pytest.raises((NotAllowed, InvalidTransition)):
        draft_reply(triaged, d.office_admin)
    message = inbox.arrive(d.street01_account, "路灯坏了。")
    reply = draft_reply(message, d.operator)
    services.message_close(actor=d.operator, message_id=message.pk, note="已电话答复")
    with pytest.raises(InvalidTransition):
        services.reply_submit(actor=d.operator, reply_id=reply.pk)
    assert Reply.objects.get(pk=reply.pk).state == ReplyState.DRAFT


def test_bulk_actions_are_all_or_nothing(inbox: Inbox) -> None:
    d = inbox.district
    ours = [inbox.arrive(d.street01_account, f"路灯坏了{n}", who=f"市民{n}") for n in range(3)]
    theirs = inbox.arrive(d.street02_account, "西城的路灯坏了", who="西城市民")
    ids = [m.pk for m in ours]
    with pytest.raises((NotAllowed, NotFound)):
        services.messages_bulk(
            actor=d.operator, message_ids=[*ids, theirs.pk], action="close", note="已处理"
        )
    assert not Message.objects.filter(state=MessageState.CLOSED).exists()
    done = services.messages_bulk(
        actor=d.leader, message_ids=ids, action="assign", assignee_id=d.operator.pk
    )
    assert done == 3 and Message.objects.filter(assignee=d.operator).count() == 3


def test_reclassifying_is_a_label_and_a_new_kind_reads_its_own_targets(inbox: Inbox) -> None:
    from decimal import Decimal

    from govmatrix.inbox.models import MessageTopic

    d = inbox.district
    services.sla_target_set(
        actor=d.office_admin, kind="praise", ack_hours=Decimal("8"), resolve_days=Decimal("10")
    )
    message = inbox.arrive(d.street01_account, "路灯坏了，请修一下。")
    services.message_reclassify(
        actor=d.operator,
        message_id=message.pk,
        kind="praise",
        topic_id=MessageTopic.objects.get(code="urban").pk,
    )
    changed = Message.objects.get(pk=message.pk)
    assert changed.kind == "praise" and changed.kind_confidence == 1.0
    assert changed.resolve_due_at is not None and changed.resolve_due_at > message.resolve_due_at
    label = RoutingLabel.objects.get(message=message)
    assert label.source == LabelSource.RECLASSIFY and label.to_kind == "praise"


def test_unit_people_do_not_see_other_units_messages(inbox: Inbox) -> None:
    d = inbox.district
    message = inbox.arrive(d.street02_account, "西城的路灯坏了")
    with pytest.raises(NotFound):
        services.message_note_add(actor=d.operator, message_id=message.pk, text="偷看")
    with pytest.raises(NotFound):
        submitted_reply(message, d.operator)
