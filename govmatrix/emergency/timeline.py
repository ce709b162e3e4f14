"""Where other apps add to an incident's timeline (the inbox: related citizen messages; the
moderation: harmful-comment cases). Emergency imports neither: each registers a source in its
`AppConfig.ready`, and the incident page and its docx show what the sources return.

    from govmatrix.emergency.timeline import TimelineEntry, TimelineSource, register_timeline_source

    def related_messages(window, user):
        for m in message_list(user=user, units=window.unit_ids, since=window.declared_at, ...):
            yield TimelineEntry(at=m.received_at, kind="网民留言", text=m.text[:80], link=...)

    register_timeline_source(TimelineSource("inbox", "网民留言", related_messages))

A source gets the incident's window and the reader, and returns only what that reader may
see (through its own scoped selectors).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from django.utils.functional import Promise

from govmatrix.core.types import Actor


@dataclass(frozen=True)
class IncidentWindow:
    """What a source needs to find the incident's related records."""

    id: int
    title: str
    declared_at: datetime
    ends_at: datetime | None  # None while the incident is active
    unit_ids: tuple[int, ...]  # the affected units
    account_ids: tuple[int, ...]  # their accounts and the main account


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    kind: str  # what it is, shown as a label (e.g. "网民留言")
    text: str
    link: str = ""
    detail: str = ""
    source: str = "emergency"


@dataclass(frozen=True)
class TimelineSource:
    key: str
    label: str | Promise
    entries: Callable[[IncidentWindow, Actor], Iterable[TimelineEntry]]


_SOURCES: dict[str, TimelineSource] = {}


def register_timeline_source(source: TimelineSource) -> None:
    _SOURCES[source.key] = source


def timeline_sources() -> list[TimelineSource]:
    return list(_SOURCES.values())
