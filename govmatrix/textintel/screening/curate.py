"""Build the shipped harm lexicon from the raw sources: `python -m govmatrix.textintel.screening.curate`.

Reads the source lists copied under ``data/lexicons/{houbb,konsheng,swsr}`` (each with its
licence) and our own lists under ``data/lexicons/govmatrix``, and writes

* ``data/lexicons/curated/terms.tsv``: ``term<TAB>category<TAB>sources`` (normalised terms);
* ``data/lexicons/curated/allow.txt``: houbb's allow-list plus ours;
* ``data/lexicons/reduplicated.txt``: doubled characters that are ordinary words (妈妈),
  which the normaliser does not collapse.

The raw lists flag most ordinary citizens' messages (they are censorship dumps that hold
政府, 没有, 拆迁 …). The curation keeps a term only if it passes every rule below; the rules
use a general-language signal (jieba's dictionary frequencies), never the measurement set:

1. its normalised form has at least two characters, no clause punctuation inside, and is not
   a bare date or number (6月4日, 20年前: anniversaries that every complaint mentions);
2. a Latin/digit-only term has at least three characters (five if it only comes from an
   untyped dump), and a digit-only one at least seven (telephone/QQ numbers; shorter ones
   are years, prices, house numbers);
3. it is not a dictionary word: a term that jieba's general dictionary lists (frequency ≥
   `DICTIONARY_WORD_FREQ`) names a topic (赌博, 台独, 上访, 房产证, 日本人) rather than being
   an offending expression, and mentioning a topic is not harmful. An abuse term that carries
   an abuse marker (婊子, 草泥马) is kept unless it is very common (≥ `COMMON_ABUSE_FREQ`);
4. a two-character term must carry a harm marker (an abuse, obscenity or illegal-goods
   marker, see categories.py): other two-character entries are mostly fragments that occur
   inside ordinary words (日入 in 1日入职, 法正 in 无法正常);
5. a term without a harm marker that only comes from an *untyped* dump (or is untagged in
   houbb, or only in SWSR's broad lexicon) needs at least `MIN_UNTYPED_LENGTH` characters;
   and no term without a harm marker may be an ordinary phrase: one that jieba splits into
   two or more parts that are all dictionary words (frequency ≥ `PHRASE_PART_FREQ`), common
   single characters (≥ `COMMON_CHAR_FREQ`) or function characters (的, 与 …): 有关部门,
   所谓的和谐, 强制拆除, 学历证. Marked phrases stay (打倒共产党, 出售炸药, 操你妈);
6. it is not in our reviewed drop-list ``govmatrix/drop.txt`` (ordinary words that the
   rules above let through, found by reviewing the hits on the *curation half* of the
   government messages only; the other half is kept for measuring).

Our own additions (``govmatrix/extra_terms.tsv``: common insults missing from the sources)
bypass rules 3–5.
"""

from __future__ import annotations

import argparse
import csv
import os
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from govmatrix.textintel.screening import categories as cat
from govmatrix.textintel.screening import normalize as normalize_module
from govmatrix.textintel.screening.normalize import BOUNDARY, normalize_text

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "lexicons"

DICTIONARY_WORD_FREQ = 1
COMMON_ABUSE_FREQ = 1000
PHRASE_PART_FREQ = 5
COMMON_CHAR_FREQ = 3000
MIN_UNTYPED_LENGTH = 4
MIN_UNTYPED_LATIN = 5
#: Single characters that may glue the words of an ordinary phrase (所谓的和谐, 关注与支持).
FUNCTION_CHARACTERS = frozenset("的了和与及或之在是有不也都就被把对为我你他她们这那个要会能很太")
_DATE = re.compile(
    r"[0-9一二三四五六七八九十]+[年月日号]?([0-9一二三四五六七八九十]+[年月日号]?)*[前后]?"
)

# Typed sources outrank untyped ones when a term is in several lists.
_PRIORITY = {"govmatrix": 0, "konsheng": 1, "houbb": 2, "swsr": 3, "untyped": 4}


