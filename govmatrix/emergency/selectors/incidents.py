"""Reads of incidents, already scoped, and their two clocks.

Who sees an incident: the office and its inspectors; its on-site commander; the people of
its affected units; the people of any unit that has a repost order in it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Case, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _

from govmatrix.core.errors import NotFound
from govmatrix.core.types import Actor
from govmatrix.emergency.models import (
    Incident,
    IncidentStatus,
    RepostOrder,
    Statement,
    StatementCopy,
    StatementKind,
    SubAccountAllowance,
)
from govmatrix.matrix.models import Account, AccountKind, AccountStatus
from govmatrix.org.permissions import Scope, scope_for
from govmatrix.publishing.rules import can_draft


def _visible_q(scope: Scope) -> Q:
    units = list(scope.unit_ids)
    return (
        Q(commander__user_id=scope.user_id)
        | Q(units__in=units)
        | Q(pk__in=RepostOrder.objects.filter(unit_id__in=units).values("statement__incident_id"))
    )


def can_see_incident(scope: Scope, incident: Incident) -> bool:
    if scope.sees_all:
        return True
    if scope.user_id is None:
        return False
    return Incident.objects.filter(_visible_q(scope), pk=incident.pk).exists()


def incident_list(*, user: Actor, status: str = "") -> QuerySet[Incident]:
    """Active incidents first, newest first within each."""
    scope = scope_for(user)
    incidents = Incident.objects.select_related("commander")
    if not scope.sees_all:
        if scope.user_id is None:
            return incidents.none()
        incidents = incidents.filter(pk__in=Incident.objects.filter(_visible_q(scope)).values("pk"))
    if status:
        incidents = incidents.filter(status=status)
    return incidents.annotate(
        active_first=Case(
            When(status=IncidentStatus.ACTIVE, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
    ).order_by("active_first", "-declared_at", "-id")


def incident_get(*, user: Actor, incident_id: int) -> Incident:
    incident = (
        incident_list(user=user)
        .select_related("declared_by", "stood_down_by", "commander__user")
        .prefetch_related("units")
        .filter(pk=incident_id)
        .first()
    )
    if incident is None:
        raise NotFound(_("突发事件不存在。"))
    return incident


def commanded_by(*, user: Actor) -> QuerySet[Incident]:
    if not user.is_authenticated:
        return Incident.objects.none()
    return Incident.objects.filter(commander__user_id=user.pk)


def _copies() -> Any:
    return Prefetch(
        "copies",
        queryset=StatementCopy.objects.select_related("post", "post__account").order_by(
            "post__account__platform", "pk"
        ),
    )


def statements_of(incident: Incident) -> QuerySet[Statement]:
    """The incident's statements, each with its copies (`statement.copies.all()`)."""
    return (
        incident.statements.select_related(
            "post", "post__account", "post__approved_by", "created_by"
        )
        .prefetch_related(_copies())
        .order_by("sequence")
    )


def statement_get(*, user: Actor, statement_id: int) -> Statement:
    statement = (
        Statement.objects.select_related(
            "incident", "incident__commander", "post", "post__account", "post__approved_by"
        )
        .prefetch_related(_copies())
        .filter(pk=statement_id)
        .first()
    )
    if statement is None or not can_see_incident(scope_for(user), statement.incident):
        raise NotFound(_("应对口径不存在。"))
    return statement


def statements_waiting_for(*, user: Actor) -> QuerySet[Statement]:
    """Statements waiting for this commander's approval, oldest first."""
    if user.pk is None:
        return Statement.objects.none()
    return (
        Statement.objects.filter(
            incident__commander__user_id=user.pk,
            incident__status=IncidentStatus.ACTIVE,
            post__status="submitted",
        )
        .select_related("incident", "post", "post__account")
        .order_by("post__updated_at")
    )


def allowances_of(incident: Incident) -> QuerySet[SubAccountAllowance]:
    return incident.allowances.select_related("account", "account__unit", "granted_by")


# --- the clocks ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Clock:
    key: str
    label: str
    due_at: datetime
    done_at: datetime | None
    state: str  # on_time / near / overdue / done / late / missed — with words, never colour alone
    text: str


def span(delta: timedelta) -> str:
    minutes = max(0, int(delta.total_seconds() // 60))
    hours, minutes = divmod(minutes, 60)
    if hours:
        return _("%(h)d 小时 %(m)d 分") % {"h": hours, "m": minutes}
    return _("%(m)d 分钟") % {"m": minutes}


def _clock(
    key: str, label: str, incident: Incident, due: datetime, done: datetime | None, now: datetime
) -> Clock:
    window = due - incident.declared_at
    if done is not None:
        took = span(done - incident.declared_at)
        if done <= due:
            text = _("已于 %(t)s 完成（用时 %(d)s）") % {
                "t": time_format(timezone.localtime(done), "H:i"),
                "d": took,
            }
            return Clock(key, label, due, done, "done", text)
        return Clock(key, label, due, done, "late", _("超时完成（用时 %(d)s）") % {"d": took})
    if incident.status != IncidentStatus.ACTIVE:
        return Clock(key, label, due, None, "missed", _("未完成，事件已结束"))
    if now >= due:
        return Clock(key, label, due, None, "overdue", _("已超时 %(d)s") % {"d": span(now - due)})
    left = due - now
    state = "near" if left <= window / 5 else "on_time"
    return Clock(key, label, due, None, state, _("剩余 %(d)s") % {"d": span(left)})


def incident_clocks(incident: Incident, now: datetime | None = None) -> list[Clock]:
    """The 5-hour and 24-hour clocks (configurable), counted in wall-clock hours from the
    declaration: emergencies do not stop for nights or holidays."""
    moment = now or timezone.now()
    return [
        _clock(
            "first_info",
            _("首次发布权威信息"),
            incident,
            incident.first_info_due_at,
            incident.first_info_at,
            moment,
        ),
        _clock(
            "full_release",
            _("详细发布或新闻发布会"),
            incident,
            incident.full_release_due_at,
            incident.full_release_at,
            moment,
        ),
    ]


def active_incidents(*, user: Actor) -> QuerySet[Incident]:
    return incident_list(user=user, status=IncidentStatus.ACTIVE)


def statement_accounts(*, user: Actor, incident: Incident) -> QuerySet[Account]:
    """Where the user may publish on the incident: the main accounts (the office), the
    primary one first, and the sub-accounts the office allowed (their own people)."""
    scope = scope_for(user)
    accounts = (
        Account.objects.filter(
            (Q(kind=AccountKind.MAIN) & ~Q(status=AccountStatus.CLOSED))
            | Q(pk__in=incident.allowances.values("account_id"))
        )
        .select_related("unit")
        .order_by("kind", "pk")
    )
    return accounts.filter(pk__in=[a.pk for a in accounts if can_draft(scope, a)])


def statement_kinds(incident: Incident) -> list[str]:
    """The first statement comes once; after it, rolling updates and the fuller release."""
    if incident.statements.filter(kind=StatementKind.FIRST).exists():
        return [StatementKind.UPDATE, StatementKind.FULL]
    return [StatementKind.FIRST, StatementKind.FULL]
