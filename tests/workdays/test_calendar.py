"""Working time by the Chinese holiday calendar and the district's office hours."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import chinese_calendar
import pytest

from govmatrix.workdays.calendar import WorkCalendar, WorkingHours, YearMissing

SHANGHAI = ZoneInfo("Asia/Shanghai")
HOURS = WorkingHours.parse("08:30-12:00,13:30-17:30")


def _calendar(
    overrides: dict[date, bool] | None = None, confirmed: frozenset[int] = frozenset()
) -> WorkCalendar:
    return WorkCalendar(
        hours=HOURS,
        time_zone="Asia/Shanghai",
        overrides=overrides or {},
        confirmed_years=confirmed,
        package_years=range(2004, 2027),
        package_is_workday=chinese_calendar.is_workday,
    )


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


def test_a_working_day_has_seven_and_a_half_hours() -> None:
    assert HOURS.per_day == timedelta(hours=7, minutes=30)


def test_four_working_hours_from_friday_afternoon_end_on_monday_morning() -> None:
    # Friday 2026-11-27 15:30: two hours left that day, two more from Monday 08:30.
    assert _calendar().add(at(2026, 11, 27, 15, 30), timedelta(hours=4)) == at(2026, 11, 30, 10, 30)


def test_the_lunch_break_does_not_count() -> None:
    assert _calendar().add(at(2026, 11, 30, 11, 0), timedelta(hours=2)) == at(2026, 11, 30, 14, 30)


def test_a_message_arriving_at_night_starts_counting_next_morning() -> None:
    assert _calendar().add(at(2026, 11, 30, 22, 0), timedelta(hours=1)) == at(2026, 12, 1, 9, 30)


def test_the_national_day_holiday_is_skipped() -> None:
    # 2026-09-30 (Wed) 17:00 + 1 h: October 1–7 rest, so the clock resumes on Thursday 8 October.
    assert not _calendar().is_workday(date(2026, 10, 5))
    assert _calendar().add(at(2026, 9, 30, 17, 0), timedelta(hours=1)) == at(2026, 10, 8, 9, 0)


def test_an_adjusted_weekend_working_day_counts() -> None:
    adjusted = next(
        d
        for d in chinese_calendar.get_workdays(date(2026, 1, 1), date(2026, 12, 31))
        if d.weekday() >= 5
    )
    assert _calendar().is_workday(adjusted)


def test_time_between_two_moments_counts_only_working_time() -> None:
    assert _calendar().between(at(2026, 11, 27, 15, 30), at(2026, 11, 30, 10, 30)) == timedelta(
        hours=4
    )
    assert _calendar().between(at(2026, 11, 30, 10, 0), at(2026, 11, 29, 10, 0)) == timedelta(0)


def test_a_year_nobody_entered_is_refused_rather_than_guessed() -> None:
    with pytest.raises(YearMissing) as missing:
        _calendar().add(at(2026, 12, 31, 16, 0), timedelta(hours=8))
    assert missing.value.year == 2027


def test_a_confirmed_year_uses_the_offices_entries_and_weekdays_otherwise() -> None:
    calendar = _calendar(
        overrides={date(2027, 1, 1): False, date(2027, 2, 7): True},
        confirmed=frozenset({2027}),
    )
    assert not calendar.is_workday(date(2027, 1, 1))  # a Friday holiday
    assert calendar.is_workday(date(2027, 2, 7))  # a Sunday worked in lieu
    assert calendar.is_workday(date(2027, 1, 4))
    assert not calendar.is_workday(date(2027, 1, 9))  # an ordinary Saturday
    assert calendar.add(at(2026, 12, 31, 17, 0), timedelta(hours=1)) == at(2027, 1, 4, 9, 0)


def test_five_working_days_are_five_days_of_office_hours() -> None:
    assert _calendar().working_days(5) == timedelta(hours=37, minutes=30)


@pytest.mark.parametrize("text", ["", "12:00-08:30", "08:30-12:00,11:00-13:00", "8.30-12"])
def test_malformed_office_hours_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        WorkingHours.parse(text)


def test_a_naive_time_is_refused() -> None:
    with pytest.raises(ValueError):
        _calendar().add(datetime(2026, 11, 30, 9, 0), timedelta(hours=1))
