"""Reads of the harm lexicon: the office's edits, a search of the shipped terms with what the
office did to each, and a trial screening of a text with the current lexicon."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from govmatrix.moderation import screening
from govmatrix.moderation.models import LexiconAction, LexiconEntry


def entry_list(
    *, action: str = "", q: str = "", active: bool | None = None
) -> QuerySet[LexiconEntry]:
    rows = LexiconEntry.objects.select_related("created_by")
    if action:
        rows = rows.filter(action=action)
    if q.strip():
        rows = rows.filter(Q(term__icontains=q.strip()) | Q(note__icontains=q.strip()))
    if active is not None:
        rows = rows.filter(is_active=active)
    return rows


@dataclass(frozen=True)
class ShippedTerm:
    term: str
    category: str
    removal: LexiconEntry | None  # the office's removal of this term, if any

    @property
    def removed(self) -> bool:
        return self.removal is not None and self.removal.is_active


def shipped_search(*, q: str, limit: int = 100) -> list[ShippedTerm]:
    found = screening.shipped_search(q, limit=limit)
    removals = {
        e.term: e
        for e in LexiconEntry.objects.filter(
            action=LexiconAction.REMOVE, term__in=[t for t, _c in found]
        )
    }
    return [ShippedTerm(term, category, removals.get(term)) for term, category in found]


@dataclass(frozen=True)
class Trial:
    text: str
    flagged: bool
    hits: list[tuple[str, str, str]]  # (term, category, as written)


def trial(text: str) -> Trial:
    """What the current (committed) lexicon finds in `text`."""
    hits = screening.scan(text)
    return Trial(text, bool(hits), [(h.term, h.category, h.matched) for h in hits])


def lexicon_sizes() -> dict[str, int]:
    counts = {str(a): 0 for a in LexiconAction.values}
    rows = LexiconEntry.objects.filter(is_active=True).values("action").annotate(n=Count("pk"))
    for row in rows.order_by():
        counts[row["action"]] = row["n"]
    counts["shipped"] = screening.shipped_size()
    return counts
