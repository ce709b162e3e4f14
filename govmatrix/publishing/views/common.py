"""What several publishing pages share."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from govmatrix.core.errors import DomainError

T = TypeVar("T")


def run_bulk(
    request: HttpRequest,
    rows: Sequence[T],
    action: Callable[[T], Any],
    *,
    done: str,
    refused: str,
    empty: str,
) -> None:
    """All or nothing: one refused row leaves every row as it was, and the message names it."""
    if not rows:
        messages.error(request, empty)
        return
    current: T | None = None
    try:
        with transaction.atomic():
            for current in rows:
                action(current)
    except DomainError as exc:
        messages.error(request, refused % {"row": current, "reason": exc.message})
    else:
        messages.success(request, done % {"n": len(rows)})


def toggle(
    request: HttpRequest, row: Any, update: Callable[[bool], Any], back_to: str
) -> HttpResponse:
    """Switch a list entry on or off (the office's topics and content-check lists)."""
    if row is not None:
        try:
            update(not row.is_active)
        except DomainError as exc:
            messages.error(request, exc.message)
    return redirect(back_to)
