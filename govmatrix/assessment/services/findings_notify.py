"""Telling a unit about a finding on its account, and the office about a unit's answer."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from govmatrix.assessment.models import Finding
from govmatrix.notifications.services import notify, office_users, users_with_role
from govmatrix.org.permissions import UNIT_EDITOR_ROLES

_UNIT_TEXTS = {
    "finding.created": gettext_noop("检查发现问题：%(account)s · %(item)s，请于 %(due)s 前整改。"),
    "finding.rejected": gettext_noop("整改未通过核验：%(account)s · %(item)s，请继续整改。"),
    "finding.verified": gettext_noop("整改已核验：%(account)s · %(item)s。"),
}
_OFFICE_TEXTS = {
    "finding.rectifying": gettext_noop("%(unit)s 正在整改：%(account)s · %(item)s。"),
    "finding.rectified": gettext_noop("%(unit)s 报告已整改，请核验：%(account)s · %(item)s。"),
}


def notify_finding(finding_id: int, verb: str) -> None:
    finding = (
        Finding.objects.select_related("account", "unit", "item").filter(pk=finding_id).first()
    )
    if finding is None:
        return
    values = {
        "account": finding.account.display_name,
        "item": finding.item.label,
        "unit": finding.unit.name,
        "due": finding.rectify_due.isoformat(),
    }
    link = reverse("assessment:finding", args=[finding.pk])
    if verb in _UNIT_TEXTS:
        notify(
            recipients=users_with_role(unit_id=finding.unit_id, roles=UNIT_EDITOR_ROLES),
            verb=verb, text=_(_UNIT_TEXTS[verb]) % values, link=link, unit_id=finding.unit_id,
        )  # fmt: skip
    elif verb in _OFFICE_TEXTS:
        notify(recipients=office_users(), verb=verb, text=_(_OFFICE_TEXTS[verb]) % values,
               link=link, unit_id=finding.unit_id)  # fmt: skip
