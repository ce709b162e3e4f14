"""Badges and labels of the moderation pages: the colour never stands alone, the words say it."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from govmatrix.moderation.models import CATEGORY_LABELS, FindingStatus

register = template.Library()

_CASE_CLASSES = {
    "flagged": "danger",
    "application_filed": "warning",
    "escalated": "primary",
    "closed": "secondary",
}
_FINDING_CLASSES = {
    "open": "danger",
    "rectified": "warning",
    "verified": "success",
    "dismissed": "secondary",
    "cleared": "secondary",
}
ACTION_LABELS = {
    "delete": gettext_lazy("删除评论"),
    "hide": gettext_lazy("隐藏评论"),
    "report": gettext_lazy("向平台举报"),
    "block_author": gettext_lazy("拉黑作者"),
}


@register.simple_tag
def case_badge(case: Any) -> str:
    return format_html(
        '<span class="badge text-bg-{} case-{}" data-testid="case-state">{}</span>',
        _CASE_CLASSES.get(case.state, "secondary"),
        case.state,
        case.get_state_display(),
    )


@register.simple_tag
def finding_badge(finding: Any) -> str:
    return format_html(
        '<span class="badge text-bg-{} finding-{}">{}</span>',
        _FINDING_CLASSES.get(finding.status, "secondary"),
        finding.status,
        finding.get_status_display(),
    )


@register.filter
def category_label(code: str) -> str:
    return str(CATEGORY_LABELS.get(code, code))


@register.filter
def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action or "—"))


@register.simple_tag
def rectify_deadline(finding: Any, today: date | None = None) -> str:
    """Days left or overdue, in words and colour (calendar days to the working-day deadline)."""
    if finding.rectify_due is None or finding.status != FindingStatus.OPEN:
        return format_html('<span class="text-body-secondary">{}</span>', "—")
    today = today or timezone.localdate()
    days = (finding.rectify_due - today).days
    if days < 0:
        return format_html(
            '<span class="badge text-bg-danger">{}</span>', _("已超期 %(d)d 天") % {"d": -days}
        )
    if days <= 1:
        text = _("今天到期") if days == 0 else _("明天到期")
        return format_html('<span class="badge text-bg-warning">{}</span>', text)
    return format_html(
        '<span class="badge text-bg-success">{}</span>', _("还有 %(d)d 天") % {"d": days}
    )


@register.simple_tag
def elapsed(start: Any, end: Any = None) -> str:
    """How long a step took: 3 分钟, 2 小时 5 分钟, 1 天 4 小时."""
    if start is None:
        return ""
    seconds = int(((end or timezone.now()) - start).total_seconds())
    minutes, hours, days = seconds // 60 % 60, seconds // 3600 % 24, seconds // 86400
    if days:
        return _("%(d)d 天 %(h)d 小时") % {"d": days, "h": hours}
    if hours:
        return _("%(h)d 小时 %(m)d 分钟") % {"h": hours, "m": minutes}
    return _("%(m)d 分钟") % {"m": max(minutes, 0)} if seconds >= 60 else _("不到 1 分钟")
