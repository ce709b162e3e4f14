"""Pages of inspections: plans and their accounts, the checklist, findings and rectification."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from govmatrix.assessment import rules
from govmatrix.assessment.forms import ChecklistItemForm, FindingForm, PlanForm, TextForm
from govmatrix.assessment.models import ChecklistItem, Finding, FindingStatus, PlanStatus
from govmatrix.assessment.selectors import inspections as selectors
from govmatrix.assessment.services import inspections as services
from govmatrix.audit.selectors import event_history_of
from govmatrix.core.errors import ValidationFailed
from govmatrix.core.tables import download
from govmatrix.org.permissions import scope_for
from govmatrix.org.selectors import unit_choices
from govmatrix.web.forms_support import run_service
from govmatrix.web.listing import active_filters, paginate, remembered_filters


def _office(request: HttpRequest) -> None:
    if not rules.can_manage(scope_for(request.user)):
        raise PermissionDenied(_("只有管理办公室可以组织检查。"))


@login_required
def plans(request: HttpRequest) -> HttpResponse:
    if not scope_for(request.user).sees_all:
        return redirect("assessment:findings")
    return render(
        request,
        "assessment/plans.html",
        {"page": paginate(request, selectors.plan_list(user=request.user)),
         "can_manage": rules.can_manage(scope_for(request.user))},
    )  # fmt: skip


@login_required
def plan_create(request: HttpRequest) -> HttpResponse:
    _office(request)
    form = PlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        plan = run_service(form, lambda: services.inspection_plan_create(
            actor=request.user, **form.cleaned_data))  # fmt: skip
        if plan is not None:
            messages.success(request, _("已新建检查计划，共 %(n)s 个账号。")
                             % {"n": plan.targets.count()})  # fmt: skip
            return redirect("assessment:plan", plan_id=plan.pk)
    return render(request, "org/form.html",
                  {"form": form, "title": _("新建检查计划"), "back": "assessment:plans"})  # fmt: skip


@login_required
def plan_detail(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = selectors.plan_get(user=request.user, plan_id=plan_id)
    targets = list(selectors.plan_targets(plan))
    can_manage = rules.can_manage(scope_for(request.user))
    form = None
    if can_manage and plan.status == PlanStatus.IN_PROGRESS:
        accounts = [(t.account_id, f"{t.account.display_name}（{t.unit.name}）") for t in targets]
        form = FindingForm(request.POST or None, accounts=accounts)
        if request.method == "POST" and form.is_valid():
            d = form.cleaned_data
            finding = run_service(form, lambda: services.finding_create(
                actor=request.user, plan_id=plan.pk, account_id=d["account"],
                item_id=d["item"].pk, description=d["description"], severity=d["severity"],
                evidence_url=d["evidence_url"], found_on=d["found_on"]))  # fmt: skip
            if finding is not None:
                messages.success(request, _("已登记问题，整改期限 %(due)s。")
                                 % {"due": finding.rectify_due})  # fmt: skip
                return redirect("assessment:plan", plan_id=plan.pk)
    return render(
        request,
        "assessment/plan_detail.html",
        {"plan": plan, "targets": targets, "counts": selectors.plan_finding_counts(plan),
         "findings": plan.findings.select_related("account", "item").order_by("-id")[:200],
         "form": form, "can_manage": can_manage,
         "allowed": rules.PLAN_TRANSITIONS.get(plan.status, set()), "P": PlanStatus},
    )  # fmt: skip


PLAN_ACTIONS = {
    "start": services.inspection_plan_start,
    "complete": services.inspection_plan_complete,
    "cancel": services.inspection_plan_cancel,
}


@login_required
@require_POST
def plan_action(request: HttpRequest, plan_id: int, action: str) -> HttpResponse:
    if action not in PLAN_ACTIONS:
        raise Http404
    PLAN_ACTIONS[action](actor=request.user, plan_id=plan_id)
    messages.success(request, _("检查计划状态已更新。"))
    return redirect("assessment:plan", plan_id=plan_id)


@login_required
@require_POST
def target_check(request: HttpRequest, target_id: int) -> HttpResponse:
    target = services.inspection_target_check(
        actor=request.user, target_id=target_id, note=request.POST.get("note", "")
    )
    return redirect("assessment:plan", plan_id=target.plan_id)


@login_required
def checklist(request: HttpRequest) -> HttpResponse:
    if not scope_for(request.user).sees_all:
        raise PermissionDenied(_("检查项由管理办公室维护。"))
    can_manage = rules.can_manage(scope_for(request.user))
    if request.method == "POST" and request.POST.get("seed") and can_manage:
        added = services.checklist_seed_defaults(actor=request.user)
        messages.success(request, _("已添加 %(n)s 个常用检查项。") % {"n": added})
        return redirect("assessment:checklist")
    return render(request, "assessment/checklist.html",
                  {"items": selectors.checklist(), "can_manage": can_manage})  # fmt: skip


@login_required
def checklist_item(request: HttpRequest, item_id: int | None = None) -> HttpResponse:
    _office(request)
    item = ChecklistItem.objects.filter(pk=item_id).first() if item_id else None
    if item_id and item is None:
        raise Http404
    form = ChecklistItemForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "code" or item is None}
        saved = run_service(cast(Any, form), lambda: services.checklist_item_update(
            actor=request.user, item_id=item.pk, **fields) if item else
            services.checklist_item_create(actor=request.user, **fields))  # fmt: skip
        if saved is not None:
            messages.success(request, _("检查项已保存。"))
            return redirect("assessment:checklist")
    title = _("修改检查项") if item else _("新建检查项")
    return render(request, "org/form.html",
                  {"form": form, "title": title, "back": "assessment:checklist"})  # fmt: skip


@login_required
def findings(request: HttpRequest) -> HttpResponse:
    if redirect_to := remembered_filters(request, "findings"):
        return redirect_to
    get = request.GET
    filters = selectors.FindingFilter(
        status=get.get("status", ""),
        unit_id=int(get["unit"]) if get.get("unit", "").isdigit() else None,
        account_id=int(get["account"]) if get.get("account", "").isdigit() else None,
        plan_id=int(get["plan"]) if get.get("plan", "").isdigit() else None,
        overdue=get.get("overdue") == "1",
        q=get.get("q", "").strip(),
    )
    rows = selectors.finding_list(user=request.user, filters=filters)
    if file_format := get.get("export"):
        return download(
            filename=_("检查发现"),
            headers=[_("发现日期"), _("账号"), _("单位"), _("检查项"), _("严重程度"),
                     _("问题描述"), _("整改期限"), _("状态"), _("单位整改情况")],
            rows=([f.found_on, f.account.display_name, f.unit.name, f.item.label,
                   f.get_severity_display(), f.description, f.rectify_due,
                   f.get_status_display(), f.unit_response] for f in rows.iterator()),
            file_format=file_format,
        )  # fmt: skip
    return render(
        request,
        "assessment/findings.html",
        {"page": paginate(request, rows), "filters": active_filters(request),
         "statuses": FindingStatus.choices, "units": unit_choices(user=request.user),
         "today": timezone.localdate()},
    )  # fmt: skip


FINDING_ACTIONS: dict[str, tuple[Callable[..., Finding], str]] = {
    "rectifying": (services.finding_start_rectifying, "response"),
    "rectified": (services.finding_report_rectified, "response"),
    "verify": (services.finding_verify, "note"),
    "reject": (services.finding_reject, "note"),
    "withdraw": (services.finding_withdraw, "note"),
}


@login_required
def finding_detail(request: HttpRequest, finding_id: int) -> HttpResponse:
    finding = selectors.finding_get(user=request.user, finding_id=finding_id)
    scope = scope_for(request.user)
    allowed = rules.FINDING_TRANSITIONS.get(finding.status, set())
    return render(
        request,
        "assessment/finding_detail.html",
        {"finding": finding, "form": TextForm(), "history": event_history_of(finding),
         "unit_can_answer": rules.can_answer_finding(scope, finding.unit_id)
         and bool(allowed & {FindingStatus.RECTIFYING, FindingStatus.RECTIFIED}),
         "office_can_review": rules.can_manage(scope), "allowed": allowed, "F": FindingStatus},
    )  # fmt: skip


@login_required
@require_POST
def finding_action(request: HttpRequest, finding_id: int, action: str) -> HttpResponse:
    if action not in FINDING_ACTIONS:
        raise Http404
    selectors.finding_get(user=request.user, finding_id=finding_id)
    service, argument = FINDING_ACTIONS[action]
    form = TextForm(request.POST)
    form.is_valid()
    try:
        service(actor=request.user, finding_id=finding_id,
                **{argument: form.cleaned_data.get("text", "")})  # fmt: skip
    except ValidationFailed as exc:
        messages.error(request, "；".join(exc.errors.values()))
    else:
        messages.success(request, _("已更新。"))
    return redirect("assessment:finding", finding_id=finding_id)
