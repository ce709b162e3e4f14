"""The screening the product uses: the shipped harm lexicon plus the office's edits.

    screen = product_screen()     # LexiconScreen over shipped terms − removed + added, with the
    screen.scan(text)             # shipped and the office's allow-lists and pinyin terms

Each process keeps the automaton it built (about a second for ~70k terms) and builds it again
only after the office changed the lexicon: the services call `forget_lexicon` on commit, which
puts a new token in the shared cache; a process that sees a token it did not build with reads
the edits again, and rebuilds only if they differ from the ones it holds. Nothing about the
edits is read or built inside the transaction that makes them, so a rolled-back edit is never
seen.

The inbox and the publishing check use this screen through the hooks registered in
`ModerationConfig.ready` (see the app's documentation for what each of them needs).
"""

from __future__ import annotations

import hashlib
import threading
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from django.core.cache import cache

from govmatrix.moderation.models import LexiconAction, LexiconEntry
from govmatrix.textintel.screening.engine import (
    DEFAULT_LONG_THRESHOLD,
    DEFAULT_THRESHOLD,
    SHORT_TEXT,
)
from govmatrix.textintel.screening.lexicon import Hit, Lexicon, LexiconScreen, load_default_lexicon
from govmatrix.textintel.screening.normalize import normalize_text

_VERSION_KEY = "moderation:lexicon-version"
_lock = threading.Lock()
_held: dict[str, object] = {}


def forget_lexicon() -> None:
    """Every process reads the office's edits again (called on commit by the lexicon services)."""
    cache.set(_VERSION_KEY, uuid.uuid4().hex, None)


def _version() -> str:
    token = cache.get(_VERSION_KEY)
    if token is None:
        cache.add(_VERSION_KEY, uuid.uuid4().hex, None)
        token = cache.get(_VERSION_KEY) or ""
    return str(token)


@dataclass(frozen=True)
class Edits:
    added: tuple[tuple[str, str], ...] = ()
    removed: tuple[str, ...] = ()
    allowed: tuple[str, ...] = ()
    pinyin: tuple[tuple[str, str], ...] = ()

    @property
    def fingerprint(self) -> str:
        return hashlib.sha256(repr(self).encode()).hexdigest()

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.allowed or self.pinyin)


def read_edits() -> Edits:
    rows = LexiconEntry.objects.filter(is_active=True).order_by("action", "term")
    rows_list = list(rows.values_list("action", "term", "category"))
    return Edits(
        added=tuple((t, c) for a, t, c in rows_list if a == LexiconAction.ADD),
        removed=tuple(t for a, t, _c in rows_list if a == LexiconAction.REMOVE),
        allowed=tuple(t for a, t, _c in rows_list if a == LexiconAction.ALLOW),
        pinyin=tuple((t, c) for a, t, c in rows_list if a == LexiconAction.PINYIN),
    )


@lru_cache(maxsize=1)
def _shipped_by_normal_form() -> dict[str, tuple[str, ...]]:
    """{normalised form: shipped terms}: a removal matches every spelling of the same term."""
    forms: dict[str, list[str]] = {}
    for term in load_default_lexicon().terms:
        forms.setdefault(normalize_text(term), []).append(term)
    return {form: tuple(terms) for form, terms in forms.items()}


def removed_terms(removed: Iterable[str]) -> set[str]:
    forms = _shipped_by_normal_form()
    gone: set[str] = set()
    for term in removed:
        gone.add(term)
        gone.update(forms.get(normalize_text(term), ()))
    return gone


def build_lexicon(edits: Edits) -> Lexicon:
    base = load_default_lexicon()
    if edits.empty:
        return base
    gone = removed_terms(edits.removed)
    terms = {term: category for term, category in base.terms.items() if term not in gone}
    terms.update(dict(edits.added))
    terms.update(dict(edits.pinyin))
    pinyin = {term: category for term, category in base.pinyin.items() if term not in gone}
    pinyin.update(dict(edits.pinyin))
    return Lexicon(terms, allow=set(base.allow) | set(edits.allowed), pinyin=pinyin, name="harm")


@lru_cache(maxsize=1)
def _shipped_screen() -> LexiconScreen:
    return LexiconScreen([load_default_lexicon()])


def product_screen() -> LexiconScreen:
    """The screen with the office's committed edits (see the module's docstring)."""
    version = _version()
    if _held.get("version") == version and "screen" in _held:
        return _held["screen"]  # type: ignore[return-value]
    with _lock:
        edits = read_edits()
        if _held.get("fingerprint") != edits.fingerprint or "screen" not in _held:
            _held["screen"] = (
                _shipped_screen() if edits.empty else LexiconScreen([build_lexicon(edits)])
            )
            _held["fingerprint"] = edits.fingerprint
        _held["version"] = version
        return _held["screen"]  # type: ignore[return-value]


def scan(text: str) -> list[Hit]:
    return product_screen().scan(text)


@dataclass(frozen=True)
class Verdict:
    flagged: bool
    categories: tuple[str, ...] = ()
    terms: tuple[str, ...] = ()
    score: float = 0.0
    source: str = ""  # "lexicon" or "classifier"


def verdict(text: str, *, classifier_score: float | None = None) -> Verdict:
    """The product's screening policy on one text (textintel's `Screener` with our lexicon):
    a lexicon hit flags it with the hits' categories; otherwise the classifier's probability,
    when it was computed, flags it as abuse at the engine's thresholds."""
    hits = scan(text) if text.strip() else []
    if hits:
        return Verdict(
            True,
            tuple(dict.fromkeys(h.category for h in hits)),
            tuple(dict.fromkeys(h.term for h in hits)),
            1.0,
            "lexicon",
        )
    if classifier_score is not None:
        threshold = DEFAULT_THRESHOLD if len(text) <= SHORT_TEXT else DEFAULT_LONG_THRESHOLD
        if classifier_score >= threshold:
            return Verdict(True, ("abuse",), (), classifier_score, "classifier")
    return Verdict(False, score=classifier_score or 0.0)


def shipped_search(q: str, *, limit: int = 200) -> list[tuple[str, str]]:
    """Shipped terms (term, category) whose written or normalised form contains `q`."""
    needle = q.strip()
    if not needle:
        return []
    normal = normalize_text(needle)
    terms = load_default_lexicon().terms
    found: list[tuple[str, str]] = []
    for form, spellings in _shipped_by_normal_form().items():
        if (normal and normal in form) or any(needle in t for t in spellings):
            found.extend((t, terms[t]) for t in spellings)
            if len(found) >= limit:
                break
    return sorted(found[:limit], key=lambda pair: (len(pair[0]), pair[0]))


def shipped_category(term: str) -> str:
    return load_default_lexicon().terms.get(term, "")


def shipped_size() -> int:
    return len(load_default_lexicon())
