"""Who is told what, and when: notifications for cases and findings, sent after the change that
causes them has committed (they take ids and read the committed rows)."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.urls import reverse
from django.utils.translation import gettext as _

from govmatrix.moderation.models import HarmCase
from govmatrix.notifications.services import notify, office_users, users_with_role
from govmatrix.org.permissions import UNIT_EDITOR_ROLES


def _case_link(case: HarmCase) -> str:
    return reverse("moderation:case", args=[case.pk])


def unit_editors(unit_id: int) -> list[User]:
    return users_with_role(unit_id=unit_id, roles=UNIT_EDITOR_ROLES)


def notify_case(case_id: int, verb: str) -> int:
    case = HarmCase.objects.select_related("account", "unit").filter(pk=case_id).first()
    if case is None:
        return 0
    excerpt = " ".join(case.comment_text.split())[:40]
    link = _case_link(case)
    values = {"n": case.number, "a": case.account.display_name, "t": excerpt, "u": case.unit.name}
    if verb == "harm_case.reported":
        sent = notify(
            recipients=office_users(),
            verb=verb,
            text=_("有害跟帖上报（%(n)s）：%(a)s 收到“%(t)s”，请及时处置。") % values,
            link=link,
            unit_id=case.unit_id,
        )
        return sent + notify(
            recipients=unit_editors(case.unit_id),
            verb="harm_case.application_due",
            text=_("%(a)s 的跟帖“%(t)s”已上报管理办公室，请提交书面申请（%(n)s）。") % values,
            link=link,
            unit_id=case.unit_id,
        )
    if verb == "harm_case.application_filed":
        return notify(
            recipients=office_users(),
            verb=verb,
            text=_("%(u)s 已提交书面申请（%(n)s），请报请市委宣传部。") % values,
            link=link,
            unit_id=case.unit_id,
        )
    texts = {
        "harm_case.application_returned": _(
            "管理办公室退回了书面申请（%(n)s），请修改后重新提交。"
        ),
        "harm_case.escalated": _("管理办公室已就 %(n)s 报请市委宣传部协调处置。"),
        "harm_case.closed": _("有害跟帖 %(n)s 已办结：%(o)s。"),
    }
    if verb in texts:
        return notify(
            recipients=unit_editors(case.unit_id),
            verb=verb,
            text=texts[verb] % {**values, "o": case.get_outcome_display()},
            link=link,
            unit_id=case.unit_id,
        )
    if verb in ("harm_case.action_applied", "harm_case.action_failed"):
        action = case.actions.order_by("-approved_at", "-id").first()
        note = action.note if action is not None else ""
        return notify(
            recipients=office_users(),
            verb=verb,
            text=(_("平台处置结果（%(n)s）：%(note)s") % {**values, "note": note})[:300],
            link=link,
            unit_id=case.unit_id,
        )
    return 0


def notify_findings(unit_id: int, *, new: int, warnings: int) -> int:
    """One notice per unit and run: how many new findings (and dormancy warnings) it has."""
    if not new and not warnings:
        return 0
    parts = []
    if new:
        parts.append(_("%(n)d 个新问题待整改") % {"n": new})
    if warnings:
        parts.append(_("%(n)d 个账号即将长期不更新") % {"n": warnings})
    return notify(
        recipients=unit_editors(unit_id),
        verb="content_inspection.findings",
        text=_("内容巡检：%(what)s。") % {"what": "，".join(parts)},
        link=reverse("moderation:findings") + f"?unit={unit_id}&status=open",
        unit_id=unit_id,
    )
