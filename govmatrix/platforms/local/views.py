"""The public site of the local platform under /p/: thin views around selectors and services.

No login here: visitors are citizens. Their submissions go through CSRF, a one-time captcha
and per-visitor rate limits; a refused submission re-shows the form with what they typed and
saves nothing. Every page's expensive part comes from `caching.cached_fragment`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.paginator import EmptyPage, Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from govmatrix.core.errors import DomainError, ValidationFailed
from govmatrix.matrix.models import Account
from govmatrix.platforms.local import guards, selectors, services
from govmatrix.platforms.local.caching import cached_fragment
from govmatrix.platforms.local.captcha import (
    captcha_check,
    captcha_new,
    captcha_png,
    earlier_success,
    remember_success,
)
from govmatrix.platforms.local.forms import CommentForm, MessageForm
from govmatrix.platforms.local.models import LocalComment
from govmatrix.platforms.local.rules import setting

# Where the post page's fragment is cut to put the per-visitor forms in (see _post_body.html).
ACTIONS_MARKER = "<!--local:actions-->"


def _page_number(request: HttpRequest) -> int:
    raw = request.GET.get("page", "1")
    return int(raw) if raw.isascii() and raw.isdigit() and 0 < int(raw) < 100_000 else 1


def _paginate(rows: Any, per_page: int, number: int) -> Any:
    try:
        return Paginator(rows, per_page).page(number)
    except EmptyPage as exc:
        raise Http404(_("没有这一页。")) from exc


def _render(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    context.setdefault("district_name", settings.DISTRICT_NAME)
    response = render(request, template, context, status=status)
    if cache_state := getattr(request, "local_cache", None):
        response["X-Local-Cache"] = cache_state
    return response


def _account(handle: str) -> Account:
    account = selectors.public_account(handle)
    if account is None:
        raise Http404(_("账号不存在。"))
    return account


def _version(account: Account) -> tuple[object, ...]:
    return (account.pk, account.page_version, account.updated_at.timestamp())  # type: ignore[attr-defined]


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    fragment = cached_fragment(
        request,
        ("index", selectors.index_version().key),
        lambda: render_to_string(
            "local/_index_accounts.html", {"accounts": selectors.index_accounts()}
        ),
    )
    return _render(request, "local/index.html", {"fragment": fragment})


@require_GET
def account_page(request: HttpRequest, handle: str) -> HttpResponse:
    account = _account(handle)
    number = _page_number(request)

    def build() -> str:
        page = _paginate(selectors.account_posts(account), setting("PAGE_SIZE", 20), number)
        return render_to_string(
            "local/_account_posts.html",
            {
                "account": account,
                "page": page,
                "followers": selectors.follower_count(account),
            },
        )

    fragment = cached_fragment(request, ("account", *_version(account), number), build)
    return _render(request, "local/account.html", {"account": account, "fragment": fragment})


def _post_page(
    request: HttpRequest,
    account: Account,
    post_id: int,
    *,
    form: CommentForm,
    status: int = 200,
) -> HttpResponse:
    number = _page_number(request)

    def build() -> str:
        post = selectors.public_post(account, post_id)
        if post is None:
            raise Http404(_("微博不存在或已删除。"))
        threads = _paginate(
            selectors.comment_threads(post), setting("COMMENTS_PAGE_SIZE", 30), number
        )
        return render_to_string(
            "local/_post_body.html", {"account": account, "post": post, "page": threads}
        )

    fragment = cached_fragment(request, ("post", post_id, *_version(account), number), build)
    # "Reply to this comment": the link's ?reply_to=, or the parent the refused form carried.
    parent_id = str(form.data.get("parent") if form.is_bound else request.GET.get("reply_to", ""))
    reply_to = None
    if parent_id.isascii() and parent_id.isdigit():
        reply_to = LocalComment.objects.filter(
            pk=int(parent_id), post_id=post_id, post__account=account
        ).first()
        if reply_to is None or not reply_to.is_visible or reply_to.is_official:
            reply_to = None
        elif not form.is_bound:
            form.initial["parent"] = reply_to.pk
    # The like button and the comment form (per visitor) sit between the post and its comments.
    head, _marker, tail = fragment.partition(ACTIONS_MARKER)
    return _render(
        request,
        "local/post.html",
        {
            "account": account,
            "post_id": post_id,
            "fragment_head": mark_safe(head),  # noqa: S308 - parts of our own rendered fragment
            "fragment_tail": mark_safe(tail),  # noqa: S308
            "form": form,
            "captcha_token": captcha_new(),
            "reply_to": reply_to,
        },
        status=status,
    )


def _refuse(form: CommentForm | MessageForm, exc: DomainError) -> int:
    """Put a service's refusal on the form; the status code to answer with."""
    if isinstance(exc, ValidationFailed):
        for field, message in exc.errors.items():
            form.add_error(field if field in form.fields else None, message)
        return 400
    form.add_error(None, exc.message)
    return exc.status_code


def _sent_before(request: HttpRequest, visitor: str) -> HttpResponseRedirect | None:
    """The same form sent again after it succeeded: show the success, save nothing twice."""
    url = earlier_success(request.POST.get("captcha_token"), visitor=visitor)
    return HttpResponseRedirect(url, status=303) if url else None


def _succeeded(request: HttpRequest, visitor: str, url: str, message: str) -> HttpResponseRedirect:
    guards.submissions().record_failure(visitor)  # counts submissions, not only failures
    remember_success(request.POST.get("captcha_token", ""), visitor=visitor, url=url)
    messages.success(request, message)
    return HttpResponseRedirect(url, status=303)


