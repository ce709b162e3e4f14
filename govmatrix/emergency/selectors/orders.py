"""Reads of repost orders, already scoped, and the compliance board's figures.

The office, its inspectors and the incident's commander see every order of the incident; the
people of a unit see their unit's orders.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import datetime

from django.db.models import F, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from govmatrix.core.errors import NotFound
from govmatrix.core.types import Actor
from govmatrix.emergency.models import RepostOrder, RepostOrderState, Statement
from govmatrix.org.permissions import UNIT_EDITOR_ROLES, UNIT_LEADER_ROLES, Scope, scope_for

R = RepostOrderState
# The board's filters: a state, or a condition of one (overdue, late, in flight).
ORDER_FILTERS = {
    "open": gettext_lazy("待转发"),
    "in_flight": gettext_lazy("转发中"),
    "overdue": gettext_lazy("已超时未转发"),
    "reposted": gettext_lazy("已转发"),
    "late": gettext_lazy("超时转发"),
    "exempted": gettext_lazy("已免除"),
}


def can_see_order(scope: Scope, order: RepostOrder) -> bool:
    if scope.sees_all or order.unit_id in scope.unit_ids:
        return True
    return scope.user_id is not None and order.statement.incident.commander.user_id == scope.user_id


def _visible(user: Actor) -> QuerySet[RepostOrder]:
    scope = scope_for(user)
    orders = RepostOrder.objects.select_related("account", "unit")
    if scope.sees_all:
        return orders
    if scope.user_id is None:
        return orders.none()
    return orders.filter(
        Q(unit_id__in=list(scope.unit_ids))
        | Q(statement__incident__commander__user_id=scope.user_id)
    )


@dataclass(frozen=True)
class OrderFilter:
    incident_id: int | None = None
    statement_id: int | None = None
    state: str = ""
    unit_id: int | None = None
    q: str = ""
    mine: bool = False  # only the units where the user runs accounts


def order_list(
    *, user: Actor, filters: OrderFilter | None = None, now: datetime | None = None
) -> QuerySet[RepostOrder]:
    f = filters or OrderFilter()
    moment = now or timezone.now()
    orders = _visible(user)
    if f.incident_id:
        orders = orders.filter(statement__incident_id=f.incident_id)
    if f.statement_id:
        orders = orders.filter(statement_id=f.statement_id)
    if f.unit_id:
        orders = orders.filter(unit_id=f.unit_id)
    if f.mine:
        scope = scope_for(user)
        units = [u for u, role in scope.roles if role in UNIT_EDITOR_ROLES | UNIT_LEADER_ROLES]
        orders = orders.filter(unit_id__in=units)
    if f.q:
        orders = orders.filter(
            Q(account__display_name__icontains=f.q) | Q(unit__name__icontains=f.q)
        )
    if f.state == "open":
        orders = orders.filter(state=R.OPEN, requested_at__isnull=True)
    elif f.state == "in_flight":
        orders = orders.filter(state=R.OPEN, requested_at__isnull=False)
    elif f.state == "overdue":
        orders = orders.filter(state=R.OPEN, due_at__lte=moment)
    elif f.state == "late":
        orders = orders.filter(state=R.REPOSTED, reposted_at__gt=F("due_at"))
    elif f.state in (R.REPOSTED, R.EXEMPTED):
        orders = orders.filter(state=f.state)
    return orders


def order_get(*, user: Actor, order_id: int) -> RepostOrder:
    order = (
        _visible(user)
        .select_related(
            "statement",
            "statement__incident",
            "statement__incident__commander",
            "statement__post",
            "statement__post__account",
            "copy__post__account",
            "requested_by",
            "exempted_by",
            "recorded_by",
        )
        .filter(pk=order_id)
        .first()
    )
    if order is None:
        raise NotFound(_("转发任务不存在。"))
    return order


def open_orders_for(*, user: Actor) -> QuerySet[RepostOrder]:
    """The open orders of the units where the user runs accounts (an operator's to-do)."""
    scope = scope_for(user)
    units = [u for u, role in scope.roles if role in UNIT_EDITOR_ROLES]
    return (
        RepostOrder.objects.filter(unit_id__in=units, state=R.OPEN)
        .select_related("account", "statement", "statement__incident")
        .order_by("due_at", "id")
    )


# --- the board -------------------------------------------------------------------------------
@dataclass(frozen=True)
class BoardSummary:
    total: int
    reposted: int
    late: int
    open: int
    in_flight: int
    overdue: int
    exempted: int
    median_latency: int | None
    slowest_latency: int | None

    @property
    def on_time(self) -> int:
        return self.reposted - self.late

    @property
    def done_percent(self) -> int:
        due = self.total - self.exempted
        return round(100 * self.reposted / due) if due else 100


def board_summary(
    *, user: Actor, statement: Statement, now: datetime | None = None
) -> BoardSummary:
    moment = now or timezone.now()
    orders = _visible(user).filter(statement=statement)
    rows = list(
        orders.values_list("state", "due_at", "reposted_at", "requested_at", "latency_seconds")
    )
    latencies = sorted(r[4] for r in rows if r[0] == R.REPOSTED and r[4] is not None)
    return BoardSummary(
        total=len(rows),
        reposted=sum(1 for r in rows if r[0] == R.REPOSTED),
        late=sum(1 for r in rows if r[0] == R.REPOSTED and r[2] and r[2] > r[1]),
        open=sum(1 for r in rows if r[0] == R.OPEN),
        in_flight=sum(1 for r in rows if r[0] == R.OPEN and r[3] is not None),
        overdue=sum(1 for r in rows if r[0] == R.OPEN and r[1] <= moment),
        exempted=sum(1 for r in rows if r[0] == R.EXEMPTED),
        median_latency=int(statistics.median(latencies)) if latencies else None,
        slowest_latency=latencies[-1] if latencies else None,
    )


# Latency buckets for the chart, in minutes from the statement's publication.
BUCKETS = ((0, 5), (5, 10), (10, 15), (15, 30), (30, 60), (60, None))


def bucket_label(low: int, high: int | None) -> str:
    if high is None:
        return _("%(a)d 分钟以上") % {"a": low}
    return _("%(a)d–%(b)d 分钟") % {"a": low, "b": high}


def latency_buckets(*, user: Actor, statement: Statement) -> list[tuple[str, int, str]]:
    """(label, count, link to the board's rows) for each bucket, and the orders not reposted."""
    orders = _visible(user).filter(statement=statement)
    latencies = [
        s
        for s in orders.filter(state=R.REPOSTED).values_list("latency_seconds", flat=True)
        if s is not None
    ]
    board = reverse("emergency:board", args=[statement.incident_id])
    items = []
    for low, high in BUCKETS:
        count = sum(1 for s in latencies if s >= low * 60 and (high is None or s < high * 60))
        link = f"{board}?statement={statement.pk}&state=reposted&latency={low}"
        items.append((bucket_label(low, high), count, link))
    waiting = orders.filter(state=R.OPEN).count()
    items.append((str(_("尚未转发")), waiting, f"{board}?statement={statement.pk}&state=open"))
    return items


def latency_range(low: int) -> tuple[int, int | None]:
    for bucket_low, bucket_high in BUCKETS:
        if bucket_low == low:
            return bucket_low * 60, None if bucket_high is None else bucket_high * 60
    return 0, None


def published_statements(incident_id: int) -> QuerySet[Statement]:
    return (
        Statement.objects.filter(incident_id=incident_id, fanned_out_at__isnull=False)
        .select_related("post", "post__account")
        .order_by("-sequence")
    )
