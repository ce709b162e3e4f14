"""Response metrics for the assessment: per account and per unit, in working hours."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from govmatrix.inbox import services
from govmatrix.inbox.metrics import assessment_values, response_metrics
from tests.inbox.conftest import Inbox, published_reply

ZONE = ZoneInfo("Asia/Shanghai")


def at(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=ZONE)


@pytest.fixture
def history(inbox: Inbox, time_machine: Any) -> Inbox:
    d = inbox.district
    time_machine.move_to(at(2026, 11, 23, 9, 0), tick=False)  # Monday
    fast = inbox.arrive(d.street01_account, "路灯坏了", who="甲")
    slow = inbox.arrive(d.street01_account, "井盖松了", who="乙")
    inbox.arrive(d.street01_account, "为东城点赞", who="丙")  # never answered
    time_machine.move_to(at(2026, 11, 23, 10, 0), tick=False)
    published_reply(fast, d.operator, d.leader, closes=True)  # 1 working hour, closed at once
    time_machine.move_to(at(2026, 11, 24, 10, 0), tick=False)
    published_reply(slow, d.operator, d.leader)  # 8.5 working hours: past the 4 h target
    west = inbox.arrive(d.street02_account, "西城的井盖松了", who="丁")
    services.message_route(
        actor=d.office_admin, message_id=west.pk, unit_id=d.street01.pk, reason="属东城辖区"
    )
    return inbox


def test_first_response_and_resolution_per_account(history: Inbox) -> None:
    d = history.district
    found = response_metrics(start=at(2026, 11, 1), end=at(2026, 12, 1), by="account")
    east = found[d.street01_account.pk]
    assert (east.received, east.answered, east.answered_within_sla) == (3, 2, 1)
    assert sorted(east.response_hours) == [1.0, 8.5] and east.median_response_hours == 4.75
    assert (east.resolved, east.resolved_within_sla) == (1, 1)
    assert east.answered_within_sla_share == pytest.approx(1 / 3, abs=1e-4)
    values = assessment_values(east)
    assert values["messages_received"] == 3 and values["median_response_hours"] == 4.75
    assert values["messages_unanswered_over_3_months"] == 0
    # The message routed to 东城 from 西城's account counts for 西城's account ...
    assert found[d.street02_account.pk].received == 1


def test_per_unit_follows_the_unit_that_answers(history: Inbox) -> None:
    d = history.district
    found = response_metrics(start=at(2026, 11, 1), end=at(2026, 12, 1), by="unit")
    assert found[d.street01.pk].received == 4  # ... and for 东城 as a unit
    assert d.street02.pk not in found


def test_no_message_is_no_data_not_zero(history: Inbox) -> None:
    found = response_metrics(start=at(2026, 10, 1), end=at(2026, 11, 1), by="account")
    assert found == {}
    with pytest.raises(ValueError):
        response_metrics(start=at(2026, 10, 1), end=at(2026, 11, 1), by="person")


def test_the_dashboards_counts_agree_with_the_metrics(history: Inbox) -> None:
    from govmatrix.inbox.metrics import sla_counts

    d = history.district
    counts = sla_counts(start=at(2026, 11, 1), end=at(2026, 12, 1), by="unit")
    full = response_metrics(start=at(2026, 11, 1), end=at(2026, 12, 1), by="unit")[d.street01.pk]
    assert (
        counts[d.street01.pk]
        == {
            "received": full.received,
            "answered": full.answered,
            "on_time": full.answered_within_sla,
        }
        == {"received": 4, "answered": 2, "on_time": 1}
    )
