"""Dates as the assessment shows them, and deadlines in working days."""

from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from govmatrix.core.official_docx import chinese_date
from govmatrix.workdays.calendar import YearMissing
from govmatrix.workdays.selectors import work_calendar

__all__ = ["chinese_date", "quarter_title", "working_days_after"]
logger = logging.getLogger(__name__)
QUARTER_NAMES = {"1": "一", "2": "二", "3": "三", "4": "四"}


def quarter_title(quarter: str) -> str:
    """2026Q3 → 2026年第三季度"""
    return f"{quarter[:4]}年第{QUARTER_NAMES.get(quarter[-1], quarter[-1])}季度"


def working_days_after(day: date, days: int) -> date:
    """The day `days` working days after `day`, by the office's working calendar (holidays and
    adjusted working days included). A year the calendar does not know yet falls back to
    calendar days plus weekends, with a warning, rather than stopping the work."""
    calendar = work_calendar()
    start = timezone.make_aware(datetime.combine(day, time(23, 59)))
    try:
        return timezone.localdate(calendar.add(start, calendar.working_days(days)))
    except (YearMissing, ValueError):
        logger.warning("working calendar lacks the dates after %s; counting calendar days", day)
        return day + timedelta(days=days + days // 5 * 2)
