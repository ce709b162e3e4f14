"""Reads of guidance and training, scoped: the office sees all; a unit's people see what was
sent to their units; the exchange board is read by everyone with a role in the district."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from govmatrix.core.errors import NotFound
from govmatrix.core.types import Actor
from govmatrix.org.models import Person, Unit
from govmatrix.org.permissions import scope_for
from govmatrix.training import rules
from govmatrix.training.models import (
    Attendance,
    BoardThread,
    GuidanceNotice,
    GuidanceRead,
    NoticeStatus,
    TrainingEvent,
)


def notice_list(*, user: Actor) -> QuerySet[GuidanceNotice]:
    notices = GuidanceNotice.objects.annotate(
        unit_count=Count("units", distinct=True),
        read_unit_count=Count("reads__unit", distinct=True),
    )
    scope = scope_for(user)
    if scope.sees_all:
        return notices.order_by("-issued_at", "-id")
    return (
        notices.filter(status=NoticeStatus.ISSUED, units__in=scope.unit_ids)
        .distinct()
        .order_by("-issued_at", "-id")
    )


def notice_get(*, user: Actor, notice_id: int) -> GuidanceNotice:
    notice = notice_list(user=user).filter(pk=notice_id).first()
    if notice is None:
        raise NotFound(_("通知不存在。"))
    return notice


@dataclass(frozen=True)
class UnitReceipt:
    unit: Unit
    reads: list[GuidanceRead]

    @property
    def read(self) -> bool:
        return bool(self.reads)


def notice_receipts(*, user: Actor, notice: GuidanceNotice) -> list[UnitReceipt]:
    """Each addressed unit (visible to the user) with who of it confirmed, and when."""
    visible = scope_for(user).visible_unit_ids
    units = notice.units.all().order_by("sort_order", "code")
    if visible is not None:
        units = units.filter(pk__in=visible)
    reads: dict[int, list[GuidanceRead]] = {}
    for receipt in notice.reads.select_related("user").order_by("read_at"):
        reads.setdefault(receipt.unit_id, []).append(receipt)
    return [UnitReceipt(unit, reads.get(unit.pk, [])) for unit in units]


def unread_notices(*, user: Actor) -> QuerySet[GuidanceNotice]:
    """Issued notices to one of the user's units that nobody of that unit has confirmed."""
    scope = scope_for(user)
    if scope.sees_all or not scope.unit_ids:
        return GuidanceNotice.objects.none()
    return (
        GuidanceNotice.objects.filter(status=NoticeStatus.ISSUED, units__in=scope.unit_ids)
        .exclude(reads__user_id=user.pk or 0)
        .distinct()
    )


def thread_list(*, user: Actor, q: str = "") -> QuerySet[BoardThread]:
    if not rules.in_district(scope_for(user)):
        return BoardThread.objects.none()
    threads = BoardThread.objects.select_related("author", "author_unit")
    if q:
        threads = threads.filter(Q(title__icontains=q) | Q(body__icontains=q))
    return threads.order_by("-last_post_at")


def thread_get(*, user: Actor, thread_id: int) -> BoardThread:
    thread = thread_list(user=user).filter(pk=thread_id).first()
    if thread is None:
        raise NotFound(_("交流主题不存在。"))
    return thread


def event_list(*, user: Actor, kind: str = "", status: str = "") -> QuerySet[TrainingEvent]:
    events = TrainingEvent.objects.annotate(
        unit_count=Count("units", distinct=True),
        invited_count=Count("invitations", distinct=True),
        attended_count=Count("attendance", filter=Q(attendance__status="attended"), distinct=True),
    )
    scope = scope_for(user)
    if not scope.sees_all:
        events = events.filter(units__in=scope.unit_ids).distinct()
    if kind:
        events = events.filter(kind=kind)
    if status:
        events = events.filter(status=status)
    return events.order_by("-starts_at", "-id")


def event_get(*, user: Actor, event_id: int) -> TrainingEvent:
    event = event_list(user=user).filter(pk=event_id).first()
    if event is None:
        raise NotFound(_("培训活动不存在。"))
    return event


def person_record(*, user: Actor, person_id: int) -> tuple[Person, QuerySet[Attendance]]:
    """A person's training record: every event they were recorded at, newest first."""
    people = Person.objects.all()
    visible = scope_for(user).visible_unit_ids
    if visible is not None:
        people = people.filter(memberships__unit_id__in=visible)
    person = people.filter(pk=person_id).first()
    if person is None:
        raise NotFound(_("人员不存在。"))
    records = (
        Attendance.objects.filter(person=person)
        .select_related("event", "unit")
        .order_by("-event__starts_at")
    )
    return person, records
