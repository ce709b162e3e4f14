"""Emergency's place in the shell: sidebar sections with their counts, to-dos (a commander's
statements to approve, an operator's repost orders, the office's clocks), and the dashboard
panel that comes before every other: the active incidents with their clocks."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from govmatrix.emergency.models import Incident, IncidentStatus
from govmatrix.emergency.selectors.incidents import (
    active_incidents,
    incident_clocks,
    statements_waiting_for,
)
from govmatrix.emergency.selectors.orders import (
    board_summary,
    open_orders_for,
    published_statements,
)
from govmatrix.emergency.selectors.settings import emergency_settings
from govmatrix.org.permissions import UNIT_EDITOR_ROLES, Scope, scope_for
from govmatrix.web.navigation import Section, register_section
from govmatrix.web.panels import Panel, register_panel
from govmatrix.web.todo import TodoItem, register_todo

_URGENCY = {"overdue": 0, "near": 1, "on_time": 2}


def _commands(scope: Scope) -> bool:
    return (
        scope.user_id is not None
        and Incident.objects.filter(commander__user_id=scope.user_id).exists()
    )


def _sees_incidents(scope: Scope) -> bool:
    return scope.sees_all or bool(scope.roles) or _commands(scope)


def _runs_accounts(scope: Scope) -> bool:
    return scope.sees_all or any(role in UNIT_EDITOR_ROLES for _u, role in scope.roles)


def _incidents_badge(request: HttpRequest) -> int | None:
    waiting = statements_waiting_for(user=request.user).count()
    if scope_for(request.user).sees_all:
        waiting += Incident.objects.filter(status=IncidentStatus.ACTIVE).count()
    return waiting or None


def _orders_badge(request: HttpRequest) -> int | None:
    return open_orders_for(user=request.user).count() or None


def _orders_todo(request: HttpRequest) -> TodoItem | None:
    orders = open_orders_for(user=request.user)
    dues = list(orders.values_list("due_at", flat=True)[:1000])
    if not dues:
        return None
    now = timezone.now()
    window = timedelta(minutes=emergency_settings().reminder_minutes)
    state = "on_time"
    if any(d <= now for d in dues):
        state = "overdue"
    elif any(d <= now + window for d in dues):
        state = "near"
    return TodoItem(
        label=gettext_lazy("转发任务待完成"),
        count=orders.count(),
        url=reverse("emergency:orders") + "?state=open",
        state=state,
        detail=_("最早一个于 %(t)s 到期") % {"t": timezone.localtime(min(dues)).strftime("%H:%M")},
        order=2,
    )


def _todos(request: HttpRequest) -> list[TodoItem]:
    user = request.user
    if not user.is_authenticated:
        return []
    items: list[TodoItem] = []
    waiting = list(statements_waiting_for(user=user)[:50])
    if waiting:
        items.append(
            TodoItem(
                label=gettext_lazy("应对口径待您审核"),
                count=len(waiting),
                url=reverse("emergency:statement", args=[waiting[0].pk]),
                state="overdue",
                detail=_("突发事件：%(t)s") % {"t": waiting[0].incident.title},
                order=1,
            )
        )
    if (orders := _orders_todo(request)) is not None:
        items.append(orders)
    if scope_for(user).is_office_admin:
        for incident in active_incidents(user=user)[:10]:
            pending = [c for c in incident_clocks(incident) if c.state in ("near", "overdue")]
            if pending:
                clock = min(pending, key=lambda c: _URGENCY[c.state])
                items.append(
                    TodoItem(
                        label=f"{incident.title} · {clock.label}",
                        count=1,
                        url=reverse("emergency:incident", args=[incident.pk]),
                        state=clock.state,
                        detail=clock.text,
                        order=0,
                    )
                )
    return items


def _panel(request: HttpRequest) -> dict[str, Any]:
    rows = []
    for incident in active_incidents(user=request.user)[:5]:
        latest = published_statements(incident.pk).first()
        rows.append(
            {
                "incident": incident,
                "clocks": incident_clocks(incident),
                "statement": latest,
                "board": board_summary(user=request.user, statement=latest) if latest else None,
            }
        )
    return {"rows": rows, "can_declare": scope_for(request.user).is_office_admin}


def register() -> None:
    register_section(
        Section(
            "incidents",
            gettext_lazy("突发事件"),
            "emergency:incidents",
            "broadcast-pin",
            25,
            visible=_sees_incidents,
            badge=_incidents_badge,
        )
    )
    register_section(
        Section(
            "repost_orders",
            gettext_lazy("转发任务"),
            "emergency:orders",
            "arrow-repeat",
            26,
            visible=_runs_accounts,
            badge=_orders_badge,
        )
    )
    register_todo(_todos)
    # Before every other panel: an active incident is what the office must see first.
    register_panel(
        Panel(
            "emergency",
            "emergency/_dashboard_panel.html",
            _panel,
            order=0,
            visible=lambda scope: scope.sees_all or _commands(scope),
        )
    )
