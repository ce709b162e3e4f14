"""Training classes, joint meetings and online exchanges (R7.2): planned with an audience by
level and unit and a content, invitations, attendance, materials and each person's record."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from datetime import datetime

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from govmatrix.audit.services import event_record
from govmatrix.audit.workflow import transition
from govmatrix.core.errors import InvalidTransition, ValidationFailed
from govmatrix.core.types import Actor, as_user
from govmatrix.notifications.services import notify
from govmatrix.org.models import Membership, Unit
from govmatrix.training import rules
from govmatrix.training.materials import check_upload
from govmatrix.training.models import (
    Attendance,
    AttendanceStatus,
    AudienceLevel,
    EventKind,
    EventStatus,
    Invitation,
    Material,
    TrainingEvent,
)
from govmatrix.training.services.common import locked, office


def _validate(
    kind: str, title: str, content: str, starts_at: datetime, ends_at: datetime,
    levels: Iterable[str], unit_ids: Iterable[int],
) -> tuple[list[str], list[int]]:  # fmt: skip
    errors = {}
    if kind not in EventKind.values:
        errors["kind"] = _("请选择形式。")
    if not title.strip():
        errors["title"] = _("请填写名称。")
    if not content.strip():
        errors["content"] = _("请填写培训或交流内容。")
    if ends_at <= starts_at:
        errors["ends_at"] = _("结束时间应晚于开始时间。")
    chosen_levels = sorted(set(levels))
    if not chosen_levels or not set(chosen_levels) <= set(AudienceLevel.values):
        errors["levels"] = _("请选择对象层次。")
    ids = sorted(set(unit_ids))
    if not ids or Unit.objects.filter(pk__in=ids).count() != len(ids):
        errors["units"] = _("请选择参加单位。")
    if errors:
        raise ValidationFailed(errors)
    return chosen_levels, ids


@transaction.atomic
def training_event_create(
    *,
    actor: Actor,
    kind: str,
    title: str,
    content: str,
    starts_at: datetime,
    ends_at: datetime,
    levels: Iterable[str],
    unit_ids: Iterable[int],
    location: str = "",
) -> TrainingEvent:
    office(actor, _("培训和交流由管理办公室组织。"))
    chosen, ids = _validate(kind, title, content, starts_at, ends_at, levels, unit_ids)
    event = TrainingEvent.objects.create(
        kind=kind, title=title.strip(), content=content.strip(), starts_at=starts_at,
        ends_at=ends_at, location=location.strip(), levels=chosen, created_by=as_user(actor),
    )  # fmt: skip
    event.units.set(ids)
    event_record(actor=actor, verb="training.created", obj=event, to_state=event.status,
                 data={"kind": kind, "levels": chosen, "units": ids})  # fmt: skip
    return event


def audience(event: TrainingEvent) -> list[Membership]:
    """The serving people of the event's units in the event's levels."""
    return list(
        Membership.objects.filter(
            unit__in=event.units.all(), role__in=event.levels, ended_on__isnull=True,
            person__is_active=True,
        ).select_related("person__user", "unit")
    )  # fmt: skip


@transaction.atomic
def training_event_invite(*, actor: Actor, event_id: int) -> int:
    """Invite the audience (one invitation per person and unit) and notify those with a login."""
    office(actor)
    event = locked(TrainingEvent, event_id, _("培训活动"))
    now = timezone.now()
    members = audience(event)
    Invitation.objects.bulk_create(
        [Invitation(event=event, person=m.person, unit=m.unit, level=m.role, invited_at=now)
         for m in members],
        ignore_conflicts=True,
    )  # fmt: skip
    event.invited_at = now
    transition(event, to=EventStatus.INVITED, allowed=rules.EVENT_TRANSITIONS, actor=actor,
               verb="training.invited", unit_id=None, also_update=["invited_at"],
               data={"invitations": len(members)})  # fmt: skip
    link = reverse("training:event", args=[event.pk])
    when = timezone.localtime(event.starts_at).strftime("%Y-%m-%d %H:%M")
    text = _("邀请参加%(kind)s：%(title)s，%(when)s，%(where)s") % {
        "kind": event.get_kind_display(), "title": event.title, "when": when,
        "where": event.location or "—",
    }  # fmt: skip
    transaction.on_commit(
        lambda: notify(recipients=[m.person.user for m in members], verb="training.invited",
                       text=text, link=link)
    )  # fmt: skip
    return len(members)


@transaction.atomic
def training_event_mark_held(*, actor: Actor, event_id: int) -> TrainingEvent:
    office(actor)
    event = locked(TrainingEvent, event_id, _("培训活动"))
    if event.starts_at > timezone.now():
        raise InvalidTransition(_("活动尚未开始，不能标为已举办。"))
    transition(event, to=EventStatus.HELD, allowed=rules.EVENT_TRANSITIONS, actor=actor,
               verb="training.held", unit_id=None)  # fmt: skip
    return event


@transaction.atomic
def training_event_cancel(*, actor: Actor, event_id: int, note: str = "") -> TrainingEvent:
    office(actor)
    event = locked(TrainingEvent, event_id, _("培训活动"))
    transition(event, to=EventStatus.CANCELLED, allowed=rules.EVENT_TRANSITIONS, actor=actor,
               verb="training.cancelled", unit_id=None, note=note.strip())  # fmt: skip
    return event


@transaction.atomic
def attendance_record(
    *,
    actor: Actor,
    event_id: int,
    statuses: Mapping[int, str],
    notes: Mapping[int, str] | None = None,
) -> int:
    """Record who attended ({person id: attended / excused / absent}); invited people only.
    Recording again changes the record (the event log keeps every version)."""
    office(actor)
    event = locked(TrainingEvent, event_id, _("培训活动"))
    if event.status not in rules.ATTENDANCE_STATES:
        raise InvalidTransition(_("活动发出邀请后才能登记出席情况。"))
    invited = {i.person_id: i.unit_id for i in event.invitations.all()}
    errors = {
        f"person_{pk}": _("不在邀请名单中。") for pk in statuses if pk not in invited
    } | {
        f"person_{pk}": _("出席情况无效。")
        for pk, value in statuses.items() if value not in AttendanceStatus.values
    }  # fmt: skip
    if errors:
        raise ValidationFailed(errors)
    now, user = timezone.now(), as_user(actor)
    for person_id, value in statuses.items():
        Attendance.objects.update_or_create(
            event=event, person_id=person_id,
            defaults={"unit_id": invited[person_id], "status": value, "recorded_by": user,
                      "recorded_at": now, "note": (notes or {}).get(person_id, "")[:200]},
        )  # fmt: skip
    event_record(actor=actor, verb="training.attendance_recorded", obj=event,
                 data={"attendance": {str(k): v for k, v in statuses.items()}})  # fmt: skip
    return len(statuses)


@transaction.atomic
def material_upload(*, actor: Actor, event_id: int, title: str, upload: UploadedFile) -> Material:
    office(actor)
    event = locked(TrainingEvent, event_id, _("培训活动"))
    if event.status == EventStatus.CANCELLED:
        raise InvalidTransition(_("活动已取消。"))
    content_type = check_upload(upload)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    material = Material(
        event=event, title=(title.strip() or upload.name or "")[:200],
        original_name=(upload.name or "")[:200], content_type=content_type,
        size=upload.size or 0, sha256=digest.hexdigest(), uploaded_by=as_user(actor),
        uploaded_at=timezone.now(),
    )  # fmt: skip
    material.file.save(f"{digest.hexdigest()[:16]}{_suffix(upload.name or '')}", upload, save=False)
    material.save()
    event_record(actor=actor, verb="training.material_uploaded", obj=event,
                 data={"material": material.pk, "name": material.original_name,
                       "sha256": material.sha256, "size": material.size})  # fmt: skip
    return material


def _suffix(name: str) -> str:
    return "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
