"""Deadlines of repost orders, and the sweep that re-drives whatever a lost message left.

Every minute: a reminder to the operators of open orders that are due within the reminder
window, an escalation to the unit's leaders for open orders past their deadline (each once
per order), the fan-out of any published statement that has none yet, and the next slice of
automatic reposts. (A statement's copies are fanned out each on its own publication, and
swept alike.) Each works in bulk per statement and is safe to run on many workers at
once: an order is claimed by the conditional UPDATE that stamps it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from govmatrix.audit.services import event_record
from govmatrix.emergency.models import (
    IncidentStatus,
    RepostOrder,
    RepostOrderState,
    Statement,
    StatementCopy,
)
from govmatrix.emergency.selectors.settings import emergency_settings
from govmatrix.emergency.services import notices
from govmatrix.emergency.services.fanout import (
    SLICE_SECONDS,
    auto_reposts_dispatch,
    repost_orders_create,
)
from govmatrix.matrix.models import AccountKind

STALLED_AFTER = timedelta(seconds=3 * SLICE_SECONDS)


def _open_orders() -> QuerySet[RepostOrder]:
    # In-flight orders are on their way: neither reminded nor escalated until they come back.
    return RepostOrder.objects.filter(
        state=RepostOrderState.OPEN,
        requested_at__isnull=True,
        statement__incident__status=IncidentStatus.ACTIVE,
    )


def _per_statement(
    due: QuerySet[RepostOrder],
    *,
    stamp: str,
    moment: datetime,
    verb: str,
    tell: Callable[[Statement, QuerySet[RepostOrder]], int],
) -> int:
    done = 0
    for statement_id in sorted(set(due.values_list("statement_id", flat=True))):
        with transaction.atomic():
            ids = list(due.filter(statement_id=statement_id).values_list("pk", flat=True))
            # The UPDATE claims the orders: a second worker finds them stamped and skips them.
            claimed = RepostOrder.objects.filter(pk__in=ids, **{f"{stamp}__isnull": True})
            count = claimed.update(**{stamp: moment})
            if not count:
                continue
            statement = Statement.objects.select_related("incident", "post__account").get(
                pk=statement_id
            )
            orders = RepostOrder.objects.filter(pk__in=ids, **{stamp: moment})
            notified = tell(statement, orders)
            event_record(
                actor=None,
                actor_name="system",
                verb=verb,
                obj=statement,
                unit_id=statement.post.account.unit_id,
                data={
                    "orders": count,
                    "notified": notified,
                    "units": sorted(set(orders.values_list("unit_id", flat=True))),
                },
            )
            done += count
    return done


def repost_orders_remind(*, now: datetime | None = None) -> int:
    """Remind the operators of open orders due within the reminder window (once per order)."""
    moment = now or timezone.now()
    window = timedelta(minutes=emergency_settings().reminder_minutes)
    due = _open_orders().filter(
        reminded_at__isnull=True, due_at__gt=moment, due_at__lte=moment + window
    )
    return _per_statement(
        due,
        stamp="reminded_at",
        moment=moment,
        verb="repost_orders.reminded",
        tell=notices.notify_reminder,
    )


def repost_orders_escalate(*, now: datetime | None = None) -> int:
    """Tell the unit's leaders about its overdue open orders (once per order)."""
    moment = now or timezone.now()
    due = _open_orders().filter(escalated_at__isnull=True, due_at__lte=moment)
    return _per_statement(
        due,
        stamp="escalated_at",
        moment=moment,
        verb="repost_orders.escalated",
        tell=notices.notify_escalated,
    )


def emergency_sweep(*, now: datetime | None = None) -> dict[str, int]:
    """Re-drive everything that should have happened; returns what it did."""
    missing = Statement.objects.filter(
        published_at__isnull=False,
        fanned_out_at__isnull=True,
        order_reposts=True,
        post__account__kind=AccountKind.MAIN,
    ).values_list("pk", flat=True)
    fanned = sum(repost_orders_create(statement_id=pk, now=now) for pk in list(missing))
    copies = StatementCopy.objects.filter(
        published_at__isnull=False,
        fanned_out_at__isnull=True,
        statement__order_reposts=True,
        statement__post__account__kind=AccountKind.MAIN,
    ).values_list("statement_id", "pk")
    fanned += sum(
        repost_orders_create(statement_id=statement_id, copy_id=copy_id, now=now)
        for statement_id, copy_id in list(copies)
    )
    # Automatic reposts whose chain of slices stopped (a lost message, a worker restarted).
    moment = now or timezone.now()
    waiting = RepostOrder.objects.filter(state=RepostOrderState.OPEN, auto=True, attempts=0)
    stalled = Statement.objects.filter(pk__in=waiting.values("statement_id")).filter(
        Q(auto_sliced_at__isnull=True) | Q(auto_sliced_at__lt=moment - STALLED_AFTER)
    )
    for statement_id in list(stalled.values_list("pk", flat=True)):
        auto_reposts_dispatch(statement_id=statement_id, now=now)
    return {
        "fanned_out": fanned,
        "reminded": repost_orders_remind(now=now),
        "escalated": repost_orders_escalate(now=now),
    }
