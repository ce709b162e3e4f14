"""A post on a platform without a write API: the outbox hands it to a person, who posts it and
pastes the link back; GovMatrix reads the page and finishes the publication — or shows the
difference, or asks the operator to confirm a page it cannot read."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from govmatrix.audit.models import Event
from govmatrix.core.errors import InvalidTransition, NotAllowed, NotFound, ValidationFailed
from govmatrix.notifications.models import Notification
from govmatrix.platforms import services as outbox
from govmatrix.platforms.manual import services
from govmatrix.platforms.manual.models import CheckOutcome, Completion, ManualTask, TaskState
from govmatrix.platforms.models import OutboxOperation, OutboxState
from govmatrix.publishing import services as publishing
from govmatrix.publishing.models import Post, PostStatus, ReportItem
from tests.conftest import District
from tests.platforms.manual.conftest import TEXT, Pages

Waiting = Callable[..., tuple[Post, ManualTask]]
pytestmark = pytest.mark.usefixtures("loopback")


def _verbs(obj: Any) -> list[str]:
    return list(
        Event.objects.filter(
            object_type=f"{obj._meta.app_label}.{obj._meta.model_name}", object_id=str(obj.pk)
        )
        .order_by("seq")
        .values_list("verb", flat=True)
    )


def _reload(task: ManualTask) -> ManualTask:
    return ManualTask.objects.select_related("operation").get(pk=task.pk)


# --- the task ------------------------------------------------------------------------------------
def test_an_approved_post_becomes_a_task_and_its_platform_call_waits(
    district: District, waiting: Waiting
) -> None:
    post, task = waiting()
    assert post.status == PostStatus.PUBLISHING
    assert (task.state, task.kind, task.text) == (TaskState.OPEN, "publish", TEXT)
    assert task.account_id == district.street01_account.pk
    operation = task.operation
    assert operation is not None and operation.subject_id == str(post.pk)
    assert operation.state == OutboxState.WAITING
    assert operation.attempts == 1 and operation.lease_until is None
    assert _verbs(operation) == ["outbox.waiting"]
    assert "手工完成" in Event.objects.get(verb="outbox.waiting").note
    assert _verbs(task) == ["manual_task.opened"]
    # The account's operator is told, with a link to the task.
    notice = Notification.objects.get(verb="manual_task.opened")
    assert notice.recipient_id == district.operator.pk
    assert notice.link == f"/manual/{task.pk}/"


def test_a_waiting_call_is_never_retried_swept_or_claimed(waiting: Waiting) -> None:
    _post, task = waiting()
    operation_id = task.operation_id
    assert operation_id is not None
    with time_machine.travel(timezone.now() + timedelta(days=3)):
        assert outbox.outbox_due_ids() == []
        assert outbox.outbox_sweep() == 0
        assert outbox.outbox_execute(operation_id=operation_id) is None
    operation = OutboxOperation.objects.get(pk=operation_id)
    assert (operation.state, operation.attempts) == (OutboxState.WAITING, 1)
    assert ManualTask.objects.count() == 1


def test_the_outbox_refuses_to_complete_or_abandon_a_call_that_is_not_waiting(
    district: District, waiting: Waiting
) -> None:
    _post, task = waiting()
    assert task.operation_id is not None
    OutboxOperation.objects.filter(pk=task.operation_id).update(state=OutboxState.RUNNING)
    with pytest.raises(InvalidTransition):
        outbox.outbox_complete_manually(
            operation_id=task.operation_id, actor=district.operator, result={}
        )
    with pytest.raises(InvalidTransition):
        outbox.outbox_abandon(operation_id=task.operation_id, actor=district.operator, reason="x")


# --- the link: the same text ----------------------------------------------------------------------
def test_a_page_showing_the_approved_text_publishes_the_post_with_its_link(
    district: District, waiting: Waiting, pages: Pages
) -> None:
    post, task = waiting()
    url = pages.article("/s/AbCdEf123", TEXT)
    task = services.manual_task_submit_link(actor=district.operator, task_id=task.pk, url=url)
    assert (task.state, task.completion, task.check_outcome) == (
        TaskState.DONE,
        Completion.VERIFIED,
        CheckOutcome.MATCH,
    )
    assert (
        task.submitted_by_id == district.operator.pk
        and task.completed_by_id == district.operator.pk
    )
    post.refresh_from_db()
    assert post.status == PostStatus.PUBLISHED
    assert post.public_url == url and post.external_id == "AbCdEf123"
    assert ReportItem.objects.filter(post=post).exists()  # reported to the office, as any post
    operation = OutboxOperation.objects.get(pk=task.operation_id)
    assert operation.state == OutboxState.SUCCEEDED
    assert operation.result["url"] == url and operation.result["manual"] == "verified"
    assert _verbs(task) == ["manual_task.opened", "manual_task.verified"]
    assert _verbs(operation) == ["outbox.waiting", "outbox.completed_manually"]
    assert Event.objects.get(verb="manual_task.verified").actor_id == district.operator.pk
    # Done is done.
    with pytest.raises(InvalidTransition):
        services.manual_task_submit_link(actor=district.operator, task_id=task.pk, url=url)


def test_the_comparison_ignores_spaces_widths_line_breaks_and_links(
    district: District, waiting: Waiting, pages: Pages
) -> None:
    text = "东城街道：12月3日停水，详见 https://www.sfq.gov.cn/notice/42 。\n请居民提前储水（ABC 小区除外）！"
    _post, task = waiting(text)
    # The platform shortens the link, widens the Latin letters, breaks the lines differently
    # and writes entities.
    live = (
        "东城街道：12月3日停水，详见 <a href='https://t.cn/A6x'>https://t.cn/A6x</a>。"
        "<br>请居民提前储水&#xff08;ＡＢＣ&nbsp;小区除外&#xff09;！"
    )
    url = pages.add("/s/normalised1", f"<html><body><div>{live}</div></body></html>")
    task = services.manual_task_submit_link(actor=district.operator, task_id=task.pk, url=url)
    assert task.state == TaskState.DONE, task.check_detail


# --- the link: another text -------------------------------------------------------------------------
def test_a_different_text_shows_the_difference_and_does_not_publish(
    district: District, waiting: Waiting, pages: Pages
) -> None:
    post, task = waiting()
    url = pages.article("/s/Wrong12345", TEXT.replace("17:00", "18:00").replace("提前", ""))
    task = services.manual_task_submit_link(actor=district.operator, task_id=task.pk, url=url)
    assert (task.state, task.check_outcome) == (TaskState.MISMATCH, CheckOutcome.MISMATCH)
    assert task.similarity is not None and 0.8 < task.similarity < 1
    assert "18:00" in task.live_text
    post.refresh_from_db()
    assert post.status == PostStatus.PUBLISHING and not post.public_url
    assert OutboxOperation.objects.get(pk=task.operation_id).state == OutboxState.WAITING
    from govmatrix.platforms.manual.selectors import difference

    segments = difference(task)
    assert ("delete", "7") in [(s.op, s.text) for s in segments]
    assert ("insert", "8") in [(s.op, s.text) for s in segments]
    assert ("delete", "提前") in [(s.op, s.text) for s in segments]
    # The office hears of it; the event names the link and how alike it was.
    assert Notification.objects.filter(
        verb="manual_task.mismatch", recipient=district.office_admin
    ).exists()
    event = Event.objects.get(verb="manual_task.mismatch")
    assert event.data["url"] == url and event.to_state == TaskState.MISMATCH


def test_after_a_difference_the_operator_corrects_the_post_and_pastes_a_new_link(
    district: District, waiting: Waiting, pages: Pages
) -> None:
    post, task = waiting()
    wrong = pages.article("/s/Wrong12345", TEXT.replace("停水", "停电"))
    services.manual_task_submit_link(actor=district.operator, task_id=task.pk, url=wrong)
    right = pages.article("/s/Right12345", TEXT)
    task = services.manual_task_submit_link(actor=district.operator, task_id=task.pk, url=right)
    assert task.state == TaskState.DONE and task.url == right
    post.refresh_from_db()
    assert post.status == PostStatus.PUBLISHED and post.public_url == right


def test_a_page_without_any_of_the_text_is_a_difference_with_nothing_alike(
    district: District, waiting: Waiting, pages: Pages
) -> None:
    _post, task = waiting()
    url = pages.article("/s/Another999", "区教育局发布2027年招生政策解读，请家长关注。")
    task = services.manual_task_submit_link(actor=district.operator, task_id=task.pk, url=url)
    assert task.state == TaskState.MISMATCH
    assert task.similarity is not None and task.similarity < 0.3


def test_only_the_office_accepts_a_difference_and_only_with_a_reason(
    district: District, waiting: Waiting, pages: Pages
) -> None:
    post, task = waiting()
    url = pages.article("/s/Punct12345", TEXT.replace("，", "。"))
    services.manual_task_submit_link(actor=district.operator, task_id=task.pk, url=url)
    for unit_person in (district.operator, district.leader):
        with pytest.raises(NotAllowed):
            services.manual_task_override(actor=unit_person, task_id=task.pk, reason="标点不同")
    with pytest.raises(ValidationFailed) as refused:
        services.manual_task_override(actor=district.office_admin, task_id=task.pk, reason=" ")
    assert "reason" in refused.value.errors
    task = services.manual_task_override(
        actor=district.office_admin, task_id=task.pk, reason="平台自动改了标点，意思不变。"
    )
    assert (task.state, task.completion) == (TaskState.DONE, Completion.OVERRIDDEN)
    assert task.completed_by_id == district.office_admin.pk
    post.refresh_from_db()
    assert post.status == PostStatus.PUBLISHED and post.public_url == url
    event = Event.objects.get(verb="manual_task.overridden")
    assert event.actor_id == district.office_admin.pk
    assert event.note == "平台自动改了标点，意思不变。"
    assert event.data["outcome"] == "mismatch"


# --- the link: a page that cannot be read ------------------------------------------------------------
@pytest.mark.parametrize(
    ("route", "why"),
    [
        ({"status": 404, "body": "<p>此内容因违规无法查看</p>"}, "HTTP 404"),
        ({"content_type": "image/png", "body": b"\x89PNG"}, "不是网页"),
        ({"body": "<html><body><script>render()</script></body></html>"}, "没有可读的文字"),
    ],
)
def test_a_page_that_cannot_be_read_waits_for_the_operators_confirmation(
    district: District, waiting: Waiting, pages: Pages, route: dict[str, Any], why: str
) -> None:
    post, task = waiting()
    url = pages.add("/s/Unreadable1", **route)
    task = services.manual_task_submit_link(actor=district.operator, task_id=task.pk, url=url)
    assert (task.state, task.check_outcome) == (TaskState.UNVERIFIED, CheckOutcome.UNREADABLE)
    assert why in task.check_detail
    post.refresh_from_db()
    assert post.status == PostStatus.PUBLISHING
    task = services.manual_task_confirm(
        actor=district.operator, task_id=task.pk, note="已用手机逐字核对。"
    )
    assert (task.state, task.completion) == (TaskState.DONE, Completion.CONFIRMED)
    post.refresh_from_db()
    assert post.status == PostStatus.PUBLISHED and post.public_url == url
    # Recorded: who, when, and why the system could not check it.
    event = Event.objects.get(verb="manual_task.confirmed")
    assert event.actor_id == district.operator.pk and event.created_at is not None
    assert why in event.note and why in event.data["unreadable_because"]
    assert event.data["note"] == "已用手机逐字核对。"


def test_a_page_that_does_not_answer_in_time_is_unreadable(
    district: District, waiting: Waiting, pages: Pages, settings: Any
) -> None:
    settings.MANUAL_FETCH_TIMEOUT_SECONDS = 0.3
    _post, task = waiting()
    url = pages.article("/s/Slow123456", TEXT)
    pages.delay = 1.0
    task = services.manual_task_submit_link(actor=district.operator, task_id=task.pk, url=url)
    assert task.state == TaskState.UNVERIFIED and "秒内没有响应" in task.check_detail


def test_confirming_needs_an_unreadable_page(
    district: District, waiting: Waiting, pages: Pages
) -> None:
    _post, task = waiting()
    with pytest.raises(InvalidTransition):  # nothing pasted yet
        services.manual_task_confirm(actor=district.operator, task_id=task.pk)
    url = pages.article("/s/Mismatch99", "完全不同的一段话，内容与审定文本无关。")
    services.manual_task_submit_link(actor=district.operator, task_id=task.pk, url=url)
    with pytest.raises(InvalidTransition):  # a difference is the office's call, not the operator's
        services.manual_task_confirm(actor=district.operator, task_id=task.pk)


# --- giving up ------------------------------------------------------------------------------------
def test_giving_up_fails_the_post_with_the_reason_and_a_retry_opens_a_new_task(
    district: District, waiting: Waiting, django_capture_on_commit_callbacks: Any
) -> None:
    post, task = waiting()
    with pytest.raises(ValidationFailed):
        services.manual_task_abandon(actor=district.operator, task_id=task.pk, reason="")
    task = services.manual_task_abandon(
        actor=district.operator, task_id=task.pk, reason="公众号本月群发次数已用完"
    )
    assert task.state == TaskState.ABANDONED
    operation = OutboxOperation.objects.get(pk=task.operation_id)
    assert (operation.state, operation.last_error_code) == (OutboxState.FAILED, "abandoned")
    post.refresh_from_db()
    assert post.status == PostStatus.FAILED
    assert "公众号本月群发次数已用完" in post.failure_message
    assert _verbs(task) == ["manual_task.opened", "manual_task.abandoned"]
    assert _verbs(operation) == ["outbox.waiting", "outbox.abandoned"]
    with django_capture_on_commit_callbacks(execute=True):
        publishing.post_retry(actor=district.operator, post_id=post.pk)
    tasks = ManualTask.objects.filter(operation__subject_id=str(post.pk)).order_by("pk")
    assert [t.state for t in tasks] == [TaskState.ABANDONED, TaskState.OPEN]
    assert tasks[1].idempotency_key.endswith(":r2")


# --- who may ----------------------------------------------------------------------------------------
def test_the_units_editors_work_a_task_others_cannot_see_or_change_it(
    district: District, waiting: Waiting, pages: Pages
) -> None:
    _post, task = waiting()
    url = pages.article("/s/Perm123456", TEXT)
    for stranger in (district.neighbour, district.outsider):
        with pytest.raises(NotFound):
            services.manual_task_submit_link(actor=stranger, task_id=task.pk, url=url)
    for reader in (district.inspector, district.office_inspector):
        with pytest.raises(NotAllowed):
            services.manual_task_submit_link(actor=reader, task_id=task.pk, url=url)
        with pytest.raises(NotAllowed):
            services.manual_task_abandon(actor=reader, task_id=task.pk, reason="x")
    assert pages.hosts == []  # nothing was fetched for anyone who may not
    task = services.manual_task_submit_link(actor=district.charge, task_id=task.pk, url=url)
    assert task.state == TaskState.DONE


def test_the_office_may_complete_any_units_task(
    district: District, waiting: Waiting, pages: Pages
) -> None:
    _post, task = waiting()
    url = pages.article("/s/Office1234", TEXT)
    task = services.manual_task_submit_link(actor=district.office_admin, task_id=task.pk, url=url)
    assert task.state == TaskState.DONE
