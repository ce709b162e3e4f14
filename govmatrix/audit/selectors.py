"""Reading the event log: the office's audit page, an object's history, the chain check."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import models
from django.db.models import Q, QuerySet

from govmatrix.audit.chain import GENESIS_HASH, hash_of_row
from govmatrix.audit.models import Event


@dataclass(frozen=True)
class EventFilter:
    verb: str = ""
    unit_id: int | None = None
    actor: str = ""
    object_type: str = ""
    since: date | None = None
    until: date | None = None
    q: str = ""


def event_list(
    *, visible_unit_ids: set[int] | None, filters: EventFilter | None = None
) -> QuerySet[Event]:
    """Events the viewer may see: all of them (None), or those of the given units."""
    events = Event.objects.all()
    if visible_unit_ids is not None:
        events = events.filter(unit_id__in=visible_unit_ids)
    f = filters or EventFilter()
    if f.verb:
        events = events.filter(verb=f.verb)
    if f.unit_id:
        events = events.filter(unit_id=f.unit_id)
    if f.actor:
        events = events.filter(actor_name__icontains=f.actor)
    if f.object_type:
        events = events.filter(object_type=f.object_type)
    if f.since:
        events = events.filter(created_at__date__gte=f.since)
    if f.until:
        events = events.filter(created_at__date__lte=f.until)
    if f.q:
        events = events.filter(Q(note__icontains=f.q) | Q(object_label__icontains=f.q))
    return events


def event_history_of(obj: models.Model) -> QuerySet[Event]:
    """The events about one object, oldest first. Callers check that the viewer may see `obj`."""
    return Event.objects.filter(
        object_type=f"{obj._meta.app_label}.{obj._meta.model_name}", object_id=str(obj.pk)
    ).order_by("seq")


@dataclass(frozen=True)
class ChainReport:
    checked: int
    first_broken_seq: int | None
    reason: str
    head_hash: str

    @property
    def intact(self) -> bool:
        return self.first_broken_seq is None


def chain_verify() -> ChainReport:
    """Walk the whole chain in order; stop at the first row that was changed, removed or inserted."""
    expected_seq = 1
    prev_hash = GENESIS_HASH
    checked = 0
    for row in Event.objects.order_by("seq").iterator(chunk_size=2000):
        if row.seq != expected_seq:
            return ChainReport(
                checked,
                row.seq,
                f"序号不连续：应为 {expected_seq}，实为 {row.seq}（有事件被删除）",
                prev_hash,
            )
        if row.prev_hash != prev_hash:
            return ChainReport(
                checked, row.seq, "前一事件的哈希不符（有事件被删除或插入）", prev_hash
            )
        if hash_of_row(row) != row.hash:
            return ChainReport(checked, row.seq, "事件内容与其哈希不符（事件被改动）", prev_hash)
        prev_hash = row.hash
        expected_seq += 1
        checked += 1
    return ChainReport(checked, None, "", prev_hash)
