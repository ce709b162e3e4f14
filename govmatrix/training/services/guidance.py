"""Guidance notices from the office to units (R7.1), with read receipts and reminders."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from govmatrix.audit.services import event_record
from govmatrix.audit.workflow import transition
from govmatrix.core.errors import InvalidTransition, NotAllowed, ValidationFailed
from govmatrix.core.types import Actor, as_user
from govmatrix.notifications.services import notify, users_with_role
from govmatrix.org.models import Unit
from govmatrix.org.permissions import UNIT_EDITOR_ROLES, scope_for
from govmatrix.training import rules
from govmatrix.training.models import GuidanceNotice, GuidanceRead, NoticeStatus
from govmatrix.training.services.common import locked, office


def _check(title: str, body: str, unit_ids: Iterable[int]) -> list[int]:
    errors = {}
    if not title.strip():
        errors["title"] = _("请填写标题。")
    if not body.strip():
        errors["body"] = _("请填写正文。")
    ids = sorted(set(unit_ids))
    if not ids or Unit.objects.filter(pk__in=ids).count() != len(ids):
        errors["units"] = _("请选择下发单位。")
    if errors:
        raise ValidationFailed(errors)
    return ids


@transaction.atomic
def guidance_notice_create(
    *, actor: Actor, title: str, body: str, unit_ids: Iterable[int], read_by: date | None = None
) -> GuidanceNotice:
    office(actor, _("只有管理办公室可以下发业务指导。"))
    ids = _check(title, body, unit_ids)
    notice = GuidanceNotice.objects.create(
        title=title.strip(), body=body.strip(), read_by=read_by, created_by=as_user(actor)
    )
    notice.units.set(ids)
    event_record(actor=actor, verb="guidance.created", obj=notice, to_state=notice.status,
                 data={"units": ids})  # fmt: skip
    return notice


@transaction.atomic
def guidance_notice_issue(*, actor: Actor, notice_id: int) -> GuidanceNotice:
    office(actor, _("只有管理办公室可以下发业务指导。"))
    notice = locked(GuidanceNotice, notice_id, _("业务指导通知"))
    notice.issued_at = timezone.now()
    transition(notice, to=NoticeStatus.ISSUED, allowed=rules.NOTICE_TRANSITIONS, actor=actor,
               verb="guidance.issued", unit_id=None, also_update=["issued_at"])  # fmt: skip
    unit_ids = list(notice.units.values_list("pk", flat=True))
    link = reverse("training:notice", args=[notice.pk])
    transaction.on_commit(
        lambda: [
            notify(recipients=users_with_role(unit_id=u, roles=UNIT_EDITOR_ROLES),
                   verb="guidance.issued", text=_("业务指导：%(t)s") % {"t": notice.title},
                   link=link, unit_id=u)
            for u in unit_ids
        ]
    )  # fmt: skip
    return notice


@transaction.atomic
def guidance_notice_withdraw(*, actor: Actor, notice_id: int, note: str = "") -> GuidanceNotice:
    office(actor)
    notice = locked(GuidanceNotice, notice_id, _("业务指导通知"))
    transition(notice, to=NoticeStatus.WITHDRAWN, allowed=rules.NOTICE_TRANSITIONS, actor=actor,
               verb="guidance.withdrawn", unit_id=None, note=note.strip())  # fmt: skip
    return notice


@transaction.atomic
def guidance_notice_confirm_read(*, actor: Actor, notice_id: int) -> list[GuidanceRead]:
    """The read receipt: the reader confirms for each of their units the notice was sent to."""
    notice = locked(GuidanceNotice, notice_id, _("业务指导通知"))
    if notice.status != NoticeStatus.ISSUED:
        raise InvalidTransition(_("该通知未下发或已撤回。"))
    scope = scope_for(actor)
    units = sorted(set(notice.units.values_list("pk", flat=True)) & set(scope.unit_ids))
    if not units:
        raise NotAllowed(_("该通知没有下发给您的单位。"))
    now, user = timezone.now(), as_user(actor)
    receipts = []
    for unit_id in units:
        receipt, created = GuidanceRead.objects.get_or_create(
            notice=notice, user=user, unit_id=unit_id, defaults={"read_at": now}
        )
        receipts.append(receipt)
        if created:
            event_record(actor=actor, verb="guidance.read", obj=notice, unit_id=unit_id)
    return receipts


@transaction.atomic
def guidance_notice_remind(*, actor: Actor, notice_id: int) -> int:
    """Remind the units that have not confirmed yet; returns how many units were reminded."""
    office(actor)
    notice = locked(GuidanceNotice, notice_id, _("业务指导通知"))
    if notice.status != NoticeStatus.ISSUED:
        raise InvalidTransition(_("该通知未下发或已撤回。"))
    read = set(notice.reads.values_list("unit_id", flat=True))
    unread = [u for u in notice.units.values_list("pk", flat=True) if u not in read]
    notice.reminded_at, notice.reminders = timezone.now(), notice.reminders + 1
    notice.save(update_fields=["reminded_at", "reminders", "updated_at"])
    event_record(actor=actor, verb="guidance.reminded", obj=notice, data={"units": unread})
    link = reverse("training:notice", args=[notice.pk])
    text = _("请阅知业务指导：%(t)s") % {"t": notice.title}
    transaction.on_commit(
        lambda: [
            notify(recipients=users_with_role(unit_id=u, roles=UNIT_EDITOR_ROLES),
                   verb="guidance.reminded", text=text, link=link, unit_id=u)
            for u in unread
        ]
    )  # fmt: skip
    return len(unread)
