"""Badges, countdowns and latencies for the emergency pages. The colour never stands alone:
the words say the state too."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

from govmatrix.emergency.models import RepostOrderState

register = template.Library()

_CLOCK_CLASSES = {
    "on_time": "success",
    "near": "warning",
    "overdue": "danger",
    "done": "success",
    "late": "secondary",
    "missed": "danger",
}
_LEVEL_CLASSES = {"I": "danger", "II": "warning", "III": "primary", "IV": "info"}


def _badge(css: str, state: str, label: Any) -> str:
    return format_html('<span class="badge text-bg-{} state-{}">{}</span>', css, state, label)


@register.filter
def latency_text(seconds: int | None) -> str:
    """3 分 12 秒; 1 小时 5 分."""
    if seconds is None:
        return ""
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return _("%(h)d 小时 %(m)d 分") % {"h": hours, "m": minutes}
    if minutes:
        return _("%(m)d 分 %(s)d 秒") % {"m": minutes, "s": secs}
    return _("%(s)d 秒") % {"s": secs}


def _minutes(delta: timedelta) -> str:
    total = max(0, int(delta.total_seconds() // 60))
    hours, minutes = divmod(total, 60)
    if hours:
        return _("%(h)d 小时 %(m)d 分") % {"h": hours, "m": minutes}
    return _("%(m)d 分钟") % {"m": minutes}


def order_state(order: Any, now: datetime | None = None) -> tuple[str, str, str]:
    """(css class, state key, words) of an order as people read it, deadline included."""
    moment = now or timezone.now()
    if order.state == RepostOrderState.REPOSTED:
        if order.reposted_at and order.reposted_at > order.due_at:
            late = _minutes(order.reposted_at - order.due_at)
            return "secondary", "late", _("已转发（超时 %(t)s）") % {"t": late}
        return "success", "done", _("已按时转发")
    if order.state == RepostOrderState.EXEMPTED:
        return "light", "exempted", _("已免除")
    if order.requested_at is not None:
        return "info", "in_flight", _("转发中")
    if moment >= order.due_at:
        return "danger", "overdue", _("已超时 %(t)s") % {"t": _minutes(moment - order.due_at)}
    left = order.due_at - moment
    state = "near" if left <= timedelta(minutes=10) else "on_time"
    return (
        "warning" if state == "near" else "success",
        state,
        _("待转发 · 剩余 %(t)s") % {"t": _minutes(left)},
    )


def order_state_label(order: Any, now: datetime | None = None) -> str:
    return order_state(order, now)[2]


@register.simple_tag
def order_badge(order: Any, now: datetime | None = None) -> str:
    css, state, words = order_state(order, now)
    border = " border" if css == "light" else ""
    return format_html(
        '<span class="badge text-bg-{}{} state-{}" data-testid="order-state">{}</span>',
        css,
        border,
        state,
        words,
    )


@register.simple_tag
def clock_badge(clock: Any) -> str:
    return _badge(_CLOCK_CLASSES.get(clock.state, "secondary"), clock.state, clock.text)


@register.simple_tag
def level_badge(incident: Any) -> str:
    return _badge(
        _LEVEL_CLASSES.get(incident.level, "secondary"), "level", incident.get_level_display()
    )


@register.simple_tag
def incident_badge(incident: Any) -> str:
    active = incident.status == "active"
    return _badge(
        "danger" if active else "secondary", incident.status, incident.get_status_display()
    )