@dataclass
class Candidate:
    term: str  # normalised
    category: str = ""
    priority: int = 99
    typed: bool = False
    sources: set[str] = field(default_factory=set)

    def offer(self, source: str, category: str, priority: int) -> None:
        self.sources.add(source)
        if category != cat.UNTYPED:
            self.typed = True
        if priority < self.priority:
            self.priority = priority
            self.category = cat.route(self.term, category)


def _lines(path: Path) -> Iterator[str]:
    with path.open(encoding="utf-8-sig") as handle:
        for line in handle:
            line = line.strip()
            if line and not line.startswith("#"):
                yield line


def read_sources(data_dir: Path = DATA_DIR) -> dict[str, Candidate]:
    candidates: dict[str, Candidate] = {}

    def offer(raw: str, source: str, category: str, priority: int) -> None:
        term = normalize_text(raw)
        if not term:
            return
        candidate = candidates.setdefault(term, Candidate(term))
        candidate.offer(source, category, priority)

    houbb = data_dir / "houbb"
    tagged: dict[str, str] = {}
    for line in _lines(houbb / "sensitive_word_tags.txt"):
        term, _, tags = line.rpartition(" ")
        if term:
            tagged[term] = tags.split(",")[0]
    for line in _lines(houbb / "sensitive_word_dict.txt"):
        tag = tagged.pop(line, None)
        if tag is None:
            offer(line, "houbb", cat.UNTYPED, _PRIORITY["untyped"])
        else:
            offer(line, f"houbb:{tag}", cat.HOUBB_TAGS[tag], _PRIORITY["houbb"])
    for term, tag in tagged.items():
        offer(term, f"houbb:{tag}", cat.HOUBB_TAGS[tag], _PRIORITY["houbb"])

    for path in sorted((data_dir / "konsheng").glob("*.txt")):
        name = path.stem
        if name in cat.KONSHENG_EXCLUDED or name not in cat.KONSHENG_FILES:
            continue
        category = cat.KONSHENG_FILES[name]
        priority = _PRIORITY["untyped" if category == cat.UNTYPED else "konsheng"]
        for line in _lines(path):
            offer(line, f"konsheng:{name}", category, priority)

    for line in _lines(data_dir / "swsr" / "SexHateLex.txt"):
        offer(line, "swsr", cat.ABUSE, _PRIORITY["swsr"])
    return candidates


def _jieba_dictionary() -> dict[str, int]:
    """jieba's dictionary as {word: frequency}, words as written."""
    import jieba

    path = Path(os.path.dirname(jieba.__file__)) / "dict.txt"
    words: dict[str, int] = {}
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            parts = line.split(" ")
            if len(parts) >= 2:
                words[parts[0]] = max(words.get(parts[0], 0), int(parts[1]))
    return words


def _jieba_frequencies() -> dict[str, int]:
    """jieba's dictionary frequencies, keyed by the normalised word."""
    frequencies: dict[str, int] = {}
    for word, freq in _jieba_dictionary().items():
        key = normalize_text(word)
        frequencies[key] = max(frequencies.get(key, 0), freq)
    return frequencies


def reduplicated_words(min_freq: int = 20) -> list[str]:
    """Doubled Chinese characters that are dictionary words of some frequency (妈妈, 谢谢)."""
    return sorted(
        word
        for word, freq in _jieba_dictionary().items()
        if len(word) == 2 and word[0] == word[1] and freq >= min_freq and _is_cjk(word)
    )


def _is_cjk(text: str) -> bool:
    return all("\u3400" <= char <= "\u9fff" for char in text)


