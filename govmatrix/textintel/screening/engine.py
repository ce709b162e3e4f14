"""Combined screening: normalisation + lexicon scan + the learned classifier.

    screener = Screener.default()
    result = screener.screen("你们这帮傻 逼")
    # ScreenResult(flagged=True, categories=['abuse'], terms=['傻逼'], score=0.97)

Policy (see README.md for the figures behind it):

* a lexicon hit (after the allow-list) flags the text, with the hit terms' categories;
* the classifier's probability `score` flags the text on its own, under the category
  ``abuse``, when it reaches `threshold` (default `DEFAULT_THRESHOLD`) for a comment-length
  text (at most `SHORT_TEXT` characters), or `long_threshold` (`DEFAULT_LONG_THRESHOLD`) for a
  longer one;
* `score` is always the classifier's probability that the text is offensive language.

Why two thresholds: the classifier learnt from COLD, Weibo/Zhihu comments of at most 192
characters, in which longer comments are more often offensive. On long letters such as the
citizens' complaints of the message board its probabilities drift upwards (at 0.9, 1 % of
the complaints under 100 characters but 20 % of those over 800 would be flagged), so a long
text is only flagged by the classifier when it is very sure. The thresholds were chosen on
one half of the government messages and COLD dev, and measured on the other half (README).
The lexicon flags unambiguous cases whatever the length.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from govmatrix.textintel.screening.categories import ABUSE, CATEGORIES
from govmatrix.textintel.screening.lexicon import LexiconScreen, load_default_lexicon

__all__ = ["DEFAULT_LONG_THRESHOLD", "DEFAULT_THRESHOLD", "SHORT_TEXT", "ScreenResult", "Screener"]

#: Classifier probability at or above which a comment-length text is flagged on its own.
DEFAULT_THRESHOLD = 0.95
#: The same for texts longer than `SHORT_TEXT` characters.
DEFAULT_LONG_THRESHOLD = 0.995
#: The longest text (in characters) that counts as comment-length (COLD's longest is 192).
SHORT_TEXT = 200


class Scorer(Protocol):
    def score(self, texts: Sequence[str]) -> Iterable[float]: ...


@dataclass(frozen=True)
class ScreenResult:
    flagged: bool
    categories: list[str] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)
    score: float = 0.0

    def as_dict(self) -> dict[str, object]:
        return {
            "flagged": self.flagged,
            "categories": list(self.categories),
            "terms": list(self.terms),
            "score": round(self.score, 4),
        }


def _ordered_categories(categories: Iterable[str]) -> list[str]:
    wanted = set(categories)
    known = [category for category in CATEGORIES if category in wanted]
    return known + sorted(wanted - set(CATEGORIES))


class Screener:
    def __init__(
        self,
        lexicon_screen: LexiconScreen | None,
        model: Scorer | None,
        threshold: float = DEFAULT_THRESHOLD,
        long_threshold: float = DEFAULT_LONG_THRESHOLD,
    ) -> None:
        self.lexicon_screen = lexicon_screen
        self.model = model
        self.threshold = threshold
        self.long_threshold = long_threshold

    @classmethod
    def default(
        cls,
        threshold: float = DEFAULT_THRESHOLD,
        long_threshold: float = DEFAULT_LONG_THRESHOLD,
    ) -> Screener:
        """The shipped lexicon and the shipped classifier."""
        from govmatrix.textintel.harm.model import load_default_model

        return cls(
            LexiconScreen([load_default_lexicon()]),
            load_default_model(),
            threshold,
            long_threshold,
        )

    def threshold_for(self, text: str) -> float:
        return self.threshold if len(text) <= SHORT_TEXT else self.long_threshold

    def screen(self, text: str) -> ScreenResult:
        return self.screen_many([text])[0]

    def screen_many(self, texts: Sequence[str]) -> list[ScreenResult]:
        scores: list[float] = [0.0] * len(texts)
        if self.model is not None and texts:
            scores = [float(value) for value in self.model.score(list(texts))]
        results: list[ScreenResult] = []
        for text, score in zip(texts, scores, strict=True):
            if not text.strip():
                results.append(ScreenResult(flagged=False, score=0.0))
                continue
            hits = self.lexicon_screen.scan(text) if self.lexicon_screen is not None else []
            categories = {hit.category for hit in hits}
            terms = list(dict.fromkeys(hit.term for hit in hits))
            if score >= self.threshold_for(text):
                categories.add(ABUSE)
            results.append(
                ScreenResult(
                    flagged=bool(categories),
                    categories=_ordered_categories(categories),
                    terms=terms,
                    score=score,
                )
            )
        return results
