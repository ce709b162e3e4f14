"""Approved posts go out through the outbox: on time, once, and with the platform's own words
when they fail; the office's switch holds them all."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from govmatrix.audit.context import current_ip
from govmatrix.audit.models import Event
from govmatrix.core.errors import InvalidTransition, NotAllowed
from govmatrix.platforms.base import ContentRejected, Duplicate, PlatformDown
from govmatrix.platforms.models import OutboxOperation, OutboxState
from govmatrix.publishing import services
from govmatrix.publishing.models import PostStatus, ReportItem
from tests.conftest import District
from tests.publishing.conftest import FakeConnector
from tests.publishing.flow import approved, reload, submitted

SHANGHAI = ZoneInfo("Asia/Shanghai")
Capture = Callable[..., Any]


def test_an_approved_post_without_a_time_is_published_at_once_through_the_outbox(
    district: District, platform: FakeConnector, django_capture_on_commit_callbacks: Capture
) -> None:
    post = submitted(district)
    token = current_ip.set("10.20.30.40")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.post_approve(actor=district.leader, post_id=post.pk)
    finally:
        current_ip.reset(token)
    post = reload(post)
    assert post.status == PostStatus.PUBLISHED
    assert post.external_id == "fake-1" and post.public_url.endswith("/sfq_street01/1")
    assert [p["text"] for p in platform.published] == [post.text]
    operation = OutboxOperation.objects.get(subject_id=str(post.pk))
    assert operation.kind == "publish" and operation.state == OutboxState.SUCCEEDED
    assert operation.operator_id == district.leader.pk
    assert operation.operator_ip == "10.20.30.40"
    assert operation.idempotency_key == f"publishing.post:{post.pk}:v1:r1"
    verbs = list(
        Event.objects.filter(object_type="publishing.post", object_id=str(post.pk))
        .order_by("seq")
        .values_list("verb", flat=True)
    )
    assert verbs[-4:] == ["post.approved", "post.scheduled", "post.publishing", "post.published"]


def test_a_post_scheduled_for_later_waits_and_goes_out_when_its_time_comes(
    district: District, platform: FakeConnector, django_capture_on_commit_callbacks: Capture
) -> None:
    with time_machine.travel(datetime(2026, 3, 10, 9, 0, tzinfo=SHANGHAI), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            post = approved(district, scheduled_at=datetime(2026, 3, 10, 14, 30, tzinfo=SHANGHAI))
        assert reload(post).status == PostStatus.SCHEDULED
        assert services.posts_publish_due() == 0
    with time_machine.travel(datetime(2026, 3, 10, 14, 31, tzinfo=SHANGHAI), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert services.posts_publish_due() == 1
        assert reload(post).status == PostStatus.PUBLISHED
        assert services.posts_publish_due() == 0
    assert len(platform.published) == 1


def test_claiming_a_due_post_twice_makes_one_platform_call(
    district: District, platform: FakeConnector, django_capture_on_commit_callbacks: Capture
) -> None:
    post = approved(district)  # on-commit callbacks not run: the post waits, scheduled and due
    assert services.post_publish(post_id=post.pk) is True
    assert services.post_publish(post_id=post.pk) is False
    assert services.posts_publish_due() == 0
    assert OutboxOperation.objects.filter(subject_id=str(post.pk)).count() == 1


def test_while_publishing_is_paused_due_posts_wait_and_resuming_publishes_them(
    district: District, platform: FakeConnector, django_capture_on_commit_callbacks: Capture
) -> None:
    services.publishing_pause(actor=district.office_admin, note="突发事件，暂停定时发布")
    with django_capture_on_commit_callbacks(execute=True):
        post = approved(district)
    assert reload(post).status == PostStatus.SCHEDULED
    assert services.posts_publish_due() == 0 and platform.published == []
    response = Client()
    response.force_login(district.operator)
    page = response.get(f"/publishing/{post.pk}/").content.decode()
    assert "正在等待恢复定时发布" in page and 'data-testid="paused-banner"' in page
    with django_capture_on_commit_callbacks(execute=True):
        services.publishing_resume(actor=district.office_admin)
    assert reload(post).status == PostStatus.PUBLISHED
    assert list(
        Event.objects.filter(verb__startswith="publishing.").values_list("verb", flat=True)
    ) == [
        "publishing.resumed",
        "publishing.paused",
    ]


def test_only_the_office_pauses_and_pausing_twice_is_refused(
    district: District, platform: FakeConnector
) -> None:
    with pytest.raises(NotAllowed):
        services.publishing_pause(actor=district.leader)
    services.publishing_pause(actor=district.office_admin)
    with pytest.raises(InvalidTransition):
        services.publishing_pause(actor=district.office_admin)


def test_a_rejected_post_fails_with_the_platforms_words_and_a_retry_publishes_it(
    district: District, platform: FakeConnector, django_capture_on_commit_callbacks: Capture
) -> None:
    platform.fail_with.append(ContentRejected("微博内容含有敏感词，请修改后重试", code="20019"))
    with django_capture_on_commit_callbacks(execute=True):
        post = approved(district)
    post = reload(post)
    assert post.status == PostStatus.FAILED
    assert post.failure_message == "微博内容含有敏感词，请修改后重试"
    with django_capture_on_commit_callbacks(execute=True):
        services.post_retry(actor=district.operator, post_id=post.pk)
    post = reload(post)
    assert post.status == PostStatus.PUBLISHED and post.failure_message == ""
    assert platform.keys == [f"publishing.post:{post.pk}:v1:r1", f"publishing.post:{post.pk}:v1:r2"]


def test_a_platform_that_is_down_leaves_the_post_publishing_with_the_retry_time_shown(
    district: District, platform: FakeConnector, django_capture_on_commit_callbacks: Capture
) -> None:
    platform.fail_with.append(PlatformDown("服务暂不可用 (502)"))
    with time_machine.travel(datetime(2026, 3, 10, 14, 0, 0, tzinfo=SHANGHAI), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            post = approved(district)
        assert reload(post).status == PostStatus.PUBLISHING
        operation = OutboxOperation.objects.get(subject_id=str(post.pk))
        assert operation.state == OutboxState.PENDING
        client = Client()
        client.force_login(district.operator)
        page = client.get(f"/publishing/{post.pk}/").content.decode()
    assert "服务暂不可用 (502)" in page
    assert (
        "将于 14:00 重试" in page or "将于 14:01 重试" in page
    )  # 30 s backoff, shown to the minute


def test_a_duplicate_the_platform_already_holds_counts_as_published(
    district: District, platform: FakeConnector, django_capture_on_commit_callbacks: Capture
) -> None:
    platform.fail_with.append(Duplicate("重复的内容", existing_id="fake-77"))
    with django_capture_on_commit_callbacks(execute=True):
        post = approved(district)
    post = reload(post)
    assert post.status == PostStatus.PUBLISHED and post.external_id == "fake-77"
    assert ReportItem.objects.filter(post=post).count() == 1


def test_the_main_account_reposts_an_item_the_office_proposes(
    district: District, platform: FakeConnector, django_capture_on_commit_callbacks: Capture
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        original = approved(district)
    item = ReportItem.objects.get(post=original)
    repost = services.report_item_propose_repost(actor=district.office_admin, item_id=item.pk)
    assert repost.account == district.main_account and repost.status == PostStatus.DRAFT
    assert repost.repost_of_id == original.pk
    services.post_submit(actor=district.office_admin, post_id=repost.pk)
    with django_capture_on_commit_callbacks(execute=True):
        services.post_approve(actor=district.office_admin, post_id=repost.pk)
    assert reload(repost).status == PostStatus.PUBLISHED
    assert platform.published[-1]["repost_of"] == "fake-1"
    assert OutboxOperation.objects.get(subject_id=str(repost.pk)).kind == "repost"
    item.refresh_from_db()
    assert item.state == "acknowledged" and item.repost_post_id == repost.pk


def test_the_text_must_fit_the_platforms_length_rule(
    district: District, platform: FakeConnector
) -> None:
    from govmatrix.core.errors import ValidationFailed
    from tests.publishing.flow import draft

    with pytest.raises(ValidationFailed) as refused:
        draft(district, text="字" * 141)
    assert "text" in refused.value.errors and "141" in refused.value.errors["text"]
    assert draft(district, text="字" * 140).pk


def test_a_time_in_the_past_is_refused(district: District, platform: FakeConnector) -> None:
    from govmatrix.core.errors import ValidationFailed
    from tests.publishing.flow import draft

    with pytest.raises(ValidationFailed) as refused:
        draft(district, scheduled_at=timezone.now() - timedelta(hours=1))
    assert set(refused.value.errors) == {"scheduled_at"}


def test_a_queue_that_is_down_does_not_fail_the_approval_and_the_periodic_task_publishes(
    district: District,
    platform: FakeConnector,
    django_capture_on_commit_callbacks: Capture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from huey.contrib.djhuey import HUEY

    from govmatrix.publishing import tasks

    def queue_down(post_id: int) -> None:
        raise ConnectionError("redis is down")

    monkeypatch.setattr(tasks, "publish_post", queue_down)
    monkeypatch.setattr(HUEY, "immediate", False)
    with django_capture_on_commit_callbacks(execute=True):
        post = approved(district)
    assert reload(post).status == PostStatus.SCHEDULED
    monkeypatch.setattr(HUEY, "immediate", True)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.posts_publish_due() == 1
    assert reload(post).status == PostStatus.PUBLISHED
