"""Replies: drafting (from a wording), editing, the leader's list and the approval page (made
for a phone, with the content check and the diff against the wording it started from)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from govmatrix.core.errors import DomainError, ValidationFailed
from govmatrix.inbox import rules, services
from govmatrix.inbox.forms import ReplyForm, ReviewForm
from govmatrix.inbox.models import ReplyState
from govmatrix.inbox.selectors.messages import message_get
from govmatrix.inbox.selectors.replies import (
    approvals_waiting,
    last_returned_review,
    open_review,
    reply_get,
)
from govmatrix.inbox.views.messages import detail_context
from govmatrix.org.permissions import scope_for
from govmatrix.publishing.diffing import has_changes, text_diff
from govmatrix.publishing.views.posts import hits_for_display


def reply_diff(reply: Any) -> dict[str, Any]:
    """What the approver compares against: the wording it started from, else the last
    returned version."""
    if reply.wording_text:
        base, label = reply.wording_text, _("与所用口径相比")
    elif returned := last_returned_review(reply):
        base, label = returned.text, _("与上次退回的版本相比")
    else:
        return {}
    segments = text_diff(base, reply.text)
    return {"segments": segments, "label": label, "changed": has_changes(segments)}


@login_required
@require_POST
def reply_new(request: HttpRequest, message_id: int) -> HttpResponse:
    """Draft a reply (and, with "submit", send it to the leader at once)."""
    message = message_get(user=request.user, message_id=message_id)
    form = ReplyForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            reply = services.reply_create(
                actor=request.user,
                message_id=message.pk,
                text=data["text"],
                wording_id=data.get("wording") or None,
                closes=bool(data.get("closes")),
            )
            if "submit" in request.POST:
                services.reply_submit(actor=request.user, reply_id=reply.pk)
        except ValidationFailed as exc:
            for field, text in exc.errors.items():
                form.add_error(field if field in form.fields else None, text)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _("答复已提交主要领导审核。")
                if "submit" in request.POST
                else _("答复草稿已保存。"),
            )
            return redirect("inbox:message", message_id=message.pk)
    context = detail_context(request, message)
    context["reply_form"] = form
    return render(request, "inbox/message_detail.html", context, status=400)


@login_required
def reply_edit(request: HttpRequest, reply_id: int) -> HttpResponse:
    reply = reply_get(user=request.user, reply_id=reply_id)
    form = ReplyForm(request.POST or None, initial={"text": reply.text, "closes": reply.closes})
    if request.method == "POST" and form.is_valid():
        try:
            services.reply_update(
                actor=request.user,
                reply_id=reply.pk,
                text=form.cleaned_data["text"],
                closes=bool(form.cleaned_data.get("closes")),
            )
            if "submit" in request.POST:
                services.reply_submit(actor=request.user, reply_id=reply.pk)
        except ValidationFailed as exc:
            for field, text in exc.errors.items():
                form.add_error(field if field in form.fields else None, text)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("答复已保存。"))
            return redirect("inbox:message", message_id=reply.message_id)
    return render(request, "inbox/reply_form.html", {"reply": reply, "form": form})


@login_required
@require_POST
def reply_action(request: HttpRequest, reply_id: int, action: str) -> HttpResponse:
    reply = reply_get(user=request.user, reply_id=reply_id)
    calls = {
        "submit": (services.reply_submit, _("答复已提交主要领导审核。")),
        "withdraw": (services.reply_withdraw, _("答复已撤回为草稿。")),
        "retry": (services.reply_retry, _("正在重新发布。")),
    }
    if action == "wording":
        return _save_as_wording(request, reply)
    if action not in calls:
        messages.error(request, _("不支持的操作。"))
    else:
        call, done = calls[action]
        try:
            call(actor=request.user, reply_id=reply.pk)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, done)
    return redirect("inbox:message", message_id=reply.message_id)


def _save_as_wording(request: HttpRequest, reply: Any) -> HttpResponse:
    """An approved reply becomes a wording of the unit (or the district's, for the office)."""
    scope = scope_for(request.user)
    unit_id = (
        None if scope.is_office_admin and request.POST.get("district") else reply.message.unit_id
    )
    try:
        if reply.state not in (ReplyState.PUBLISHED, ReplyState.PUBLISHING):
            raise ValidationFailed({"reply": _("只有审核通过的答复可以加入口径库。")})
        services.wording_create(
            actor=request.user,
            title=request.POST.get("title") or reply.text[:20],
            text=reply.text,
            topic_id=reply.message.topic_id,
            unit_id=unit_id,
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已加入口径库。"))
    return redirect("inbox:message", message_id=reply.message_id)


@login_required
def approvals(request: HttpRequest) -> HttpResponse:
    return render(
        request, "inbox/approvals.html", {"replies": approvals_waiting(user=request.user)}
    )


@login_required
def reply_review(request: HttpRequest, reply_id: int) -> HttpResponse:
    reply = reply_get(user=request.user, reply_id=reply_id)
    can_decide = rules.can_approve_reply(scope_for(request.user), reply.message)
    form = ReviewForm(request.POST or None, initial={"version": reply.version})
    if request.method == "POST" and can_decide and form.is_valid():
        comment = form.cleaned_data["comment"]
        try:
            if "return" in request.POST:
                services.reply_return(actor=request.user, reply_id=reply.pk, comment=comment)
                messages.success(request, _("已退回撰写人修改。"))
            else:
                services.reply_approve(
                    actor=request.user,
                    reply_id=reply.pk,
                    comment=comment,
                    version=form.cleaned_data["version"],
                )
                messages.success(request, _("已通过，答复正在发布。"))
        except ValidationFailed as exc:
            for text in exc.errors.values():
                form.add_error("comment", text)
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("inbox:reply_review", reply_id=reply.pk)
        else:
            following = approvals_waiting(user=request.user).exclude(pk=reply.pk).first()
            if following is not None:
                return redirect("inbox:reply_review", reply_id=following.pk)
            return redirect("inbox:approvals")
    current = open_review(reply)
    return render(
        request,
        "inbox/review.html",
        {
            "reply": reply,
            "message": reply.message,
            "form": form,
            "can_decide": can_decide and reply.state == ReplyState.SUBMITTED,
            "review": current,
            "check": hits_for_display(current.text, current.check_hits) if current else None,
            "diff": reply_diff(reply),
            "waiting": approvals_waiting(user=request.user).exclude(pk=reply.pk).count(),
        },
    )
