"""Text normalisation for screening: undo the cheap tricks people use to dodge word lists.

`normalize(text)` returns a `Normalized` whose `.text` is what the scanner searches:

* traditional → simplified characters (OpenCC's character table, one character for one);
* NFKC compatibility folding, which turns full-width forms into half-width ones
  (``ｆａｌｕｎ`` → ``falun``, ``１２３`` → ``123``) and circled or styled letters into plain ones;
* lower-casing;
* removal of everything that is not a letter or a digit: spaces, punctuation, symbols, emoji,
  zero-width and other format characters, combining marks (``傻 * 逼``, ``傻\u200b逼``,
  ``傻😀逼`` → ``傻逼``) — except clause punctuation (，。！？；：、 and line breaks), which
  becomes a line break that no term matches across, so ``3、小`` or ``日。本人`` do not
  join into words;
* collapse of repeated characters (``傻傻傻逼`` → ``傻逼``). A doubled character that is
  an ordinary reduplicated word (妈妈, 谢谢, 天天 …, see `REDUPLICATED`) is kept doubled so that
  ``妈妈的`` does not turn into ``妈的``. Digits are never collapsed.

Every character of the normalised text is mapped back to the span of the original text it
came from (`Normalized.original_span`); the map is computed lazily, only when a hit needs it.

`pinyin_variants(term)` lists the Latin spellings of a term (full pinyin ``falun``, initials
``fl``, and mixed forms such as ``法lun``) for the terms a lexicon is configured to match
by pinyin.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

__all__ = [
    "REDUPLICATED",
    "Normalized",
    "is_ascii_alnum",
    "normalize",
    "normalize_text",
    "pinyin_variants",
]

_REMOVED = "\x00"
#: What clause punctuation and line breaks become: a boundary no term can match across.
BOUNDARY = "\n"
#: Clause punctuation: a real boundary between clauses, not a separator inserted inside a word.
#: Other punctuation and symbols (``. * - _ | / ~`` …), spaces and emoji are removed instead.
_HARD_BOUNDARIES = frozenset("，。！？；：、,!?;:\n\r\u2028\u2029…")
_DATA = Path(__file__).resolve().parent.parent / "data" / "lexicons"


def _load_t2s() -> dict[str, str]:
    """Traditional → simplified for single characters, from OpenCC's own dictionary."""
    import opencc

    path = Path(opencc.__file__).resolve().parent / "dictionary" / "TSCharacters.txt"
    table: dict[str, str] = {}
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            parts = line.rstrip("\n").split("\t")
            if len(parts) == 2:
                source, targets = parts
                target = targets.split(" ")[0]
                if len(source) == 1 and len(target) == 1:
                    table[source] = target
    return table


def _load_reduplicated() -> frozenset[str]:
    path = _DATA / "reduplicated.txt"
    if not path.exists():
        return frozenset()
    with path.open(encoding="utf-8") as handle:
        return frozenset(
            line.strip()[0]
            for line in handle
            if len(line.strip()) == 2 and not line.startswith("#")
        )


#: Characters whose doubling is an ordinary word (妈妈, 谢谢, 天天 …) and is therefore not
#: collapsed when it occurs exactly twice. Built from jieba's dictionary (see curate.py).
REDUPLICATED: frozenset[str] = _load_reduplicated()

_T2S = _load_t2s()


def _fold(char: str) -> str:
    """The normalised form of one character: one character, or `_REMOVED`."""
    if char in _HARD_BOUNDARIES:
        return BOUNDARY
    folded = unicodedata.normalize("NFKC", char)
    if folded in _HARD_BOUNDARIES:
        return BOUNDARY
    if len(folded) != 1:
        folded = char
    category = unicodedata.category(folded)
    if category[0] in "PSZC" or category in ("Mn", "Me"):
        return _REMOVED
    lowered = folded.lower()
    if len(lowered) == 1:
        folded = lowered
    return _T2S.get(folded, folded)


class _FoldTable(dict[int, str]):
    """A `str.translate` table that fills itself on first sight of each character."""

    def __missing__(self, codepoint: int) -> str:
        value = _fold(chr(codepoint))
        self[codepoint] = value
        return value


_TABLE = _FoldTable()
_RUN = re.compile(r"([^0-9\n])\1+")


def _collapse(match: re.Match[str]) -> str:
    run = match.group(0)
    char = run[0]
    if len(run) == 2 and char in REDUPLICATED:
        return run
    return char


def normalize_text(text: str) -> str:
    """The normalised text only (the fast path used for every message)."""
    folded = text.translate(_TABLE).replace(_REMOVED, "")
    return _RUN.sub(_collapse, folded)


