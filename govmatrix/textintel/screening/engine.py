"""Combined screening: normalisation + lexicon scan + the learned classifier.

    screener = Screener.default()
    result = screener.screen("你们这帮傻 逼")
    # ScreenResult(flagged=True, categories=['abuse'], terms=['傻逼'], score=0.97)

Policy (see README.md for the figures behind it):

* a lexicon hit (after the allow-list) flags the text, with the hit terms' categories;
* the classifier's probability `score` flags the text on its own when it reaches
  `threshold` (default `DEFAULT_THRESHOLD`), under the category ``abuse``;
* `score` is always the classifier's probability that the text is offensive language.

The threshold is set high on purpose: the classifier is trained on short Weibo/Zhihu comments
and ordinary long complaints with angry words (拆迁, 打人, 污染) must stay clean; the
lexicon catches the unambiguous cases whatever the classifier says.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from govmatrix.textintel.screening.categories import ABUSE, CATEGORIES
from govmatrix.textintel.screening.lexicon import LexiconScreen, load_default_lexicon

__all__ = ["DEFAULT_THRESHOLD", "ScreenResult", "Screener"]

#: Classifier probability at or above which a text is flagged without a lexicon hit.
DEFAULT_THRESHOLD = 0.9


class Scorer(Protocol):
    def score(self, texts: Sequence[str]) -> Sequence[float]: ...


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
    ) -> None:
        self.lexicon_screen = lexicon_screen
        self.model = model
        self.threshold = threshold

    @classmethod
    def default(cls, threshold: float = DEFAULT_THRESHOLD) -> Screener:
        """The shipped lexicon and the shipped classifier."""
        from govmatrix.textintel.harm.model import load_default_model

        return cls(LexiconScreen([load_default_lexicon()]), load_default_model(), threshold)

    def screen(self, text: str) -> ScreenResult:
        return self.screen_many([text])[0]

    def screen_many(self, texts: Sequence[str]) -> list[ScreenResult]:
        scores: Sequence[float] = [0.0] * len(texts)
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
            if score >= self.threshold:
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
