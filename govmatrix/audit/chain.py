"""How an event's hash is computed. The writer and the verifier both use this, and only this."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder

GENESIS_HASH = "0" * 64


def normalise_data(data: dict[str, Any] | None) -> dict[str, Any]:
    """The data as the database will give it back, so the hash survives the round trip."""
    return json.loads(json.dumps(data or {}, cls=DjangoJSONEncoder, ensure_ascii=False))


def event_hash(
    *,
    prev_hash: str,
    seq: int,
    created_at: datetime,
    actor_id: int | None,
    actor_name: str,
    verb: str,
    object_type: str,
    object_id: str,
    object_label: str,
    unit_id: int | None,
    from_state: str,
    to_state: str,
    note: str,
    data: dict[str, Any],
    ip: str | None,
) -> str:
    payload = [
        prev_hash,
        seq,
        created_at.astimezone(UTC).isoformat(timespec="microseconds"),
        actor_id,
        actor_name,
        verb,
        object_type,
        object_id,
        object_label,
        unit_id,
        from_state,
        to_state,
        note,
        data,
        ip,
    ]
    encoded = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()


def hash_of_row(row: Any) -> str:
    """Recompute the hash of a stored `Event`."""
    return event_hash(
        prev_hash=row.prev_hash,
        seq=row.seq,
        created_at=row.created_at,
        actor_id=row.actor_id,
        actor_name=row.actor_name,
        verb=row.verb,
        object_type=row.object_type,
        object_id=row.object_id,
        object_label=row.object_label,
        unit_id=row.unit_id,
        from_state=row.from_state,
        to_state=row.to_state,
        note=row.note,
        data=row.data,
        ip=row.ip,
    )
