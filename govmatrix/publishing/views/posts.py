"""Pages for writing posts: the list, the form, the post's own page and its actions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from govmatrix.audit.selectors import event_history_of
from govmatrix.core.errors import DomainError
from govmatrix.core.tables import download
from govmatrix.platforms.models import OutboxState
from govmatrix.publishing import rules, services
from govmatrix.publishing.checking import category_label, kind_label
from govmatrix.publishing.diffing import has_changes, text_diff
from govmatrix.publishing.forms import PostFilterForm, PostForm
from govmatrix.publishing.models import Post, PostImage, PostStatus
from govmatrix.publishing.selectors.office import content_check, is_paused
from govmatrix.publishing.selectors.posts import (
    PostFilter,
    actions_for,
    draftable_accounts,
    last_returned_review,
    open_review,
    post_get,
    post_list,
    publish_operation,
    review_history,
)
from govmatrix.publishing.views.common import run_bulk
from govmatrix.web.forms_support import run_service
from govmatrix.web.listing import active_filters, paginate, remembered_filters


def hits_for_display(text: str, hits: list[dict[str, Any]]) -> dict[str, Any]:
    """The text cut into plain and marked pieces, and the hits with readable labels."""
    pieces: list[dict[str, Any]] = []
    position = 0
    for number, hit in enumerate(sorted(hits, key=lambda h: (h["start"], -h["end"])), start=1):
        start, end = max(hit["start"], position), hit["end"]
        if start >= end:
            continue
        pieces.append({"text": text[position:start], "mark": False})
        pieces.append(
            {"text": text[start:end], "mark": True, "number": number, "kind": hit["kind"]}
        )
        position = end
    pieces.append({"text": text[position:], "mark": False})
    labelled = [
        {
            **hit,
            "kind_label": kind_label(hit["kind"]),
            "category_label": category_label(hit["category"]),
        }
        for hit in hits
    ]
    return {"pieces": pieces, "hits": labelled}


def diff_context(post: Any) -> dict[str, Any]:
    """What the approver compares against: the last approved text, else the last returned one."""
    if post.approved_text:
        base, label = post.approved_text, _("与上次通过的版本相比")
    elif returned := last_returned_review(post):
        base, label = returned.text, _("与上次退回的版本相比")
    else:
        return {}
    segments = text_diff(base, post.text)
    return {"segments": segments, "label": label, "changed": has_changes(segments)}


def limits_map(user: Any) -> dict[str, dict[str, Any]]:
    limits = {}
    for account in draftable_accounts(user=user):
        found = rules.platform_limits(account.platform)
        limits[str(account.pk)] = {
            "max": found.max_chars if found else rules.MAX_TEXT,
            "half": bool(found and found.counts_latin_as_half),
            "connected": found is not None,
        }
    return limits


@login_required
def post_list_view(request: HttpRequest) -> HttpResponse:
    if redirect_to := remembered_filters(request, "posts"):
        return redirect_to
    form = PostFilterForm(request.GET or None, user=request.user)
    form.is_valid()
    data = getattr(form, "cleaned_data", {}) or {}
    important = {"1": True, "0": False}.get(data.get("important") or "")
    filters = PostFilter(
        unit_id=data["unit"].pk if data.get("unit") else None,
        status=data.get("status", ""),
        topic_id=data["topic"].pk if data.get("topic") else None,
        important=important,
        mine=bool(data.get("mine")),
        q=(data.get("q") or "").strip(),
        published_on=data.get("published_on"),
        scheduled_until=data.get("scheduled_until"),
    )
    posts = post_list(user=request.user, filters=filters)
    if file_format := request.GET.get("export"):
        return download(
            filename=_("稿件"),
            headers=[
                _("编号"),
                _("单位"),
                _("账号"),
                _("正文"),
                _("主题"),
                _("重要"),
                _("状态"),
                _("撰稿人"),
                _("审核人"),
                _("发布时间"),
                _("公开链接"),
            ],
            rows=(
                [
                    p.pk,
                    p.account.unit.name,
                    p.account.display_name,
                    p.text,
                    "、".join(t.name for t in p.topics.all()),
                    _("是") if p.important else "",
                    p.get_status_display(),
                    p.author.get_username(),
                    p.approved_by.get_username() if p.approved_by else "",
                    p.published_at or p.scheduled_at,
                    p.public_url,
                ]
                for p in posts
            ),
            file_format=file_format,
        )
    return render(
        request,
        "publishing/post_list.html",
        {
            "form": form,
            "page": paginate(request, posts),
            "filters": active_filters(request),
            "can_write": draftable_accounts(user=request.user).exists(),
            "paused": is_paused(),
        },
    )


@login_required
def post_create_view(request: HttpRequest) -> HttpResponse:
    return _post_form(request, None)


@login_required
def post_edit_view(request: HttpRequest, post_id: int) -> HttpResponse:
    return _post_form(request, post_get(user=request.user, post_id=post_id))


def _post_form(request: HttpRequest, post: Post | None) -> HttpResponse:
    """Write a new post or change one; "保存并提交审核" also submits it."""
    form = PostForm(
        request.POST or None,
        request.FILES or None,
        user=request.user,
        post=post,
        initial=PostForm.initial_for(post) if post else None,
    )
    if request.method == "POST" and form.is_valid():
        if post is None:
            kwargs = form.create_kwargs()
            saved = run_service(form, lambda: services.post_create(actor=request.user, **kwargs))
        else:
            kwargs = form.update_kwargs()
            saved = run_service(
                form, lambda: services.post_update(actor=request.user, post_id=post.pk, **kwargs)
            )
        if saved is not None:
            if "submit" in request.POST:
                return _submit_and_go(request, saved.pk)
            messages.success(request, _("已保存。"))
            return redirect("publishing:post_detail", post_id=saved.pk)
    return render(
        request,
        "publishing/post_form.html",
        {"form": form, "post": post, "creating": post is None, "limits": limits_map(request.user)},
    )


def _submit_and_go(request: HttpRequest, post_id: int) -> HttpResponse:
    try:
        services.post_submit(actor=request.user, post_id=post_id)
        messages.success(request, _("已提交审核。"))
    except DomainError as exc:
        messages.error(request, _("已保存为草稿，但未能提交：%(reason)s") % {"reason": exc.message})
    return redirect("publishing:post_detail", post_id=post_id)


def retry_info(post: Any) -> dict[str, Any] | None:
    operation = publish_operation(post)
    if operation is None:
        return None
    return {
        "operation": operation,
        "retrying": operation.state == OutboxState.PENDING and operation.attempts > 0,
        "next_at": operation.next_attempt_at,
        "message": operation.last_error_message,
    }


@login_required
def post_detail(request: HttpRequest, post_id: int) -> HttpResponse:
    post = post_get(user=request.user, post_id=post_id)
    review = open_review(post)
    if review is not None:
        check = hits_for_display(review.text, review.check_hits)
    elif post.status in {PostStatus.DRAFT, PostStatus.RETURNED}:
        check = hits_for_display(post.text, [h.as_dict() for h in content_check(post.text)])
    else:
        check = None
    return render(
        request,
        "publishing/post_detail.html",
        {
            "post": post,
            "actions": actions_for(user=request.user, post=post),
            "check": check,
            "reviews": review_history(post),
            "diff": diff_context(post)
            if post.status in {PostStatus.DRAFT, PostStatus.SUBMITTED, PostStatus.RETURNED}
            else {},
            "history": event_history_of(post),
            "retry": retry_info(post)
            if post.status in {PostStatus.PUBLISHING, PostStatus.FAILED}
            else None,
            "report_item": getattr(post, "report_item", None)
            if post.status == PostStatus.PUBLISHED
            else None,
            "paused": is_paused(),
            "now": timezone.now(),
            "connected": rules.platform_limits(post.account.platform) is not None,
        },
    )


_ACTIONS = {
    "submit": (services.post_submit, gettext_lazy("已提交审核。")),
    "withdraw": (services.post_withdraw, gettext_lazy("已撤回为草稿。")),
    "back_to_draft": (
        services.post_back_to_draft,
        gettext_lazy("已退回草稿，修改后须重新提交审核。"),
    ),
    "retry": (services.post_retry, gettext_lazy("已重新安排发布。")),
}


@login_required
@require_POST
def post_action(request: HttpRequest, post_id: int, action: str) -> HttpResponse:
    post = post_get(user=request.user, post_id=post_id)
    if action not in _ACTIONS:
        raise Http404
    service, done = _ACTIONS[action]
    try:
        service(actor=request.user, post_id=post.pk)
        messages.success(request, str(done))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("publishing:post_detail", post_id=post.pk)


@login_required
@require_POST
def post_bulk_submit(request: HttpRequest) -> HttpResponse:
    ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit()]
    run_bulk(
        request,
        list(post_list(user=request.user).filter(pk__in=ids)),
        lambda post: services.post_submit(actor=request.user, post_id=post.pk),
        done=_("已提交 %(n)d 篇稿件。"),
        refused=_("没有提交任何稿件：%(row)s — %(reason)s"),
        empty=_("请至少选择一篇稿件。"),
    )
    return redirect("publishing:posts")


@login_required
def post_image(request: HttpRequest, image_id: int) -> FileResponse:
    image = PostImage.objects.select_related("post").filter(pk=image_id).first()
    if image is None:
        raise Http404
    post_get(user=request.user, post_id=image.post_id)  # 404 unless the user may see the post
    response = FileResponse(image.file.open("rb"), content_type=image.content_type)
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def check_preview(request: HttpRequest) -> HttpResponse:
    """The content check of the text being written (htmx), before anything is saved."""
    text = request.POST.get("text", "")[: rules.MAX_TEXT]
    check = (
        hits_for_display(text, [h.as_dict() for h in content_check(text)]) if text.strip() else None
    )
    return render(request, "publishing/_check.html", {"check": check, "live": True})
