"""The clocks' sweeper: warnings before each deadline, escalation when one passes, reminders to
follow up, and deadlines computed late once the office has entered a missing year.

The deadlines are indexed columns; the sweeper (every minute, on any number of workers) finds
the rows that are due and **claims each with a conditional UPDATE** (`…_at IS NULL`): only the
worker whose update changed the row sends the notifications, so running it twice, or on many
workers at once, warns and escalates once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from govmatrix.audit.services import event_record
from govmatrix.inbox import clocks
from govmatrix.inbox.models import WORKING_STATES, Message, MessageState
from govmatrix.inbox.services import notices

BATCH = 500
_OPEN = list(WORKING_STATES)


@dataclass(frozen=True)
class SweepResult:
    warned: int = 0
    escalated: int = 0
    reminded: int = 0
    recomputed: int = 0


def _claim(pk: int, flag: str, now: datetime, **still: object) -> Message | None:
    """Set `flag` on the row if nobody has; returns the message when this call set it."""
    with transaction.atomic():
        changed = Message.objects.filter(
            pk=pk, state__in=_OPEN, **{f"{flag}__isnull": True}, **still
        ).update(**{flag: now})
        if changed != 1:
            return None
        message = Message.objects.select_related("unit", "account", "assignee").get(pk=pk)
        if flag.endswith("escalated_at"):
            event_record(
                actor=None,
                actor_name="system",
                verb="message.overdue",
                obj=message,
                unit_id=message.unit_id,
                data={
                    "stage": flag.split("_")[0],
                    "due": getattr(message, f"{flag.split('_')[0]}_due_at"),
                },
            )
        return message


def _warn_and_escalate(now: datetime) -> tuple[int, int]:
    warned = escalated = 0
    stages = (
        ("ack", Message.objects.filter(first_response_at__isnull=True)),
        ("resolve", Message.objects.all()),
    )
    for stage, rows in stages:
        base = rows.filter(state__in=_OPEN)
        due = base.filter(**{f"{stage}_due_at__lte": now, f"{stage}_escalated_at__isnull": True})
        for pk in due.values_list("pk", flat=True)[:BATCH]:
            if message := _claim(pk, f"{stage}_escalated_at", now):
                notices.notify_overdue(message, stage)
                escalated += 1
        near = base.filter(
            **{
                f"{stage}_warn_at__lte": now,
                f"{stage}_due_at__gt": now,
                f"{stage}_warned_at__isnull": True,
            }
        )
        for pk in near.values_list("pk", flat=True)[:BATCH]:
            if message := _claim(pk, f"{stage}_warned_at", now):
                notices.notify_deadline_near(message, stage)
                warned += 1
    return warned, escalated


def _remind_followups(now: datetime) -> int:
    reminded = 0
    due = Message.objects.filter(state=MessageState.ANSWERED, followup_due_at__lte=now)
    for pk, when in due.values_list("pk", "followup_due_at")[:BATCH]:
        with transaction.atomic():
            changed = Message.objects.filter(pk=pk, followup_due_at=when).update(
                followup_due_at=None
            )
        if changed == 1:
            message = Message.objects.select_related("unit", "account", "assignee").get(pk=pk)
            notices.notify_followup(message)
            reminded += 1
    return reminded


def _recompute_missing(now: datetime) -> int:
    """Deadlines that could not be computed: try again (the office may have entered the year)."""
    recomputed = 0
    targets = clocks.sla_targets()
    calendar = clocks.work_calendar()
    rows = Message.objects.filter(state__in=_OPEN).exclude(sla_problem="")
    for message in rows.order_by("pk")[:BATCH]:
        due = clocks.deadlines_for(
            message.kind, message.received_at, targets=targets, calendar=calendar
        )
        if due.problem == message.sla_problem:
            continue
        with transaction.atomic():
            locked = Message.objects.select_for_update().get(pk=message.pk)
            for name, value in due.as_fields().items():
                setattr(locked, name, value)
            fields = [*due.as_fields(), *clocks.set_stage(locked)]
            locked.save(update_fields=[*fields, "updated_at"])
            event_record(
                actor=None,
                actor_name="system",
                verb="message.deadlines_computed",
                obj=locked,
                unit_id=locked.unit_id,
                data={
                    "ack_due_at": due.ack_due_at,
                    "resolve_due_at": due.resolve_due_at,
                    "missing": due.problem,
                },
            )
        recomputed += 1
    return recomputed


def sla_sweep(*, now: datetime | None = None) -> SweepResult:
    moment = now or timezone.now()
    recomputed = _recompute_missing(moment)
    warned, escalated = _warn_and_escalate(moment)
    return SweepResult(
        warned=warned,
        escalated=escalated,
        reminded=_remind_followups(moment),
        recomputed=recomputed,
    )


def deadlines_recompute_all(*, kind: str | None = None) -> int:
    """After the office changes a target: the open messages' deadlines from their receipt."""
    targets = clocks.sla_targets()
    calendar = clocks.work_calendar()
    rows = Message.objects.filter(state__in=_OPEN)
    if kind:
        rows = rows.filter(kind=kind)
    changed = 0
    for message in rows.select_for_update().order_by("pk"):
        due = clocks.deadlines_for(
            message.kind, message.received_at, targets=targets, calendar=calendar
        )
        for name, value in due.as_fields().items():
            setattr(message, name, value)
        fields = [*due.as_fields(), *clocks.set_stage(message)]
        message.save(update_fields=[*fields, "updated_at"])
        changed += 1
    return changed
