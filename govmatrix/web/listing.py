"""What every list page shares: remembered filters, pagination, and exports of the same rows."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponseRedirect
from django.utils.http import urlencode

_CONTROL_PARAMS = {"page", "export", "reset"}


def remembered_filters(request: HttpRequest, key: str) -> HttpResponseRedirect | None:
    """Filters are remembered per user: a list opened bare goes back to the user's last filters.

    `?reset=1` forgets them. Returns a redirect when the saved filters should be applied.
    """
    session_key = f"filters:{key}"
    if request.GET.get("reset"):
        request.session.pop(session_key, None)
        return HttpResponseRedirect(request.path)
    filters: dict[str, str] = {
        key: str(value)
        for key, value in request.GET.items()
        if key not in _CONTROL_PARAMS and value
    }
    if filters:
        request.session[session_key] = filters
        return None
    saved = request.session.get(session_key)
    if saved and not request.GET.get("page") and not request.GET.get("export"):
        return HttpResponseRedirect(f"{request.path}?{urlencode(saved)}")
    return None


def paginate(request: HttpRequest, rows: Any, per_page: int | None = None) -> Page:
    paginator = Paginator(rows, per_page or settings.PAGE_SIZE)
    return paginator.get_page(request.GET.get("page"))


def active_filters(request: HttpRequest) -> dict[str, str]:
    return {
        key: str(value)
        for key, value in request.GET.items()
        if key not in _CONTROL_PARAMS and value
    }
