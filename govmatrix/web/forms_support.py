from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django import forms

from govmatrix.core.errors import DomainError, ValidationFailed

T = TypeVar("T")


def run_service(
    form: forms.Form, call: Callable[[], T], *, field_map: dict[str, str] | None = None
) -> T | None:
    """Call a service; on a refusal, put its messages on the form (by field) and return None."""
    try:
        return call()
    except ValidationFailed as exc:
        for name, message in exc.errors.items():
            target = (field_map or {}).get(name, name)
            form.add_error(target if target in form.fields else None, message)
    except DomainError as exc:
        form.add_error(None, exc.message)
    return None
