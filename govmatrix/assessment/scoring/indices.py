"""The GSDATA indices as plain functions, straight from the formulas in assessment-methods.md §2.

They serve two purposes: an independent check of the `gsdata_bci` schemes (the tests compare
the scheme engine with these), and WCI for WeChat accounts, which the scheme engine does not
express (its total is squared). Every function is tagged with the version it implements.
"""

from __future__ import annotations

from math import log
from typing import Final, NamedTuple

BCI_FULL_VERSION: Final = "GSDATA BCI, 7 inputs (assessment-methods.md §2.1)"
BCI_SIMPLE_VERSION: Final = "GSDATA BCI, simplified 4 inputs (assessment-methods.md §2.2)"
WCI_V14_2_VERSION: Final = "GSDATA WCI V14.2 (assessment-methods.md §2.3)"
WCI_V2_VERSION: Final = "GSDATA WCI v2.0 (assessment-methods.md §2.4)"


class Bci(NamedTuple):
    w1: float
    w2: float
    bci: float


class WciV14(NamedTuple):
    overall: float  # O
    per_article: float  # A
    headline: float  # H
    peak: float  # P
    wci: float


class WciV2(NamedTuple):
    reading: float
    like: float
    weighted: float
    wci: float


def _ln1p(x: float) -> float:
    if x < 0:
        raise ValueError(f"counts cannot be negative: {x}")
    return log(x + 1)


def bci_full(x1: float, x2: float, x3: float, x4: float, x5: float, x6: float, x7: float) -> Bci:
    """X1 posts (incl. reposts), X2 original posts, X3 reposts, X4 comments, X5 reposts of
    originals, X6 comments on originals, X7 likes — all totals of the period."""
    w1 = 0.30 * _ln1p(x1) + 0.70 * _ln1p(x2)
    w2 = (
        0.20 * _ln1p(x3) + 0.20 * _ln1p(x4) + 0.25 * _ln1p(x5) + 0.25 * _ln1p(x6) + 0.10 * _ln1p(x7)
    )
    return Bci(w1, w2, (0.20 * w1 + 0.80 * w2) * 160)


def bci_simple(posts: float, reposts: float, comments: float, likes: float) -> Bci:
    w1 = _ln1p(posts)
    w2 = 0.40 * _ln1p(reposts) + 0.40 * _ln1p(comments) + 0.20 * _ln1p(likes)
    return Bci(w1, w2, (0.20 * w1 + 0.80 * w2) * 160)


def _f14(r: float, z: float, likes: float, shares: float) -> float:
    return (
        0.70 * _ln1p(r)
        + 0.09 * _ln1p(10 * z)
        + 0.06 * _ln1p(10 * likes)
        + 0.15 * _ln1p(10 * shares)
    )


def wci_v14_2(
    *,
    reads: float,
    wows: float,
    likes: float,
    shares: float,
    articles: int,
    days: int,
    headline_reads: float,
    headline_wows: float,
    headline_likes: float,
    headline_shares: float,
    max_reads: float,
    max_wows: float,
    max_likes: float,
    max_shares: float,
) -> WciV14:
    """WCI V14.2: (0.6·O + 0.2·A + 0.1·H + 0.1·P)² × 1.2 × 10. "10万+" reads count as 100001.

    With no articles the per-article term A is 0 (the formula divides by n).
    """
    if days <= 0:
        raise ValueError("days must be positive")
    overall = _f14(reads / days, wows / days, likes / days, shares / days)
    per_article = (
        _f14(reads / articles, wows / articles, likes / articles, shares / articles)
        if articles > 0
        else 0.0
    )
    headline = _f14(
        headline_reads / days, headline_wows / days, headline_likes / days, headline_shares / days
    )
    peak = _f14(max_reads, max_wows, max_likes, max_shares)
    total = 0.6 * overall + 0.2 * per_article + 0.1 * headline + 0.1 * peak
    return WciV14(overall, per_article, headline, peak, total**2 * 1.2 * 10)


def wci_v2(
    *,
    reads: float,
    mean_reads: float,
    max_reads: float,
    likes: float,
    mean_likes: float,
    max_likes: float,
) -> WciV2:
    """WCI v2.0: reading/like index = 0.40·ln(R+1) + 0.45·ln(R/n+1) + 0.15·ln(Rmax+1);
    WCI = (0.8·reading + 0.2·like)² × 10."""
    reading = 0.40 * _ln1p(reads) + 0.45 * _ln1p(mean_reads) + 0.15 * _ln1p(max_reads)
    like = 0.40 * _ln1p(likes) + 0.45 * _ln1p(mean_likes) + 0.15 * _ln1p(max_likes)
    weighted = 0.8 * reading + 0.2 * like
    return WciV2(reading, like, weighted, weighted**2 * 10)
