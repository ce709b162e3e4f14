"""The manual tasks' place in the shell: the to-dos (with the notifications sent when a task
opens), and a sidebar section for the office and for units that run a manual platform."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy

from govmatrix.matrix.models import Account
from govmatrix.org.permissions import UNIT_EDITOR_ROLES, Scope
from govmatrix.platforms.manual.connector import CONNECTORS
from govmatrix.platforms.manual.selectors import todo_counts
from govmatrix.web.navigation import Section, register_section
from govmatrix.web.todo import TodoItem, register_todo

MANUAL_PLATFORMS = tuple(c.platform for c in CONNECTORS)


def _todos(request: HttpRequest) -> list[TodoItem]:
    if not request.user.is_authenticated:
        return []
    counts = todo_counts(user=request.user)
    url = reverse("manual:list")
    return [
        TodoItem(
            label=gettext_lazy("待手工发布的内容"),
            count=counts.to_publish,
            url=f"{url}?state=active",
            state="near",
            detail=gettext_lazy("在平台上发布审定的文字，再回填链接"),
            order=12,
        ),
        TodoItem(
            label=gettext_lazy("手工发布内容与审定文本不一致"),
            count=counts.to_decide,
            url=f"{url}?state=mismatch",
            state="near",
            detail=gettext_lazy("对照差异，认可或等待运维人员更正"),
            order=13,
        ),
    ]


def _badge(request: HttpRequest) -> int | None:
    if not request.user.is_authenticated:
        return None
    counts = todo_counts(user=request.user)
    return (counts.to_publish + counts.to_decide) or None


def _visible(scope: Scope) -> bool:
    if scope.sees_all:
        return True
    units = {unit for unit, role in scope.roles if role in UNIT_EDITOR_ROLES}
    return bool(units) and (
        Account.objects.filter(unit_id__in=units, platform__in=MANUAL_PLATFORMS).exists()
    )


def register() -> None:
    register_section(
        Section(
            "manual_tasks",
            gettext_lazy("手工发布"),
            "manual:list",
            "clipboard-check",
            25,
            visible=_visible,
            badge=_badge,
        )
    )
    register_todo(_todos)