def is_ascii_alnum(char: str) -> bool:
    return char.isascii() and char.isalnum()


@dataclass
class Normalized:
    """A normalised text, with a lazy map back to the original."""

    original: str
    text: str
    _starts: list[int] | None = field(default=None, repr=False)
    _ends: list[int] | None = field(default=None, repr=False)
    _gaps: list[bool] | None = field(default=None, repr=False)

    def _build(self) -> None:
        starts: list[int] = []
        ends: list[int] = []
        gaps: list[bool] = []
        chars: list[str] = []
        gap = False
        folded = self.original.translate(_TABLE)
        i = 0
        n = len(folded)
        while i < n:
            char = folded[i]
            if char == _REMOVED:
                gap = True
                i += 1
                continue
            # the run of this character, possibly interrupted by removed characters
            j = i + 1
            last = i
            count = 1
            if not ("0" <= char <= "9") and char != BOUNDARY:
                while j < n:
                    nxt = folded[j]
                    if nxt == char:
                        count += 1
                        last = j
                    elif nxt != _REMOVED:
                        break
                    j += 1
            keep = 2 if count == 2 and char in REDUPLICATED else 1
            if keep == 2:
                second = folded.index(char, i + 1)
                chars += [char, char]
                starts += [i, second]
                ends += [i + 1, last + 1]
                gaps += [gap, second > i + 1]
            else:
                chars.append(char)
                starts.append(i)
                ends.append(last + 1)
                gaps.append(gap)
            gap = False
            i = last + 1
        self._starts, self._ends, self._gaps = starts, ends, gaps
        if "".join(chars) != self.text:  # pragma: no cover - guarded by tests
            raise AssertionError("normalisation paths disagree")

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The span of the original text that normalised characters [start, end) came from."""
        if self._starts is None:
            self._build()
        assert self._starts is not None and self._ends is not None
        if start >= end:
            position = self._starts[start] if start < len(self._starts) else len(self.original)
            return position, position
        return self._starts[start], self._ends[end - 1]

    def gap_before(self, index: int) -> bool:
        """Whether removed characters (spaces, punctuation …) stood before character `index`.

        The start and the end of the text count as gaps.
        """
        if index <= 0 or index >= len(self.text):
            return True
        if self._gaps is None:
            self._build()
        assert self._gaps is not None
        return self._gaps[index]

    def is_word_start(self, index: int) -> bool:
        """A Latin term may start here: no ASCII letter or digit glued on its left."""
        return self.gap_before(index) or not is_ascii_alnum(self.text[index - 1])

    def is_word_end(self, index: int) -> bool:
        """A Latin term may end here: no ASCII letter or digit glued on its right."""
        return self.gap_before(index) or not is_ascii_alnum(self.text[index])


def normalize(text: str) -> Normalized:
    return Normalized(original=text, text=normalize_text(text))


@cache
def _syllables(term: str) -> tuple[tuple[str, str], ...] | None:
    """(full pinyin, initial) for each character of a Chinese term; None if not all Chinese."""
    from pypinyin import Style, lazy_pinyin

    if not all("\u3400" <= char <= "\u9fff" for char in term):
        return None
    full = lazy_pinyin(term, style=Style.NORMAL, errors="replace")
    if len(full) != len(term) or not all(syllable.isascii() and syllable for syllable in full):
        return None
    return tuple((syllable, syllable[0]) for syllable in full)


def pinyin_variants(
    term: str, *, full: bool = True, initials: bool = True, mixed: bool = True
) -> set[str]:
    """Latin spellings of a Chinese term, already normalised.

    ``法轮`` → full ``falun``, initials ``fl``, and with `mixed` every mix of characters,
    syllables and initials (``法lun``, ``fa轮``, ``f轮`` …) for terms up to four characters.
    The term itself is not included. Terms that are not all Chinese characters give none.
    """
    syllables = _syllables(term)
    if not syllables:
        return set()
    variants: set[str] = set()
    if full:
        variants.add("".join(full_syllable for full_syllable, _ in syllables))
    if initials:
        variants.add("".join(initial for _, initial in syllables))
    if mixed and len(term) <= 4:
        choices = [
            (char, full_syllable, initial)
            for char, (full_syllable, initial) in zip(term, syllables, strict=True)
        ]
        for combination in itertools.product(*choices):
            variants.add("".join(combination))
    variants = {normalize_text(variant) for variant in variants}
    variants.discard(normalize_text(term))
    return {variant for variant in variants if len(variant) >= 2}
