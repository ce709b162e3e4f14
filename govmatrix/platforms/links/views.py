"""Pages for linking accounts and their sync health, the OAuth callback, and Weibo's webhook."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from govmatrix.audit.selectors import event_history_of
from govmatrix.core.errors import DomainError, ValidationFailed
from govmatrix.matrix.models import Platform
from govmatrix.org.permissions import scope_for
from govmatrix.platforms.base import Forbidden, InvalidRequest
from govmatrix.platforms.links import crypto, selectors, services
from govmatrix.platforms.links.connectors import weibo_connector
from govmatrix.platforms.links.forms import InstanceForm, TokenForm
from govmatrix.platforms.weibo.push import check_signature

T = TypeVar("T")
_PENDING = "platform_links.oauth"
_LINK_VERBS = ("platform_link.linked", "platform_link.unlinked")


def _on_form(form: Any, call: Callable[[], T]) -> T | None:
    """Call a service; a field's refusal goes onto the form, any other refusal to its own page
    (a missing permission is a 403, see `web.middleware`)."""
    try:
        return call()
    except ValidationFailed as exc:
        for name, message in exc.errors.items():
            form.add_error(name if name in form.fields else None, message)
    return None


def _callback_uri(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("links:oauth_callback"))


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", "")
    return render(
        request,
        "platform_links/overview.html",
        {
            "rows": selectors.link_overview(user=request.user, state=state),
            "state": state,
            "states": selectors.STATE_LABELS,
        },
    )


def _account_context(request: HttpRequest, account_id: int, **forms: Any) -> dict[str, Any]:
    health = selectors.link_detail(user=request.user, account_id=account_id)
    account = health.account
    return {
        "health": health,
        "account": account,
        "link": health.link,
        "can_edit": scope_for(request.user).can_edit_accounts_of(account.unit_id)
        and account.platform in selectors.LINKABLE,
        "keys_configured": crypto.configured(),
        "is_mastodon": account.platform == Platform.MASTODON,
        "instance_form": forms.get("instance_form") or InstanceForm(),
        "token_form": forms.get("token_form") or TokenForm(prefix="token"),
        "history": [e for e in event_history_of(account) if e.verb in _LINK_VERBS][-10:],
        "callback_uri": _callback_uri(request),
    }


@login_required
def account_page(request: HttpRequest, account_id: int) -> HttpResponse:
    return render(request, "platform_links/account.html", _account_context(request, account_id))


@login_required
@require_POST
def link_start(request: HttpRequest, account_id: int) -> HttpResponse:
    form = InstanceForm(request.POST)
    if form.is_valid():
        start = _on_form(
            form,
            lambda: services.link_start(
                actor=request.user,
                account_id=account_id,
                redirect_uri=_callback_uri(request),
                api_base=form.cleaned_data.get("api_base") or "",
            ),
        )
        if start is not None:
            pending = request.session.get(_PENDING, {})
            pending[start.pending["state"]] = start.pending
            request.session[_PENDING] = pending
            return redirect(start.url)
    context = _account_context(request, account_id, instance_form=form)
    return render(request, "platform_links/account.html", context, status=422)


@login_required
def oauth_callback(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", "")
    pending_all = request.session.get(_PENDING, {})
    pending = pending_all.pop(state, None) if state else None
    request.session[_PENDING] = pending_all
    if request.GET.get("error") or request.GET.get("error_code"):
        message = request.GET.get("error_description") or request.GET.get("error") or ""
        raise DomainError(_("平台未授权：%(message)s") % {"message": message[:200]})
    link = services.link_complete(
        actor=request.user,
        pending=pending,
        state=state,
        code=request.GET.get("code", ""),
        redirect_uri=_callback_uri(request),
    )
    messages.success(
        request, _("已接入：%(handle)s。") % {"handle": link.external_handle or link.external_id}
    )
    return redirect("links:account", account_id=link.account_id)


@sensitive_post_parameters("access_token")
@login_required
@require_POST
def link_token(request: HttpRequest, account_id: int) -> HttpResponse:
    form = TokenForm(request.POST, prefix="token")
    if form.is_valid():
        link = _on_form(
            form,
            lambda: services.link_complete_with_token(
                actor=request.user,
                account_id=account_id,
                api_base=form.cleaned_data.get("api_base") or settings.MASTODON_API_BASE,
                access_token=form.cleaned_data["access_token"],
            ),
        )
        if link is not None:
            messages.success(request, _("已接入：%(handle)s。") % {"handle": link.external_handle})
            return redirect("links:account", account_id=account_id)
    context = _account_context(request, account_id, token_form=form)
    return render(request, "platform_links/account.html", context, status=422)


@login_required
@require_POST
def unlink(request: HttpRequest, account_id: int) -> HttpResponse:
    if services.link_remove(actor=request.user, account_id=account_id):
        messages.success(request, _("已解除接入，保存的凭据已删除。"))
    return redirect("links:account", account_id=account_id)


@login_required
@require_POST
def check(request: HttpRequest, account_id: int) -> HttpResponse:
    try:
        handle = services.link_check(actor=request.user, account_id=account_id)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("平台确认了账号 %(handle)s，接入正常。") % {"handle": handle})
    return redirect("links:account", account_id=account_id)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def weibo_webhook(request: HttpRequest) -> HttpResponse:
    """Weibo's fan-service push. A bad signature gets 403 and nothing is recorded."""
    query = {key: request.GET.get(key, "") for key in request.GET}
    if request.method == "GET":  # binding the URL: echo echostr when the signature is right
        try:
            check_signature(query, app_secret=settings.WEIBO_APP_SECRET)
        except Forbidden:
            return HttpResponseForbidden()
        return HttpResponse(query.get("echostr", ""), content_type="text/plain")
    try:
        interactions = weibo_connector().ingest_push(request.headers, request.body, query=query)
    except Forbidden:
        return HttpResponseForbidden()
    except InvalidRequest as exc:
        return HttpResponse(exc.message, status=400, content_type="text/plain")
    services.pushed_interactions_record(platform=Platform.WEIBO.value, interactions=interactions)
    return HttpResponse("success", content_type="text/plain")
