"""The evidence of a harmful comment, frozen when it is flagged, and its SHA-256.

The canonical serialisation is JSON of a fixed set of keys, sorted, without spaces, UTF-8,
with every string in Unicode NFC and every time in UTC as ``YYYY-MM-DDTHH:MM:SS.ffffffZ``:

    {"account":"sfq_street01","author":{"id":"v:3f2a…","name":"路人甲"},"comment_id":"c12",
     "flagged_at":"2026-11-28T06:05:00.000000Z","platform":"local","post_id":"7",
     "text":"…","time":"2026-11-28T06:01:12.000000Z","url":"http://…/c12","v":1}

The case stores these exact bytes (as text) and their SHA-256 (hex). Anyone can check a case by
hand: ``sha256sum`` of the stored text gives the stored hash, and the text holds the comment as
it was. `verify` also rebuilds the serialisation from the case's columns, so a column changed
behind the trigger's back is caught too.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

VERSION = 1


def _nfc(value: str) -> str:
    return unicodedata.normalize("NFC", value)


def utc_text(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("evidence times must be aware")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass(frozen=True)
class Evidence:
    platform: str
    comment_id: str
    account: str
    post_id: str
    author_id: str
    author_name: str
    text: str
    url: str
    time: datetime
    flagged_at: datetime

    def as_dict(self) -> dict[str, Any]:
        return {
            "v": VERSION,
            "platform": _nfc(self.platform),
            "comment_id": _nfc(self.comment_id),
            "account": _nfc(self.account),
            "post_id": _nfc(self.post_id),
            "author": {"id": _nfc(self.author_id), "name": _nfc(self.author_name)},
            "text": _nfc(self.text),
            "url": _nfc(self.url),
            "time": utc_text(self.time),
            "flagged_at": utc_text(self.flagged_at),
        }

    def canonical(self) -> str:
        return json.dumps(self.as_dict(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def sha256_hex(canonical: str) -> str:
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def freeze(evidence: Evidence) -> tuple[str, str]:
    """(canonical text, its SHA-256)."""
    canonical = evidence.canonical()
    return canonical, sha256_hex(canonical)


@dataclass(frozen=True)
class Check:
    intact: bool
    recomputed: str
    problems: tuple[str, ...] = ()


def verify(*, canonical: str, stored_hash: str, columns: Evidence | None = None) -> Check:
    """Is the stored text still the one hashed, and do the case's columns still say the same?"""
    recomputed = sha256_hex(canonical)
    problems: list[str] = []
    if recomputed != stored_hash:
        problems.append("hash")
    if columns is not None and columns.canonical() != canonical:
        problems.append("columns")
    return Check(intact=not problems, recomputed=recomputed, problems=tuple(problems))
