"""The assessment's place in the shell: sidebar sections, to-do items and a dashboard panel."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from govmatrix.assessment.models import AssessmentRun, RunAccountResult, RunStatus
from govmatrix.assessment.selectors.inspections import findings_to_answer, findings_to_verify
from govmatrix.org.permissions import scope_for
from govmatrix.web.navigation import Section, register_section
from govmatrix.web.panels import Panel, register_panel
from govmatrix.web.todo import TodoItem, register_todo


def _runs_to_review(request: HttpRequest) -> int:
    if not scope_for(request.user).is_office_admin:
        return 0
    return AssessmentRun.objects.filter(status=RunStatus.COMPUTED).count()


def _findings_badge(request: HttpRequest) -> int | None:
    user = request.user
    return (findings_to_verify(user=user).count() + findings_to_answer(user=user).count()) or None


def _todos(request: HttpRequest) -> list[TodoItem]:
    user = request.user
    if not user.is_authenticated:
        return []
    today = timezone.localdate()
    answer = findings_to_answer(user=user)
    overdue = answer.filter(rectify_due__lt=today).count()
    findings = reverse("assessment:findings")
    return [
        TodoItem(label=gettext_lazy("考核结果待审核冻结"), count=_runs_to_review(request),
                 url=reverse("assessment:runs"), state="on_time", order=40),
        TodoItem(label=gettext_lazy("整改待核验"), count=findings_to_verify(user=user).count(),
                 url=f"{findings}?status=rectified", state="on_time", order=41),
        TodoItem(label=gettext_lazy("检查发现已超过整改期限"), count=overdue,
                 url=f"{findings}?overdue=1", state="overdue", order=42),
        TodoItem(label=gettext_lazy("检查发现待整改"), count=answer.count() - overdue,
                 url=f"{findings}?status=open", state="near", order=43),
    ]  # fmt: skip


def _panel(request: HttpRequest) -> dict[str, Any]:
    latest = (
        AssessmentRun.objects.filter(status__in=[RunStatus.FROZEN, RunStatus.PUBLISHED])
        .select_related("scheme_version")
        .order_by("-quarter", "-id")
        .first()
    )
    top = (
        list(RunAccountResult.objects.filter(run=latest).order_by("position")[:5]) if latest else []
    )
    return {"latest": latest, "top": top, "to_review": _runs_to_review(request)}


def register() -> None:
    register_section(
        Section("assessment", gettext_lazy("季度考核"), "assessment:runs", "trophy", 50,
                visible=lambda scope: scope.sees_all or bool(scope.unit_ids),
                badge=lambda request: _runs_to_review(request) or None)
    )  # fmt: skip
    register_section(
        Section("inspections", gettext_lazy("检查整改"), "assessment:plans", "clipboard-check", 51,
                visible=lambda scope: scope.sees_all or bool(scope.unit_ids),
                badge=_findings_badge)
    )  # fmt: skip
    register_section(
        Section("schemes", gettext_lazy("考核方案"), "assessment:schemes", "sliders2", 67,
                visible=lambda scope: scope.sees_all)
    )  # fmt: skip
    register_todo(_todos)
    register_panel(
        Panel("assessment", "assessment/_dashboard_panel.html", _panel, order=40,
              visible=lambda scope: scope.sees_all)
    )  # fmt: skip