def _checked(request: HttpRequest, form: CommentForm | MessageForm, visitor: str) -> int | None:
    """None when the submission may go ahead; otherwise the status to re-show the form with."""
    if guards.submissions().is_blocked(visitor) or guards.wrong_captchas().is_blocked(visitor):
        form.is_valid()
        form.add_error(None, _("提交过于频繁，请过一段时间再试。您填写的内容已保留。"))
        return 429
    valid = form.is_valid()
    if not captcha_check(request.POST.get("captcha_token"), request.POST.get("captcha")):
        guards.wrong_captchas().record_failure(visitor)
        form.add_error("captcha", _("验证码不正确或已失效，请按新图重新输入。"))
        valid = False
    return None if valid else 400


def _without_captcha(form: CommentForm | MessageForm) -> None:
    # A spent challenge must not be shown again: the form gets a new image and an empty box.
    form.data = {**dict(form.data.items()), "captcha": ""}


def _submit(
    request: HttpRequest,
    form: CommentForm | MessageForm,
    save: Callable[[str, dict[str, Any]], tuple[str, str]],
) -> HttpResponse | int:
    """A citizen's form through the guards into `save` (which returns where to go and what to
    say): a redirect when it is saved, else the status to show the form again with."""
    visitor = guards.visitor_of(request)
    if again := _sent_before(request, visitor):
        return again
    status = _checked(request, form, visitor)
    if status is None:
        try:
            url, message = save(visitor, form.cleaned_data)
        except DomainError as exc:
            status = _refuse(form, exc)
        else:
            return _succeeded(request, visitor, url, message)
    _without_captcha(form)
    return status


@require_http_methods(["GET", "POST"])
def post_page(request: HttpRequest, handle: str, post_id: int) -> HttpResponse:
    account = _account(handle)
    if request.method != "POST":
        return _post_page(request, account, post_id, form=CommentForm())
    post = selectors.post_of(account, post_id)
    if post is None:
        raise Http404(_("微博不存在或已删除。"))

    def save(visitor: str, data: dict[str, Any]) -> tuple[str, str]:
        comment = services.comment_submit(
            post=post,
            nickname=data["nickname"],
            text=data["text"],
            visitor_hash=visitor,
            parent_id=data.get("parent"),
        )
        url = reverse("local:post", kwargs={"handle": handle, "post_id": post_id})
        return f"{url}#c{comment.pk}", _("评论已发表，谢谢您的参与。")

    form = CommentForm(request.POST)
    outcome = _submit(request, form, save)
    if isinstance(outcome, HttpResponse):
        return outcome
    return _post_page(request, account, post_id, form=form, status=outcome)


@require_http_methods(["GET", "POST"])
def message_page(request: HttpRequest, handle: str) -> HttpResponse:
    account = _account(handle)

    def save(visitor: str, data: dict[str, Any]) -> tuple[str, str]:
        _message, token = services.message_submit(
            account=account, nickname=data["nickname"], text=data["text"], visitor_hash=visitor
        )
        return (
            reverse("local:receipt", kwargs={"token": token}),
            _("留言已提交。请收藏本页地址：答复会显示在这里，只有持有此地址的人能看到。"),
        )

    form = MessageForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        outcome = _submit(request, form, save)
        if isinstance(outcome, HttpResponse):
            return outcome
        status = outcome
    return _render(
        request,
        "local/message.html",
        {"account": account, "form": form, "captcha_token": captcha_new()},
        status=status,
    )


@require_GET
def receipt(request: HttpRequest, token: str) -> HttpResponse:
    message = selectors.message_by_receipt(token)
    if message is None:
        raise Http404(_("留言不存在。"))
    response = _render(
        request,
        "local/receipt.html",
        {"message": message, "replies": selectors.message_replies(message)},
    )
    # The address is the key to a private message: keep it out of caches, logs and referrers.
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex"
    return response


def _react(request: HttpRequest, done: str, again: str, act: Any) -> None:
    visitor = guards.visitor_of(request)
    throttle = guards.reactions()
    if throttle.is_blocked(visitor):
        messages.error(request, _("操作过于频繁，请过一段时间再试。"))
        return
    throttle.record_failure(visitor)
    messages.success(request, done if act(visitor) else again)


@require_POST
def like(request: HttpRequest, handle: str, post_id: int) -> HttpResponse:
    account = _account(handle)
    post = selectors.post_of(account, post_id)
    if post is None:
        raise Http404(_("微博不存在或已删除。"))
    _react(
        request,
        _("已点赞。"),
        _("您已经赞过这条微博。"),
        lambda visitor: services.post_like(post=post, visitor_hash=visitor),
    )
    return HttpResponseRedirect(
        reverse("local:post", kwargs={"handle": handle, "post_id": post_id}), status=303
    )


@require_POST
def follow(request: HttpRequest, handle: str) -> HttpResponse:
    account = _account(handle)
    _react(
        request,
        _("已关注 %(name)s。") % {"name": account.display_name},
        _("您已经关注了 %(name)s。") % {"name": account.display_name},
        lambda visitor: services.account_follow(account=account, visitor_hash=visitor),
    )
    return HttpResponseRedirect(reverse("local:account", kwargs={"handle": handle}), status=303)


@require_GET
def image(request: HttpRequest, image_id: int) -> FileResponse:
    """A post's image. The file's content type was checked when it was published."""
    stored = selectors.public_image(image_id)
    if stored is None:
        raise Http404(_("图片不存在。"))
    response = FileResponse(stored.file.open("rb"), content_type=stored.content_type)
    response["Cache-Control"] = "public, max-age=86400"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
def captcha_image(request: HttpRequest, token: str) -> HttpResponse:
    png = captcha_png(token)
    if png is None:
        raise Http404(_("验证码已失效。"))
    response = HttpResponse(png, content_type="image/png")
    response["Cache-Control"] = "no-store"
    return response
