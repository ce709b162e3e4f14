"""Pages of the quarterly runs: list and create, progress, ranking, drill-down, reports."""

from __future__ import annotations

from itertools import zip_longest
from typing import Any, cast
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from govmatrix.assessment import rules
from govmatrix.assessment.dates import quarter_title
from govmatrix.assessment.forms import NoticeForm, RunCreateForm
from govmatrix.assessment.models import AssessmentRun, RunNotice, RunStatus
from govmatrix.assessment.reports.notice import notice_docx
from govmatrix.assessment.reports.texts import labels
from govmatrix.assessment.reports.xlsx import ranking_xlsx
from govmatrix.assessment.scoring import METRICS
from govmatrix.assessment.selectors import runs as selectors
from govmatrix.assessment.services import notices, runs
from govmatrix.core.errors import NotAllowed
from govmatrix.core.tables import XLSX_CONTENT_TYPE, download
from govmatrix.org.permissions import scope_for
from govmatrix.web.charts import bar_chart
from govmatrix.web.forms_support import run_service
from govmatrix.web.listing import paginate

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ACTIONS = {
    "freeze": (runs.run_freeze, gettext_lazy("考核结果已冻结，不能再修改。")),
    "publish": (runs.run_publish, gettext_lazy("考核结果已发布，各单位可以查看。")),
    "recompute": (runs.run_recompute, gettext_lazy("已重新排队计算。")),
    "discard": (runs.run_discard, gettext_lazy("考核已作废。")),
}


