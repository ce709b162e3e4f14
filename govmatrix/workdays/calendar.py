"""Working time in China: working days by the official holiday calendar, working hours by the
district's office hours.

A day is a working day by, in order: the office's own entry for that date; the
`chinese-calendar` package for the years it knows; otherwise nothing — asking about a year
that neither covers raises `YearMissing`. The calendar never guesses.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

MAX_DAYS_SCANNED = 800


class YearMissing(LookupError):
    """The holidays of this year are not known yet; the office must enter them."""

    def __init__(self, year: int) -> None:
        super().__init__(f"the holidays of {year} are not entered yet")
        self.year = year


@dataclass(frozen=True)
class WorkingHours:
    periods: tuple[tuple[time, time], ...]

    @classmethod
    def parse(cls, text: str) -> WorkingHours:
        """ "08:30-12:00,13:30-17:30" → two periods, in order, not overlapping."""
        periods: list[tuple[time, time]] = []
        for part in text.split(","):
            start_text, _, end_text = part.strip().partition("-")
            start, end = (
                time.fromisoformat(start_text.strip()),
                time.fromisoformat(end_text.strip()),
            )
            if end <= start:
                raise ValueError(f"working period {part.strip()!r} ends before it starts")
            if periods and start < periods[-1][1]:
                raise ValueError(f"working period {part.strip()!r} overlaps the one before")
            periods.append((start, end))
        if not periods:
            raise ValueError("no working periods given")
        return cls(tuple(periods))

    @property
    def per_day(self) -> timedelta:
        return sum((_span(start, end) for start, end in self.periods), timedelta())


def _span(start: time, end: time) -> timedelta:
    return datetime.combine(date.min, end) - datetime.combine(date.min, start)


class WorkCalendar:
    def __init__(
        self,
        *,
        hours: WorkingHours,
        time_zone: str,
        overrides: Mapping[date, bool],
        confirmed_years: frozenset[int],
        package_years: range,
        package_is_workday: Callable[[date], bool],
    ) -> None:
        self.hours = hours
        self.zone = ZoneInfo(time_zone)
        self._overrides = dict(overrides)
        self._confirmed = confirmed_years
        self._package_years = package_years
        self._package_is_workday = package_is_workday

    def knows_year(self, year: int) -> bool:
        return year in self._confirmed or year in self._package_years

    def is_workday(self, day: date) -> bool:
        if day in self._overrides:
            return self._overrides[day]
        if day.year in self._confirmed:
            # A confirmed year: the office entered its holidays and adjusted working days;
            # every other weekday works and every other weekend day rests.
            return day.weekday() < 5
        if day.year in self._package_years:
            return self._package_is_workday(day)
        raise YearMissing(day.year)

    def _local(self, moment: datetime) -> datetime:
        if moment.tzinfo is None:
            raise ValueError("working time needs an aware datetime")
        return moment.astimezone(self.zone).replace(tzinfo=None)

    def _aware(self, local: datetime) -> datetime:
        return local.replace(tzinfo=self.zone)

    def _windows(self, day: date) -> list[tuple[datetime, datetime]]:
        if not self.is_workday(day):
            return []
        return [
            (datetime.combine(day, start), datetime.combine(day, end))
            for start, end in self.hours.periods
        ]

    def add(self, start: datetime, amount: timedelta) -> datetime:
        """The moment `amount` of working time after `start` (the deadline of a clock)."""
        if amount < timedelta(0):
            raise ValueError("working time cannot run backwards")
        cursor = self._local(start)
        remaining = amount
        for offset in range(MAX_DAYS_SCANNED):
            day = cursor.date() + timedelta(days=offset)
            for window_start, window_end in self._windows(day):
                begin = max(window_start, cursor)
                if begin >= window_end:
                    continue
                available = window_end - begin
                if remaining <= available:
                    return self._aware(begin + remaining)
                remaining -= available
        raise ValueError("no working time found within the calendar's range")

    def between(self, start: datetime, end: datetime) -> timedelta:
        """Working time from `start` to `end` (zero when `end` is not after `start`)."""
        a, b = self._local(start), self._local(end)
        if b <= a:
            return timedelta(0)
        total = timedelta(0)
        day = a.date()
        while day <= b.date():
            for window_start, window_end in self._windows(day):
                overlap = min(window_end, b) - max(window_start, a)
                if overlap > timedelta(0):
                    total += overlap
            day += timedelta(days=1)
        return total

    def working_days(self, days: int) -> timedelta:
        """`days` working days expressed as working time (5 working days = 5 × the day's hours)."""
        return self.hours.per_day * days
