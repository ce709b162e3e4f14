"""The one way a state change is written.

The caller has locked the row (`select_for_update`) inside a transaction. This checks the move
against the allowed-transitions table, saves only the changed columns, and records the event.
Side effects are the caller's, started with `transaction.on_commit` once this returns.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from govmatrix.audit.services import event_record
from govmatrix.core.errors import InvalidTransition
from govmatrix.core.types import Actor


def state_label(obj: models.Model, field: str, value: str) -> str:
    choices = dict(getattr(obj._meta.get_field(field), "choices", None) or [])
    return str(choices.get(value, value))


def transition(
    obj: models.Model,
    *,
    to: str,
    allowed: Mapping[str, Collection[str]],
    actor: Actor | None,
    verb: str,
    unit_id: int | None,
    field: str = "status",
    also_update: Sequence[str] = (),
    note: str = "",
    data: dict[str, Any] | None = None,
) -> str:
    """Move `obj` to state `to`; returns the state it left."""
    current = getattr(obj, field)
    if to not in allowed.get(current, ()):
        raise InvalidTransition(
            _("当前状态为「%(current)s」，不能变为「%(to)s」。")
            % {"current": state_label(obj, field, current), "to": state_label(obj, field, to)}
        )
    setattr(obj, field, to)
    update_fields = [field, *also_update]
    if any(f.name == "updated_at" for f in obj._meta.fields):
        update_fields.append("updated_at")
    obj.save(update_fields=update_fields)
    event_record(
        actor=actor,
        verb=verb,
        obj=obj,
        unit_id=unit_id,
        from_state=current,
        to_state=to,
        note=note,
        data=data,
    )
    return current