@login_required
def run_list(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    can_manage = rules.can_manage(scope)
    form = RunCreateForm(request.POST or None) if can_manage else None
    if form is not None and request.method == "POST" and form.is_valid():
        run = run_service(
            form,
            lambda: runs.run_create(
                actor=request.user,
                quarter=form.cleaned_data["quarter"],
                scheme=form.cleaned_data["scheme"].name,
            ),
        )
        if run is not None:
            messages.success(request, _("已发起考核，正在后台计算。"))
            return redirect("assessment:run", run_id=run.pk)
    return render(
        request,
        "assessment/runs.html",
        {
            "page": paginate(request, selectors.run_list(user=request.user)),
            "form": form,
            "can_manage": can_manage,
        },
    )


def _download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


@login_required
def run_detail(request: HttpRequest, run_id: int) -> HttpResponse:
    run = selectors.run_get(user=request.user, run_id=run_id)
    scope = scope_for(request.user)
    unit = request.GET.get("unit", "")
    q = request.GET.get("q", "").strip()
    previous = selectors.previous_run(run)
    changes = selectors.rank_changes(run, previous)
    rows = selectors.account_rows(
        user=request.user, run=run, unit_id=int(unit) if unit.isdigit() else None, q=q
    )
    units = list(selectors.unit_rows(user=request.user, run=run))
    definition = run.scheme_version.definition
    page = paginate(request, rows, per_page=50)
    for row in page.object_list:
        row.change = changes.get(row.account_id)
    base = reverse("assessment:run", args=[run.pk])
    chart = bar_chart(
        title=_("各单位得分"),
        items=cast(Any, [(u.unit_name, round(u.score, 2), f"{base}?unit={u.unit_id}")
                         for u in units if u.score is not None][:30]),
    )  # fmt: skip
    return render(
        request,
        "assessment/run_detail.html",
        {
            "run": run,
            "page": page,
            "units": units,
            "chart": chart,
            "dimensions": labels(definition, "dimensions"),
            "veto_labels": labels(definition, "vetoes"),
            "previous": previous,
            "can_manage": rules.can_manage(scope),
            "sees_all": scope.sees_all,
            "title": quarter_title(run.quarter),
            "unit_filter": unit,
            "q": q,
            "allowed": rules.RUN_TRANSITIONS.get(run.status, set()),
            "S": RunStatus,
        },
    )


@login_required
def run_progress(request: HttpRequest, run_id: int) -> HttpResponse:
    """The htmx fragment polled while a run is queued or computing."""
    run = selectors.run_get(user=request.user, run_id=run_id)
    response = render(request, "assessment/_run_progress.html", {"run": run})
    if run.status not in (RunStatus.QUEUED, RunStatus.COMPUTING):
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_POST
def run_action(request: HttpRequest, run_id: int, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404
    service, done = ACTIONS[action]
    kwargs = {"note": request.POST.get("note", "")} if action == "discard" else {}
    service(actor=request.user, run_id=run_id, **kwargs)
    messages.success(request, done)
    return redirect("assessment:run", run_id=run_id)


@login_required
def run_account(request: HttpRequest, run_id: int, account_id: int) -> HttpResponse:
    run = selectors.run_get(user=request.user, run_id=run_id)
    detail = selectors.account_detail(user=request.user, run=run, account_id=account_id)
    return render(
        request,
        "assessment/run_account.html",
        {"run": run, "title": quarter_title(run.quarter), **detail,
         "sees_all": scope_for(request.user).sees_all},
    )  # fmt: skip


@login_required
def run_evidence(request: HttpRequest, run_id: int, account_id: int, metric: str) -> HttpResponse:
    run = selectors.run_get(user=request.user, run_id=run_id)
    row = selectors.account_result(user=request.user, run=run, account_id=account_id)
    evidence = selectors.metric_evidence(
        user=request.user, run=run, account_id=account_id, metric=metric
    )
    rows = list(zip_longest(evidence.rows, evidence.links, fillvalue="")) if evidence else []
    return render(
        request,
        "assessment/evidence.html",
        {
            "run": run,
            "row": row,
            "metric": METRICS[metric],
            "value": (run.metrics or {}).get(str(account_id), {}).get(metric),
            "sources": (run.sources or {}).get(metric, []),
            "evidence": evidence,
            "rows": rows,
        },
    )


def _reports_allowed(
    request: HttpRequest, run_id: int, *, notice: bool
) -> tuple[AssessmentRun, dict[int, int | None]]:
    run = selectors.run_get(user=request.user, run_id=run_id)
    scope = scope_for(request.user)
    if not scope.sees_all and not notice:
        raise NotAllowed(_("排名表只对管理办公室开放；各单位可以下载已发布的通报。"))
    return run, selectors.rank_changes(run, selectors.previous_run(run))


@login_required
def run_xlsx(request: HttpRequest, run_id: int) -> HttpResponse:
    run, changes = _reports_allowed(request, run_id, notice=False)
    content = ranking_xlsx(run, rank_changes=changes)
    name = f"{quarter_title(run.quarter)}政务微博考核排名.xlsx"
    return _download(content, name, XLSX_CONTENT_TYPE)


@login_required
def run_docx(request: HttpRequest, run_id: int) -> HttpResponse:
    run, changes = _reports_allowed(request, run_id, notice=True)
    notice = RunNotice.objects.filter(run=run).first()
    if notice is None:
        raise Http404(_("考核尚未计算完成，还没有通报。"))
    content = notice_docx(run, notice, rank_changes=changes)
    return _download(content, f"{quarter_title(run.quarter)}政务微博考核情况通报.docx",
                     DOCX_CONTENT_TYPE)  # fmt: skip


@login_required
def run_notice(request: HttpRequest, run_id: int) -> HttpResponse:
    run = selectors.run_get(user=request.user, run_id=run_id)
    if not rules.can_manage(scope_for(request.user)):
        raise NotAllowed(_("只有管理办公室可以修改通报。"))
    notice = RunNotice.objects.filter(run=run).first()
    if notice is None:
        raise Http404(_("考核尚未计算完成，还没有通报。"))
    fields = list(NoticeForm.base_fields)
    form = NoticeForm(request.POST or None, initial={f: getattr(notice, f) for f in fields})
    if request.method == "POST" and form.is_valid():
        saved = run_service(
            form,
            lambda: notices.run_notice_update(
                actor=request.user, run_id=run.pk, **form.cleaned_data
            ),
        )
        if saved is not None:
            messages.success(request, _("通报已保存。"))
            return redirect("assessment:run", run_id=run.pk)
    return render(
        request, "assessment/notice_form.html", {"run": run, "form": form,
                                                 "title": quarter_title(run.quarter)}
    )  # fmt: skip


@login_required
def run_compare(request: HttpRequest) -> HttpResponse:
    visible = selectors.run_list(user=request.user).filter(
        status__in=[RunStatus.COMPUTED, RunStatus.FROZEN, RunStatus.PUBLISHED]
    )
    choices = list(visible[:40])
    current_id, previous_id = request.GET.get("run", ""), request.GET.get("previous", "")
    current = next((r for r in choices if str(r.pk) == current_id), choices[0] if choices else None)
    previous = next((r for r in choices if str(r.pk) == previous_id), None)
    if current is not None and previous is None:
        previous = selectors.previous_run(current)
        if previous is not None and previous not in choices:
            previous = None
    rows = (
        selectors.run_comparison(user=request.user, current=current, previous=previous)
        if current is not None and previous is not None
        else []
    )
    if current is not None and previous is not None and request.GET.get("export"):
        return download(
            filename=_("考核季度对比 %(a)s-%(b)s") % {"a": current.quarter, "b": previous.quarter},
            headers=[_("账号"), _("单位"), _("本期排名"), _("上期排名"), _("变化"), _("本期得分"),
                     _("上期得分")],
            rows=([r.name, r.unit_name, r.rank, r.previous_rank, r.change, r.total,
                   r.previous_total] for r in rows),
            file_format=request.GET["export"],
        )  # fmt: skip
    movers = sorted((r for r in rows if r.change), key=lambda r: -abs(r.change or 0))[:20]
    chart = bar_chart(
        title=_("排名变化（正数为上升）"),
        items=[(r.name, r.change or 0, reverse("assessment:run_account",
                                                args=[current.pk, r.account_id]))
               for r in movers] if current else [],
    )  # fmt: skip
    return render(
        request,
        "assessment/compare.html",
        {"choices": choices, "current": current, "previous": previous, "rows": rows,
         "chart": chart},
    )  # fmt: skip
