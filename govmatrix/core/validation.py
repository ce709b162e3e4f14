from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from govmatrix.core.errors import ValidationFailed


def clean_or_fail(instance: models.Model, *, exclude: Iterable[str] = ()) -> None:
    """Run the model's field and constraint checks; raise ValidationFailed naming each bad field."""
    try:
        instance.full_clean(exclude=list(exclude))
    except ValidationError as exc:
        raise ValidationFailed(_errors_by_field(exc)) from exc


def _errors_by_field(exc: ValidationError) -> dict[str, str]:
    if hasattr(exc, "error_dict"):
        return {
            ("__all__" if name == "__all__" else name): "；".join(
                str(m) for e in errors for m in e.messages
            )
            for name, errors in exc.error_dict.items()
        }
    return {"__all__": "；".join(exc.messages)}


def apply_changes(instance: models.Model, changes: dict[str, Any]) -> dict[str, list[Any]]:
    """Set the given fields; return {field: [old, new]} for those whose value really changed."""
    diff: dict[str, list[Any]] = {}
    for name, value in changes.items():
        old = getattr(instance, name)
        if old != value:
            diff[name] = [old, value]
            setattr(instance, name, value)
    return diff
