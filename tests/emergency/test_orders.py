"""Repost orders: one click reposts through the connector with the approved comment and the
platform's id and link as proof; a link given by hand where no connector can repost; the
office's exemptions with a reason; every allowed and refused move."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from govmatrix.audit.context import current_ip
from govmatrix.audit.models import Event
from govmatrix.core.errors import InvalidTransition, NotAllowed, NotFound, ValidationFailed
from govmatrix.emergency import services
from govmatrix.emergency.models import RepostOrder
from govmatrix.matrix.models import Account
from govmatrix.notifications.models import Notification
from govmatrix.platforms.base import ContentRejected, PlatformDown
from govmatrix.platforms.models import OutboxOperation, OutboxState
from govmatrix.platforms.services import outbox_sweep
from tests.conftest import District
from tests.emergency.flow import COMMENT, declare, order_of, published
from tests.publishing.conftest import FakeConnector

Capture = Any


@pytest.fixture
def statement(
    district: District,
    platform: FakeConnector,
    commander: Any,
    django_capture_on_commit_callbacks: Capture,
) -> Any:
    incident = declare(district, commander, unit_ids=[district.street01.pk])
    return published(district, incident, commander, django_capture_on_commit_callbacks)


def _repost(district: District, order: RepostOrder, capture: Capture, actor: Any = None) -> Any:
    with capture(execute=True):
        services.repost_order_repost(actor=actor or district.operator, order_id=order.pk)
    order.refresh_from_db()
    return order


def test_one_click_reposts_with_the_approved_comment_and_keeps_the_platforms_proof(
    district: District,
    platform: FakeConnector,
    statement: Any,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    order = order_of(statement, district.street01_account)
    token = current_ip.set("10.1.2.3")
    try:
        order = _repost(district, order, django_capture_on_commit_callbacks)
    finally:
        current_ip.reset(token)
    call = platform.published[-1]
    assert call["handle"] == "sfq_street01" and call["text"] == COMMENT
    assert call["repost_of"] == statement.post.external_id
    assert order.state == "reposted" and order.proof == "connector"
    assert order.repost_external_id == "fake-2" and order.repost_url.endswith("/sfq_street01/2")
    assert order.latency_seconds == int(
        (order.reposted_at - statement.published_at).total_seconds()
    )
    assert order.requested_by == district.operator and order.requested_at is None
    operation = OutboxOperation.objects.get(subject_type="emergency.repostorder")
    assert operation.kind == "repost" and operation.operator_ip == "10.1.2.3"
    assert operation.idempotency_key == f"emergency.repostorder:{order.pk}:a1"
    verbs = list(
        Event.objects.filter(object_type="emergency.repostorder")
        .order_by("seq")
        .values_list("verb", flat=True)
    )
    assert verbs == ["repost_order.requested", "repost_order.reposted"]
    moved = Event.objects.get(verb="repost_order.reposted")
    assert (moved.from_state, moved.to_state) == ("open", "reposted")


def test_a_reposted_order_cannot_be_reposted_exempted_or_recorded_again(
    district: District, statement: Any, django_capture_on_commit_callbacks: Capture
) -> None:
    order = _repost(
        district, order_of(statement, district.street01_account), django_capture_on_commit_callbacks
    )
    for refused in (
        lambda: services.repost_order_repost(actor=district.operator, order_id=order.pk),
        lambda: services.repost_order_exempt(
            actor=district.office_admin, order_id=order.pk, reason="不需要"
        ),
        lambda: services.repost_order_record(
            actor=district.operator, order_id=order.pk, url="https://weibo.com/1/2"
        ),
        lambda: services.repost_order_reopen(actor=district.office_admin, order_id=order.pk),
    ):
        with pytest.raises(InvalidTransition):
            refused()
    assert RepostOrder.objects.get(pk=order.pk).state == "reposted"
    assert services.ORDER_TRANSITIONS["reposted"] == set()


def test_a_repost_on_its_way_cannot_be_started_twice_or_exempted(
    district: District, statement: Any
) -> None:
    order = order_of(statement, district.street01_account)
    services.repost_order_repost(actor=district.operator, order_id=order.pk)  # not run yet
    order.refresh_from_db()
    assert order.in_flight
    with pytest.raises(InvalidTransition) as refused:
        services.repost_order_repost(actor=district.operator, order_id=order.pk)
    assert "正在进行" in refused.value.message
    with pytest.raises(InvalidTransition):
        services.repost_order_exempt(actor=district.office_admin, order_id=order.pk, reason="x")
    assert OutboxOperation.objects.filter(subject_type="emergency.repostorder").count() == 1


@pytest.mark.parametrize("who", ["inspector", "office_inspector"])
def test_readers_may_not_repost(district: District, statement: Any, who: str) -> None:
    order = order_of(statement, district.street01_account)
    with pytest.raises(NotAllowed):
        services.repost_order_repost(actor=getattr(district, who), order_id=order.pk)


def test_another_units_operator_is_told_the_order_does_not_exist(
    district: District, statement: Any
) -> None:
    order = order_of(statement, district.street01_account)
    with pytest.raises(NotFound):
        services.repost_order_repost(actor=district.neighbour, order_id=order.pk)
    assert not RepostOrder.objects.filter(pk=order.pk, attempts__gt=0).exists()


def test_the_office_may_repost_for_any_unit(
    district: District, statement: Any, django_capture_on_commit_callbacks: Capture
) -> None:
    order = _repost(
        district,
        order_of(statement, district.street02_account),
        django_capture_on_commit_callbacks,
        actor=district.office_admin,
    )
    assert order.state == "reposted"


def test_a_platform_refusal_leaves_the_order_open_with_the_platforms_words(
    district: District,
    platform: FakeConnector,
    statement: Any,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    platform.fail_with.append(ContentRejected("转发内容违规", platform="fake"))
    order = _repost(
        district, order_of(statement, district.street01_account), django_capture_on_commit_callbacks
    )
    assert order.state == "open" and not order.in_flight
    assert order.last_error == "转发内容违规"
    assert Notification.objects.filter(recipient=district.operator, verb="repost_order.failed")
    order = _repost(district, order, django_capture_on_commit_callbacks)  # a second attempt
    assert order.state == "reposted" and order.attempts == 2


def test_a_platform_that_is_down_is_retried_and_the_order_stays_in_flight(
    district: District,
    platform: FakeConnector,
    statement: Any,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    platform.fail_with.append(PlatformDown("服务暂时不可用", platform="fake"))
    order = _repost(
        district, order_of(statement, district.street01_account), django_capture_on_commit_callbacks
    )
    assert order.in_flight and order.last_error == "服务暂时不可用"
    OutboxOperation.objects.update(next_attempt_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        outbox_sweep()
    order.refresh_from_db()
    assert order.state == "reposted"
    operation = OutboxOperation.objects.get(subject_type="emergency.repostorder")
    assert operation.state == OutboxState.SUCCEEDED and operation.attempts == 2


def test_an_account_on_another_platform_records_its_repost_by_hand(
    district: District, statement: Any
) -> None:
    Account.objects.filter(pk=district.street01_account.pk).update(platform="wechat")
    order = order_of(statement, district.street01_account)
    with pytest.raises(InvalidTransition) as refused:
        services.repost_order_repost(actor=district.operator, order_id=order.pk)
    assert "回填链接" in refused.value.message
    at = statement.published_at + timedelta(minutes=7)
    with time_machine.travel(at + timedelta(minutes=3)):
        services.repost_order_record(
            actor=district.operator,
            order_id=order.pk,
            url="https://mp.weixin.qq.com/s/abc",
            reposted_at=at,
        )
    order.refresh_from_db()
    assert order.latency_seconds == 7 * 60
    assert order.state == "reposted" and order.proof == "manual" and order.reposted_at == at
    assert order.recorded_by == district.operator


def test_a_hand_recorded_repost_needs_a_link_and_a_believable_time(
    district: District, statement: Any
) -> None:
    order = order_of(statement, district.street01_account)
    with pytest.raises(ValidationFailed):
        services.repost_order_record(actor=district.operator, order_id=order.pk, url="weibo")
    for when in (
        statement.published_at - timedelta(minutes=1),
        timezone.now() + timedelta(hours=1),
    ):
        with pytest.raises(ValidationFailed):
            services.repost_order_record(
                actor=district.operator, order_id=order.pk, url="https://x.cn/1", reposted_at=when
            )
    assert RepostOrder.objects.get(pk=order.pk).state == "open"


def test_the_office_exempts_with_a_reason_and_can_take_the_exemption_back(
    district: District, statement: Any
) -> None:
    order = order_of(statement, district.street01_account)
    with pytest.raises(ValidationFailed):
        services.repost_order_exempt(actor=district.office_admin, order_id=order.pk, reason=" ")
    with pytest.raises(NotAllowed):
        services.repost_order_exempt(actor=district.leader, order_id=order.pk, reason="账号整改中")
    services.repost_order_exempt(
        actor=district.office_admin, order_id=order.pk, reason="账号整改中"
    )
    order.refresh_from_db()
    assert order.state == "exempted" and order.exemption_reason == "账号整改中"
    with pytest.raises(InvalidTransition):  # an exempted order is not reposted by hand
        services.repost_order_record(
            actor=district.operator, order_id=order.pk, url="https://x.cn/1"
        )
    with pytest.raises(InvalidTransition):
        services.repost_order_repost(actor=district.operator, order_id=order.pk)
    with pytest.raises(NotAllowed):
        services.repost_order_reopen(actor=district.operator, order_id=order.pk)
    services.repost_order_reopen(actor=district.office_admin, order_id=order.pk)
    order.refresh_from_db()
    assert order.state == "open" and order.exemption_reason == ""
    event = Event.objects.get(verb="repost_order.reopened")
    assert event.data["exemption_reason"] == "账号整改中"


def test_an_open_order_cannot_be_reopened(district: District, statement: Any) -> None:
    order = order_of(statement, district.street01_account)
    with pytest.raises(InvalidTransition):
        services.repost_order_reopen(actor=district.office_admin, order_id=order.pk)
