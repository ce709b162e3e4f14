"""Review deadlines in working time, on the district's working calendar (`workdays`).

When the calendar does not know a year's holidays yet (the office has not entered them), the
clock counts plain hours rather than stop: a deadline that is a little early beats none.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from govmatrix.workdays.calendar import YearMissing
from govmatrix.workdays.selectors import work_calendar


def deadline_after(start: datetime, hours: float) -> datetime:
    try:
        return work_calendar().add(start, timedelta(hours=hours))
    except YearMissing:
        return start + timedelta(hours=hours)


def working_time_between(start: datetime, end: datetime) -> timedelta:
    try:
        return work_calendar().between(start, end)
    except YearMissing:
        return max(end - start, timedelta(0))
