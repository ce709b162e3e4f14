"""SLA clocks in working time (the district's calendar, `workdays`), per kind of message.

Each message has two deadlines from the moment it was received: the first answer (default 4
working hours) and the resolution (default 5 working days), and a warning time before each.
A deadline that runs into a year the calendar does not know is **not guessed**: it stays
empty and the message says which year is missing (`problem`), until the office enters it.

Which deadline runs now (`next_due_at`): the first answer until one is published, then the
resolution; none once the message is closed or merged.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from govmatrix.inbox.models import Message, MessageState, SlaTarget
from govmatrix.workdays.calendar import WorkCalendar, YearMissing
from govmatrix.workdays.selectors import work_calendar

DEFAULT_TARGET = SlaTarget(
    ack_hours=Decimal("4"),
    resolve_days=Decimal("5"),
    ack_warn_hours=Decimal("1"),
    resolve_warn_days=Decimal("1"),
)


def sla_targets() -> dict[str, SlaTarget]:
    """The office's targets per kind; a kind it has not set gets the defaults."""
    return {target.kind: target for target in SlaTarget.objects.all()}


def target_for(kind: str, targets: dict[str, SlaTarget] | None = None) -> SlaTarget:
    found = (targets if targets is not None else sla_targets()).get(kind)
    return found or DEFAULT_TARGET


@dataclass(frozen=True)
class Deadlines:
    ack_due_at: datetime | None
    ack_warn_at: datetime | None
    resolve_due_at: datetime | None
    resolve_warn_at: datetime | None
    problem: str  # "" or the missing years, e.g. "2027"

    def as_fields(self) -> dict[str, object]:
        return {
            "ack_due_at": self.ack_due_at,
            "ack_warn_at": self.ack_warn_at,
            "resolve_due_at": self.resolve_due_at,
            "resolve_warn_at": self.resolve_warn_at,
            "sla_problem": self.problem,
        }


def _hours(value: Decimal) -> timedelta:
    return timedelta(seconds=float(value) * 3600)


def deadlines_for(
    kind: str,
    received_at: datetime,
    *,
    targets: dict[str, SlaTarget] | None = None,
    calendar: WorkCalendar | None = None,
) -> Deadlines:
    calendar = calendar or work_calendar()
    target = target_for(kind, targets)
    day = calendar.hours.per_day
    missing: set[int] = set()

    def after(amount: timedelta) -> datetime | None:
        try:
            return calendar.add(received_at, amount)
        except YearMissing as exc:
            missing.add(exc.year)
            return None

    ack = _hours(target.ack_hours)
    resolve = day * float(target.resolve_days)
    due = Deadlines(
        ack_due_at=after(ack),
        ack_warn_at=after(max(timedelta(0), ack - _hours(target.ack_warn_hours))),
        resolve_due_at=after(resolve),
        resolve_warn_at=after(max(timedelta(0), resolve - day * float(target.resolve_warn_days))),
        problem=",".join(str(y) for y in sorted(missing)),
    )
    return due


def current_stage(message: Message) -> tuple[datetime | None, datetime | None]:
    """(next_due_at, next_warn_at) for the message as it stands."""
    if message.state not in (MessageState.TRIAGE, MessageState.OPEN, MessageState.ANSWERED):
        return None, None
    if message.first_response_at is None:
        return message.ack_due_at, message.ack_warn_at
    return message.resolve_due_at, message.resolve_warn_at


def set_stage(message: Message) -> list[str]:
    """Put the running deadline on the message; returns the fields it changed."""
    due, warn = current_stage(message)
    message.next_due_at, message.next_warn_at = due, warn
    return ["next_due_at", "next_warn_at"]


# --- what a person sees -----------------------------------------------------------------------
SLA_STATES = ("on_time", "near", "overdue", "unknown", "met", "missed")


def sla_state(message: Message, now: datetime | None = None) -> str:
    """on_time / near / overdue while open (unknown when a year is missing); met / missed after."""
    moment = now or timezone.now()
    if message.state == MessageState.MERGED:
        return ""
    if message.state == MessageState.CLOSED:
        if message.resolve_due_at is None or message.resolved_at is None:
            return "unknown"
        return "met" if message.resolved_at <= message.resolve_due_at else "missed"
    if message.next_due_at is None:
        return "unknown"
    if moment >= message.next_due_at:
        return "overdue"
    if message.next_warn_at is not None and moment >= message.next_warn_at:
        return "near"
    return "on_time"


def working_between(start: datetime, end: datetime) -> timedelta | None:
    """Working time from start to end; None when a year between them is unknown."""
    try:
        return work_calendar().between(start, end)
    except YearMissing:
        return None


@dataclass(frozen=True)
class Waiting:
    """Working time the citizen has waited so far, split by who it waited for."""

    total: timedelta | None
    leader: timedelta | None
    staff: timedelta | None


def waiting_split(
    received_at: datetime,
    until: datetime,
    leader_spans: list[tuple[datetime, datetime]],
) -> Waiting:
    """Time from receipt to `until`; the part spent in a leader's review, and the rest."""
    total = working_between(received_at, until)
    leader = timedelta(0)
    merged: list[list[datetime]] = []
    for start, end in sorted(leader_spans):
        start, end = max(start, received_at), min(end, until)
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    for start, end in merged:
        part = working_between(start, end)
        if part is None:
            return Waiting(total, None, None)
        leader += part
    if total is None:
        return Waiting(None, leader, None)
    return Waiting(total, leader, max(timedelta(0), total - leader))
