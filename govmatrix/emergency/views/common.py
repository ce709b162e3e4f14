"""What several emergency pages share."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest

from govmatrix.core.errors import DomainError, ValidationFailed


def attempt(request: HttpRequest, call: Callable[[], Any], done: str) -> bool:
    """Run a service from a button; say what happened (or why not) in a message."""
    try:
        call()
    except ValidationFailed as exc:
        messages.error(request, "；".join(exc.errors.values()))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
        return True
    return False


def int_param(request: HttpRequest, name: str) -> int | None:
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() else None
