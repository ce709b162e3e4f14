"""One pass over a batch of citizens' messages: kind, topic, place, harm and search words.

Plain Python, no Django: the inbox builds a `MessageClassifier` from the district's own lists
(topics with their keywords, the gazetteer of streets and towns, a trained router when there
is one) and calls `classify_many` on each synced batch; the benchmark calls it without a
database.

- kind: `routing.kinds.classify_kind` (complaint / inquiry / suggestion / praise / other);
- topic: the router's label and confidence (the shipped keyword rules, or a district's
  trained `Router`);
- place: the street or town the message names (`routing.places.PlaceMatcher`), with a
  confidence that is the winner's share of the place mentions (two streets named equally
  often: 0.5);
- harm: the shipped lexicon on every text; the learned offensive-language classifier only on
  comment-length texts (≤ `HARM_CLASSIFIER_MAX_CHARS`, where its thresholds were set and
  where it is cheap: one batched call). `harm_score` is the classifier's probability, raised
  to 1.0 by a lexicon hit; `harm_source` says which of the two spoke;
- words: jieba's search-mode words (`cut_for_search`), for full-text search and trends.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from govmatrix.textintel.routing.kinds import classify_kind
from govmatrix.textintel.routing.normalize import normalize_text
from govmatrix.textintel.routing.places import PlaceMatcher
from govmatrix.textintel.routing.prediction import MessageRouter

#: Texts up to this length get the learned harm classifier on top of the lexicon.
HARM_CLASSIFIER_MAX_CHARS = 200
#: The screening policy's flag threshold for comment-length texts (screening/engine.py).
HARM_FLAG_THRESHOLD = 0.95

# Words that say nothing about what a message is about (for trends, not for search).
_STOPWORDS = frozenset(
    str.split(
        "我们 你们 他们 这个 那个 什么 怎么 为什么 因为 所以 但是 而且 如果 已经 还是 就是 可以 "
        "没有 不是 现在 希望 问题 情况 请问 谢谢 您好 你好 领导 有关 相关 部门 政府 反映 一下 "
        "一个 这样 那样 这些 那些 自己 大家 时候 今天 目前 能否 是否 需要 进行 要求 一直 以及 "
        "还有 只是 不能 不会 可能 应该 这种 其他 另外 非常 真的 小区 居民 市民 网友 两天 几天 "
        "好几天 这两天 一周 一个月 不敢 晚上 早上 白天 每天 天天 这里 那里 附近 门口 尽快 及时 "
        "有关部门 相关部门 知道 感觉 老人 孩子 一下子 还要 怎么办"
    )
)


@dataclass(frozen=True)
class Classification:
    kind: str
    kind_confidence: float
    topic: str
    topic_confidence: float
    topic_ranked: tuple[tuple[str, float], ...]
    place_unit: str | None
    place_name: str
    place_confidence: float
    harm_score: float
    harm_flagged: bool
    harm_source: str  # "classifier" or "lexicon"
    harm_categories: tuple[str, ...] = ()
    words: tuple[str, ...] = field(default=(), repr=False)

    @property
    def search_text(self) -> str:
        return " ".join(self.words)


@lru_cache(maxsize=1)
def _jieba() -> Any:
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    return tokenizer


def search_words(text: str) -> list[str]:
    """jieba search-mode words of the normalised text: what is indexed and what is searched.

    Search mode also yields the shorter words inside a long one (噪音扰民 → 噪音, 扰民,
    噪音扰民), so a query finds a message whichever way each side was cut. Punctuation and
    spaces are dropped; everything else is kept once, in order.
    """
    seen: dict[str, None] = {}
    for word in _jieba().cut_for_search(normalize_text(text)):
        word = word.strip()
        if word and any(ch.isalnum() for ch in word):
            seen.setdefault(word, None)
    return list(seen)


def trend_phrases(words: Iterable[str]) -> list[str]:
    """The words of a message worth counting as phrases: two characters or more, not filler."""
    return [w for w in words if len(w) >= 2 and w not in _STOPWORDS and not w.isdigit()]


def place_confidence(matcher: PlaceMatcher, text: str) -> tuple[str | None, str, float]:
    """(unit code, name as written in the gazetteer, confidence) of the place a text names."""
    mentions = matcher.find_all(text)
    if not mentions:
        return None, "", 0.0
    best = matcher.match(text)
    assert best is not None
    weights: dict[str, float] = {}
    shared = Counter((m.start, m.end) for m in mentions)
    for m in mentions:
        weights[m.unit_code] = weights.get(m.unit_code, 0.0) + 1.0 / shared[(m.start, m.end)]
    total = sum(weights.values())
    return best.unit_code, best.name, round(weights[best.unit_code] / total, 4)


@lru_cache(maxsize=1)
def shipped_lexicon() -> Any:
    """The shipped harm lexicon's automaton: built once per process (about two seconds)."""
    from govmatrix.textintel.screening.lexicon import LexiconScreen, load_default_lexicon

    return LexiconScreen([load_default_lexicon()])


