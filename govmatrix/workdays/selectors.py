from __future__ import annotations

import functools
from datetime import date, timedelta

import chinese_calendar
from django.conf import settings
from django.core.cache import cache

from govmatrix.workdays.calendar import WorkCalendar, WorkingHours
from govmatrix.workdays.models import CalendarDay, CalendarYear

_VERSION_KEY = "workdays:version"
_local: dict[str, object] = {}


def _package_years() -> range:
    holidays = chinese_calendar.holidays
    return range(min(d.year for d in holidays), max(d.year for d in holidays) + 1)


@functools.lru_cache(maxsize=8192)
def _package_is_workday(day: date) -> bool:
    return bool(chinese_calendar.is_workday(day))


def forget_calendar() -> None:
    """Every process rebuilds its calendar after the office changes a date."""
    try:
        cache.incr(_VERSION_KEY)
    except ValueError:
        cache.set(_VERSION_KEY, 1, None)


def work_calendar() -> WorkCalendar:
    version = cache.get(_VERSION_KEY, 0)
    if _local.get("version") != version or "calendar" not in _local:
        _local["calendar"] = WorkCalendar(
            hours=WorkingHours.parse(settings.WORK_HOURS),
            time_zone=settings.TIME_ZONE,
            overrides=dict(CalendarDay.objects.values_list("day", "is_workday")),
            confirmed_years=frozenset(CalendarYear.objects.values_list("year", flat=True)),
            package_years=_package_years(),
            # The package validates its range on every call (slow); a date's answer never changes.
            package_is_workday=_package_is_workday,
        )
        _local["version"] = version
    calendar = _local["calendar"]
    assert isinstance(calendar, WorkCalendar)
    return calendar


def missing_years(*, today: date, warn_days: int = 60) -> list[int]:
    """This year if unknown, and next year once it is less than `warn_days` away and unknown."""
    calendar = work_calendar()
    years = [today.year]
    if (date(today.year + 1, 1, 1) - today) <= timedelta(days=warn_days):
        years.append(today.year + 1)
    return [year for year in years if not calendar.knows_year(year)]


def calendar_days(*, year: int) -> list[CalendarDay]:
    return list(CalendarDay.objects.filter(day__year=year))


def confirmed_years() -> set[int]:
    return set(CalendarYear.objects.values_list("year", flat=True))


def package_years() -> range:
    return _package_years()
