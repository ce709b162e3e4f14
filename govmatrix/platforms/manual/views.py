"""Pages of the manual tasks: the list, a task with its text, QR code, link form and check,
and the four things people do (paste a link, confirm, accept a difference, give up)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from govmatrix.core.errors import InvalidTransition, ValidationFailed
from govmatrix.org.permissions import scope_for
from govmatrix.platforms.manual import rules, selectors, services
from govmatrix.platforms.manual.forms import AbandonForm, ConfirmForm, LinkForm, OverrideForm
from govmatrix.platforms.manual.models import CheckOutcome, ManualTask, TaskState
from govmatrix.platforms.manual.qr import qr_data_uri
from govmatrix.web.listing import paginate

_FORMS: dict[str, type[forms.Form]] = {
    "link_form": LinkForm,
    "confirm_form": ConfirmForm,
    "override_form": OverrideForm,
    "abandon_form": AbandonForm,
}


def task_context(request: HttpRequest, task: ManualTask, **bound: forms.Form) -> dict[str, Any]:
    """What the task page and the card on the post page show."""
    scope = scope_for(request.user)
    page_url = request.build_absolute_uri(reverse("manual:task", args=[task.pk]))
    qr = qr_data_uri(task.text) if task.active else None
    return {
        "task": task,
        "can_work": rules.can_work(scope, task) and task.active,
        "can_override": rules.can_override(scope)
        and task.state in (TaskState.MISMATCH, TaskState.UNVERIFIED),
        "subject_url": selectors.subject_url(task),
        "qr": qr,
        # Too long for one QR code: the phone opens the task page instead (after signing in).
        "qr_page": qr_data_uri(page_url) if task.active and task.text and qr is None else None,
        "target_is_link": task.target.startswith(("https://", "http://")),
        "difference": selectors.difference(task)
        if task.check_outcome == CheckOutcome.MISMATCH
        else (),
        **{name: bound.get(name) or form() for name, form in _FORMS.items()},
    }


@login_required
def task_list(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", "active")
    if state not in selectors.LIST_STATES:
        state = "active"
    return render(
        request,
        "manual_platform/task_list.html",
        {
            "page": paginate(request, selectors.task_list(user=request.user, state=state)),
            "state": state,
            "states": [("active", _("待处理")), *TaskState.choices, ("all", _("全部"))],
        },
    )


@login_required
def task_page(request: HttpRequest, task_id: int) -> HttpResponse:
    task = selectors.task_get(user=request.user, task_id=task_id)
    context = task_context(request, task)
    context["history"] = selectors.task_history(task)
    return render(request, "manual_platform/task.html", context)


def _back(request: HttpRequest, task_id: int) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("manual:task", task_id=task_id)


def _act(
    request: HttpRequest,
    task_id: int,
    name: str,
    call: Callable[[dict[str, Any]], ManualTask],
    done: Callable[[ManualTask], str],
) -> HttpResponse:
    """Validate the form, call the service; a refused field is shown on the task page."""
    form = _FORMS[name](request.POST)
    if form.is_valid():
        try:
            task = call(form.cleaned_data)
        except ValidationFailed as exc:
            for field, message in exc.errors.items():
                form.add_error(field if field in form.fields else None, message)
        except InvalidTransition as exc:  # someone else finished it meanwhile
            messages.error(request, exc.message)
            return _back(request, task_id)
        else:
            text = done(task)
            if task.state == TaskState.DONE:
                messages.success(request, text)
            else:
                messages.warning(request, text)
            return _back(request, task_id)
    task = selectors.task_get(user=request.user, task_id=task_id)
    context = task_context(request, task, **{name: form})
    context["history"] = selectors.task_history(task)
    return render(request, "manual_platform/task.html", context, status=422)


def _link_outcome(task: ManualTask) -> str:
    if task.state == TaskState.DONE:
        return _("页面文字与审定文本一致，已完成发布。")
    if task.state == TaskState.MISMATCH:
        return _(
            "页面文字与审定文本不一致：请对照差异，在平台上更正后重新回填链接，或等待管理办公室认定。"
        )
    return _("无法读取该页面（%(why)s）：请亲自核对后确认。") % {"why": task.check_detail}


def _action(
    name: str,
    call: Callable[[HttpRequest, int, dict[str, Any]], ManualTask],
    done: Callable[[ManualTask], str],
) -> Callable[[HttpRequest, int], HttpResponse]:
    @login_required
    @require_POST
    def view(request: HttpRequest, task_id: int) -> HttpResponse:
        return _act(request, task_id, name, lambda data: call(request, task_id, data), done)

    return view


submit_link = _action(
    "link_form",
    lambda request, task_id, data: services.manual_task_submit_link(
        actor=request.user, task_id=task_id, url=data["url"]
    ),
    _link_outcome,
)
confirm = _action(
    "confirm_form",
    lambda request, task_id, data: services.manual_task_confirm(
        actor=request.user, task_id=task_id, note=data["note"]
    ),
    lambda _task: _("已确认，发布完成。您的确认已记录。"),
)
override = _action(
    "override_form",
    lambda request, task_id, data: services.manual_task_override(
        actor=request.user, task_id=task_id, reason=data["reason"]
    ),
    lambda _task: _("已认可该发布，理由已记录。"),
)
abandon = _action(
    "abandon_form",
    lambda request, task_id, data: services.manual_task_abandon(
        actor=request.user, task_id=task_id, reason=data["reason"]
    ),
    lambda _task: _("已放弃手工发布。"),
)
