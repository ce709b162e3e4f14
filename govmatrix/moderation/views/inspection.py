"""The content inspection's pages: findings by unit and as a list, a finding with its
rectification, running the inspection now, and the office's typo list."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from govmatrix.audit.selectors import event_history_of
from govmatrix.core.errors import DomainError
from govmatrix.core.tables import download
from govmatrix.moderation import rules, services
from govmatrix.moderation.forms import FindingFilterForm, NoteForm, ResponseForm, TypoForm
from govmatrix.moderation.models import FindingRule, FindingStatus
from govmatrix.moderation.selectors.inspection import (
    FindingFilter,
    finding_get,
    finding_list,
    findings_by_unit,
    run_list,
    typo_list,
)
from govmatrix.org.permissions import scope_for
from govmatrix.publishing.views.common import run_bulk
from govmatrix.web.forms_support import run_service
from govmatrix.web.listing import active_filters, paginate, remembered_filters


@login_required
def findings(request: HttpRequest) -> HttpResponse:
    if redirect_to := remembered_filters(request, "content_findings"):
        return redirect_to
    form = FindingFilterForm(request.GET or None, user=request.user)
    form.is_valid()
    data: dict[str, Any] = getattr(form, "cleaned_data", {}) or {}
    rows = finding_list(
        user=request.user,
        filters=FindingFilter(
            unit_id=data["unit"].pk if data.get("unit") else None,
            rule=data.get("rule", ""),
            status=data.get("status", ""),
            q=(data.get("q") or "").strip(),
        ),
    )
    if file_format := request.GET.get("export"):
        return download(
            filename=_("内容巡检发现"),
            headers=[_("编号"), _("发现日期"), _("单位"), _("账号"), _("检查项"), _("严重程度"),
                     _("问题描述"), _("链接"), _("整改期限"), _("状态"), _("整改情况"), _("核验意见")],
            rows=([f.pk, f.found_on, f.unit.name, f.account.display_name, f.get_rule_display(),
                   f.get_severity_display(), f.description, f.post_url, f.rectify_due,
                   f.get_status_display(), f.response, f.review_note] for f in rows),
            file_format=file_format,
        )  # fmt: skip
    scope = scope_for(request.user)
    return render(
        request,
        "moderation/findings.html",
        {
            "form": form,
            "page": paginate(request, rows),
            "filters": active_filters(request),
            "by_unit": findings_by_unit(user=request.user),
            "runs": run_list(limit=5),
            "is_office": rules.is_office(scope),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_POST
def findings_bulk_verify(request: HttpRequest) -> HttpResponse:
    ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit()]
    rows = list(finding_list(user=request.user).filter(pk__in=ids))
    run_bulk(
        request,
        rows,
        lambda f: services.content_finding_verify(actor=request.user, finding_id=f.pk),
        done=_("已核验 %(n)d 个问题的整改。"),
        refused=_("没有核验任何问题：%(row)s — %(reason)s"),
        empty=_("请至少选择一个问题。"),
    )
    return redirect("moderation:findings")


@login_required
def finding_detail(request: HttpRequest, finding_id: int) -> HttpResponse:
    finding = finding_get(user=request.user, finding_id=finding_id)
    scope = scope_for(request.user)
    allowed = rules.FINDING_TRANSITIONS.get(finding.status, set())
    office = rules.is_office(scope)
    return render(
        request,
        "moderation/finding_detail.html",
        {
            "finding": finding,
            "history": event_history_of(finding),
            "response_form": ResponseForm(),
            "note_form": NoteForm(),
            "today": timezone.localdate(),
            "can": {
                "respond": rules.can_answer_finding(scope, finding.unit_id)
                and FindingStatus.RECTIFIED in allowed
                and finding.rule != FindingRule.DORMANT_WARNING,
                "verify": office and FindingStatus.VERIFIED in allowed,
                "reject": office and finding.status == FindingStatus.RECTIFIED,
                "dismiss": office and FindingStatus.DISMISSED in allowed,
            },
        },
    )


@login_required
@require_POST
def finding_action(request: HttpRequest, finding_id: int, action: str) -> HttpResponse:
    finding = finding_get(user=request.user, finding_id=finding_id)
    text = request.POST.get("response") or request.POST.get("note") or ""
    calls: dict[str, tuple[Callable[..., Any], str, str]] = {
        "respond": (services.content_finding_report_rectified, "response", _("已答复整改情况。")),
        "verify": (services.content_finding_verify, "note", _("已核验。")),
        "reject": (services.content_finding_reject, "note", _("已退回单位继续整改。")),
        "dismiss": (services.content_finding_dismiss, "note", _("已撤销。")),
    }
    if action not in calls:
        raise Http404
    call, field, done = calls[action]
    try:
        call(actor=request.user, finding_id=finding.pk, **{field: text})
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect("moderation:finding", finding_id=finding.pk)


@login_required
@require_POST
def inspection_run(request: HttpRequest) -> HttpResponse:
    try:
        run = services.inspection_run_start(actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        run.refresh_from_db()
        messages.success(
            request,
            _("内容巡检已发起（%(state)s）。完成后结果在此列出。")
            % {"state": run.get_state_display()},
        )
    return redirect("moderation:findings")


@login_required
def typos(request: HttpRequest) -> HttpResponse:
    if not rules.is_office(scope_for(request.user)) and not scope_for(request.user).sees_all:
        raise Http404
    form = TypoForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        pair = run_service(
            form, lambda: services.typo_pair_create(actor=request.user, **form.cleaned_data)
        )
        if pair is not None:
            messages.success(request, _("已加入：%(p)s") % {"p": pair})
            return redirect("moderation:typos")
    q = request.GET.get("q", "")
    return render(
        request,
        "moderation/typos.html",
        {"form": form, "page": paginate(request, typo_list(q=q)), "q": q,
         "is_office": rules.is_office(scope_for(request.user))},
    )  # fmt: skip


@login_required
@require_POST
def typo_toggle(request: HttpRequest, pair_id: int) -> HttpResponse:
    pair = typo_list().filter(pk=pair_id).first()
    if pair is not None:
        try:
            services.typo_pair_update(
                actor=request.user, pair_id=pair.pk, is_active=not pair.is_active
            )
        except DomainError as exc:
            messages.error(request, exc.message)
    return redirect("moderation:typos")
