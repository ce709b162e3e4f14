"""SLA clocks in working time: weekends, holidays and adjusted working days; a year the
calendar does not know is never guessed; warnings before, escalation after, once each."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from govmatrix.audit.models import Event
from govmatrix.inbox import services
from govmatrix.inbox.clocks import deadlines_for, sla_state
from govmatrix.inbox.models import Message
from govmatrix.inbox.templatetags.inbox import sla_badge
from govmatrix.notifications.models import Notification
from govmatrix.workdays.services import calendar_days_set, calendar_year_confirm
from tests.inbox.conftest import Inbox, published_reply

ZONE = ZoneInfo("Asia/Shanghai")


def at(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=ZONE)


def test_a_friday_evening_message_is_due_on_monday_in_working_hours(db: None) -> None:
    due = deadlines_for("complaint", at(2026, 11, 20, 17, 0))  # a Friday
    assert due.problem == ""
    assert due.ack_due_at == at(2026, 11, 23, 12, 0)  # 0.5 h on Friday + 3.5 h on Monday
    assert due.ack_warn_at == at(2026, 11, 23, 11, 0)  # one working hour before
    # 5 working days of 7.5 h: Friday 0.5 h, Mon–Thu 30 h, then 7 h on Friday the 27th.
    assert due.resolve_due_at == at(2026, 11, 27, 17, 0)
    assert due.resolve_warn_at == at(2026, 11, 26, 17, 0)


def test_the_national_day_holiday_and_its_working_saturday_count_as_the_calendar_says(
    db: None,
) -> None:
    due = deadlines_for("inquiry", at(2026, 9, 30, 16, 0))
    assert due.ack_due_at == at(2026, 10, 8, 11, 0)  # 1–7 October rest
    assert due.resolve_due_at == at(2026, 10, 13, 16, 0)  # Saturday 10 October works


def test_the_office_changes_the_targets_and_open_messages_follow(inbox: Inbox) -> None:
    d = inbox.district
    message = inbox.arrive(d.street01_account, "路灯坏了。", at=at(2026, 11, 23, 9, 0))
    services.sla_target_set(
        actor=d.office_admin,
        kind=message.kind,
        ack_hours=Decimal("2"),
        resolve_days=Decimal("3"),
        ack_warn_hours=Decimal("0.5"),
    )
    message.refresh_from_db()
    assert message.ack_due_at == at(2026, 11, 23, 11, 0)
    assert message.next_due_at == message.ack_due_at
    from govmatrix.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed):
        services.sla_target_set(
            actor=d.office_admin,
            kind="complaint",
            ack_hours=Decimal("1"),
            resolve_days=Decimal("3"),
            ack_warn_hours=Decimal("2"),
        )


def test_a_missing_year_is_shown_not_guessed_and_computed_once_entered(
    inbox: Inbox, client: Any
) -> None:
    d = inbox.district
    late = inbox.arrive(d.street01_account, "路灯坏了。", at=at(2026, 12, 28, 9, 0))
    assert late.ack_due_at == at(2026, 12, 28, 14, 30)  # the first answer is still in 2026
    assert late.resolve_due_at is None and late.sla_problem == "2027"
    eve = inbox.arrive(d.street01_account, "井盖松了。", who="乙", at=at(2026, 12, 31, 17, 20))
    assert eve.ack_due_at is None and eve.next_due_at is None
    assert sla_state(eve) == "unknown"
    assert "时限无法计算：2027 年日历未录入" in sla_badge(eve)
    client.force_login(d.office_admin)
    assert "留言时限无法计算：2027 年日历未录入" in client.get("/").content.decode()
    client.force_login(d.operator)
    page = client.get(f"/inbox/{eve.pk}/").content.decode()
    assert "时限无法计算：2027 年日历未录入" in page
    # The office enters 2027's holidays; the sweeper computes what it could not.
    calendar_days_set(
        actor=d.office_admin,
        first=date(2027, 1, 1),
        last=date(2027, 1, 3),
        is_workday=False,
        name="元旦",
    )
    calendar_year_confirm(actor=d.office_admin, year=2027)
    from govmatrix.workdays.selectors import forget_calendar

    forget_calendar()
    assert services.sla_sweep(now=at(2026, 12, 31, 18, 0)).recomputed == 2
    eve.refresh_from_db()
    # 10 minutes on 31 December; 1–3 January rest; 3 h 50 min on Monday 4 January.
    assert eve.sla_problem == "" and eve.ack_due_at == at(2027, 1, 4, 13, 50)
    assert eve.next_due_at == eve.ack_due_at
    assert Event.objects.filter(verb="message.deadlines_computed").count() == 2


def test_a_warning_before_and_an_escalation_after_each_go_out_once(inbox: Inbox) -> None:
    d = inbox.district
    message = inbox.arrive(d.street01_account, "路灯坏了。", at=at(2026, 11, 23, 9, 0))
    assert message.ack_warn_at == at(2026, 11, 23, 12, 0)
    assert services.sla_sweep(now=at(2026, 11, 23, 11, 0)).warned == 0
    assert services.sla_sweep(now=at(2026, 11, 23, 14, 0)).warned == 1
    assert services.sla_sweep(now=at(2026, 11, 23, 14, 5)).warned == 0
    near = set(
        Notification.objects.filter(verb="message.deadline_near").values_list(
            "recipient__username", flat=True
        )
    )
    assert near == {"operator", "leader", "charge"}  # nobody is assigned: the unit's editors
    assert services.sla_sweep(now=at(2026, 11, 23, 15, 0)).escalated == 1  # due 14:30
    assert services.sla_sweep(now=at(2026, 11, 23, 15, 1)).escalated == 0
    overdue = set(
        Notification.objects.filter(verb="message.overdue").values_list(
            "recipient__username", flat=True
        )
    )
    assert {"leader", "charge", "office_admin"} <= overdue
    assert Event.objects.filter(verb="message.overdue", object_id=str(message.pk)).count() == 1
    assert sla_state(Message.objects.get(pk=message.pk), at(2026, 11, 23, 15, 0)) == "overdue"


def test_answering_stops_the_first_clock_and_the_resolution_clock_escalates_alone(
    inbox: Inbox, time_machine: Any
) -> None:
    d = inbox.district
    time_machine.move_to(at(2026, 11, 23, 9, 0), tick=False)
    message = inbox.arrive(d.street01_account, "路灯坏了。")
    time_machine.move_to(at(2026, 11, 23, 10, 0), tick=False)
    published_reply(message, d.operator, d.leader)
    message.refresh_from_db()
    assert message.first_response_at == at(2026, 11, 23, 10, 0)
    assert message.next_due_at == message.resolve_due_at == at(2026, 11, 30, 9, 0)
    assert message.followup_due_at == at(2026, 11, 25, 10, 0)  # two working days later
    assert services.sla_sweep(now=at(2026, 11, 25, 10, 1)).reminded == 1
    assert Notification.objects.filter(verb="message.followup_due").exists()
    result = services.sla_sweep(now=at(2026, 11, 30, 9, 30))
    assert result.escalated == 1 and result.warned == 0  # the 'near' window passed unswept
    assert result.reminded == 0


def test_the_sla_state_filter_of_the_queue(inbox: Inbox) -> None:
    from govmatrix.inbox.selectors.messages import MessageFilter, message_list

    d = inbox.district
    inbox.arrive(d.street01_account, "甲", at=at(2026, 11, 23, 9, 0))  # due 14:30
    inbox.arrive(d.street01_account, "乙", who="乙", at=at(2026, 11, 23, 11, 0))  # due 16:30

    def names(state: str, now: datetime) -> list[str]:
        rows = message_list(user=d.operator, filters=MessageFilter(sla_state=state), now=now)
        return sorted(m.text for m in rows)

    assert names("on_time", at(2026, 11, 23, 11, 30)) == ["乙", "甲"]
    assert names("near", at(2026, 11, 23, 13, 45)) == ["甲"]
    moment = at(2026, 11, 23, 15, 45)
    assert names("overdue", moment) == ["甲"] and names("near", moment) == ["乙"]
    assert names("on_time", moment) == [] and names("unknown", moment) == []
