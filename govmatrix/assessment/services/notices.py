"""The words of a run's quarterly notice: the office edits them until the run is published."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from govmatrix.assessment import rules
from govmatrix.assessment.models import RunNotice, RunStatus
from govmatrix.audit.services import event_record
from govmatrix.core.errors import InvalidTransition, NotFound, ValidationFailed
from govmatrix.core.types import Actor, as_user
from govmatrix.core.validation import apply_changes
from govmatrix.org.permissions import require, scope_for

EDITABLE = ("number", "issuer", "issued_on", "addressees", "summary", "good_practice",
            "problems", "requirements", "copy_to")  # fmt: skip


@transaction.atomic
def run_notice_update(*, actor: Actor, run_id: int, **changes: str | date) -> RunNotice:
    require(rules.can_manage(scope_for(actor)), _("只有管理办公室可以修改通报。"))
    notice = (
        RunNotice.objects.select_for_update().select_related("run").filter(run_id=run_id).first()
    )
    if notice is None:
        raise NotFound(_("通报不存在（考核尚未计算完成）。"))
    if notice.run.status in (RunStatus.PUBLISHED, RunStatus.DISCARDED):
        raise InvalidTransition(_("考核已发布或作废，通报不能再修改。"))
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValidationFailed({name: _("不能修改。") for name in sorted(unknown)})
    for name in ("number", "issuer", "addressees"):
        if name in changes and not str(changes[name]).strip():
            raise ValidationFailed({name: _("不能为空。")})
    diff = apply_changes(notice, changes)
    if not diff:
        return notice
    notice.updated_by = as_user(actor)
    notice.save()
    event_record(
        actor=actor,
        verb="run_notice.updated",
        obj=notice,
        data={"run": run_id, "fields": sorted(diff)},
    )
    return notice
