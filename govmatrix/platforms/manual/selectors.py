"""Reads of the manual tasks, scoped to the user (`org.permissions.scope_for`)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from govmatrix.audit.models import Event
from govmatrix.audit.selectors import event_history_of
from govmatrix.core.errors import NotFound
from govmatrix.core.types import Actor
from govmatrix.org.permissions import UNIT_EDITOR_ROLES, scope_for
from govmatrix.platforms.manual import checking
from govmatrix.platforms.manual.models import ACTIVE_STATES, ManualTask, TaskState

# Where the subject of a task's outbox operation is shown (subject type → URL name).
SUBJECT_PAGES = {"publishing.post": "publishing:post_detail"}
LIST_STATES = ("active", *TaskState.values, "all")


def _visible(user: Actor) -> QuerySet[ManualTask]:
    tasks = ManualTask.objects.select_related(
        "account", "account__unit", "operation", "submitted_by", "completed_by"
    )
    visible = scope_for(user).visible_unit_ids
    return tasks if visible is None else tasks.filter(account__unit_id__in=visible)


def task_list(*, user: Actor, state: str = "active") -> QuerySet[ManualTask]:
    """Tasks of the units the user sees: those waiting for a person oldest first, else newest."""
    tasks = _visible(user)
    if state == "active":
        return tasks.filter(state__in=ACTIVE_STATES).order_by("created_at", "id")
    if state in TaskState.values:
        tasks = tasks.filter(state=state)
    return tasks.order_by("-created_at", "-id")


def task_get(*, user: Actor, task_id: int) -> ManualTask:
    task = _visible(user).filter(pk=task_id).first()
    if task is None:
        raise NotFound(_("手工发布任务不存在。"))
    return task


def task_of_subject(*, user: Actor, subject_type: str, subject_id: object) -> ManualTask | None:
    """The latest task for a subject's platform calls (a post's current publishing round)."""
    return (
        _visible(user)
        .filter(operation__subject_type=subject_type, operation__subject_id=str(subject_id))
        .order_by("-created_at", "-id")
        .first()
    )


def subject_url(task: ManualTask) -> str:
    operation = task.operation
    name = SUBJECT_PAGES.get(operation.subject_type) if operation else None
    if operation is None or name is None:
        return ""
    try:
        return reverse(name, args=[int(operation.subject_id)])
    except (NoReverseMatch, ValueError):
        return ""


def task_history(task: ManualTask) -> list[Event]:
    return list(event_history_of(task))


def difference(task: ManualTask) -> tuple[checking.Segment, ...]:
    """How the live text differs from the approved one (a mismatch), for display."""
    if not task.live_text:
        return ()
    return checking.compare(task.text, task.live_text).segments


@dataclass(frozen=True)
class TodoCounts:
    to_publish: int  # waiting for the user's units' editors
    to_decide: int  # differences waiting for the office


def todo_counts(*, user: Actor) -> TodoCounts:
    scope = scope_for(user)
    if scope.user_id is None:
        return TodoCounts(0, 0)
    active = ManualTask.objects.filter(state__in=ACTIVE_STATES)
    units = {unit for unit, role in scope.roles if role in UNIT_EDITOR_ROLES}
    to_publish = active.filter(account__unit_id__in=units).count() if units else 0
    to_decide = active.filter(state=TaskState.MISMATCH).count() if scope.is_office_admin else 0
    return TodoCounts(to_publish, to_decide)
