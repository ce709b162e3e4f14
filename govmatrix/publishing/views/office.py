"""The office's pages: the pause switch, the review time, topics, and the content-check lists."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from govmatrix.core.errors import DomainError
from govmatrix.core.tables import download
from govmatrix.org.permissions import scope_for
from govmatrix.publishing import services
from govmatrix.publishing.forms import (
    ContentRuleForm,
    LeaderForm,
    PauseForm,
    SettingsForm,
    TopicForm,
)
from govmatrix.publishing.models import RuleKind
from govmatrix.publishing.navigation import volume_chart
from govmatrix.publishing.selectors.office import (
    content_check,
    content_rule_list,
    leader_list,
    publishing_settings,
    topic_list,
)
from govmatrix.publishing.views.common import toggle
from govmatrix.publishing.views.posts import hits_for_display
from govmatrix.web.charts import chart_table
from govmatrix.web.forms_support import run_service


def _viewer(request: HttpRequest) -> bool:
    """The office's pages are read by the office and its inspectors; only the office edits."""
    scope = scope_for(request.user)
    if not scope.sees_all:
        raise PermissionDenied(_("只有管理办公室可以查看发布设置。"))
    return scope.is_office_admin


def _back(request: HttpRequest, fallback: str) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(fallback)


@login_required
def settings_view(request: HttpRequest) -> HttpResponse:
    editable = _viewer(request)
    row = publishing_settings()
    form = SettingsForm(
        request.POST if "save_settings" in request.POST else None,
        initial={"important_review_hours": row.important_review_hours},
    )
    topic_form = TopicForm(request.POST if "add_topic" in request.POST else None)
    if request.method == "POST" and editable:
        if "save_settings" in request.POST and form.is_valid():
            hours = form.cleaned_data["important_review_hours"]
            if run_service(
                form,
                lambda: services.publishing_settings_update(
                    actor=request.user, important_review_hours=hours
                ),
            ):
                messages.success(request, _("已保存。"))
                return redirect("publishing:settings")
        if "add_topic" in request.POST and topic_form.is_valid():
            data = topic_form.cleaned_data
            if run_service(
                topic_form,
                lambda: services.topic_create(
                    actor=request.user, name=data["name"], sort_order=data["sort_order"]
                ),
            ):
                messages.success(request, _("已新增主题。"))
                return redirect("publishing:settings")
    return render(
        request,
        "publishing/settings.html",
        {
            "editable": editable,
            "settings": row,
            "form": form,
            "topic_form": topic_form,
            "topics": topic_list(),
            "pause_form": PauseForm(),
        },
    )


@login_required
@require_POST
def pause_view(request: HttpRequest, action: str) -> HttpResponse:
    note = request.POST.get("note", "")
    try:
        if action == "pause":
            services.publishing_pause(actor=request.user, note=note)
            messages.warning(request, _("已暂停全部定时发布。到时的稿件将等待，恢复后立即发布。"))
        else:
            services.publishing_resume(actor=request.user, note=note)
            messages.success(request, _("已恢复定时发布。"))
    except DomainError as exc:
        messages.error(request, exc.message)
    return _back(request, "publishing:settings")


@login_required
@require_POST
def topic_toggle(request: HttpRequest, topic_id: int) -> HttpResponse:
    return toggle(
        request,
        topic_list().filter(pk=topic_id).first(),
        lambda on: services.topic_update(actor=request.user, topic_id=topic_id, is_active=on),
        "publishing:settings",
    )


@login_required
def terms_view(request: HttpRequest) -> HttpResponse:
    editable = _viewer(request)
    form = ContentRuleForm(request.POST or None)
    if request.method == "POST" and editable and form.is_valid():
        data = form.cleaned_data
        if run_service(form, lambda: services.content_rule_create(actor=request.user, **data)):
            messages.success(request, _("已新增“%(p)s”。") % {"p": data["phrase"]})
            return redirect("publishing:terms")
    sample = request.GET.get("sample", "")[:2000]
    return render(
        request,
        "publishing/terms.html",
        {
            "editable": editable,
            "form": form,
            "banned": content_rule_list(kind=RuleKind.BANNED),
            "allowed": content_rule_list(kind=RuleKind.ALLOWED),
            "sample": sample,
            "check": hits_for_display(sample, [h.as_dict() for h in content_check(sample)])
            if sample.strip()
            else None,
        },
    )


@login_required
@require_POST
def rule_toggle(request: HttpRequest, rule_id: int) -> HttpResponse:
    return toggle(
        request,
        content_rule_list().filter(pk=rule_id).first(),
        lambda on: services.content_rule_update(actor=request.user, rule_id=rule_id, is_active=on),
        "publishing:terms",
    )


@login_required
def leaders_view(request: HttpRequest) -> HttpResponse:
    editable = _viewer(request)
    editing = (
        leader_list().filter(pk=int(request.GET["edit"])).first()
        if request.GET.get("edit", "").isdigit()
        else None
    )
    form = LeaderForm(
        request.POST or None, initial=LeaderForm.initial_for(editing) if editing else None
    )
    if request.method == "POST" and editable and form.is_valid():
        data = form.cleaned_data
        fields = {
            "name": data["name"],
            "titles": data["titles"],
            "unit_id": data["unit"].pk if data["unit"] else None,
            "sort_order": data["sort_order"],
        }
        if editing is not None:
            saved = run_service(
                form,
                lambda: services.leader_name_update(
                    actor=request.user, leader_id=editing.pk, **fields
                ),
            )
        else:
            saved = run_service(
                form, lambda: services.leader_name_create(actor=request.user, **fields)
            )
        if saved is not None:
            messages.success(request, _("已保存。"))
            return redirect("publishing:leaders")
    return render(
        request,
        "publishing/leaders.html",
        {"editable": editable, "form": form, "editing": editing, "leaders": leader_list()},
    )


@login_required
@require_POST
def leader_toggle(request: HttpRequest, leader_id: int) -> HttpResponse:
    return toggle(
        request,
        leader_list().filter(pk=leader_id).first(),
        lambda on: services.leader_name_update(
            actor=request.user, leader_id=leader_id, is_active=on
        ),
        "publishing:leaders",
    )


@login_required
def volume_export(request: HttpRequest) -> HttpResponse:
    chart = volume_chart(request)
    headers, rows = chart_table(chart)
    return download(
        filename=chart["title"],
        headers=headers,
        rows=rows,
        file_format=request.GET.get("format", "xlsx"),
    )
