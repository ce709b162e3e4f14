"""The links' place in the shell: a sidebar section, the operators' to-do, the office's panel."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy

from govmatrix.platforms.links.selectors import (
    ATTENTION,
    STATE_LABELS,
    STATE_URGENCY,
    health_counts,
    link_overview,
    needing_reauthorisation,
)
from govmatrix.web.navigation import Section, register_section
from govmatrix.web.panels import Panel, register_panel
from govmatrix.web.todo import TodoItem, register_todo


def _todos(request: HttpRequest) -> list[TodoItem]:
    if not request.user.is_authenticated:
        return []
    rows = needing_reauthorisation(user=request.user)
    expired = [r for r in rows if r.state == "expired"]
    expiring = [r for r in rows if r.state == "expiring"]
    overview = reverse("links:overview")
    return [
        TodoItem(
            label=gettext_lazy("平台授权已失效的账号"),
            count=len(expired),
            url=f"{overview}?state=expired",
            state="overdue",
            detail=gettext_lazy("重新授权后才能发布、回复和同步"),
            order=15,
        ),
        TodoItem(
            label=gettext_lazy("平台授权即将到期的账号"),
            count=len(expiring),
            url=f"{overview}?state=expiring",
            state="near",
            detail=gettext_lazy("请在到期前重新授权"),
            order=16,
        ),
    ]


def _badge(request: HttpRequest) -> int | None:
    if not request.user.is_authenticated:
        return None
    return len(needing_reauthorisation(user=request.user)) or None


def _panel(request: HttpRequest) -> dict[str, Any]:
    counts = health_counts(user=request.user)
    rows = link_overview(user=request.user, state="attention")
    return {
        "states": [
            {
                "key": key,
                "label": STATE_LABELS[key],
                "urgency": STATE_URGENCY[key],
                "count": counts.get(key, 0),
            }
            for key in ("ok", *sorted(ATTENTION), "unlinked")
        ],
        "total": sum(counts.values()),
        "attention": rows[:8],
        "attention_count": len(rows),
    }


def register() -> None:
    register_section(
        Section(
            "platform_links",
            gettext_lazy("平台接入"),
            "links:overview",
            "plug",
            24,
            visible=lambda scope: scope.sees_all or scope.can_edit_some_accounts(),
            badge=_badge,
        )
    )
    register_todo(_todos)
    register_panel(
        Panel(
            "platform_links",
            "platform_links/_dashboard_panel.html",
            _panel,
            order=20,
            visible=lambda scope: scope.sees_all,
        )
    )
