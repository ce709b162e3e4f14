"""What every list page shares: remembered filters, pagination, and exports of the same rows."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponseRedirect
from django.utils.functional import cached_property
from django.utils.http import urlencode

_CONTROL_PARAMS = {"page", "export", "reset"}
COUNT_CAP = 10_000


class CappedPaginator(Paginator):
    """Counts no further than `cap` rows: past that, nobody pages through a list, and counting
    a million messages or events costs more than the page itself. The list then reads
    "more than 10,000" and offers the first `cap` rows in pages; filters narrow it down."""

    def __init__(self, object_list: Any, per_page: int, *, cap: int = COUNT_CAP) -> None:
        super().__init__(object_list, per_page)
        self.cap = cap

    @cached_property
    def _counted(self) -> int:
        if isinstance(self.object_list, QuerySet):
            # Unordered: which rows make up the first cap+1 does not matter to their number,
            # and the database then need not sort them.
            return self.object_list.order_by()[: self.cap + 1].count()
        return len(self.object_list[: self.cap + 1])

    @cached_property
    def count(self) -> int:
        return min(self._counted, self.cap)

    @property
    def capped(self) -> bool:
        """More rows than the list counts: show the total as "cap+"."""
        return self._counted > self.cap


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
    paginator = CappedPaginator(rows, per_page or settings.PAGE_SIZE, cap=COUNT_CAP)
    return paginator.get_page(request.GET.get("page"))


def active_filters(request: HttpRequest) -> dict[str, str]:
    return {
        key: str(value)
        for key, value in request.GET.items()
        if key not in _CONTROL_PARAMS and value
    }
