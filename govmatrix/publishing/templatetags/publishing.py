"""Badges and deadlines for publishing's pages. The colour never stands alone: the text says it."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

from govmatrix.publishing.clocks import working_time_between

register = template.Library()

_POST_CLASSES = {
    "draft": "secondary",
    "submitted": "warning",
    "returned": "danger",
    "approved": "info",
    "scheduled": "primary",
    "publishing": "info",
    "published": "success",
    "failed": "danger",
}
_REPORT_CLASSES = {
    "new": "warning",
    "acknowledged": "success",
    "correction_requested": "danger",
    "correction_answered": "info",
}


def _badge(css: str, state: str, label: Any) -> str:
    return format_html('<span class="badge text-bg-{} state-{}">{}</span>', css, state, label)


@register.simple_tag
def post_badge(post: Any) -> str:
    return _badge(
        _POST_CLASSES.get(post.status, "secondary"), post.status, post.get_status_display()
    )


@register.simple_tag
def report_badge(item: Any) -> str:
    return _badge(
        _REPORT_CLASSES.get(item.state, "secondary"), item.state, item.get_state_display()
    )


def _span(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return _("%(h)d 小时 %(m)d 分") % {"h": hours, "m": minutes}
    return _("%(m)d 分钟") % {"m": minutes}


@register.simple_tag
def review_deadline(item: Any, now: datetime | None = None) -> str:
    """Time left to review an important item, or how long it is overdue, in working time."""
    if not item.important or item.review_due_at is None:
        return ""
    moment = now or timezone.now()
    if item.reviewed_at is not None:
        on_time = item.reviewed_at <= item.review_due_at
        return _badge(
            "success" if on_time else "secondary",
            "on_time" if on_time else "late",
            _("已按时审阅") if on_time else _("超时后审阅"),
        )
    if moment >= item.review_due_at:
        return _badge(
            "danger",
            "overdue",
            _("已超时 %(t)s") % {"t": _span(working_time_between(item.review_due_at, moment))},
        )
    left = working_time_between(moment, item.review_due_at)
    return _badge(
        "warning" if left <= timedelta(hours=1) else "success",
        "near" if left <= timedelta(hours=1) else "on_time",
        _("剩余 %(t)s") % {"t": _span(left)},
    )


@register.filter
def hit_class(kind: str) -> str:
    return {
        "sensitive": "danger",
        "banned": "warning",
        "leader_name": "info",
        "leader_title": "info",
    }.get(kind, "secondary")
