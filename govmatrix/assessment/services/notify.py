"""Who hears about an assessment: the office when a run is computed, units when it is published."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from govmatrix.assessment.models import AssessmentRun, RunAccountResult
from govmatrix.notifications.services import notify, office_users, users_with_role
from govmatrix.org.permissions import UNIT_EDITOR_ROLES


def _label(run: AssessmentRun) -> str:
    return _("%(year)s年第%(n)s季度") % {"year": run.quarter[:4], "n": run.quarter[-1]}


def notify_computed(run_id: int) -> None:
    run = AssessmentRun.objects.select_related("scheme_version").filter(pk=run_id).first()
    if run is None:
        return
    notify(
        recipients=office_users(),
        verb="assessment_run.computed",
        text=_("%(q)s考核（%(scheme)s）已计算完成，请审核后冻结。")
        % {"q": _label(run), "scheme": run.scheme_version.title_zh},
        link=reverse("assessment:run", args=[run.pk]),
    )


def notify_published(run_id: int) -> None:
    run = AssessmentRun.objects.filter(pk=run_id).first()
    if run is None:
        return
    unit_ids = set(RunAccountResult.objects.filter(run=run).values_list("unit_id", flat=True))
    link = reverse("assessment:run", args=[run.pk])
    for unit_id in sorted(unit_ids):
        notify(
            recipients=users_with_role(unit_id=unit_id, roles=UNIT_EDITOR_ROLES),
            verb="assessment_run.published",
            text=_("%(q)s政务微博考核结果已发布，请查看本单位得分和排名。") % {"q": _label(run)},
            link=link,
            unit_id=unit_id,
        )