class Curator:
    def __init__(self, frequencies: dict[str, int]) -> None:
        import jieba

        self.freq = frequencies
        self._tokenizer = jieba.Tokenizer()
        self._tokenizer.initialize()

    def ordinary_phrase(self, term: str) -> bool:
        parts = [p for p in self._tokenizer.lcut(term, HMM=False) if p]
        return len(parts) >= 2 and all(
            part in FUNCTION_CHARACTERS
            or self.freq.get(part, 0) >= (PHRASE_PART_FREQ if len(part) >= 2 else COMMON_CHAR_FREQ)
            for part in parts
        )

    def reason_to_drop(self, candidate: Candidate) -> str | None:
        term = candidate.term
        if len(term) < 2:
            return "single character"
        if BOUNDARY in term:
            return "clause punctuation inside"
        if _DATE.fullmatch(term):
            return "date or number"
        marked = cat.harm_marked(term)
        if term.isascii():
            if len(term) < 3 or (not candidate.typed and len(term) < MIN_UNTYPED_LATIN):
                return "short latin"
            if term.isdigit() and len(term) < 7:
                return "short number"
            return None
        frequency = self.freq.get(term, 0)
        abuse = candidate.category == cat.ABUSE and marked
        if frequency >= (COMMON_ABUSE_FREQ if abuse else DICTIONARY_WORD_FREQ):
            return "dictionary word"
        if len(term) == 2 and not marked:
            return "two characters without a harm marker"
        weak = not candidate.typed or candidate.sources == {"swsr"}
        if not marked:
            if weak and len(term) < MIN_UNTYPED_LENGTH:
                return "short untyped term"
            if self.ordinary_phrase(term):
                return "ordinary phrase"
        return None


def curate(data_dir: Path = DATA_DIR) -> tuple[dict[str, tuple[str, str]], dict[str, str]]:
    """(kept {term: (category, sources)}, dropped {term: reason})."""
    frequencies = _jieba_frequencies()
    curator = Curator(frequencies)
    candidates = read_sources(data_dir)
    own = data_dir / "govmatrix"
    reviewed_drops = {normalize_text(line.split("\t")[0]) for line in _lines(own / "drop.txt")}
    kept: dict[str, tuple[str, str]] = {}
    dropped: dict[str, str] = {}
    for term, candidate in sorted(candidates.items()):
        reason = curator.reason_to_drop(candidate)
        if reason is None and term in reviewed_drops:
            reason = "reviewed"
        if reason is None:
            kept[term] = (candidate.category, ",".join(sorted(candidate.sources)))
        else:
            dropped[term] = reason
    with (own / "extra_terms.tsv").open(encoding="utf-8") as handle:
        for row in csv.reader(handle, delimiter="\t"):
            if row and not row[0].startswith("#") and len(row) >= 2:
                term = normalize_text(row[0])
                if term and row[1] not in cat.CATEGORIES:
                    raise ValueError(f"extra_terms.tsv: unknown category {row[1]!r}")
                if term:
                    kept[term] = (row[1], "govmatrix")
                    dropped.pop(term, None)
    return kept, dropped


def write(data_dir: Path = DATA_DIR) -> tuple[int, int]:
    words = reduplicated_words()
    with (data_dir / "reduplicated.txt").open("w", encoding="utf-8") as handle:
        handle.write("# doubled characters that are ordinary words (from jieba's dictionary)\n")
        handle.write("".join(word + "\n" for word in words))
    # the normaliser loaded the list at import: use the one just written from here on
    normalize_module.REDUPLICATED = frozenset(word[0] for word in words)
    kept, dropped = curate(data_dir)
    out = data_dir / "curated"
    out.mkdir(exist_ok=True)
    with (out / "terms.tsv").open("w", encoding="utf-8", newline="") as handle:
        handle.write("# term\tcategory\tsources (generated by curate.py; do not edit)\n")
        for term, (category, sources) in sorted(kept.items()):
            handle.write(f"{term}\t{category}\t{sources}\n")
    allow = sorted(
        set(_lines(data_dir / "houbb" / "sensitive_word_allow.txt"))
        | set(_lines(data_dir / "govmatrix" / "allow.txt"))
    )
    with (out / "allow.txt").open("w", encoding="utf-8") as handle:
        handle.write("# houbb's allow-list plus govmatrix/allow.txt (generated by curate.py)\n")
        handle.write("".join(line + "\n" for line in allow))
    return len(kept), len(dropped)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=DATA_DIR)
    parser.add_argument("--dropped", type=Path, help="also write the dropped terms and reasons")
    args = parser.parse_args(argv)
    kept, dropped_count = write(args.data_dir)
    if args.dropped:
        _, dropped = curate(args.data_dir)
        with args.dropped.open("w", encoding="utf-8") as handle:
            for term, reason in sorted(dropped.items()):
                handle.write(f"{term}\t{reason}\n")
    print(f"kept {kept} terms, dropped {dropped_count}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
