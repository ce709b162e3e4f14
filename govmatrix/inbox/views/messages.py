"""The inbox pages: each unit's queue (and the office's triage queue), one message with its
clocks, thread, notes and replies, the actions on it, and bulk actions."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from govmatrix.audit.selectors import event_history_of
from govmatrix.core.errors import DomainError, ValidationFailed
from govmatrix.core.tables import download
from govmatrix.inbox import clocks, rules, services
from govmatrix.inbox.forms import (
    SLA_LABELS,
    AssignForm,
    CloseForm,
    MergeForm,
    MessageFilterForm,
    NoteForm,
    ReasonForm,
    ReclassifyForm,
    ReplyForm,
    RouteForm,
)
from govmatrix.inbox.models import MessageState
from govmatrix.inbox.selectors.messages import (
    MessageFilter,
    labels_of,
    message_get,
    message_list,
    possible_duplicates,
    thread_of,
)
from govmatrix.inbox.selectors.replies import replies_of, suggest_wordings, waiting_of
from govmatrix.matrix.models import Account
from govmatrix.org.permissions import scope_for
from govmatrix.web.listing import active_filters, paginate, remembered_filters


def _filters(request: HttpRequest, form: MessageFilterForm, *, triage: bool) -> MessageFilter:
    form.is_valid()
    data: dict[str, Any] = getattr(form, "cleaned_data", {}) or {}
    return MessageFilter(
        unit_id=data["unit"].pk if data.get("unit") else None,
        account_id=data["account"].pk if data.get("account") else None,
        kind=data.get("kind", ""),
        topic_id=data["topic"].pk if data.get("topic") else None,
        sla_state=data.get("sla", ""),
        state=_state(data.get("state", ""), triage=triage),
        assignee=data.get("assignee", ""),
        channel=data.get("channel", ""),
        triage=triage,
        q=(data.get("q") or "").strip(),
        received_from=_day_start(data.get("day")),
        received_until=_day_start(data.get("day"), 1),
    )


def _state(raw: str, *, triage: bool) -> str:
    if triage or raw == "all":
        return ""
    return raw or "working"


def _day_start(day: Any, plus: int = 0) -> Any:
    if day is None:
        return None
    moment = datetime.combine(day + timedelta(days=plus), time.min)
    return timezone.make_aware(moment)


def _queue(request: HttpRequest, *, triage: bool) -> HttpResponse:
    key = "inbox-triage" if triage else "inbox"
    if redirect_to := remembered_filters(request, key):
        return redirect_to
    scope = scope_for(request.user)
    form = MessageFilterForm(request.GET or None, user=request.user)
    rows = message_list(user=request.user, filters=_filters(request, form, triage=triage))
    if file_format := request.GET.get("export"):
        now = timezone.now()
        return download(
            filename=_("待分办留言") if triage else _("网民留言"),
            headers=[
                _("编号"),
                _("收到时间"),
                _("账号"),
                _("网民"),
                _("内容"),
                _("类型"),
                _("主题"),
                _("责任单位"),
                _("状态"),
                _("时限"),
                _("当前时限"),
                _("经办人"),
            ],
            rows=(
                [
                    m.pk,
                    m.received_at,
                    m.account.display_name,
                    m.author_name,
                    m.text,
                    m.get_kind_display(),
                    m.topic.name if m.topic else "",
                    m.unit.name if m.unit else "",
                    m.get_state_display(),
                    str(SLA_LABELS.get(clocks.sla_state(m, now), "")),
                    m.next_due_at,
                    m.assignee.get_username() if m.assignee else "",
                ]
                for m in rows.iterator(chunk_size=500)
            ),
            file_format=file_format,
        )
    page = paginate(request, rows)
    accounts = Account.objects.filter(unit_id__in=scope.unit_ids) if not scope.sees_all else None
    return render(
        request,
        "inbox/queue.html",
        {
            "form": form,
            "page": page,
            "filters": active_filters(request),
            "triage": triage,
            "now": timezone.now(),
            "can_triage": rules.can_triage(scope),
            "can_sync": scope.is_office_admin or bool(accounts and accounts.exists()),
            "route_form": RouteForm(),
            "assign_form": AssignForm(user=request.user, unit_id=None),
        },
    )


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    return _queue(request, triage=False)


@login_required
def triage(request: HttpRequest) -> HttpResponse:
    if not rules.can_triage(scope_for(request.user)):
        return redirect("inbox:queue")
    return _queue(request, triage=True)


def detail_context(request: HttpRequest, message: Any) -> dict[str, Any]:
    scope = scope_for(request.user)
    can_work = rules.can_work(scope, message)
    answerable = message.state in (MessageState.OPEN, MessageState.ANSWERED)
    wording_id = request.GET.get("wording", "")
    suggestions = suggest_wordings(message, user=request.user) if can_work and answerable else []
    reply_form = ReplyForm(initial={"wording": wording_id or None})
    if wording_id.isdigit():
        chosen = next((w for w, _s in suggestions if w.pk == int(wording_id)), None)
        if chosen is None:
            from govmatrix.inbox.selectors.replies import wordings_for

            chosen = (
                wordings_for(user=request.user, unit_id=message.unit_id)
                .filter(pk=int(wording_id))
                .first()
            )
        if chosen is not None:
            reply_form = ReplyForm(initial={"wording": chosen.pk, "text": chosen.text})
    return {
        "message": message,
        "now": timezone.now(),
        "can_work": can_work,
        "can_triage": rules.can_triage(scope),
        "can_assign_others": rules.can_assign_others(scope, message.unit_id),
        "can_approve": rules.can_approve_reply(scope, message),
        "answerable": answerable,
        "waiting": waiting_of(message),
        "thread": thread_of(message),
        "replies": replies_of(message),
        "notes": message.notes.select_related("author"),
        "labels": labels_of(message),
        "duplicates": possible_duplicates(message, user=request.user) if can_work else [],
        "history": event_history_of(message)[:30],
        "suggestions": suggestions,
        "reply_form": reply_form,
        "route_form": RouteForm(initial={"unit": message.unit_id}),
        "reason_form": ReasonForm(),
        "note_form": NoteForm(),
        "assign_form": AssignForm(
            user=request.user, unit_id=message.unit_id, initial={"assignee": message.assignee_id}
        ),
        "reclassify_form": ReclassifyForm(
            initial={"kind": message.kind, "topic": message.topic_id}
        ),
        "merge_form": MergeForm(),
        "close_form": CloseForm(),
        "sla_label": SLA_LABELS.get(clocks.sla_state(message), ""),
    }


@login_required
def message_detail(request: HttpRequest, message_id: int) -> HttpResponse:
    message = message_get(user=request.user, message_id=message_id)
    return render(request, "inbox/message_detail.html", detail_context(request, message))


def _act(request: HttpRequest, message_id: int, action: str) -> str:
    """Run one action; returns what to tell the user. Refusals raise DomainError."""
    user, post = request.user, request.POST
    if action == "route":
        form = RouteForm(post)
        if not form.is_valid():
            raise ValidationFailed({"unit_id": _("请选择单位。")})
        services.message_route(
            actor=user,
            message_id=message_id,
            unit_id=form.cleaned_data["unit"].pk,
            reason=form.cleaned_data.get("reason", ""),
        )
        return _("已分办。")
    if action == "assign":
        raw = post.get("assignee", "")
        services.message_assign(
            actor=user, message_id=message_id, assignee_id=int(raw) if raw.isdigit() else None
        )
        return _("经办人已更新。")
    if action == "take":
        services.message_assign(actor=user, message_id=message_id, assignee_id=user.pk)
        return _("已由您经办。")
    if action == "note":
        services.message_note_add(actor=user, message_id=message_id, text=post.get("text", ""))
        return _("备注已添加。")
    if action == "reclassify":
        raw_topic = post.get("topic", "")
        services.message_reclassify(
            actor=user,
            message_id=message_id,
            kind=post.get("kind") or None,
            topic_id=int(raw_topic) if raw_topic.isdigit() else None,
        )
        return _("分类已更正。")
    if action == "return":
        services.message_return_to_triage(
            actor=user, message_id=message_id, reason=post.get("reason", "")
        )
        return _("已退回管理办公室分办。")
    if action == "merge":
        raw = post.get("into", "")
        if not raw.isdigit():
            raise ValidationFailed({"into": _("请填写要并入的留言编号。")})
        services.message_merge(actor=user, message_id=message_id, into_id=int(raw))
        return _("已合并。")
    if action == "close":
        services.message_close(actor=user, message_id=message_id, note=post.get("note", ""))
        return _("已办结。")
    if action == "reopen":
        services.message_reopen(actor=user, message_id=message_id, reason=post.get("reason", ""))
        return _("已重新办理。")
    raise ValidationFailed({"action": _("不支持的操作。")})


@login_required
@require_POST
def message_action(request: HttpRequest, message_id: int, action: str) -> HttpResponse:
    try:
        done = _act(request, message_id, action)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    if action == "route" and request.POST.get("next") == "triage":
        return redirect("inbox:triage")
    return redirect("inbox:message", message_id=message_id)


@login_required
@require_POST
def bulk(request: HttpRequest) -> HttpResponse:
    ids = [int(v) for v in request.POST.getlist("ids") if v.isdigit()]
    action = request.POST.get("action", "")
    arguments: dict[str, Any] = {}
    if action == "assign":
        raw = request.POST.get("assignee", "")
        arguments["assignee_id"] = int(raw) if raw.isdigit() else None
    elif action == "route":
        raw = request.POST.get("unit", "")
        if not raw.isdigit():
            messages.error(request, _("请选择要分办到的单位。"))
            return redirect(request.POST.get("back") or "inbox:queue")
        arguments.update(unit_id=int(raw), reason=request.POST.get("reason", ""))
    elif action == "close":
        arguments["note"] = request.POST.get("note", "")
    try:
        done = services.messages_bulk(
            actor=request.user, message_ids=ids, action=action, **arguments
        )
    except DomainError as exc:
        messages.error(request, _("未做任何更改：%(reason)s") % {"reason": exc.message})
    else:
        messages.success(request, _("已处理 %(n)d 条留言。") % {"n": done})
    back = request.POST.get("back", "")
    return redirect("inbox:triage" if back == "triage" else "inbox:queue")


@login_required
@require_POST
def sync_now(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    accounts = (
        Account.objects.all()
        if scope.is_office_admin
        else Account.objects.filter(unit_id__in=scope.unit_ids)
    )
    started = services.sync_unit_now(account_ids=list(accounts.values_list("pk", flat=True)))
    if started:
        messages.success(request, _("已开始同步 %(n)d 个账号的新留言。") % {"n": started})
    else:
        messages.info(request, _("没有可同步的账号。"))
    return redirect("inbox:triage" if request.POST.get("back") == "triage" else "inbox:queue")
