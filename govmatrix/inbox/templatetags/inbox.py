"""Badges, clocks and confidences for the inbox's pages. The colour never stands alone: the
text says it too, and every time shown is counted in working time."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

from govmatrix.inbox import clocks
from govmatrix.workdays.selectors import work_calendar

register = template.Library()

_MESSAGE_CLASSES = {
    "triage": "warning",
    "open": "primary",
    "answered": "info",
    "closed": "success",
    "merged": "secondary",
}
_REPLY_CLASSES = {
    "draft": "secondary",
    "submitted": "warning",
    "returned": "danger",
    "publishing": "info",
    "published": "success",
    "failed": "danger",
}


def _badge(css: str, state: str, label: Any, testid: str = "") -> str:
    if testid:
        return format_html(
            '<span class="badge text-bg-{} state-{}" data-testid="{}">{}</span>',
            css,
            state,
            testid,
            label,
        )
    return format_html('<span class="badge text-bg-{} state-{}">{}</span>', css, state, label)


@register.simple_tag
def message_badge(message: Any) -> str:
    return _badge(
        _MESSAGE_CLASSES.get(message.state, "secondary"),
        message.state,
        message.get_state_display(),
    )


@register.simple_tag
def reply_badge(reply: Any) -> str:
    return _badge(
        _REPLY_CLASSES.get(reply.state, "secondary"), reply.state, reply.get_state_display()
    )


@register.filter
def span(delta: timedelta | None) -> str:
    """2 个工作日 3 小时 / 3 小时 10 分 / 25 分钟 — a working-time length for people.

    A working day is the calendar's office hours (7.5 h by default), not 24 hours.
    """
    if delta is None:
        return _("无法计算")
    day = work_calendar().hours.per_day
    if delta >= day:
        days = int(delta // day)
        rest = int((delta - day * days).total_seconds() // 3600)
        return _("%(d)d 个工作日 %(h)d 小时") % {"d": days, "h": rest}
    minutes = max(0, int(delta.total_seconds() // 60))
    hours, minutes = divmod(minutes, 60)
    if hours:
        return _("%(h)d 小时 %(m)d 分") % {"h": hours, "m": minutes}
    return _("%(m)d 分钟") % {"m": minutes}


def missing_text(problem: str) -> str:
    years = "、".join(problem.split(","))
    return _("时限无法计算：%(years)s 年日历未录入") % {"years": years}


@register.simple_tag
def sla_badge(message: Any, now: datetime | None = None) -> str:
    """The clock running now: time left or overdue by, in working time; or why there is none."""
    moment = now or timezone.now()
    state = clocks.sla_state(message, moment)
    stage = _("首次答复") if message.first_response_at is None else _("办结")
    if state == "unknown" and message.sla_problem:
        return _badge("secondary", "unknown", missing_text(message.sla_problem), "sla")
    if state == "unknown":
        return _badge("secondary", "unknown", _("无时限"), "sla")
    if state == "met":
        return _badge("success", "met", _("按时办结"), "sla")
    if state == "missed":
        return _badge("secondary", "missed", _("超时办结"), "sla")
    if not state:
        return ""
    if state == "overdue":
        late = clocks.working_between(message.next_due_at, moment)
        return _badge(
            "danger",
            "overdue",
            _("%(stage)s已超时 %(t)s") % {"stage": stage, "t": span(late)},
            "sla",
        )
    left = clocks.working_between(moment, message.next_due_at)
    css = "warning" if state == "near" else "success"
    return _badge(css, state, _("%(stage)s剩余 %(t)s") % {"stage": stage, "t": span(left)}, "sla")


@register.filter
def percent(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{round(float(value) * 100)}%"


@register.filter
def confidence_class(value: float | None, threshold: float = 0.6) -> str:
    if value is None:
        return "secondary"
    return "success" if value >= 0.8 else "warning" if value >= threshold else "danger"
