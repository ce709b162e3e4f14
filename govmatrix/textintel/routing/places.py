"""Which street or town (街道/乡镇) a message mentions.

The district passes its own gazetteer `{unit_code: [name, alias, …]}`; nothing is built in.
Names are found leftmost-longest without overlap (Aho-Corasick), so "东风路街道" beats the
shorter alias "东风路" inside it. Text and names are compared after `normalize_text`
(full-width → half-width, traditional → simplified, lower case), and the offsets of a
`PlaceMatch` index that normalised text.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import ahocorasick_rs

from govmatrix.textintel.routing.normalize import normalize_text


@dataclass(frozen=True)
class PlaceMatch:
    unit_code: str
    name: str  # the name or alias as given in the gazetteer
    start: int
    end: int


class PlaceMatcher:
    def __init__(self, units: Mapping[str, Iterable[str]]) -> None:
        owners: dict[str, list[str]] = defaultdict(list)
        given: dict[str, str] = {}
        for unit_code, names in units.items():
            if isinstance(names, str):
                raise TypeError(f"names of {unit_code!r} must be a list, not one string")
            for name in names:
                key = normalize_text(name)
                if not key:
                    continue
                if unit_code not in owners[key]:
                    owners[key].append(unit_code)
                given.setdefault(key, name)
        self._patterns = sorted(owners)
        self._owners = [tuple(owners[p]) for p in self._patterns]
        self._given = [given[p] for p in self._patterns]
        self._automaton = (
            ahocorasick_rs.AhoCorasick(
                self._patterns, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest
            )
            if self._patterns
            else None
        )

    def find_all(self, text: str) -> list[PlaceMatch]:
        """Every mention, in text order; a name two units share gives a match for each."""
        if self._automaton is None:
            return []
        out = []
        for index, start, end in self._automaton.find_matches_as_indexes(normalize_text(text)):
            for unit_code in self._owners[index]:
                out.append(PlaceMatch(unit_code, self._given[index], start, end))
        return out

    def match(self, text: str) -> PlaceMatch | None:
        """The unit the message is most about: most mentions, then the longest name, then the
        first mentioned. A name shared by several units counts for each only in part."""
        mentions = self.find_all(text)
        if not mentions:
            return None
        weight: dict[str, float] = defaultdict(float)
        shared: dict[tuple[int, int], int] = defaultdict(int)
        for m in mentions:
            shared[(m.start, m.end)] += 1
        for m in mentions:
            weight[m.unit_code] += 1.0 / shared[(m.start, m.end)]
        best: dict[str, PlaceMatch] = {}
        for m in mentions:
            held = best.get(m.unit_code)
            if held is None or (m.end - m.start) > (held.end - held.start):
                best[m.unit_code] = m
        first_seen = {m.unit_code: i for i, m in reversed(list(enumerate(mentions)))}
        winner = max(
            best,
            key=lambda code: (
                weight[code],
                best[code].end - best[code].start,
                -first_seen[code],
            ),
        )
        return best[winner]
