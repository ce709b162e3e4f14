"""Several inbox streams read as one, under one cursor, with nothing skipped or repeated.

A connector that reads its interactions from more than one place (Weibo: comments to me,
comments mentioning me and pushed direct messages; Mastodon: mention notifications and the
replies under recent posts) gives `merge` each place's new items in that place's own order,
oldest first. `merge` takes them in time order up to `limit`, always from the head of a stream,
so what it takes from each stream is a prefix of that stream; each stream's part of the cursor
then moves to the last item taken from it. An item that two streams both report (a comment on
our post that also @mentions us) is given once, and the copy in the other stream is consumed
with it, even past `limit`, so the next page cannot repeat it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Entry(Generic[T]):
    """One item of a stream: when it happened, its identity across streams, and its position.

    `tiebreak` orders items of the same second; streams that can report the same item must
    use the same tiebreak for it (its platform id), so its copies meet at the streams' heads.
    """

    at: datetime
    tiebreak: int
    key: str
    position: str
    item: T


@dataclass(frozen=True)
class Merged(Generic[T]):
    items: list[T]
    # Per stream, the position of the last entry consumed, or None when none was.
    last_positions: list[str | None]


def merge(streams: list[list[Entry[T]]], *, limit: int) -> Merged[T]:
    heads = [0] * len(streams)
    last: list[str | None] = [None] * len(streams)
    taken: list[T] = []
    seen: set[str] = set()

    def consume(index: int) -> Entry[T]:
        entry = streams[index][heads[index]]
        heads[index] += 1
        last[index] = entry.position
        return entry

    while True:
        # First drop, from every head, what was already given.
        for index, stream in enumerate(streams):
            while heads[index] < len(stream) and stream[heads[index]].key in seen:
                consume(index)
        if len(taken) >= limit:
            break
        live = [i for i, stream in enumerate(streams) if heads[i] < len(stream)]
        if not live:
            break
        # Earliest first; on a full tie the earlier stream wins, so the result is deterministic.
        index = min(live, key=lambda i: (streams[i][heads[i]].at, streams[i][heads[i]].tiebreak, i))
        entry = consume(index)
        seen.add(entry.key)
        taken.append(entry.item)
    return Merged(items=taken, last_positions=last)
