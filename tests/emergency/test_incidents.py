"""Incidents: the office declares them with a commander who can log in; two wall-clock
countdowns start at the declaration; they are stood down once; the office is offered the
switch that pauses scheduled publishing, and may allow a sub-account to publish."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from govmatrix.audit.models import Event
from govmatrix.core.errors import InvalidTransition, NotAllowed, NotFound, ValidationFailed
from govmatrix.emergency import services
from govmatrix.emergency.models import Incident, IncidentStatus, SubAccountAllowance
from govmatrix.emergency.selectors.incidents import incident_clocks, incident_list
from govmatrix.notifications.models import Notification
from govmatrix.org.models import Person
from govmatrix.publishing.models import PublishingSettings
from tests.conftest import District
from tests.emergency.flow import declare
from tests.factories import PersonFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
Capture = Any


def test_the_office_declares_an_incident_and_both_clocks_start_at_the_declaration(
    district: District, commander: Any, django_capture_on_commit_callbacks: Capture
) -> None:
    moment = datetime(2026, 3, 10, 14, 5, tzinfo=SHANGHAI)
    with time_machine.travel(moment, tick=False), django_capture_on_commit_callbacks(execute=True):
        incident = declare(district, commander, summary="燃气管道泄漏，已疏散周边居民。")
    assert incident.status == IncidentStatus.ACTIVE
    assert incident.declared_at == moment
    assert incident.first_info_due_at == moment + timedelta(hours=5)
    assert incident.full_release_due_at == moment + timedelta(hours=24)
    assert (incident.year, incident.sequence) == (2026, 1)
    assert list(incident.units.all()) == [district.street01]
    event = Event.objects.get(verb="incident.declared")
    assert event.actor_id == district.office_admin.pk and event.to_state == "active"
    told = Notification.objects.get(recipient=commander, verb="incident.commander_named")
    assert "现场最高领导" in told.text and told.link.endswith(f"/emergency/{incident.pk}/")


def test_the_clock_hours_come_from_the_settings_of_the_moment_of_declaration(
    district: District, commander: Any
) -> None:
    services.emergency_settings_update(
        actor=district.office_admin, first_info_hours=2, full_release_hours=12
    )
    incident = declare(district, commander)
    assert incident.first_info_due_at - incident.declared_at == timedelta(hours=2)
    assert incident.full_release_due_at - incident.declared_at == timedelta(hours=12)
    services.emergency_settings_update(actor=district.office_admin, first_info_hours=4)
    incident.refresh_from_db()
    assert incident.first_info_due_at - incident.declared_at == timedelta(hours=2)


def test_settings_that_break_the_order_of_the_clocks_are_refused(district: District) -> None:
    with pytest.raises(ValidationFailed):
        services.emergency_settings_update(
            actor=district.office_admin, first_info_hours=30, full_release_hours=24
        )
    with pytest.raises(ValidationFailed):
        services.emergency_settings_update(
            actor=district.office_admin, repost_minutes=10, reminder_minutes=10
        )
    with pytest.raises(NotAllowed):
        services.emergency_settings_update(actor=district.operator, repost_minutes=20)


@pytest.mark.parametrize("who", ["operator", "leader", "office_inspector", "outsider"])
def test_only_the_office_declares_an_incident(district: District, commander: Any, who: str) -> None:
    with pytest.raises(NotAllowed):
        declare(district, commander, actor=getattr(district, who))
    assert not Incident.objects.exists()


def test_a_commander_without_a_login_is_refused_with_what_to_do(district: District) -> None:
    person = PersonFactory(name="钱局长")
    with pytest.raises(ValidationFailed) as refused:
        services.incident_declare(
            actor=district.office_admin, title="暴雨内涝", level="II", commander_id=person.pk
        )
    assert "没有可用的登录账号" in refused.value.errors["commander"]
    assert not Incident.objects.exists()


def test_a_commander_from_outside_the_office_is_created_with_a_login(district: District) -> None:
    incident = services.incident_declare(
        actor=district.office_admin,
        title="暴雨内涝",
        level="II",
        new_commander=services.NewCommander(
            name="孙副区长", title="副区长", username="sun_commander", password="Str0ng-pass-2026"
        ),
    )
    person = Person.objects.get(name="孙副区长")
    assert incident.commander == person and person.user is not None
    assert person.user.check_password("Str0ng-pass-2026")
    assert not person.memberships.exists()  # no role anywhere: only this incident's wording


def test_a_new_commander_without_a_password_is_refused_and_nothing_is_made(
    district: District,
) -> None:
    with pytest.raises(ValidationFailed):
        services.incident_declare(
            actor=district.office_admin,
            title="暴雨内涝",
            level="II",
            new_commander=services.NewCommander(name="孙副区长", username="", password=""),
        )
    assert not Person.objects.filter(name="孙副区长").exists()


def test_bad_input_names_each_field_and_changes_nothing(district: District, commander: Any) -> None:
    with pytest.raises(ValidationFailed) as refused:
        services.incident_declare(
            actor=district.office_admin,
            title=" ",
            level="V",
            commander_id=commander.person.pk,
            unit_ids=[999999],
            declared_at=datetime(2020, 1, 1, tzinfo=SHANGHAI),
        )
    assert set(refused.value.errors) == {"title", "level", "units", "declared_at"}
    assert not Incident.objects.exists() and not Event.objects.filter(verb__startswith="incident")


def test_an_incident_entered_after_the_fact_counts_from_when_it_was_declared(
    district: District, commander: Any
) -> None:
    earlier = datetime(2026, 3, 10, 9, 0, tzinfo=SHANGHAI)
    with time_machine.travel(datetime(2026, 3, 10, 10, 0, tzinfo=SHANGHAI), tick=False):
        incident = declare(district, commander, declared_at=earlier)
        assert incident.first_info_due_at == earlier + timedelta(hours=5)
        with pytest.raises(ValidationFailed):
            declare(district, commander, declared_at=earlier + timedelta(hours=2))  # future


def test_incidents_are_numbered_within_each_year(district: District, commander: Any) -> None:
    first, second = declare(district, commander), declare(district, commander, title="第二起")
    assert (first.sequence, second.sequence) == (1, 2)


# --- the state table ---------------------------------------------------------------------------
def test_the_office_stands_an_active_incident_down_once(district: District, commander: Any) -> None:
    incident = declare(district, commander)
    services.incident_stand_down(
        actor=district.office_admin, incident_id=incident.pk, note="处置完毕"
    )
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.STOOD_DOWN and incident.stood_down_at
    assert incident.stand_down_note == "处置完毕"
    event = Event.objects.get(verb="incident.stood_down")
    assert (event.from_state, event.to_state) == ("active", "stood_down")
    with pytest.raises(InvalidTransition):
        services.incident_stand_down(actor=district.office_admin, incident_id=incident.pk)
    assert services.INCIDENT_TRANSITIONS["stood_down"] == set()


def test_the_commander_may_stand_the_incident_down_and_an_operator_may_not(
    district: District, commander: Any
) -> None:
    incident = declare(district, commander)
    with pytest.raises(NotAllowed):
        services.incident_stand_down(actor=district.operator, incident_id=incident.pk)
    services.incident_stand_down(actor=commander, incident_id=incident.pk)
    incident.refresh_from_db()
    assert incident.stood_down_by == commander


def test_someone_who_cannot_see_the_incident_is_told_it_does_not_exist(
    district: District, commander: Any
) -> None:
    incident = declare(district, commander, unit_ids=[])
    with pytest.raises(NotFound):
        services.incident_stand_down(actor=district.neighbour, incident_id=incident.pk)
    assert list(incident_list(user=district.neighbour)) == []
    assert list(incident_list(user=commander)) == [incident]
    assert list(incident_list(user=district.office_inspector)) == [incident]


def test_affected_units_see_the_incident(district: District, commander: Any) -> None:
    incident = declare(district, commander, unit_ids=[district.street01.pk])
    assert list(incident_list(user=district.operator)) == [incident]
    assert list(incident_list(user=district.neighbour)) == []


def test_active_incidents_are_listed_first(district: District, commander: Any) -> None:
    old = declare(district, commander, title="旧事件")
    services.incident_stand_down(actor=district.office_admin, incident_id=old.pk)
    older_active = declare(district, commander, title="仍在处置")
    assert incident_list(user=district.office_admin).first() == older_active


# --- the clocks ---------------------------------------------------------------------------------
def _states(incident: Incident, at: datetime) -> list[str]:
    return [clock.state for clock in incident_clocks(incident, now=at)]


def test_the_clocks_count_down_in_green_then_amber_then_red_with_words(
    district: District, commander: Any
) -> None:
    start = datetime(2026, 3, 14, 22, 0, tzinfo=SHANGHAI)  # a Saturday night: the clock runs
    with time_machine.travel(start, tick=False):
        incident = declare(district, commander)
    assert _states(incident, start + timedelta(hours=1)) == ["on_time", "on_time"]
    first = incident_clocks(incident, now=start + timedelta(hours=1))[0]
    assert first.text == "剩余 4 小时 0 分"
    assert _states(incident, start + timedelta(hours=4, minutes=30)) == ["near", "on_time"]
    late = incident_clocks(incident, now=start + timedelta(hours=7, minutes=10))[0]
    assert late.state == "overdue" and late.text.startswith("已超时 2 小时")


def test_a_clock_met_on_time_says_so_and_one_met_late_says_that(
    district: District, commander: Any
) -> None:
    incident = declare(district, commander)
    incident.first_info_at = incident.declared_at + timedelta(minutes=40)
    incident.full_release_at = incident.declared_at + timedelta(hours=30)
    clocks = incident_clocks(incident)
    assert clocks[0].state == "done" and "用时 40 分钟" in clocks[0].text
    assert clocks[1].state == "late" and clocks[1].text == "超时完成（用时 30 小时 0 分）"


def test_a_clock_left_open_when_the_incident_ends_is_shown_as_missed(
    district: District, commander: Any
) -> None:
    incident = declare(district, commander)
    services.incident_stand_down(actor=district.office_admin, incident_id=incident.pk)
    incident.refresh_from_db()
    assert _states(incident, incident.declared_at + timedelta(hours=1)) == ["missed", "missed"]


def test_a_press_conference_meets_the_24_hour_clock(district: District, commander: Any) -> None:
    incident = declare(district, commander)
    services.incident_press_conference_record(
        actor=commander, incident_id=incident.pk, note="区政府新闻发布会"
    )
    incident.refresh_from_db()
    assert incident.full_release_at == incident.press_conference_at
    assert incident_clocks(incident)[1].state == "done"
    with pytest.raises(NotAllowed):
        services.incident_press_conference_record(actor=district.operator, incident_id=incident.pk)
    services.incident_stand_down(actor=district.office_admin, incident_id=incident.pk)
    with pytest.raises(InvalidTransition):
        services.incident_press_conference_record(actor=commander, incident_id=incident.pk)


# --- the pause switch and the allowance ---------------------------------------------------------
def test_the_office_is_offered_the_pause_switch_and_it_holds_scheduled_posts(
    district: District, commander: Any
) -> None:
    incident = declare(district, commander)
    services.incident_publishing_pause(actor=district.office_admin, incident_id=incident.pk)
    row = PublishingSettings.objects.get(pk=1)
    assert row.paused and row.pause_note == "突发事件：南湖街道燃气管道泄漏"
    with pytest.raises(InvalidTransition):  # already paused
        services.incident_publishing_pause(actor=district.office_admin, incident_id=incident.pk)


def test_declaring_with_the_switch_on_pauses_scheduled_publishing_at_once(
    district: District, commander: Any
) -> None:
    declare(district, commander, pause_publishing=True)
    assert PublishingSettings.objects.get(pk=1).paused
    assert Event.objects.filter(verb="publishing.paused").count() == 1


def test_only_the_office_pauses_publishing_for_an_incident(
    district: District, commander: Any
) -> None:
    incident = declare(district, commander)
    with pytest.raises(NotAllowed):
        services.incident_publishing_pause(actor=commander, incident_id=incident.pk)
    assert not PublishingSettings.objects.filter(paused=True).exists()


def test_the_office_allows_a_sub_account_with_a_reason_and_the_allowance_is_recorded(
    district: District, commander: Any
) -> None:
    incident = declare(district, commander)
    with pytest.raises(ValidationFailed):
        services.incident_allowance_grant(
            actor=district.office_admin,
            incident_id=incident.pk,
            account_id=district.street01_account.pk,
            reason=" ",
        )
    with pytest.raises(NotAllowed):
        services.incident_allowance_grant(
            actor=district.leader,
            incident_id=incident.pk,
            account_id=district.street01_account.pk,
            reason="现场在本街道",
        )
    services.incident_allowance_grant(
        actor=district.office_admin,
        incident_id=incident.pk,
        account_id=district.street01_account.pk,
        reason="现场在本街道，需发布周边交通管制信息",
    )
    allowance = SubAccountAllowance.objects.get()
    assert allowance.granted_by == district.office_admin
    assert Event.objects.filter(verb="incident.allowance_granted").exists()
    with pytest.raises(InvalidTransition):
        services.incident_allowance_grant(
            actor=district.office_admin,
            incident_id=incident.pk,
            account_id=district.street01_account.pk,
            reason="再次",
        )
    with pytest.raises(ValidationFailed):  # the main account needs no allowance
        services.incident_allowance_grant(
            actor=district.office_admin,
            incident_id=incident.pk,
            account_id=district.main_account.pk,
            reason="主账号",
        )
