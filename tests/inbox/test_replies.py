"""Replies: drafted from a wording, checked like a post, approved by the responsible unit's
principal leader, published under the citizen's comment; first facts fast, follow-ups after."""

from __future__ import annotations

from typing import Any

import pytest

from govmatrix.audit.models import Event
from govmatrix.core.errors import InvalidTransition, NotAllowed, NotFound, ValidationFailed
from govmatrix.inbox import services
from govmatrix.inbox.models import Message, MessageState, Reply, ReplyState
from govmatrix.inbox.selectors.replies import approvals_waiting, waiting_of
from govmatrix.notifications.models import Notification
from govmatrix.platforms.local.models import LocalComment, LocalMessage
from govmatrix.platforms.models import OutboxOperation
from govmatrix.publishing.models import ContentRule
from tests.inbox.conftest import Inbox, draft_reply, published_reply, run_outbox, submitted_reply


@pytest.fixture
def message(inbox: Inbox) -> Message:
    return inbox.arrive(
        inbox.district.street01_account, "东城花园门口的路灯坏了好几天了，请尽快修复。"
    )


def test_an_approved_reply_appears_under_the_citizens_comment_and_answers_the_message(
    inbox: Inbox, message: Message
) -> None:
    d = inbox.district
    wording = services.wording_create(
        actor=d.office_admin, title="设施损坏", text="您好，已通知养护单位24小时内到场维修。"
    )
    reply = submitted_reply(message, d.operator, text=wording.text, wording_id=wording.pk)
    assert reply.state == ReplyState.SUBMITTED and reply.wording_text == wording.text
    assert list(approvals_waiting(user=d.leader)) == [reply]
    assert (
        Notification.objects.filter(recipient=d.leader, verb="reply.submitted").exists() is False
    )  # on commit
    services.reply_approve(actor=d.leader, reply_id=reply.pk)
    operation = OutboxOperation.objects.get(subject_type="inbox.reply", subject_id=str(reply.pk))
    assert operation.kind == "reply" and operation.payload == {
        "interaction_id": message.external_id,
        "text": wording.text,
    }
    reply = run_outbox(reply)
    assert reply.state == ReplyState.PUBLISHED and reply.approved_by == d.leader
    official = LocalComment.objects.get(pk=int(reply.external_id[1:]))
    assert official.parent_id == int(message.external_id[1:]) and official.text == wording.text
    assert official.official_account == d.street01_account
    message.refresh_from_db()
    assert (
        message.state == MessageState.ANSWERED and message.first_response_at == reply.published_at
    )
    assert message.next_due_at == message.resolve_due_at  # the resolution clock runs now
    assert message.followup_due_at is not None  # facts fast: a follow-up is expected
    verbs = list(
        Event.objects.filter(object_type="inbox.reply")
        .order_by("seq")
        .values_list("verb", flat=True)
    )
    assert verbs == ["reply.created", "reply.submitted", "reply.approved", "reply.published"]


def test_a_follow_up_is_threaded_under_the_same_comment_and_can_close_the_matter(
    inbox: Inbox, message: Message
) -> None:
    d = inbox.district
    first = published_reply(message, d.operator, d.leader, text="您好，工作人员已到现场核实。")
    second = published_reply(
        message, d.operator, d.leader, text="路灯已修复，感谢您的反映。", closes=True
    )
    parents = LocalComment.objects.filter(
        pk__in=[int(first.external_id[1:]), int(second.external_id[1:])]
    )
    assert {c.parent_id for c in parents} == {int(message.external_id[1:])}
    message.refresh_from_db()
    assert message.state == MessageState.CLOSED and message.resolved_at == second.published_at
    assert message.next_due_at is None and message.followup_due_at is None


def test_a_reply_to_a_private_message_is_an_answer_in_its_thread(inbox: Inbox) -> None:
    d = inbox.district
    written = inbox.message(d.street01_account, "东城街道的路灯什么时候修？")
    inbox.sync(d.street01_account)
    message = Message.objects.get(external_id=f"m{written.pk}")
    reply = published_reply(message, d.operator, d.leader, text="本周内修复。")
    answer = LocalMessage.objects.get(pk=int(reply.external_id[1:]))
    assert answer.parent_id == written.pk and answer.official_account == d.street01_account


@pytest.mark.parametrize("who", ["operator", "charge", "neighbour", "office_admin", "env_leader"])
def test_only_the_responsible_units_principal_leader_approves(
    inbox: Inbox, message: Message, who: str
) -> None:
    d = inbox.district
    reply = submitted_reply(message, d.operator)
    actor = inbox.env_leader if who == "env_leader" else getattr(d, who)
    with pytest.raises((NotAllowed, NotFound)):
        services.reply_approve(actor=actor, reply_id=reply.pk)
    assert Reply.objects.get(pk=reply.pk).state == ReplyState.SUBMITTED
    assert not OutboxOperation.objects.exists()


def test_the_office_approves_the_main_accounts_replies_that_stay_with_its_unit(
    inbox: Inbox,
) -> None:
    d = inbox.district
    message = inbox.arrive(d.main_account, "有个事情想反映一下。")
    news = d.main_account.unit
    services.message_route(actor=d.office_admin, message_id=message.pk, unit_id=news.pk)
    reply = submitted_reply(message, d.office_admin)
    services.reply_approve(actor=d.office_admin, reply_id=reply.pk)
    assert run_outbox(reply).state == ReplyState.PUBLISHED