@lru_cache(maxsize=1)
def shipped_harm_model() -> Any:
    from govmatrix.textintel.harm.model import load_default_model

    return load_default_model()


class MessageClassifier:
    def __init__(
        self,
        *,
        router: MessageRouter,
        places: PlaceMatcher | None = None,
        lexicon: Any = None,
        harm_model: Any = None,
        harm_max_chars: int = HARM_CLASSIFIER_MAX_CHARS,
    ) -> None:
        self.router = router
        self.places = places or PlaceMatcher({})
        self.lexicon = lexicon
        self.harm_model = harm_model
        self.harm_max_chars = harm_max_chars

    @classmethod
    def build(
        cls,
        *,
        router: MessageRouter,
        gazetteer: Mapping[str, Iterable[str]],
        harm_classifier: bool = True,
    ) -> MessageClassifier:
        """With the shipped harm lexicon (and, unless told not to, the shipped classifier)."""
        return cls(
            router=router,
            places=PlaceMatcher(gazetteer),
            lexicon=shipped_lexicon(),
            harm_model=shipped_harm_model() if harm_classifier else None,
        )

    def _harm(self, texts: Sequence[str]) -> list[tuple[float, bool, str, tuple[str, ...]]]:
        short = [i for i, t in enumerate(texts) if 0 < len(t.strip()) <= self.harm_max_chars]
        scores: dict[int, float] = {}
        if self.harm_model is not None and short:
            values = self.harm_model.score([texts[i] for i in short])
            scores = {i: float(v) for i, v in zip(short, values, strict=True)}
        out = []
        for index, text in enumerate(texts):
            hits = self.lexicon.scan(text) if self.lexicon is not None and text.strip() else []
            categories = tuple(dict.fromkeys(hit.category for hit in hits))
            if index in scores:
                score, source = scores[index], "classifier"
            else:
                score, source = 0.0, "lexicon"
            flagged = bool(hits) or score >= HARM_FLAG_THRESHOLD
            if hits:
                score = 1.0
            if score >= HARM_FLAG_THRESHOLD and not hits:
                categories = ("abuse",)
            out.append((round(score, 4), flagged, source, categories))
        return out

    def classify_many(self, texts: Sequence[str]) -> list[Classification]:
        if not texts:
            return []
        topics = self.router.predict(list(texts))
        harm = self._harm(texts)
        results = []
        for text, topic, (score, flagged, source, categories) in zip(
            texts, topics, harm, strict=True
        ):
            kind = classify_kind(text)
            unit_code, place_name, place_conf = place_confidence(self.places, text)
            results.append(
                Classification(
                    kind=kind.kind.value,
                    kind_confidence=round(float(kind.confidence), 4),
                    topic=topic.label,
                    topic_confidence=round(float(topic.confidence), 4),
                    topic_ranked=tuple((str(lb), float(s)) for lb, s in topic.ranked),
                    place_unit=unit_code,
                    place_name=place_name,
                    place_confidence=place_conf,
                    harm_score=score,
                    harm_flagged=flagged,
                    harm_source=source,
                    harm_categories=categories,
                    words=tuple(search_words(text)),
                )
            )
        return results

    def classify(self, text: str) -> Classification:
        return self.classify_many([text])[0]
