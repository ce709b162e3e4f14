"""Benchmark of the lexicon screening: `.venv/bin/python bench/screening.py [--repeats N]`.

On the shipped, curated lexicon and the government-messages corpus (../shared/data), measures

* throughput of the whole lexicon screening (normalisation + Aho-Corasick scan + allow-list +
  offsets) in characters/s and messages/s;
* the same terms and corpus through flashtext's KeywordProcessor and through one Python `re`
  alternation (longest terms first), in the same run; neither normalises the text;
* the share of messages the whole screening flags (lexicon + classifier, the product policy of
  engine.py), on the curation half (A) and the measurement half (B) of the messages
  (half = first byte of md5(title + "\\n" + detail) mod 2), and on all of them;
* recall on generated evasions of lexicon terms (separators, zero-width characters, emoji,
  full-width forms, traditional characters, repeated characters, and pinyin/initials for the
  terms configured for pinyin), for all three.

Reports medians over the repeats and ratios, as a markdown table. Not a test: it skips, with
a message, when the shared data is absent.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import random
import re
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from govmatrix.textintel.screening.engine import Screener  # noqa: E402
from govmatrix.textintel.screening.lexicon import (  # noqa: E402
    LexiconScreen,
    load_default_lexicon,
)
from govmatrix.textintel.screening.normalize import pinyin_variants  # noqa: E402

MESSAGES = ROOT.parent / "shared" / "data" / "gov_messages" / "messages.csv"
CONTEXT = "我觉得{}这件事"


def load_corpus() -> list[str]:
    csv.field_size_limit(10**8)
    with MESSAGES.open(encoding="utf-8-sig", newline="") as handle:
        return [
            f"{row.get('title') or ''}\n{row.get('detail') or ''}" for row in csv.DictReader(handle)
        ]


def evasions(terms: list[str], pinyin_terms: dict[str, str], seed: int = 13) -> dict[str, list]:
    """{kind: [(text, term)]}: each sampled term disguised one way and put in a sentence."""
    from opencc import OpenCC

    rng = random.Random(seed)
    s2t = OpenCC("s2t")
    cjk = [t for t in terms if len(t) >= 2 and all("\u4e00" <= c <= "\u9fff" for c in t)]
    latin = [t for t in terms if t.isascii() and t.isalpha() and len(t) >= 3]
    sample = rng.sample(cjk, min(300, len(cjk)))
    latin_sample = rng.sample(latin, min(100, len(latin)))

    def spread(term: str, separator: Callable[[], str]) -> str:
        return "".join(c + (separator() if i < len(term) - 1 else "") for i, c in enumerate(term))

    kinds: dict[str, list[tuple[str, str]]] = {
        "plain": [(t, t) for t in sample],
        "spaces / symbols": [
            (spread(t, lambda: rng.choice([" ", "*", ".", "-", "_", "|"])), t) for t in sample
        ],
        "zero-width": [
            (spread(t, lambda: rng.choice(["\u200b", "\u200c", "\u200d", "\ufeff"])), t)
            for t in sample
        ],
        "emoji": [(spread(t, lambda: rng.choice(["😀", "🐶", "❤️", "👍"])), t) for t in sample],
        "full-width latin": [
            ("".join(chr(ord(c) + 0xFEE0) for c in t.upper()), t) for t in latin_sample
        ],
        "traditional": [(s2t.convert(t), t) for t in sample if s2t.convert(t) != t],
        "repeated char (x3)": [],
        "pinyin / initials": [],
    }
    for t in sample:
        i = rng.randrange(len(t))
        kinds["repeated char (x3)"].append((t[:i] + t[i] * 3 + t[i + 1 :], t))
    for t in pinyin_terms:
        for variant in sorted(pinyin_variants(t, mixed=False)):
            kinds["pinyin / initials"].append((f" {variant} ", t))
    return {
        kind: [(CONTEXT.format(text), term) for text, term in pairs]
        for kind, pairs in kinds.items()
        if pairs
    }


def median_time(run: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument(
        "--re-messages",
        type=int,
        default=300,
        help="messages fed to the re alternation (it is slow)",
    )
    args = parser.parse_args(argv)
    if not MESSAGES.exists():
        print(f"SKIP: {MESSAGES} is absent (the shared data is not on this machine)")
        return 0
    from flashtext import KeywordProcessor

    corpus = load_corpus()
    chars = sum(len(text) for text in corpus)
    lexicon = load_default_lexicon()
    terms = sorted(lexicon.terms)

    started = time.perf_counter()
    ours = LexiconScreen([lexicon])
    build_ours = time.perf_counter() - started
    started = time.perf_counter()
    flash = KeywordProcessor()
    for term in terms:
        flash.add_keyword(term)
    build_flash = time.perf_counter() - started
    started = time.perf_counter()
    alternation = re.compile("|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)))
    build_re = time.perf_counter() - started

    def run_ours(texts: list[str]) -> int:
        return sum(1 for text in texts if ours.scan(text))

    def run_flash(texts: list[str]) -> int:
        return sum(1 for text in texts if flash.extract_keywords(text))

    def run_re(texts: list[str]) -> int:
        return sum(1 for text in texts if alternation.search(text))

    re_corpus = corpus[: args.re_messages]
    re_chars = sum(len(text) for text in re_corpus)
    rows: list[tuple[str, float, float, float, float]] = []
    engines: list[tuple[str, Callable[[list[str]], int], list[str], int, float]] = [
        ("GovMatrix (normalise + Aho-Corasick)", run_ours, corpus, chars, build_ours),
        ("flashtext (raw text)", run_flash, corpus, chars, build_flash),
        (
            f"re alternation (raw text; first {len(re_corpus)} messages)",
            run_re,
            re_corpus,
            re_chars,
            build_re,
        ),
    ]
    for name, run, texts, n_chars, build in engines:
        seconds = median_time(partial(run, texts), args.repeats)
        flagged = run(texts)
        rows.append((name, n_chars / seconds, len(texts) / seconds, flagged / len(texts), build))

    kinds = evasions(terms, lexicon.pinyin)

    def found_ours(text: str, term: str) -> bool:
        return any(hit.term == term for hit in ours.scan(text))

    def found_flash(text: str, term: str) -> bool:
        return term in flash.extract_keywords(text)

    def found_re(text: str, term: str) -> bool:
        return any(m.group(0) == term for m in alternation.finditer(text))

    recall: dict[str, list[float]] = {}
    for kind, pairs in kinds.items():
        recall[kind] = [
            sum(found(text, term) for text, term in pairs) / len(pairs)
            for found in (found_ours, found_flash, found_re)
        ]

    halves = [hashlib.md5(t.encode(), usedforsecurity=False).digest()[0] % 2 for t in corpus]
    started = time.perf_counter()
    results = Screener.default().screen_many(corpus)
    whole_seconds = time.perf_counter() - started
    by_lexicon = [bool(result.terms) for result in results]
    flagged_rows = []
    for label, wanted in (
        ("A (curation half)", {0}),
        ("B (measurement half)", {1}),
        ("all", {0, 1}),
    ):
        chosen = [i for i, half in enumerate(halves) if half in wanted]
        flagged_rows.append(
            (
                label,
                len(chosen),
                sum(by_lexicon[i] for i in chosen) / len(chosen),
                sum(results[i].flagged for i in chosen) / len(chosen),
            )
        )

    base = rows[0]
    print(
        f"Lexicon: {len(terms)} curated terms ({ours.pattern_count} patterns with pinyin and "
        f"allow-list); corpus: {len(corpus)} government messages, {chars} characters; "
        f"median of {args.repeats} runs.\n"
    )
    print("| engine | chars/s | messages/s | ratio to GovMatrix | messages with a hit | build s |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, cps, mps, share, build_seconds in rows:
        print(
            f"| {name} | {cps:,.0f} | {mps:,.1f} | {cps / base[1]:.2f}x | {share:.1%} | "
            f"{build_seconds:.2f} |"
        )
    print(
        f"\nWhole screening (lexicon + classifier) of all {len(corpus)} messages: "
        f"{whole_seconds:.1f} s ({chars / whole_seconds:,.0f} chars/s, "
        f"{len(corpus) / whole_seconds:,.1f} messages/s), one run.\n"
    )
    print("| government messages | n | flagged by the lexicon | flagged by the whole screening |")
    print("|---|---:|---:|---:|")
    for label, n, lexicon_share, whole_share in flagged_rows:
        print(f"| {label} | {n} | {lexicon_share:.2%} | {whole_share:.2%} |")
    print("\n| evasion | n | GovMatrix recall | flashtext recall | re recall |")
    print("|---|---:|---:|---:|---:|")
    for kind, (ours_recall, flash_recall, re_recall) in recall.items():
        print(
            f"| {kind} | {len(kinds[kind])} | {ours_recall:.1%} | {flash_recall:.1%} "
            f"| {re_recall:.1%} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
