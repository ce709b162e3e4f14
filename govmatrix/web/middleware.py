from __future__ import annotations

from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from govmatrix.core.errors import DomainError, NotAllowed, NotFound


class DomainErrorMiddleware:
    """A refused action that reaches a page shows the rule's own message with the right status."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if request.path.startswith("/api/"):
            return None
        if isinstance(exception, NotFound):
            raise Http404(exception.message)
        if isinstance(exception, NotAllowed):
            return render(request, "403.html", {"message": exception.message}, status=403)
        if isinstance(exception, DomainError):
            return render(
                request,
                "web/refused.html",
                {"message": exception.message},
                status=exception.status_code,
            )
        return None
