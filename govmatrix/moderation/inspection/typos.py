"""Common typos (错别字): the wrong forms of the office's list, found literally in a text.

Matching is on the text as written (no normalisation: a typo is about the characters used),
with one Aho-Corasick automaton over all wrong forms. A match that lies inside an occurrence of
some pair's correct form is not a typo (a wrong form may be part of a right word).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import ahocorasick_rs


@dataclass(frozen=True)
class TypoHit:
    wrong: str
    correct: str
    start: int
    end: int


class TypoMatcher:
    def __init__(self, pairs: Iterable[tuple[str, str]]) -> None:
        self.pairs = {wrong: correct for wrong, correct in pairs if wrong and wrong != correct}
        self._wrong = list(self.pairs)
        self._right = sorted(set(self.pairs.values()))
        self._find = (
            ahocorasick_rs.AhoCorasick(self._wrong, matchkind=ahocorasick_rs.MatchKind.Standard)
            if self._wrong
            else None
        )
        self._protect = (
            ahocorasick_rs.AhoCorasick(self._right, matchkind=ahocorasick_rs.MatchKind.Standard)
            if self._right
            else None
        )

    def find(self, text: str) -> list[TypoHit]:
        if self._find is None or not text:
            return []
        matches = self._find.find_matches_as_indexes(text, overlapping=True)
        if not matches:
            return []
        right = (
            self._protect.find_matches_as_indexes(text, overlapping=True) if self._protect else []
        )
        hits = []
        for index, start, end in matches:
            if any(r_start <= start and end <= r_end for _i, r_start, r_end in right):
                continue
            wrong = self._wrong[index]
            hits.append(TypoHit(wrong, self.pairs[wrong], start, end))
        return sorted(hits, key=lambda h: (h.start, -h.end))
