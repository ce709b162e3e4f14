from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from govmatrix.org.permissions import scope_for
from govmatrix.web.navigation import sections_for


def shell(request: HttpRequest) -> dict[str, Any]:
    context: dict[str, Any] = {
        "district_name": settings.DISTRICT_NAME,
        "main_account_name": settings.MAIN_ACCOUNT_NAME,
    }
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        scope = scope_for(user)
        context["scope"] = scope
        context["nav_sections"] = sections_for(request, scope)
    return context