def test_a_routed_message_is_approved_by_the_new_units_leader_and_published_by_the_account_it_reached(
    inbox: Inbox,
) -> None:
    d = inbox.district
    message = inbox.arrive(
        d.main_account, "化工厂偷排废水，河道污染严重，臭味刺鼻，请环保部门查处！"
    )
    assert message.unit == inbox.environment
    reply = submitted_reply(message, inbox.env_operator)
    with pytest.raises(NotAllowed):
        services.reply_approve(actor=d.office_admin, reply_id=reply.pk)
    services.reply_approve(actor=inbox.env_leader, reply_id=reply.pk)
    reply = run_outbox(reply)
    assert (
        LocalComment.objects.get(pk=int(reply.external_id[1:])).official_account == d.main_account
    )


def test_the_content_check_is_the_posts_and_travels_with_the_submission(
    inbox: Inbox, message: Message
) -> None:
    d = inbox.district
    ContentRule.objects.create(kind="banned", phrase="农民工", suggestion="进城务工人员")
    reply = submitted_reply(message, d.operator, text="您好，我们已联系农民工所在单位。")
    review = reply.reviews.get()
    assert [hit["term"] for hit in review.check_hits] == ["农民工"]
    assert "进城务工人员" in review.check_hits[0]["suggestion"]


def test_a_returned_reply_needs_a_comment_and_goes_back_to_its_author(
    inbox: Inbox, message: Message
) -> None:
    d = inbox.district
    reply = submitted_reply(message, d.operator)
    with pytest.raises(ValidationFailed):
        services.reply_return(actor=d.leader, reply_id=reply.pk, comment=" ")
    services.reply_return(actor=d.leader, reply_id=reply.pk, comment="请写明维修时间。")
    reply.refresh_from_db()
    assert reply.state == ReplyState.RETURNED
    assert reply.reviews.get().decision == "returned"
    services.reply_update(actor=d.operator, reply_id=reply.pk, text="您好，明天上午修复。")
    reply.refresh_from_db()
    assert reply.state == ReplyState.DRAFT and reply.version == 2


def test_editing_a_submitted_reply_withdraws_it_and_an_old_version_cannot_be_approved(
    inbox: Inbox, message: Message
) -> None:
    d = inbox.district
    reply = submitted_reply(message, d.operator)
    services.reply_update(actor=d.operator, reply_id=reply.pk, text="改过的答复。")
    with pytest.raises(InvalidTransition):
        services.reply_approve(actor=d.leader, reply_id=reply.pk, version=1)
    services.reply_submit(actor=d.operator, reply_id=reply.pk)
    with pytest.raises(InvalidTransition):
        services.reply_approve(actor=d.leader, reply_id=reply.pk, version=1)
    services.reply_approve(actor=d.leader, reply_id=reply.pk, version=2)
    assert Reply.objects.get(pk=reply.pk).approved_text == "改过的答复。"


def test_a_reply_too_long_for_a_comment_is_refused(inbox: Inbox, message: Message) -> None:
    with pytest.raises(ValidationFailed) as refused:
        draft_reply(message, inbox.district.operator, text="长" * 501)
    assert "500" in refused.value.errors["text"]


def test_a_failed_publication_is_kept_with_the_platforms_words_and_can_be_retried(
    inbox: Inbox, message: Message, monkeypatch: pytest.MonkeyPatch
) -> None:
    d = inbox.district
    from govmatrix.platforms.local import services as local

    comment = LocalComment.objects.get(pk=int(message.external_id[1:]))
    local.interaction_moderate(
        account=d.street01_account, interaction_id=message.external_id, action="hide", reason="测试"
    )
    reply = submitted_reply(message, d.operator)
    services.reply_approve(actor=d.leader, reply_id=reply.pk)
    reply = run_outbox(reply)
    assert reply.state == ReplyState.FAILED and "隐藏" in reply.failure_message
    assert Message.objects.get(pk=message.pk).first_response_at is None
    LocalComment.objects.filter(pk=comment.pk).update(state="visible")
    services.reply_retry(actor=d.operator, reply_id=reply.pk)
    assert run_outbox(reply).state == ReplyState.PUBLISHED


def test_time_waiting_for_the_leader_is_shown_apart_from_time_waiting_for_staff(
    inbox: Inbox, time_machine: Any
) -> None:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    d = inbox.district
    zone = ZoneInfo("Asia/Shanghai")
    time_machine.move_to(datetime(2026, 11, 23, 9, 0, tzinfo=zone), tick=False)  # a Monday
    message = inbox.arrive(d.street01_account, "东城路的井盖松了，请尽快处理。")
    time_machine.move_to(datetime(2026, 11, 23, 10, 0, tzinfo=zone), tick=False)
    reply = submitted_reply(message, d.operator)
    time_machine.move_to(datetime(2026, 11, 23, 11, 30, tzinfo=zone), tick=False)
    services.reply_approve(actor=d.leader, reply_id=reply.pk)
    run_outbox(reply)
    message.refresh_from_db()
    waited = waiting_of(message)
    assert waited.total is not None and waited.total.total_seconds() == 2.5 * 3600
    assert waited.leader is not None and waited.leader.total_seconds() == 1.5 * 3600
    assert waited.staff is not None and waited.staff.total_seconds() == 3600
