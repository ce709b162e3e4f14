"""Writing to the event log. `event_record` is the only way an event is made."""

from __future__ import annotations

from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from govmatrix.audit.chain import GENESIS_HASH, event_hash, normalise_data
from govmatrix.audit.context import current_ip
from govmatrix.audit.models import Event
from govmatrix.core.types import Actor

# Any fixed number: every writer of the log takes this PostgreSQL advisory lock first.
_CHAIN_LOCK_KEY = 0x6A0D17


def _lock_chain() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])
    # On SQLite every transaction starts with BEGIN IMMEDIATE (settings), so the writer that
    # reaches this point already holds the only write lock.


def _object_ref(obj: models.Model | None) -> tuple[str, str, str]:
    if obj is None:
        return "", "", ""
    meta = obj._meta
    return f"{meta.app_label}.{meta.model_name}", str(obj.pk), str(obj)[:255]


def event_record(
    *,
    actor: Actor | None,
    verb: str,
    obj: models.Model | None = None,
    unit_id: int | None = None,
    from_state: str = "",
    to_state: str = "",
    note: str = "",
    data: dict[str, Any] | None = None,
    actor_name: str = "",
) -> Event:
    """Append one event to the chain, inside the caller's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("event_record must run inside the transaction of the change it records.")
    _lock_chain()
    last = Event.objects.order_by("-seq").values("seq", "hash").first()
    seq = (last["seq"] + 1) if last else 1
    prev_hash = last["hash"] if last else GENESIS_HASH
    user = actor if actor is not None and actor.is_authenticated else None
    object_type, object_id, object_label = _object_ref(obj)
    fields: dict[str, Any] = {
        "seq": seq,
        "created_at": timezone.now(),
        "actor_id": user.pk if user else None,
        "actor_name": (actor_name or (user.get_username() if user else ""))[:150],
        "verb": verb,
        "object_type": object_type,
        "object_id": object_id,
        "object_label": object_label,
        "unit_id": unit_id,
        "from_state": from_state,
        "to_state": to_state,
        "note": note,
        "data": normalise_data(data),
        "ip": current_ip.get(),
    }
    event = Event(**fields, prev_hash=prev_hash, hash=event_hash(prev_hash=prev_hash, **fields))
    event.save(force_insert=True)
    return event


@transaction.atomic
def chain_check_record() -> bool:
    """Verify the whole chain and write the result into it, so each night leaves an anchor."""
    from govmatrix.audit.selectors import chain_verify

    report = chain_verify()
    if report.intact:
        event_record(
            actor=None,
            actor_name="system",
            verb="audit.chain_verified",
            data={"events": report.checked, "head": report.head_hash},
        )
    else:
        event_record(
            actor=None,
            actor_name="system",
            verb="audit.chain_broken",
            note=report.reason,
            data={"first_broken_seq": report.first_broken_seq},
        )
    return report.intact
