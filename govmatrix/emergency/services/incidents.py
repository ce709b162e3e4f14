"""Declaring an incident, its clocks, its press conference, standing it down, and the office's
switches around it (the pause of scheduled publishing, a sub-account's allowance, settings)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from govmatrix.audit.services import event_record
from govmatrix.audit.workflow import transition
from govmatrix.core.errors import InvalidTransition, NotFound, ValidationFailed
from govmatrix.core.types import Actor
from govmatrix.core.validation import clean_or_fail
from govmatrix.emergency import rules
from govmatrix.emergency.models import (
    EmergencySettings,
    Incident,
    IncidentLevel,
    IncidentStatus,
    SubAccountAllowance,
)
from govmatrix.emergency.services import notices
from govmatrix.matrix.models import OPEN_STATUSES, Account, AccountKind
from govmatrix.org.models import Person, Unit
from govmatrix.org.permissions import require, scope_for
from govmatrix.org.services import person_create
from govmatrix.publishing.models import PublishingSettings
from govmatrix.publishing.services import publishing_pause

S = IncidentStatus
INCIDENT_TRANSITIONS: dict[str, set[str]] = {
    S.ACTIVE: {S.STOOD_DOWN},
    S.STOOD_DOWN: set(),
}
# An incident may be entered after the fact (declared by phone first), within this window.
BACKDATE_LIMIT = timedelta(days=30)
CLOCK_SLACK = timedelta(minutes=1)


def _require_office(actor: Actor) -> None:
    require(rules.can_declare(scope_for(actor)), _("只有管理办公室可以处理突发事件的这项工作。"))


def _locked_settings() -> EmergencySettings:
    EmergencySettings.objects.get_or_create(pk=1)
    return EmergencySettings.objects.select_for_update().get(pk=1)


def locked_incident(actor: Actor | None, incident_id: int) -> Incident:
    incident = (
        Incident.objects.select_for_update(of=("self",))
        .select_related("commander", "commander__user")
        .filter(pk=incident_id)
        .first()
    )
    if incident is None:
        raise NotFound(_("突发事件不存在。"))
    if actor is not None:
        from govmatrix.emergency.selectors.incidents import can_see_incident

        if not can_see_incident(scope_for(actor), incident):
            raise NotFound(_("突发事件不存在。"))
    return incident


def _moment(value: datetime | None, *, field: str, earliest: datetime | None) -> datetime:
    now = timezone.now()
    if value is None:
        return now
    if timezone.is_naive(value):
        raise ValidationFailed({field: _("时间须带时区。")})
    if value > now + CLOCK_SLACK:
        raise ValidationFailed({field: _("时间不能晚于现在。")})
    if earliest is not None and value < earliest:
        raise ValidationFailed({field: _("时间不能早于事件宣布时间。")})
    return value


def _commander(commander_id: int | None, errors: dict[str, str]) -> Person | None:
    person = (
        Person.objects.select_related("user").filter(pk=commander_id).first()
        if commander_id is not None
        else None
    )
    if person is None or not person.is_active:
        errors["commander"] = _("请选择在职的现场最高领导。")
        return None
    if person.user is None or not person.user.is_active:
        errors["commander"] = _(
            "「%(name)s」没有可用的登录账号。现场最高领导须登录审核应对口径：请先为其新建带登录名的人员。"
        ) % {"name": person.name}
        return None
    return person


@dataclass(frozen=True)
class NewCommander:
    """A commander from outside the office, entered with the declaration (with a login)."""

    name: str
    username: str
    password: str
    title: str = ""
    phone: str = ""


def _new_commander(actor: Actor, new: NewCommander) -> int:
    if not new.username.strip() or not new.password:
        raise ValidationFailed(
            {"new_username": _("现场最高领导须登录审核：请为其设置登录名和初始密码。")}
        )
    person = person_create(
        actor=actor,
        name=new.name,
        title=new.title,
        phone=new.phone,
        username=new.username,
        password=new.password,
    )
    return person.pk


# --- declare and stand down ------------------------------------------------------------------
@transaction.atomic
def incident_declare(
    *,
    actor: Actor,
    title: str,
    level: str,
    commander_id: int | None = None,
    new_commander: NewCommander | None = None,
    unit_ids: Sequence[int] = (),
    summary: str = "",
    declared_at: datetime | None = None,
    pause_publishing: bool = False,
) -> Incident:
    """The office declares an incident; its two clocks start at the declaration."""
    _require_office(actor)
    if new_commander is not None:
        commander_id = _new_commander(actor, new_commander)
    errors: dict[str, str] = {}
    if not title.strip() or len(title.strip()) > 100:
        errors["title"] = _("请填写事件名称（不超过 100 字）。")
    if level not in IncidentLevel.values:
        errors["level"] = _("请选择事件级别。")
    commander = _commander(commander_id, errors)
    units = list(Unit.objects.filter(pk__in=set(unit_ids), is_active=True))
    if len(units) != len(set(unit_ids)):
        errors["units"] = _("涉事单位不存在或已停用。")
    moment = timezone.now()
    if declared_at is not None:
        try:
            moment = _moment(declared_at, field="declared_at", earliest=None)
        except ValidationFailed as exc:
            errors.update(exc.errors)
        if moment < timezone.now() - BACKDATE_LIMIT:
            errors["declared_at"] = _("补录的宣布时间不能早于 30 天前。")
    if errors:
        raise ValidationFailed(errors)
    assert commander is not None
    row = _locked_settings()
    year = timezone.localtime(moment).year
    last = Incident.objects.filter(year=year).aggregate(n=Max("sequence"))["n"] or 0
    incident = Incident.objects.create(
        year=year,
        sequence=last + 1,
        title=title.strip(),
        level=level,
        summary=summary.strip(),
        commander=commander,
        declared_at=moment,
        declared_by=rules.acting_user(actor),
        first_info_due_at=moment + timedelta(hours=row.first_info_hours),
        full_release_due_at=moment + timedelta(hours=row.full_release_hours),
    )
    incident.units.set(units)
    event_record(
        actor=actor,
        verb="incident.declared",
        obj=incident,
        to_state=incident.status,
        data={
            "level": level,
            "commander": commander.pk,
            "units": sorted(u.pk for u in units),
            "declared_at": moment,
            "first_info_due_at": incident.first_info_due_at,
            "full_release_due_at": incident.full_release_due_at,
        },
    )
    transaction.on_commit(lambda: notices.notify_declared(incident, actor.pk))
    if pause_publishing and not PublishingSettings.objects.filter(pk=1, paused=True).exists():
        incident_publishing_pause(actor=actor, incident_id=incident.pk)
    return incident


@transaction.atomic
def incident_stand_down(
    *, actor: Actor, incident_id: int, note: str = "", at: datetime | None = None
) -> Incident:
    """End the response: no new statements; open orders stay on the record as they are."""
    incident = locked_incident(actor, incident_id)
    require(
        rules.can_lead(scope_for(actor), incident), _("只有管理办公室或现场最高领导可以结束事件。")
    )
    incident.stood_down_at = _moment(at, field="at", earliest=incident.declared_at)
    incident.stood_down_by = rules.acting_user(actor)
    incident.stand_down_note = note.strip()[:200]
    transition(
        incident,
        to=S.STOOD_DOWN,
        allowed=INCIDENT_TRANSITIONS,
        actor=actor,
        verb="incident.stood_down",
        unit_id=None,
        also_update=["stood_down_at", "stood_down_by", "stand_down_note"],
        note=incident.stand_down_note,
    )
    transaction.on_commit(lambda: notices.notify_stood_down(incident, actor.pk))
    return incident


def _require_active(incident: Incident) -> None:
    if incident.status != S.ACTIVE:
        raise InvalidTransition(_("事件已结束，不能再做这项处理。"))


@transaction.atomic
def incident_press_conference_record(
    *, actor: Actor, incident_id: int, held_at: datetime | None = None, note: str = ""
) -> Incident:
    """A press conference meets the 24-hour clock as a fuller release does."""
    incident = locked_incident(actor, incident_id)
    require(rules.can_lead(scope_for(actor), incident), _("只有管理办公室或现场最高领导可以登记。"))
    _require_active(incident)
    held = _moment(held_at, field="held_at", earliest=incident.declared_at)
    incident.press_conference_at = held
    incident.press_conference_note = note.strip()[:200]
    fields = ["press_conference_at", "press_conference_note", "updated_at"]
    if incident.full_release_at is None or held < incident.full_release_at:
        incident.full_release_at = held
        fields.append("full_release_at")
    incident.save(update_fields=fields)
    event_record(
        actor=actor,
        verb="incident.press_conference",
        obj=incident,
        note=incident.press_conference_note,
        data={"held_at": held},
    )
    return incident


@transaction.atomic
def incident_publishing_pause(*, actor: Actor, incident_id: int) -> PublishingSettings:
    """The switch offered on declaration: hold every scheduled post (statements still go out)."""
    incident = locked_incident(actor, incident_id)
    _require_active(incident)
    return publishing_pause(actor=actor, note=_("突发事件：%(title)s") % {"title": incident.title})


@transaction.atomic
def incident_allowance_grant(
    *, actor: Actor, incident_id: int, account_id: int, reason: str
) -> SubAccountAllowance:
    """The office lets one sub-account publish on the incident, and records why."""
    _require_office(actor)
    incident = locked_incident(actor, incident_id)
    _require_active(incident)
    account = Account.objects.filter(
        pk=account_id, kind=AccountKind.SUB, status__in=OPEN_STATUSES
    ).first()
    errors: dict[str, str] = {}
    if account is None:
        errors["account"] = _("请选择运行中的子账号。")
    if not reason.strip():
        errors["reason"] = _("请写明许可理由。")
    if errors:
        raise ValidationFailed(errors)
    assert account is not None
    if SubAccountAllowance.objects.filter(incident=incident, account=account).exists():
        raise InvalidTransition(_("「%(a)s」已获许可。") % {"a": account.display_name})
    allowance = SubAccountAllowance.objects.create(
        incident=incident,
        account=account,
        reason=reason.strip()[:200],
        granted_by=rules.acting_user(actor),
        granted_at=timezone.now(),
    )
    event_record(
        actor=actor,
        verb="incident.allowance_granted",
        obj=incident,
        unit_id=account.unit_id,
        note=allowance.reason,
        data={"account": account.pk},
    )
    return allowance


@transaction.atomic
def emergency_settings_update(*, actor: Actor, **changes: Any) -> EmergencySettings:
    _require_office(actor)
    allowed = {
        "first_info_hours",
        "full_release_hours",
        "repost_minutes",
        "reminder_minutes",
        "document_prefix",
    }
    row = _locked_settings()
    diff = {}
    for name, value in changes.items():
        if name in allowed and getattr(row, name) != value:
            diff[name] = [getattr(row, name), value]
            setattr(row, name, value)
    if not diff:
        return row
    clean_or_fail(row)
    row.save(update_fields=[*diff, "updated_at"])
    event_record(actor=actor, verb="emergency.settings_updated", obj=row, data={"changes": diff})
    return row
