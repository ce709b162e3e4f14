"""The inbox's place in the shell: sidebar sections with their counts, to-do items for each
role, and the office's dashboard panel (SLA compliance of every unit). Registered once, in
`InboxConfig.ready`."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from govmatrix.inbox import rules
from govmatrix.inbox.metrics import sla_counts
from govmatrix.inbox.models import Message, MessageState, Reply, ReplyState
from govmatrix.inbox.selectors.messages import counts_for
from govmatrix.inbox.selectors.replies import approvals_count
from govmatrix.org.models import Unit
from govmatrix.org.permissions import scope_for
from govmatrix.web.charts import stacked_bar_chart
from govmatrix.web.navigation import Section, register_section
from govmatrix.web.panels import Panel, register_panel
from govmatrix.web.todo import TodoItem, register_todo


def _counts(request: HttpRequest) -> dict[str, int]:
    """The user's counts, read once per request (the sidebar, the to-dos and the panel)."""
    held = getattr(request, "_inbox_counts", None)
    if held is None:
        held = counts_for(user=request.user)
        request._inbox_counts = held  # type: ignore[attr-defined]
    return held


def _queue_badge(request: HttpRequest) -> int | None:
    counts = _counts(request)
    return counts["overdue"] + counts["near"] or None


def _triage_badge(request: HttpRequest) -> int | None:
    return _counts(request)["triage"] or None


def _approvals_badge(request: HttpRequest) -> int | None:
    return approvals_count(user=request.user) or None


def _missing_years(user: Any) -> list[str]:
    problems = (
        Message.objects.filter(
            state__in=[MessageState.TRIAGE, MessageState.OPEN, MessageState.ANSWERED]
        )
        .exclude(sla_problem="")
        .values_list("sla_problem", flat=True)
        .distinct()
    )
    return sorted({year for value in problems for year in value.split(",") if year})


def _todos(request: HttpRequest) -> list[TodoItem]:
    user = request.user
    if not user.is_authenticated:
        return []
    scope = scope_for(user)
    counts = _counts(request)
    queue = reverse("inbox:queue")
    items = [
        TodoItem(
            label=gettext_lazy("留言已超时"),
            count=counts["overdue"],
            url=f"{queue}?sla=overdue",
            state="overdue",
            detail=gettext_lazy("超过答复或办结时限，已报单位领导和管理办公室"),
            order=11,
        ),
        TodoItem(
            label=gettext_lazy("留言即将超时"),
            count=counts["near"],
            url=f"{queue}?sla=near",
            state="near",
            order=12,
        ),
        TodoItem(
            label=gettext_lazy("我经办的留言"),
            count=counts["mine"],
            url=f"{queue}?assignee=me",
            state="on_time",
            order=13,
        ),
        TodoItem(
            label=gettext_lazy("答复待审核"),
            count=approvals_count(user=user) if rules.may_approve_any_reply(scope) else 0,
            url=reverse("inbox:approvals"),
            state="near",
            detail=gettext_lazy("每条答复须经责任单位主要领导审核后发布"),
            order=9,
        ),
        TodoItem(
            label=gettext_lazy("被退回或发布失败的答复"),
            count=Reply.objects.filter(
                author_id=user.pk, state__in=[ReplyState.RETURNED, ReplyState.FAILED]
            ).count(),
            url=f"{queue}?assignee=me",
            state="near",
            order=14,
        ),
    ]
    if scope.is_office_admin:
        items.append(
            TodoItem(
                label=gettext_lazy("留言待分办"),
                count=counts["triage"],
                url=reverse("inbox:triage"),
                state="near",
                detail=gettext_lazy("自动分办把握不足，请确定责任单位"),
                order=8,
            )
        )
        for year in _missing_years(user):
            items.append(
                TodoItem(
                    label=_("留言时限无法计算：%(year)s 年日历未录入") % {"year": year},
                    count=counts["unknown"] or 1,
                    url=f"{reverse('workdays:calendar')}?year={year}",
                    state="overdue",
                    detail=gettext_lazy("录入该年节假日和调休后，时限自动补算"),
                    order=4,
                )
            )
    return items


def sla_chart(request: HttpRequest, *, days: int = 30) -> dict[str, Any]:
    """Per unit: messages of the last 30 days answered on time, late, or not yet."""
    end = timezone.now()
    found = sla_counts(start=end - timedelta(days=days), end=end, by="unit")
    units = {
        u.pk: u for u in Unit.objects.filter(pk__in=list(found)).order_by("sort_order", "code")
    }
    queue = reverse("inbox:queue")
    rows = [(units[pk], found[pk]) for pk in units]
    return stacked_bar_chart(
        title=gettext_lazy("近 30 天各单位留言答复时限"),
        categories=[unit.name for unit, _m in rows],
        series=[
            {
                "name": str(gettext_lazy("按时答复")),
                "data": [m["on_time"] for _u, m in rows],
                "links": [f"{queue}?unit={u.pk}&state=all" for u, _m in rows],
            },
            {
                "name": str(gettext_lazy("超时答复")),
                "data": [m["answered"] - m["on_time"] for _u, m in rows],
                "links": [f"{queue}?unit={u.pk}&state=all" for u, _m in rows],
            },
            {
                "name": str(gettext_lazy("尚未答复")),
                "data": [m["received"] - m["answered"] for _u, m in rows],
                "links": [f"{queue}?unit={u.pk}&state=open" for u, _m in rows],
            },
        ],
    )


def _panel(request: HttpRequest) -> dict[str, Any]:
    return {"counts": _counts(request), "chart": sla_chart(request)}


def register() -> None:
    register_section(
        Section(
            "inbox",
            gettext_lazy("网民留言"),
            "inbox:queue",
            "chat-left-text",
            40,
            badge=_queue_badge,
        )
    )
    register_section(
        Section(
            "triage",
            gettext_lazy("留言分办"),
            "inbox:triage",
            "signpost-split",
            41,
            visible=lambda scope: scope.is_office_admin,
            badge=_triage_badge,
        )
    )
    register_section(
        Section(
            "reply_approvals",
            gettext_lazy("答复审核"),
            "inbox:approvals",
            "patch-check",
            42,
            visible=rules.may_approve_any_reply,
            badge=_approvals_badge,
        )
    )
    register_section(
        Section("wordings", gettext_lazy("口径库"), "inbox:wordings", "journal-text", 43)
    )
    register_section(
        Section(
            "trends",
            gettext_lazy("舆情动向"),
            "inbox:trends",
            "graph-up-arrow",
            44,
            visible=lambda scope: scope.sees_all,
        )
    )
    register_section(
        Section(
            "inbox_settings",
            gettext_lazy("留言设置"),
            "inbox:settings",
            "gear",
            69,
            visible=lambda scope: scope.sees_all,
        )
    )
    register_todo(_todos)
    register_panel(
        Panel(
            "inbox",
            "inbox/_dashboard_panel.html",
            _panel,
            order=20,
            visible=lambda scope: scope.sees_all,
        )
    )
