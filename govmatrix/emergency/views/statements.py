"""Writing a statement, and its phone page: the commander reads the text, the repost comment
and what changed, and approves with one tap (R5.2)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from govmatrix.core.errors import DomainError, ValidationFailed
from govmatrix.emergency import rules, services
from govmatrix.emergency.forms import ReviewForm, StatementForm
from govmatrix.emergency.models import Incident, IncidentStatus, Statement
from govmatrix.emergency.selectors.incidents import (
    incident_get,
    statement_accounts,
    statement_get,
    statement_kinds,
)
from govmatrix.emergency.selectors.orders import board_summary
from govmatrix.emergency.selectors.settings import emergency_settings
from govmatrix.org.permissions import scope_for
from govmatrix.publishing import rules as publishing_rules
from govmatrix.publishing.diffing import has_changes, text_diff
from govmatrix.publishing.models import PostStatus
from govmatrix.publishing.selectors.posts import last_returned_review, open_review
from govmatrix.web.forms_support import run_service


def _statement_form(request: HttpRequest, incident: Incident, **kwargs: Any) -> StatementForm:
    return StatementForm(
        request.POST or None,
        accounts=statement_accounts(user=request.user, incident=incident),
        kinds=statement_kinds(incident),
        **kwargs,
    )


@login_required
def statement_create_view(request: HttpRequest, incident_id: int) -> HttpResponse:
    incident = incident_get(user=request.user, incident_id=incident_id)
    if incident.status != IncidentStatus.ACTIVE:
        messages.error(request, _("事件已结束，不能再发布应对口径。"))
        return redirect("emergency:incident", incident_id=incident.pk)
    form = _statement_form(
        request,
        incident,
        initial={"repost_minutes": emergency_settings().repost_minutes, "order_reposts": True},
    )
    if not form.fields["account"].queryset.exists():  # type: ignore[attr-defined]
        raise PermissionDenied(_("主账号的应对口径由管理办公室撰写。"))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def create() -> Statement:
            statement = services.statement_create(
                actor=request.user,
                incident_id=incident.pk,
                text=data["text"],
                kind=data["kind"],
                repost_comment=data["repost_comment"],
                repost_minutes=data["repost_minutes"],
                order_reposts=data["order_reposts"],
                target_account_ids=None if data["target_all"] else [a.pk for a in data["targets"]],
                account_id=data["account"].pk,
            )
            if "submit" in request.POST:
                services.statement_submit(actor=request.user, statement_id=statement.pk)
            return statement

        statement = run_service(form, create)
        if statement is not None:
            messages.success(
                request,
                _("已提交现场最高领导审核。") if "submit" in request.POST else _("已保存草稿。"),
            )
            return redirect("emergency:statement", statement_id=statement.pk)
    return render(request, "emergency/statement_form.html", {"form": form, "incident": incident})


@login_required
def statement_edit_view(request: HttpRequest, statement_id: int) -> HttpResponse:
    statement = statement_get(user=request.user, statement_id=statement_id)
    incident = statement.incident
    targets = list(statement.targets.all())
    form = _statement_form(
        request,
        incident,
        initial={
            "account": statement.post.account_id,
            "kind": statement.kind,
            "text": statement.post.text,
            "repost_comment": statement.repost_comment,
            "repost_minutes": statement.repost_minutes,
            "order_reposts": statement.order_reposts,
            "target_all": "1" if statement.target_all else "0",
            "targets": targets,
        },
    )
    form.fields["kind"].disabled = True
    form.fields["account"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def update() -> Statement:
            services.statement_update(
                actor=request.user,
                statement_id=statement.pk,
                text=data["text"],
                repost_comment=data["repost_comment"],
                repost_minutes=data["repost_minutes"],
                order_reposts=data["order_reposts"],
                target_account_ids=None if data["target_all"] else [a.pk for a in data["targets"]],
            )
            if "submit" in request.POST:
                services.statement_submit(actor=request.user, statement_id=statement.pk)
            return statement

        if run_service(form, update) is not None:
            messages.success(request, _("已保存。"))
            return redirect("emergency:statement", statement_id=statement.pk)
    return render(
        request,
        "emergency/statement_form.html",
        {"form": form, "incident": incident, "statement": statement},
    )


def _diff(post: Any) -> dict[str, Any]:
    if post.approved_text:
        base, label = post.approved_text, _("与上次通过的版本相比")
    elif returned := last_returned_review(post):
        base, label = returned.text, _("与上次退回的版本相比")
    else:
        return {}
    segments = text_diff(base, post.text)
    return {"segments": segments, "label": label, "changed": has_changes(segments)}


def _decide(request: HttpRequest, statement: Statement, form: ReviewForm) -> bool:
    comment = form.cleaned_data["comment"]
    try:
        if "return" in request.POST:
            services.statement_return(
                actor=request.user, statement_id=statement.pk, comment=comment
            )
            messages.success(request, _("已退回修改。"))
        else:
            services.statement_approve(
                actor=request.user,
                statement_id=statement.pk,
                comment=comment,
                version=form.cleaned_data["version"],
            )
            messages.success(request, _("已通过，主账号立即发布。"))
    except ValidationFailed as exc:
        for message in exc.errors.values():
            form.add_error("comment", message)
        return False
    except DomainError as exc:
        messages.error(request, exc.message)
    return True


@login_required
def statement_view(request: HttpRequest, statement_id: int) -> HttpResponse:
    statement = statement_get(user=request.user, statement_id=statement_id)
    post = statement.post
    scope = scope_for(request.user)
    can_decide = publishing_rules.can_approve_post(scope, post)
    form = ReviewForm(request.POST or None, initial={"version": post.version})
    if request.method == "POST":
        if "submit_statement" in request.POST:
            try:
                services.statement_submit(actor=request.user, statement_id=statement.pk)
                messages.success(request, _("已提交现场最高领导审核。"))
            except DomainError as exc:
                messages.error(request, exc.message)
            return redirect("emergency:statement", statement_id=statement.pk)
        if can_decide and form.is_valid() and _decide(request, statement, form):
            return redirect("emergency:statement", statement_id=statement.pk)
    active = statement.incident.status == IncidentStatus.ACTIVE
    drafts = publishing_rules.can_draft(scope, post.account) and active
    review = open_review(post)
    return render(
        request,
        "emergency/statement.html",
        {
            "statement": statement,
            "incident": statement.incident,
            "post": post,
            "review": review,
            "form": form,
            "can_decide": can_decide and active and post.status == PostStatus.SUBMITTED,
            "can_submit": drafts and post.status in (PostStatus.DRAFT, PostStatus.RETURNED),
            "can_edit": drafts and post.status not in (PostStatus.PUBLISHING, PostStatus.PUBLISHED),
            "is_commander": rules.is_commander(scope, statement.incident),
            "is_office": rules.can_declare(scope),
            "diff": _diff(post),
            "targets": statement.targets.select_related("unit") if not statement.target_all else [],
            "board": board_summary(user=request.user, statement=statement)
            if statement.fanned_out_at
            else None,
        },
    )
