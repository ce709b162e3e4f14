"""The pages of harmful-comment cases: the list, flagging a comment, a case with its timeline,
the written application, the escalation letter, the office's actions, and the documents."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from govmatrix.core.errors import DomainError
from govmatrix.core.tables import download
from govmatrix.moderation import rules, services, sources
from govmatrix.moderation.documents import category_label
from govmatrix.moderation.forms import (
    ApplicationForm,
    CaseFilterForm,
    FlagForm,
    LetterForm,
    NoteForm,
    OutcomeForm,
)
from govmatrix.moderation.models import CaseState, DocumentKind, HarmCase
from govmatrix.moderation.selectors import cases as selectors
from govmatrix.moderation.selectors.documents import (
    application_draft,
    document_get,
    letter_draft,
    preview_application,
    preview_letter,
)
from govmatrix.moderation.services.actions import available_actions
from govmatrix.org.permissions import scope_for
from govmatrix.publishing.views.common import run_bulk  # the shared all-or-nothing bulk helper
from govmatrix.web.forms_support import run_service
from govmatrix.web.listing import active_filters, paginate, remembered_filters

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def docx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=DOCX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def _filters(form: CaseFilterForm) -> selectors.CaseFilter:
    form.is_valid()
    data: dict[str, Any] = getattr(form, "cleaned_data", {}) or {}
    return selectors.CaseFilter(
        state=data.get("state", ""),
        unit_id=data["unit"].pk if data.get("unit") else None,
        category=data.get("category", ""),
        source=data.get("source", ""),
        outcome=data.get("outcome", ""),
        q=(data.get("q") or "").strip(),
    )


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    if redirect_to := remembered_filters(request, "harm_cases"):
        return redirect_to
    form = CaseFilterForm(request.GET or None, user=request.user)
    rows = selectors.case_list(user=request.user, filters=_filters(form))
    if file_format := request.GET.get("export"):
        return download(
            filename=_("有害信息处置"),
            headers=[_("编号"), _("标记时间"), _("单位"), _("账号"), _("网民"), _("评论内容"),
                     _("类别"), _("发现方式"), _("状态"), _("上报时间"), _("书面申请时间"),
                     _("报请时间"), _("报请对象"), _("处置结果"), _("办结时间"), _("证据 SHA-256")],
            rows=([c.number, c.flagged_at, c.unit.name, c.account.display_name, c.author_name,
                   c.comment_text, category_label(c.category), c.get_flag_source_display(),
                   c.get_state_display(), c.reported_at, c.application_filed_at, c.escalated_at,
                   "、".join(c.recipients), c.get_outcome_display(), c.closed_at, c.evidence_sha256]
                  for c in rows),
            file_format=file_format,
        )  # fmt: skip
    scope = scope_for(request.user)
    return render(
        request,
        "moderation/cases.html",
        {
            "form": form,
            "page": paginate(request, rows),
            "filters": active_filters(request),
            "is_office": rules.is_office(scope),
            "can_flag": rules.is_office(scope) or bool(scope.roles),
            "now": timezone.now(),
        },
    )


@login_required
@require_POST
def case_bulk_retain(request: HttpRequest) -> HttpResponse:
    """The office closes several flagged cases at once as "retained" (e.g. screening's false
    positives), with one note; all or nothing."""
    ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit()]
    note = request.POST.get("note", "").strip() or _("经核实不构成有害信息，予以保留。")
    run_bulk(
        request,
        list(selectors.case_list(user=request.user).filter(pk__in=ids)),
        lambda case: services.harm_case_close(
            actor=request.user, case_id=case.pk, outcome="retained", note=note
        ),
        done=_("已将 %(n)d 件登记为保留。"),
        refused=_("没有登记任何案件：%(row)s — %(reason)s"),
        empty=_("请至少选择一件。"),
    )
    return redirect("moderation:cases")


@login_required
def flag(request: HttpRequest) -> HttpResponse:
    """Flag a comment as harmful: pick one of the recent comments the user can see."""
    form = FlagForm(request.POST or None, initial={"message_id": request.GET.get("message")})
    chosen = None
    message_id = request.POST.get("message_id") or request.GET.get("message")
    if message_id and str(message_id).isdigit():
        try:
            chosen = sources.visible_comment(user=request.user, message_id=int(message_id))
        except DomainError:
            chosen = None
        existing = selectors.case_for_message(user=request.user, message_id=int(message_id))
        if existing is not None:
            messages.info(request, _("该跟帖已有处置案件。"))
            return redirect("moderation:case", case_id=existing.pk)
    if request.method == "POST" and form.is_valid():
        case = run_service(
            form,
            lambda: services.harm_case_flag(
                actor=request.user,
                message_id=form.cleaned_data["message_id"],
                category=form.cleaned_data["category"],
                reason=form.cleaned_data["reason"],
            ),
        )
        if case is not None:
            messages.success(request, _("已标记并上报管理办公室（%(n)s）。") % {"n": case.number})
            return redirect("moderation:case", case_id=case.pk)
    q = request.GET.get("q", "")
    return render(
        request,
        "moderation/flag.html",
        {
            "form": form,
            "chosen": chosen,
            "comments": sources.recent_comments(user=request.user, q=q),
            "q": q,
        },
    )


def _can(request: HttpRequest, case: HarmCase) -> dict[str, bool]:
    scope = scope_for(request.user)
    office = rules.is_office(scope)
    allowed = rules.CASE_TRANSITIONS.get(case.state, set())
    return {
        "file": rules.can_file_application(scope, case.unit_id)
        and CaseState.APPLICATION_FILED in allowed,
        "return": office and case.state == CaseState.APPLICATION_FILED,
        "escalate": office and CaseState.ESCALATED in allowed,
        "close": office and bool(rules.OUTCOMES_FROM.get(case.state)),
        "act": office and case.state in (CaseState.APPLICATION_FILED, CaseState.ESCALATED),
    }


@login_required
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.case_get(user=request.user, case_id=case_id)
    can = _can(request, case)
    outcome_form = OutcomeForm()
    outcome_form.fields["outcome"].choices = [  # type: ignore[attr-defined]
        (value, label)
        for value, label in outcome_form.fields["outcome"].choices  # type: ignore[attr-defined]
        if value in rules.OUTCOMES_FROM.get(case.state, set())
    ]
    return render(
        request,
        "moderation/case_detail.html",
        {
            "case": case,
            "can": can,
            "check": selectors.evidence_check(case),
            "documents": selectors.case_documents(case),
            "actions": selectors.case_actions(case),
            "pending": selectors.pending_action(case),
            "available": available_actions(case) if can["act"] else {},
            "history": selectors.case_history(case),
            "outcome_form": outcome_form,
            "note_form": NoteForm(),
            "category": category_label(case.category),
            "now": timezone.now(),
        },
    )


def _document_page(
    request: HttpRequest,
    case_id: int,
    *,
    kind: str,
    form_class: type[ApplicationForm] | type[LetterForm],
    draft: Callable[..., dict[str, str]],
    save: Callable[..., Any],
    file: Callable[..., Any],
    preview: Callable[..., bytes],
    allowed: str,
) -> HttpResponse:
    case = selectors.case_get(user=request.user, case_id=case_id)
    if not _can(request, case)[allowed]:
        messages.error(request, _("当前不能编辑此文书。"))
        return redirect("moderation:case", case_id=case.pk)
    form = form_class(request.POST or None, initial=draft(case, actor=request.user))
    if request.method == "POST" and form.is_valid():
        action = request.POST.get("do", "save")
        fields = dict(form.cleaned_data)
        if action == "file":
            if (
                run_service(form, lambda: file(actor=request.user, case_id=case.pk, **fields))
                is not None
            ):
                messages.success(request, _("已提交。文书已生成并存档。"))
                return redirect("moderation:case", case_id=case.pk)
        elif (
            run_service(form, lambda: save(actor=request.user, case_id=case.pk, **fields))
            is not None
        ):
            if action == "preview":
                case.refresh_from_db()
                return docx_response(
                    preview(case, actor=request.user), f"{kind}-{case.number}-预览.docx"
                )
            messages.success(request, _("已保存。可下载预览核对后提交。"))
            return redirect(request.path)
    return render(
        request,
        f"moderation/{kind}.html",
        {"case": case, "form": form, "category": category_label(case.category)},
    )


@login_required
def application(request: HttpRequest, case_id: int) -> HttpResponse:
    return _document_page(
        request, case_id, kind="application", form_class=ApplicationForm, draft=application_draft,
        save=services.harm_case_application_update, file=services.harm_case_application_file,
        preview=preview_application, allowed="file",
    )  # fmt: skip


@login_required
def letter(request: HttpRequest, case_id: int) -> HttpResponse:
    return _document_page(
        request, case_id, kind="letter", form_class=LetterForm, draft=letter_draft,
        save=services.harm_case_letter_update, file=services.harm_case_escalate,
        preview=preview_letter, allowed="escalate",
    )  # fmt: skip


@login_required
def document(request: HttpRequest, case_id: int, document_id: int) -> HttpResponse:
    case = selectors.case_get(user=request.user, case_id=case_id)
    filed = document_get(case=case, document_id=document_id)
    return docx_response(bytes(filed.content), filed.filename)


@login_required
@require_POST
def case_action(request: HttpRequest, case_id: int, action: str) -> HttpResponse:
    case = selectors.case_get(user=request.user, case_id=case_id)
    calls: dict[str, Callable[[], Any]] = {
        "close": lambda: services.harm_case_close(
            actor=request.user, case_id=case.pk, outcome=request.POST.get("outcome", ""),
            note=request.POST.get("note", ""),
        ),
        "return": lambda: services.harm_case_application_return(
            actor=request.user, case_id=case.pk, note=request.POST.get("note", "")
        ),
        "run": lambda: services.harm_case_action_run(
            actor=request.user, case_id=case.pk, action=request.POST.get("platform_action", ""),
            reason=request.POST.get("note", ""),
        ),
    }  # fmt: skip
    done = {
        "close": _("已登记处置结果，案件办结。"),
        "return": _("已退回书面申请。"),
        "run": _("已批准，平台处置已发出；结果返回后记录在此。"),
    }
    if action not in calls:
        raise Http404
    try:
        calls[action]()
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done[action])
    return redirect("moderation:case", case_id=case.pk)


@login_required
def preview(request: HttpRequest, case_id: int, kind: str) -> HttpResponse:
    """The document as it would be generated now, for a look before filing."""
    case = selectors.case_get(user=request.user, case_id=case_id)
    if kind == DocumentKind.APPLICATION:
        return docx_response(
            preview_application(case, actor=request.user), f"书面申请-{case.number}-预览.docx"
        )
    if kind == DocumentKind.LETTER:
        return docx_response(
            preview_letter(case, actor=request.user), f"报请函-{case.number}-预览.docx"
        )
    raise Http404
