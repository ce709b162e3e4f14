"""Term lists with categories, and one Aho-Corasick scan over the normalised text.

    lexicon = Lexicon.from_terms({"法轮功": "national_security", "傻逼": "abuse"},
                                 allow={"曹操"}, pinyin={"法轮": "national_security"})
    hits = LexiconScreen([lexicon]).scan("你是傻 逼")
    # [Hit(term='傻逼', category='abuse', start=2, end=5, ...)]

Terms and allow-list entries are normalised exactly like the text (see normalize.py), so a
term matches through spaces, punctuation, emoji, zero-width characters, full-width forms,
traditional characters and repeated characters. Terms configured for pinyin also match
their full pinyin, their initials and mixed spellings. A term that starts (ends) with a
Latin letter or digit only matches where no other Latin letter or digit is glued to it, so
``sb`` is not found inside ``sbs``. A hit that lies inside a match of the allow-list of the
same lexicon is dropped (``曹操`` protects the ``操`` hits inside it).

`Hit.start`/`Hit.end` are offsets in the *original* text.

The scanner is generic: the publishing check builds screens for its own lists ("sensitive
terms", "banned expressions", "leader names") from whatever `{term: category}` mapping it
holds, at run time. `load_default_lexicon()` gives the shipped, curated harm lexicon.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import ahocorasick_rs

from govmatrix.textintel.screening.normalize import (
    Normalized,
    is_ascii_alnum,
    normalize,
    normalize_text,
    pinyin_variants,
)

__all__ = [
    "DATA_DIR",
    "Hit",
    "Lexicon",
    "LexiconScreen",
    "load_default_lexicon",
]

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "lexicons"


@dataclass(frozen=True, slots=True)
class Hit:
    """One lexicon match. `start`/`end` index the original text; `matched` is its slice."""

    term: str
    category: str
    start: int
    end: int
    lexicon: str = ""
    matched: str = ""
    variant: str = ""  # the pinyin spelling that matched, if any


@dataclass(frozen=True, slots=True)
class _Entry:
    term: str
    category: str
    lexicon_index: int
    variant: str
    allow: bool


class Lexicon:
    """A named `{term: category}` mapping with its allow-list and pinyin-matched terms."""

    def __init__(
        self,
        terms: Mapping[str, str],
        *,
        allow: Iterable[str] = (),
        pinyin: Mapping[str, str] | None = None,
        name: str = "custom",
    ) -> None:
        self.name = name
        self.terms: dict[str, str] = {}
        for term, category in terms.items():
            if not isinstance(term, str) or not isinstance(category, str):
                raise TypeError("terms must map str to str")
            if normalize_text(term):
                self.terms[term] = category
        self.allow: frozenset[str] = frozenset(a for a in allow if normalize_text(a))
        self.pinyin: dict[str, str] = dict(pinyin or {})

    @classmethod
    def from_terms(
        cls,
        terms: Mapping[str, str],
        allow: Iterable[str] = (),
        *,
        pinyin: Mapping[str, str] | None = None,
        name: str = "custom",
    ) -> Lexicon:
        return cls(terms, allow=allow, pinyin=pinyin, name=name)

    @classmethod
    def from_tsv(
        cls,
        path: str | Path,
        *,
        allow_path: str | Path | None = None,
        pinyin_path: str | Path | None = None,
        name: str | None = None,
    ) -> Lexicon:
        """Load `term<TAB>category[<TAB>…]` lines (``#`` starts a comment line)."""
        terms = _read_tsv(Path(path))
        allow: list[str] = []
        if allow_path is not None:
            allow = [line for line in _read_lines(Path(allow_path))]
        pinyin = _read_tsv(Path(pinyin_path)) if pinyin_path is not None else {}
        return cls(terms, allow=allow, pinyin=pinyin, name=name or Path(path).stem)

    def __len__(self) -> int:
        return len(self.terms)

    def __repr__(self) -> str:
        return f"Lexicon({self.name!r}, {len(self.terms)} terms, {len(self.allow)} allowed)"


def _read_lines(path: Path) -> list[str]:
    with path.open(encoding="utf-8-sig") as handle:
        return [
            line.strip() for line in handle if line.strip() and not line.lstrip().startswith("#")
        ]


def _read_tsv(path: Path) -> dict[str, str]:
    terms: dict[str, str] = {}
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            if not row or not row[0].strip() or row[0].lstrip().startswith("#"):
                continue
            if len(row) < 2:
                raise ValueError(f"{path}: line without a category: {row[0]!r}")
            terms[row[0].strip()] = row[1].strip()
    return terms


class LexiconScreen:
    """One automaton over several lexicons. Immutable: build a new one when lists change."""

    def __init__(self, lexicons: Lexicon | Sequence[Lexicon]) -> None:
        if isinstance(lexicons, Lexicon):
            lexicons = [lexicons]
        self.lexicons: tuple[Lexicon, ...] = tuple(lexicons)
        by_pattern: dict[str, list[_Entry]] = {}

        def add(pattern: str, entry: _Entry) -> None:
            if pattern:
                by_pattern.setdefault(pattern, []).append(entry)

        for index, lexicon in enumerate(self.lexicons):
            for term, category in lexicon.terms.items():
                add(normalize_text(term), _Entry(term, category, index, "", False))
            for term, category in lexicon.pinyin.items():
                for variant in pinyin_variants(term):
                    add(variant, _Entry(term, category, index, variant, False))
            for term in lexicon.allow:
                add(normalize_text(term), _Entry(term, "", index, "", True))
        self._patterns: list[str] = list(by_pattern)
        self._entries: list[tuple[_Entry, ...]] = [tuple(by_pattern[p]) for p in self._patterns]
        self._latin_start = [is_ascii_alnum(p[0]) for p in self._patterns]
        self._latin_end = [is_ascii_alnum(p[-1]) for p in self._patterns]
        self._has_allow = any(lexicon.allow for lexicon in self.lexicons)
        self._automaton = (
            ahocorasick_rs.AhoCorasick(self._patterns, matchkind=ahocorasick_rs.MatchKind.Standard)
            if self._patterns
            else None
        )

    @property
    def pattern_count(self) -> int:
        return len(self._patterns)

    def scan(self, text: str) -> list[Hit]:
        """All hits in `text`, in order of position, allow-listed ones removed."""
        return self.scan_normalized(normalize(text))

    def scan_normalized(self, norm: Normalized) -> list[Hit]:
        if self._automaton is None or not norm.text:
            return []
        matches = self._automaton.find_matches_as_indexes(norm.text, overlapping=True)
        if not matches:
            return []
        found: list[tuple[_Entry, int, int]] = []
        allowed: list[tuple[int, int, int]] = []
        for pattern_index, start, end in matches:
            if self._latin_start[pattern_index] and not norm.is_word_start(start):
                continue
            if self._latin_end[pattern_index] and not norm.is_word_end(end):
                continue
            for entry in self._entries[pattern_index]:
                if entry.allow:
                    allowed.append((entry.lexicon_index, start, end))
                else:
                    found.append((entry, start, end))
        hits: list[Hit] = []
        for entry, start, end in found:
            if allowed and any(
                lexicon_index == entry.lexicon_index and a_start <= start and end <= a_end
                for lexicon_index, a_start, a_end in allowed
            ):
                continue
            original_start, original_end = norm.original_span(start, end)
            hits.append(
                Hit(
                    term=entry.term,
                    category=entry.category,
                    start=original_start,
                    end=original_end,
                    lexicon=self.lexicons[entry.lexicon_index].name,
                    matched=norm.original[original_start:original_end],
                    variant=entry.variant,
                )
            )
        hits.sort(key=lambda hit: (hit.start, -hit.end, hit.term))
        return hits


def default_lexicon_paths() -> dict[str, Path]:
    base = DATA_DIR / "curated"
    return {
        "terms": base / "terms.tsv",
        "allow": base / "allow.txt",
        "pinyin": DATA_DIR / "govmatrix" / "pinyin_terms.tsv",
    }


@lru_cache(maxsize=1)
def load_default_lexicon() -> Lexicon:
    """The shipped harm lexicon: curated from houbb, konsheng and SWSR (see curate.py)."""
    paths = default_lexicon_paths()
    return Lexicon.from_tsv(
        paths["terms"],
        allow_path=paths["allow"],
        pinyin_path=paths["pinyin"],
        name="harm",
    )
