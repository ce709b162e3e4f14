from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from govmatrix.audit.models import Event
from govmatrix.core.errors import NotAllowed, ValidationFailed
from govmatrix.workdays.calendar import YearMissing
from govmatrix.workdays.models import CalendarDay
from govmatrix.workdays.selectors import missing_years, work_calendar
from govmatrix.workdays.services import calendar_days_set, calendar_year_confirm
from tests.conftest import District


def test_the_office_enters_a_holiday_range_and_it_is_audited(district: District) -> None:
    count = calendar_days_set(
        actor=district.office_admin,
        first=date(2027, 2, 5),
        last=date(2027, 2, 11),
        is_workday=False,
        name="春节",
    )
    assert count == 7
    assert CalendarDay.objects.filter(day__year=2027, is_workday=False).count() == 7
    assert Event.objects.filter(verb="calendar_day.set").exists()


def test_units_cannot_change_the_calendar(district: District) -> None:
    with pytest.raises(NotAllowed):
        calendar_days_set(
            actor=district.leader,
            first=date(2027, 1, 1),
            last=date(2027, 1, 1),
            is_workday=False,
            name="元旦",
        )


def test_a_backwards_range_is_refused_and_nothing_is_saved(district: District) -> None:
    with pytest.raises(ValidationFailed):
        calendar_days_set(
            actor=district.office_admin,
            first=date(2027, 1, 3),
            last=date(2027, 1, 1),
            is_workday=False,
            name="元旦",
        )
    assert not CalendarDay.objects.exists()


def test_a_year_counts_only_once_the_office_confirms_it(
    district: District, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        calendar_days_set(
            actor=district.office_admin,
            first=date(2027, 1, 1),
            last=date(2027, 1, 1),
            is_workday=False,
            name="元旦",
        )
    with pytest.raises(YearMissing):
        work_calendar().is_workday(date(2027, 1, 4))
    with django_capture_on_commit_callbacks(execute=True):
        calendar_year_confirm(actor=district.office_admin, year=2027)
    calendar = work_calendar()
    assert calendar.is_workday(date(2027, 1, 4)) and not calendar.is_workday(date(2027, 1, 1))


def test_an_empty_year_cannot_be_confirmed(district: District) -> None:
    with pytest.raises(ValidationFailed):
        calendar_year_confirm(actor=district.office_admin, year=2028)


@time_machine.travel(date(2026, 11, 28))
def test_the_office_is_warned_ahead_that_next_year_is_missing(district: District) -> None:
    assert missing_years(today=date(2026, 11, 28)) == [2027]
    assert missing_years(today=date(2026, 6, 1)) == []
    client = Client()
    client.force_login(district.office_admin)
    page = client.get(reverse("web:dashboard")).content.decode()
    assert "2027 年节假日和调休尚未录入" in page


def test_the_calendar_page_shows_a_missing_year_plainly(district: District) -> None:
    client = Client()
    client.force_login(district.office_admin)
    page = client.get(reverse("workdays:calendar"), {"year": 2027}).content.decode()
    assert 'data-testid="year-missing"' in page
    client.force_login(district.operator)
    assert client.get(reverse("workdays:calendar")).status_code == 403
