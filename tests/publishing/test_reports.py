"""Every published post is reported to the office at once (R3.2); the office reviews them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import transaction
from django.test import Client

from govmatrix.audit.models import Event
from govmatrix.core.errors import InvalidTransition, NotAllowed, NotFound, ValidationFailed
from govmatrix.notifications.models import Notification
from govmatrix.publishing import services
from govmatrix.publishing.models import PostStatus, ReportItem, ReportNote
from govmatrix.publishing.selectors.reports import (
    ReportFilter,
    items_to_review,
    overdue_items,
    report_item_list,
)
from tests.conftest import District
from tests.publishing.conftest import FakeConnector
from tests.publishing.flow import approved, reload

SHANGHAI = ZoneInfo("Asia/Shanghai")
Capture = Callable[..., Any]


def publish(district: District, capture: Capture, **kwargs: Any) -> ReportItem:
    with capture(execute=True):
        post = approved(district, **kwargs)
    assert reload(post).status == PostStatus.PUBLISHED
    return ReportItem.objects.get(post=post)


def test_the_report_item_is_made_in_the_same_transaction_as_the_publication(
    district: District, platform: FakeConnector, django_capture_on_commit_callbacks: Capture
) -> None:
    item = publish(district, django_capture_on_commit_callbacks)
    published = Event.objects.get(verb="post.published", object_id=str(item.post_id))
    created = Event.objects.get(verb="report_item.created", object_id=str(item.pk))
    assert created.seq == published.seq + 1  # written together, in one transaction
    assert item.unit == district.street01 and item.state == "new" and item.reported_at is not None
    assert item.review_due_at is None  # only important items have a deadline


def test_a_failed_publication_reports_nothing_and_a_rolled_back_one_neither(
    district: District, platform: FakeConnector
) -> None:
    from govmatrix.platforms.models import OutboxOperation
    from govmatrix.publishing.services.publishing import post_publish_succeeded

    post = approved(district)
    services.post_publish(post_id=post.pk)
    operation = OutboxOperation.objects.get(subject_id=str(post.pk))
    operation.result = {"id": "x", "url": "http://fake.example/x"}
    with pytest.raises(RuntimeError), transaction.atomic():
        post_publish_succeeded(operation)
        raise RuntimeError("the outbox's transaction fails after the handler")
    assert reload(post).status == PostStatus.PUBLISHING
    assert not ReportItem.objects.exists()


def test_an_important_item_is_due_within_the_offices_working_hours_and_shows_when_overdue(
    district: District, platform: FakeConnector, django_capture_on_commit_callbacks: Capture
) -> None:
    services.publishing_settings_update(actor=district.office_admin, important_review_hours=2)
    # Tuesday 10 March 2026, 16:30: two working hours run to 9:30 next morning (office hours
    # end at 17:30 and start at 8:30).
    with time_machine.travel(datetime(2026, 3, 10, 16, 30, tzinfo=SHANGHAI), tick=False):
        item = publish(district, django_capture_on_commit_callbacks, important=True)
        assert item.review_due_at == datetime(2026, 3, 11, 9, 30, tzinfo=SHANGHAI)
        assert services.report_items_notify_overdue() == 0
        assert list(overdue_items(user=district.office_admin)) == []
    with time_machine.travel(datetime(2026, 3, 11, 9, 45, tzinfo=SHANGHAI), tick=False):
        assert list(overdue_items(user=district.office_admin)) == [item]
        with django_capture_on_commit_callbacks(execute=True):
            assert services.report_items_notify_overdue() == 1
            assert services.report_items_notify_overdue() == 0  # told once
        assert (
            Notification.objects.filter(
                recipient=district.office_admin, verb="report_item.overdue"
            ).count()
            == 1
        )
        client = Client()
        client.force_login(district.office_admin)
        dashboard = client.get("/").content.decode()
        assert 'data-testid="overdue-count">1<' in dashboard
        assert "重要报送已超过审阅时限" in dashboard  # the to-do item
        queue = client.get("/publishing/reports/?overdue=1").content.decode()
        assert "已超时 15 分钟" in queue
        services.report_item_acknowledge(actor=district.office_admin, item_id=item.pk)
        assert list(overdue_items(user=district.office_admin)) == []


def test_the_office_is_told_of_every_new_item(
    district: District, platform: FakeConnector, django_capture_on_commit_callbacks: Capture
) -> None:
    publish(district, django_capture_on_commit_callbacks, important=True)
    note = Notification.objects.get(recipient=district.office_admin, verb="report_item.created")
    assert note.text.startswith("【重要】东城街道报送")


def test_the_office_asks_for_a_correction_and_the_unit_answers(
    district: District, platform: FakeConnector, django_capture_on_commit_callbacks: Capture
) -> None:
    item = publish(district, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        services.report_item_request_correction(
            actor=district.office_admin, item_id=item.pk, text="活动日期写错了"
        )
    assert Notification.objects.filter(
        recipient=district.operator, verb="report_item.correction_requested"
    ).exists()
    client = Client()
    client.force_login(district.operator)
    assert "活动日期写错了" in client.get(f"/publishing/reports/{item.pk}/").content.decode()
    with pytest.raises(NotFound):  # another street does not see the item at all
        services.report_item_respond(actor=district.neighbour, item_id=item.pk, text="不是我们")
    with pytest.raises(NotAllowed):
        services.report_item_respond(actor=district.office_admin, item_id=item.pk, text="代为答复")
    with pytest.raises(ValidationFailed):
        services.report_item_respond(actor=district.operator, item_id=item.pk, text="")
    with django_capture_on_commit_callbacks(execute=True):
        services.report_item_respond(actor=district.operator, item_id=item.pk, text="已发布更正")
    item.refresh_from_db()
    assert item.state == "correction_answered" and item.reviewed_by == district.office_admin
    assert Notification.objects.filter(
        recipient=district.office_admin, verb="report_item.correction_answered"
    ).exists()
    assert list(items_to_review(user=district.office_admin)) == [item]
    assert list(ReportNote.objects.filter(item=item).values_list("kind", flat=True)) == [
        "correction_request",
        "correction_response",
    ]


def test_only_the_office_reviews_and_a_unit_cannot_acknowledge_its_own_item(
    district: District, platform: FakeConnector, django_capture_on_commit_callbacks: Capture
) -> None:
    item = publish(district, django_capture_on_commit_callbacks)
    for who in (district.leader, district.operator, district.office_inspector):
        with pytest.raises(NotAllowed):
            services.report_item_acknowledge(actor=who, item_id=item.pk)
    services.report_item_comment(actor=district.operator, item_id=item.pk, text="请指导")
    services.report_item_acknowledge(actor=district.office_admin, item_id=item.pk, comment="好")
    with pytest.raises(InvalidTransition):
        services.report_item_acknowledge(actor=district.office_admin, item_id=item.pk)


def test_a_repost_can_be_proposed_once_and_not_for_the_main_accounts_own_post(
    district: District, platform: FakeConnector, django_capture_on_commit_callbacks: Capture
) -> None:
    item = publish(district, django_capture_on_commit_callbacks)
    services.report_item_propose_repost(actor=district.office_admin, item_id=item.pk)
    with pytest.raises(InvalidTransition):
        services.report_item_propose_repost(actor=district.office_admin, item_id=item.pk)
    own = publish(
        district,
        django_capture_on_commit_callbacks,
        author=district.office_admin,
        account=district.main_account,
    )
    with pytest.raises(InvalidTransition):
        services.report_item_propose_repost(actor=district.office_admin, item_id=own.pk)


def test_the_queue_filters_by_unit_topic_and_importance_and_a_unit_sees_only_its_own(
    district: District,
    platform: FakeConnector,
    west_leader: Any,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    from govmatrix.publishing.models import Topic

    health = Topic.objects.get(code="healthcare")
    east = publish(
        district, django_capture_on_commit_callbacks, important=True, topic_ids=[health.pk]
    )
    west = publish(
        district,
        django_capture_on_commit_callbacks,
        author=district.neighbour,
        account=district.street02_account,
    )
    office = district.office_admin
    assert set(report_item_list(user=office)) == {east, west}
    assert list(
        report_item_list(user=office, filters=ReportFilter(unit_id=district.street02.pk))
    ) == [west]
    assert list(report_item_list(user=office, filters=ReportFilter(topic_id=health.pk))) == [east]
    assert list(report_item_list(user=office, filters=ReportFilter(important=True))) == [east]
    assert list(report_item_list(user=district.operator)) == [east]
    client = Client()
    client.force_login(office)
    export = client.get("/publishing/reports/?export=xlsx")
    assert export.status_code == 200 and export["Content-Type"].startswith(
        "application/vnd.openxml"
    )
