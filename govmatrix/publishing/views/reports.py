"""The office's queue of report items (报送), an item's page and its actions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from govmatrix.audit.selectors import event_history_of
from govmatrix.core.errors import DomainError
from govmatrix.core.tables import download
from govmatrix.org.permissions import scope_for
from govmatrix.publishing import rules, services
from govmatrix.publishing.forms import NoteForm, ReportFilterForm
from govmatrix.publishing.models import ReportState
from govmatrix.publishing.selectors.office import publishing_settings
from govmatrix.publishing.selectors.reports import (
    ReportFilter,
    report_item_get,
    report_item_list,
    report_notes,
)
from govmatrix.publishing.services.reports import REPORT_TRANSITIONS
from govmatrix.publishing.views.common import run_bulk
from govmatrix.web.listing import active_filters, paginate, remembered_filters


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    if redirect_to := remembered_filters(request, "reports"):
        return redirect_to
    form = ReportFilterForm(request.GET or None, user=request.user)
    form.is_valid()
    data = getattr(form, "cleaned_data", {}) or {}
    filters = ReportFilter(
        unit_id=data["unit"].pk if data.get("unit") else None,
        topic_id=data["topic"].pk if data.get("topic") else None,
        important={"1": True, "0": False}.get(data.get("important") or ""),
        state=data.get("state", ""),
        overdue=bool(data.get("overdue")),
        q=(data.get("q") or "").strip(),
    )
    items = report_item_list(user=request.user, filters=filters)
    if file_format := request.GET.get("export"):
        return download(
            filename=_("报送"),
            headers=[
                _("编号"),
                _("报送时间"),
                _("单位"),
                _("账号"),
                _("正文"),
                _("主题"),
                _("重要"),
                _("审阅时限"),
                _("状态"),
                _("审阅时间"),
                _("公开链接"),
            ],
            rows=(
                [
                    i.pk,
                    i.reported_at,
                    i.unit.name,
                    i.account.display_name,
                    i.post.text,
                    "、".join(t.name for t in i.post.topics.all()),
                    _("是") if i.important else "",
                    i.review_due_at,
                    i.get_state_display(),
                    i.reviewed_at,
                    i.post.public_url,
                ]
                for i in items
            ),
            file_format=file_format,
        )
    return render(
        request,
        "publishing/report_list.html",
        {
            "form": form,
            "page": paginate(request, items),
            "filters": active_filters(request),
            "is_office": rules.can_review_reports(scope_for(request.user)),
            "now": timezone.now(),
            "settings": publishing_settings(),
        },
    )


@login_required
def report_detail(request: HttpRequest, item_id: int) -> HttpResponse:
    item = report_item_get(user=request.user, item_id=item_id)
    scope = scope_for(request.user)
    office = rules.can_review_reports(scope)
    unit_side = rules.can_answer_for_unit(scope, item.unit_id)
    allowed = REPORT_TRANSITIONS.get(item.state, set())
    return render(
        request,
        "publishing/report_detail.html",
        {
            "item": item,
            "notes": report_notes(item),
            "history": event_history_of(item),
            "form": NoteForm(),
            "now": timezone.now(),
            "can": {
                "acknowledge": office and ReportState.ACKNOWLEDGED in allowed,
                "request_correction": office and ReportState.CORRECTION_REQUESTED in allowed,
                "propose_repost": office
                and item.repost_post_id is None
                and item.account.kind != "main",
                "respond": unit_side and ReportState.CORRECTION_ANSWERED in allowed,
                "comment": office or unit_side,
            },
        },
    )


_ACTIONS = {
    "acknowledge": gettext_lazy("已标记为已阅。"),
    "request_correction": gettext_lazy("已要求单位更正。"),
    "respond": gettext_lazy("已答复管理办公室。"),
    "comment": gettext_lazy("已发表意见。"),
    "propose_repost": gettext_lazy("已为主账号生成转发草稿，审核通过后发布。"),
}


@login_required
@require_POST
def report_action(request: HttpRequest, item_id: int, action: str) -> HttpResponse:
    item = report_item_get(user=request.user, item_id=item_id)
    if action not in _ACTIONS:
        raise Http404
    text = request.POST.get("text", "")
    try:
        if action == "acknowledge":
            services.report_item_acknowledge(actor=request.user, item_id=item.pk, comment=text)
        elif action == "request_correction":
            services.report_item_request_correction(actor=request.user, item_id=item.pk, text=text)
        elif action == "respond":
            services.report_item_respond(actor=request.user, item_id=item.pk, text=text)
        elif action == "comment":
            services.report_item_comment(actor=request.user, item_id=item.pk, text=text)
        else:
            post = services.report_item_propose_repost(
                actor=request.user, item_id=item.pk, comment=text
            )
            messages.success(request, str(_ACTIONS[action]))
            return redirect("publishing:post_detail", post_id=post.pk)
        messages.success(request, str(_ACTIONS[action]))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("publishing:report_detail", item_id=item.pk)


@login_required
@require_POST
def report_bulk_acknowledge(request: HttpRequest) -> HttpResponse:
    ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit()]
    run_bulk(
        request,
        list(report_item_list(user=request.user).filter(pk__in=ids)),
        lambda item: services.report_item_acknowledge(actor=request.user, item_id=item.pk),
        done=_("已将 %(n)d 条报送标记为已阅。"),
        refused=_("没有标记任何报送：%(row)s — %(reason)s"),
        empty=_("请至少选择一条报送。"),
    )
    return redirect("publishing:reports")
