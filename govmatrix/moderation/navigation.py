"""Moderation's place in the shell: sidebar sections with their counts, to-dos (the office: new
cases at once, applications to escalate, outcomes to record, rectifications to verify; a unit:
applications to file, findings to rectify) and the office's dashboard panel."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from govmatrix.moderation import rules
from govmatrix.moderation.selectors.cases import (
    applications_to_file,
    cases_awaiting_outcome,
    cases_new_for_office,
    cases_to_escalate,
    visible_cases,
)
from govmatrix.moderation.selectors.inspection import (
    dormancy_warnings,
    findings_to_rectify,
    findings_to_verify,
    last_run,
    overdue_q,
)
from govmatrix.org.permissions import scope_for
from govmatrix.web.navigation import Section, register_section
from govmatrix.web.panels import Panel, register_panel
from govmatrix.web.todo import TodoItem, register_todo


def _cases_badge(request: HttpRequest) -> int | None:
    user = request.user
    if rules.is_office(scope_for(user)):
        return (
            cases_new_for_office(user=user).count() + cases_to_escalate(user=user).count() or None
        )
    return applications_to_file(user=user).count() or None


def _findings_badge(request: HttpRequest) -> int | None:
    user = request.user
    if rules.is_office(scope_for(user)):
        return findings_to_verify(user=user).count() or None
    return findings_to_rectify(user=user).count() or None


def _todos(request: HttpRequest) -> list[TodoItem]:
    user = request.user
    if not user.is_authenticated:
        return []
    cases = reverse("moderation:cases")
    findings = reverse("moderation:findings")
    items: list[TodoItem] = []
    if rules.is_office(scope_for(user)):
        items += [
            TodoItem(gettext_lazy("新上报的有害跟帖"), cases_new_for_office(user=user).count(),
                     f"{cases}?state=flagged", "overdue",
                     gettext_lazy("第一时间核实，督促涉事单位提交书面申请"), 5),
            TodoItem(gettext_lazy("书面申请待报请市委宣传部"), cases_to_escalate(user=user).count(),
                     f"{cases}?state=application_filed", "near", "", 6),
            TodoItem(gettext_lazy("已报请，待登记处置结果"), cases_awaiting_outcome(user=user).count(),
                     f"{cases}?state=escalated", "on_time", "", 7),
            TodoItem(gettext_lazy("巡检问题整改待核验"), findings_to_verify(user=user).count(),
                     f"{findings}?status=rectified", "on_time", "", 40),
        ]  # fmt: skip
    items.append(
        TodoItem(gettext_lazy("有害跟帖待提交书面申请"), applications_to_file(user=user).count(),
                 f"{cases}?state=flagged", "overdue", gettext_lazy("生成书面申请，核对后提交"), 8)
    )  # fmt: skip
    to_rectify = findings_to_rectify(user=user)
    count = to_rectify.count()
    if count:
        overdue = to_rectify.filter(overdue_q()).count()
        items.append(
            TodoItem(gettext_lazy("内容巡检问题待整改"), count, f"{findings}?status=open",
                     "overdue" if overdue else "near",
                     gettext_lazy("其中 %(n)d 个已超过整改期限") % {"n": overdue} if overdue else "", 41)
        )  # fmt: skip
    return items


def _panel(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    open_cases = visible_cases(user).filter(state__in=["flagged", "application_filed", "escalated"])
    warnings = dormancy_warnings(user=user)
    return {
        "flagged": cases_new_for_office(user=user).count(),
        "to_escalate": cases_to_escalate(user=user).count(),
        "escalated": cases_awaiting_outcome(user=user).count(),
        "recent": list(open_cases.order_by("-flagged_at")[:5]),
        "open_count": open_cases.count(),
        "warnings": list(warnings[:6]),
        "dormant": warnings.filter(rule="dormant").count(),
        "nearly_dormant": warnings.filter(rule="dormant_warning").count(),
        "last_run": last_run(),
        "today": timezone.localdate(),
    }


def register() -> None:
    register_section(
        Section("harm_cases", gettext_lazy("有害信息处置"), "moderation:cases", "shield-exclamation",
                40, visible=rules.may_see_moderation, badge=_cases_badge)
    )  # fmt: skip
    register_section(
        Section("content_inspection", gettext_lazy("内容巡检"), "moderation:findings", "clipboard-check",
                41, visible=rules.may_see_moderation, badge=_findings_badge)
    )  # fmt: skip
    register_section(
        Section("harm_lexicon", gettext_lazy("敏感词库"), "moderation:lexicon", "funnel", 69,
                visible=lambda scope: scope.sees_all)
    )  # fmt: skip
    register_todo(_todos)
    register_panel(
        Panel("moderation", "moderation/_dashboard_panel.html", _panel, order=15,
              visible=lambda scope: scope.sees_all)
    )  # fmt: skip
