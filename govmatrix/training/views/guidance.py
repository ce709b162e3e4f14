"""Pages of guidance notices (with read receipts) and the online-exchange board."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from govmatrix.org.permissions import scope_for
from govmatrix.training import rules, selectors
from govmatrix.training.forms import NoticeForm, ReplyForm, ThreadForm
from govmatrix.training.models import NoticeStatus
from govmatrix.training.services import board, guidance
from govmatrix.web.forms_support import run_service
from govmatrix.web.listing import paginate


@login_required
def notices(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    return render(
        request,
        "training/notices.html",
        {"page": paginate(request, selectors.notice_list(user=request.user)),
         "can_manage": rules.can_manage(scope),
         "unread": set(selectors.unread_notices(user=request.user).values_list("pk", flat=True))},
    )  # fmt: skip


@login_required
def notice_create(request: HttpRequest) -> HttpResponse:
    if not rules.can_manage(scope_for(request.user)):
        raise PermissionDenied(_("只有管理办公室可以下发业务指导。"))
    form = NoticeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        notice = run_service(form, lambda: guidance.guidance_notice_create(
            actor=request.user, title=d["title"], body=d["body"],
            unit_ids=[u.pk for u in d["units"]], read_by=d["read_by"]))  # fmt: skip
        if notice is not None:
            messages.success(request, _("已保存草稿，确认无误后下发。"))
            return redirect("training:notice", notice_id=notice.pk)
    return render(request, "org/form.html",
                  {"form": form, "title": _("新建业务指导通知"), "back": "training:notices"})  # fmt: skip


@login_required
def notice_detail(request: HttpRequest, notice_id: int) -> HttpResponse:
    notice = selectors.notice_get(user=request.user, notice_id=notice_id)
    scope = scope_for(request.user)
    receipts = selectors.notice_receipts(user=request.user, notice=notice)
    mine = notice.reads.filter(user_id=request.user.pk or 0).exists()
    return render(
        request,
        "training/notice_detail.html",
        {"notice": notice, "receipts": receipts, "can_manage": rules.can_manage(scope),
         "unread_units": [r.unit for r in receipts if not r.read],
         "may_confirm": notice.status == NoticeStatus.ISSUED and not mine
         and bool(set(notice.units.values_list("pk", flat=True)) & scope.unit_ids),
         "confirmed": mine, "S": NoticeStatus},
    )  # fmt: skip


NOTICE_ACTIONS = {
    "issue": (guidance.guidance_notice_issue, gettext_lazy("已下发，各单位已收到通知。")),
    "withdraw": (guidance.guidance_notice_withdraw, gettext_lazy("已撤回。")),
    "read": (guidance.guidance_notice_confirm_read, gettext_lazy("已签收。")),
}


@login_required
@require_POST
def notice_action(request: HttpRequest, notice_id: int, action: str) -> HttpResponse:
    if action == "remind":
        count = guidance.guidance_notice_remind(actor=request.user, notice_id=notice_id)
        messages.success(request, _("已提醒 %(n)s 个未签收单位。") % {"n": count})
    elif action in NOTICE_ACTIONS:
        service, done = NOTICE_ACTIONS[action]
        service(actor=request.user, notice_id=notice_id)
        messages.success(request, done)
    else:
        raise Http404
    return redirect("training:notice", notice_id=notice_id)


@login_required
def board_view(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    if not rules.in_district(scope):
        raise PermissionDenied(_("只有本区政务微博工作人员可以参与网上交流。"))
    form = ThreadForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        thread = run_service(form, lambda: board.board_thread_create(
            actor=request.user, **form.cleaned_data))  # fmt: skip
        if thread is not None:
            return redirect("training:thread", thread_id=thread.pk)
    q = request.GET.get("q", "").strip()
    return render(request, "training/board.html",
                  {"page": paginate(request, selectors.thread_list(user=request.user, q=q)),
                   "form": form, "q": q})  # fmt: skip


@login_required
def thread_detail(request: HttpRequest, thread_id: int) -> HttpResponse:
    thread = selectors.thread_get(user=request.user, thread_id=thread_id)
    form = ReplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        reply = run_service(form, lambda: board.board_reply_create(
            actor=request.user, thread_id=thread.pk, body=form.cleaned_data["body"]))  # fmt: skip
        if reply is not None:
            return redirect(f"{request.path}#reply-{reply.pk}")
    return render(
        request,
        "training/thread.html",
        {"thread": thread, "replies": thread.replies.select_related("author", "author_unit"),
         "form": form, "can_manage": rules.can_manage(scope_for(request.user))},
    )  # fmt: skip


@login_required
@require_POST
def thread_close(request: HttpRequest, thread_id: int) -> HttpResponse:
    board.board_thread_close(actor=request.user, thread_id=thread_id)
    return redirect("training:thread", thread_id=thread_id)
