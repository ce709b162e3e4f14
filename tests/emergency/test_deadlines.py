"""Deadlines of repost orders: a reminder to the operators before the deadline, an escalation
to the unit's leaders once it has passed — each once per order, none after the incident ends."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from govmatrix.audit.models import Event
from govmatrix.emergency import services
from govmatrix.emergency.models import RepostOrder
from govmatrix.notifications.models import Notification
from tests.conftest import District
from tests.emergency.flow import declare, order_of, published
from tests.publishing.conftest import FakeConnector

SHANGHAI = ZoneInfo("Asia/Shanghai")
START = datetime(2026, 3, 10, 14, 0, tzinfo=SHANGHAI)
Capture = Any


@pytest.fixture
def statement(
    district: District,
    platform: FakeConnector,
    commander: Any,
    django_capture_on_commit_callbacks: Capture,
) -> Any:
    with time_machine.travel(START, tick=False):
        incident = declare(district, commander)
        return published(district, incident, commander, django_capture_on_commit_callbacks)


def _at(minutes: float) -> Any:
    return time_machine.travel(START + timedelta(minutes=minutes), tick=False)


def test_no_reminder_goes_out_before_the_reminder_window(
    district: District, statement: Any
) -> None:
    with _at(19):
        assert services.repost_orders_remind() == 0
    assert not Notification.objects.filter(verb="repost_order.reminded").exists()


def test_the_operators_are_reminded_once_ten_minutes_before_the_deadline(
    district: District, statement: Any
) -> None:
    with _at(21):
        assert services.repost_orders_remind() == 2
        assert services.repost_orders_remind() == 0
    told = Notification.objects.filter(verb="repost_order.reminded")
    assert {n.recipient for n in told} == {district.operator, district.neighbour}
    assert "即将到期" in told.first().text  # type: ignore[union-attr]
    assert RepostOrder.objects.filter(reminded_at__isnull=False).count() == 2
    event = Event.objects.get(verb="repost_orders.reminded")
    assert event.data["orders"] == 2


def test_a_reposted_or_exempted_order_gets_no_reminder(
    district: District, statement: Any, django_capture_on_commit_callbacks: Capture
) -> None:
    with _at(5), django_capture_on_commit_callbacks(execute=True):
        services.repost_order_repost(
            actor=district.operator, order_id=order_of(statement, district.street01_account).pk
        )
    with _at(6):
        services.repost_order_exempt(
            actor=district.office_admin,
            order_id=order_of(statement, district.street02_account).pk,
            reason="账号停更整改",
        )
    with _at(25):
        assert services.repost_orders_remind() == 0
    with _at(45):
        assert services.repost_orders_escalate() == 0


def test_an_overdue_order_escalates_to_the_units_leaders_once(
    district: District, statement: Any
) -> None:
    with _at(29):
        assert services.repost_orders_escalate() == 0
    with _at(31):
        assert services.repost_orders_escalate() == 2
        assert services.repost_orders_escalate() == 0
    told = Notification.objects.filter(verb="repost_order.escalated")
    assert {n.recipient for n in told} == {district.leader, district.charge}  # street02 has none
    assert "超时未转发" in told.first().text  # type: ignore[union-attr]
    order = order_of(statement, district.street01_account)
    assert order.escalated_at == START + timedelta(minutes=31)


def test_an_incident_that_has_ended_sends_no_reminders_or_escalations(
    district: District, statement: Any
) -> None:
    with _at(10):
        services.incident_stand_down(actor=district.office_admin, incident_id=statement.incident_id)
    with _at(25):
        assert services.repost_orders_remind() == 0
    with _at(60):
        assert services.repost_orders_escalate() == 0


def test_an_order_late_but_reposted_says_how_late(
    district: District, statement: Any, django_capture_on_commit_callbacks: Capture
) -> None:
    from govmatrix.emergency.templatetags.emergency import order_state_label

    order = order_of(statement, district.street01_account)
    with _at(40):
        assert order_state_label(order).startswith("已超时 10 分钟")
        with django_capture_on_commit_callbacks(execute=True):
            services.repost_order_repost(actor=district.operator, order_id=order.pk)
    order.refresh_from_db()
    assert order.latency_seconds == 40 * 60
    assert order_state_label(order) == "已转发（超时 10 分钟）"


def test_the_minute_sweep_reminds_and_escalates(district: District, statement: Any) -> None:
    with _at(22):
        assert services.emergency_sweep()["reminded"] == 2
    with _at(35):
        assert services.emergency_sweep()["escalated"] == 2
