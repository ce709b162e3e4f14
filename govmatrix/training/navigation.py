"""Guidance and training in the shell: sidebar sections and to-do items."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from govmatrix.training import rules, selectors
from govmatrix.training.models import EventStatus, Invitation
from govmatrix.web.navigation import Section, register_section
from govmatrix.web.todo import TodoItem, register_todo


def _unread(request: HttpRequest) -> int | None:
    return selectors.unread_notices(user=request.user).count() or None


def _todos(request: HttpRequest) -> list[TodoItem]:
    user = request.user
    if not user.is_authenticated:
        return []
    upcoming = Invitation.objects.filter(
        person__user=user, event__status=EventStatus.INVITED, event__starts_at__gte=timezone.now()
    ).count()
    return [
        TodoItem(label=gettext_lazy("业务指导待签收"), count=_unread(request) or 0,
                 url=reverse("training:notices"), state="near", order=60),
        TodoItem(label=gettext_lazy("待参加的培训交流"), count=upcoming,
                 url=reverse("training:events"), state="on_time", order=61),
    ]  # fmt: skip


def register() -> None:
    member = rules.in_district
    register_section(Section("guidance", gettext_lazy("业务指导"), "training:notices",
                             "envelope-paper", 70, visible=member, badge=_unread))  # fmt: skip
    register_section(Section("board", gettext_lazy("网上交流"), "training:board", "chat-dots",
                             71, visible=member))  # fmt: skip
    register_section(Section("training", gettext_lazy("培训交流"), "training:events",
                             "mortarboard", 72, visible=member))  # fmt: skip
    register_todo(_todos)
