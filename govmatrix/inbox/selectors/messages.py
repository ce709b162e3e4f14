"""Reads of messages, already scoped to what the user may see (`org.permissions.scope_for`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from govmatrix.core.errors import NotFound
from govmatrix.core.types import Actor
from govmatrix.inbox import search
from govmatrix.inbox.models import (
    WORKING_STATES,
    Message,
    MessageState,
    RoutingLabel,
)
from govmatrix.matrix.models import Account
from govmatrix.org.permissions import scope_for

_WORKING = [str(s) for s in WORKING_STATES]


@dataclass(frozen=True)
class MessageFilter:
    unit_id: int | None = None
    account_id: int | None = None
    kind: str = ""
    topic_id: int | None = None
    sla_state: str = ""
    state: str = ""  # a state, or "working" (triage, open, answered)
    assignee: str = ""  # "me", "none" or a user id
    channel: str = ""
    harm: bool | None = None
    triage: bool = False  # the office's triage queue
    q: str = ""
    received_from: datetime | None = None
    received_until: datetime | None = None


def visible_messages(user: Actor) -> QuerySet[Message]:
    """The office sees all; a unit's people what their units answer for or received.

    The accounts are listed first (a handful), so the database reads two indexes — on the
    unit and on the account — instead of joining every message to its account.
    """
    rows = Message.objects.select_related("account", "unit", "topic", "assignee")
    visible = scope_for(user).visible_unit_ids
    if visible is None:
        return rows
    accounts = list(Account.objects.filter(unit_id__in=visible).values_list("pk", flat=True))
    return rows.filter(Q(unit_id__in=visible) | Q(account_id__in=accounts))


def sla_condition(state: str, now: datetime) -> Q:
    working = Q(state__in=_WORKING)
    if state == "overdue":
        return working & Q(next_due_at__lte=now)
    if state == "near":
        return working & Q(next_warn_at__lte=now, next_due_at__gt=now)
    if state == "on_time":
        return (
            working
            & Q(next_due_at__gt=now)
            & (Q(next_warn_at__isnull=True) | Q(next_warn_at__gt=now))
        )
    if state == "unknown":
        return working & Q(next_due_at__isnull=True)
    if state == "met":
        return Q(state=MessageState.CLOSED, resolved_at__lte=F("resolve_due_at"))
    if state == "missed":
        return Q(state=MessageState.CLOSED, resolved_at__gt=F("resolve_due_at"))
    return Q()


def message_list(
    *, user: Actor, filters: MessageFilter | None = None, now: datetime | None = None
) -> QuerySet[Message]:
    """Newest deadline first: what is overdue or nearly so comes first, then by receipt."""
    f = filters or MessageFilter()
    moment = now or timezone.now()
    rows = visible_messages(user)
    if f.triage:
        rows = rows.filter(state=MessageState.TRIAGE)
    if f.unit_id:
        rows = rows.filter(unit_id=f.unit_id)
    if f.account_id:
        rows = rows.filter(account_id=f.account_id)
    if f.kind:
        rows = rows.filter(kind=f.kind)
    if f.topic_id:
        rows = rows.filter(topic_id=f.topic_id)
    if f.channel:
        rows = rows.filter(channel=f.channel)
    if f.harm is not None:
        rows = rows.filter(harm_flagged=f.harm)
    if f.state == "working":
        rows = rows.filter(state__in=_WORKING)
    elif f.state:
        rows = rows.filter(state=f.state)
    if f.assignee == "me":
        rows = rows.filter(assignee_id=getattr(user, "pk", None))
    elif f.assignee == "none":
        rows = rows.filter(assignee__isnull=True)
    elif f.assignee.isdigit():
        rows = rows.filter(assignee_id=int(f.assignee))
    if f.sla_state:
        rows = rows.filter(sla_condition(f.sla_state, moment))
    if f.received_from:
        rows = rows.filter(received_at__gte=f.received_from)
    if f.received_until:
        rows = rows.filter(received_at__lt=f.received_until)
    if f.q.strip():
        rows = search.search(rows, f.q)
    return rows.order_by(F("next_due_at").asc(nulls_last=True), "-received_at", "-id")


def message_get(*, user: Actor, message_id: int) -> Message:
    message = visible_messages(user).filter(pk=message_id).first()
    if message is None:
        raise NotFound(_("留言不存在。"))
    return message


def thread_of(message: Message) -> list[Message]:
    """The citizen's earlier and later messages in the same thread, oldest first."""
    root = message
    walked = {root.pk}
    while root.follows_id and root.follows_id not in walked:
        parent = Message.objects.filter(pk=root.follows_id).first()
        if parent is None:
            break
        walked.add(parent.pk)
        root = parent
    family = [root]
    seen = {root.pk}
    frontier = [root.pk]
    while frontier:
        children = list(Message.objects.filter(follows_id__in=frontier).order_by("received_at"))
        children = [c for c in children if c.pk not in seen]
        seen.update(c.pk for c in children)
        family += children
        frontier = [c.pk for c in children]
    return sorted(family, key=lambda m: (m.received_at, m.pk)) if len(family) > 1 else []


def possible_duplicates(message: Message, *, user: Actor) -> QuerySet[Message]:
    """Other messages of the same citizen still being worked: candidates for a merge."""
    return (
        visible_messages(user)
        .filter(platform=message.platform, author_id=message.author_id, state__in=_WORKING)
        .exclude(pk=message.pk)
        .order_by("-received_at")[:10]
    )


def labels_of(message: Message) -> QuerySet[RoutingLabel]:
    return message.labels.select_related("from_unit", "to_unit", "from_topic", "to_topic", "actor")


def counts_for(*, user: Actor, now: datetime | None = None) -> dict[str, int]:
    """What the sidebar and the to-do list show: the user's own work first."""
    moment = now or timezone.now()
    scope = scope_for(user)
    rows = visible_messages(user)
    if not scope.sees_all:
        rows = rows.filter(unit_id__in=scope.unit_ids)
    working = rows.filter(state__in=[MessageState.OPEN, MessageState.ANSWERED])
    return {
        "overdue": working.filter(next_due_at__lte=moment).count(),
        "near": working.filter(next_warn_at__lte=moment, next_due_at__gt=moment).count(),
        "open": working.filter(state=MessageState.OPEN).count(),
        "mine": working.filter(assignee_id=getattr(user, "pk", None)).count(),
        "triage": rows.filter(state=MessageState.TRIAGE).count() if scope.is_office_admin else 0,
        "unknown": working.filter(next_due_at__isnull=True).exclude(sla_problem="").count(),
    }
