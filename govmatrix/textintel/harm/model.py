"""The offensive-language classifier: TF-IDF character and word n-grams, logistic regression.

Features: character 1–4-grams and jieba word 1–2-grams of the NFKC-folded, lower-cased text,
each TF-IDF weighted (sublinear tf, n-grams seen in at least three training texts), side by
side; a logistic regression on top gives `score(texts)`, the probability that a text is
offensive. Features made only of ordinary complaint vocabulary (our list
``data/lexicons/govmatrix/complaint_words.txt``: 打人, 暴力执法, 拆迁 …) get no weight: COLD was
collected around such topics and labels most texts with them offensive, which would make the
classifier flag citizens who report violence instead of people who are abusive. `HarmModel.save` writes a single compressed ``.npz`` of plain arrays (vocabularies,
idf weights, coefficients): no pickle, so loading a model file runs no code.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

__all__ = ["DEFAULT_MODEL_PATH", "HarmConfig", "HarmModel", "load_default_model", "prepare"]

DEFAULT_MODEL_PATH = Path(__file__).resolve().parent.parent / "data" / "models" / "harm_cold_lr.npz"
FORMAT = "govmatrix-harm-v1"


def prepare(text: str) -> str:
    """NFKC (full-width → half-width) and lower-case; punctuation is kept, it carries tone."""
    return unicodedata.normalize("NFKC", text).lower()


_tokenizer: Any = None


def _words(text: str) -> list[str]:
    global _tokenizer
    if _tokenizer is None:
        import logging

        import jieba

        jieba.setLogLevel(logging.WARNING)
        _tokenizer = jieba.Tokenizer()
        _tokenizer.initialize()
    return [word for word in _tokenizer.lcut(text) if word.strip()]


COMPLAINT_WORDS_PATH = (
    Path(__file__).resolve().parent.parent
    / "data"
    / "lexicons"
    / "govmatrix"
    / "complaint_words.txt"
)


def complaint_words(path: Path = COMPLAINT_WORDS_PATH) -> tuple[str, ...]:
    """Our list of ordinary complaint vocabulary (打人, 暴力执法, 拆迁 …)."""
    if not path.exists():
        return ()
    with path.open(encoding="utf-8") as handle:
        words = (line.strip() for line in handle)
        return tuple(prepare(word) for word in words if word and not word.startswith("#"))


@dataclass(frozen=True)
class HarmConfig:
    char_ngrams: tuple[int, int] = (1, 4)
    word_ngrams: tuple[int, int] = (1, 2)
    min_df: int = 3
    C: float = 10.0
    max_iter: int = 3000
    #: Words that get no weight: word n-grams containing one, and character n-grams of two or
    #: more characters inside one. Default: `complaint_words()`.
    neutral_terms: tuple[str, ...] | None = None


def neutral_mask(chars: Any, words: Any, neutral: Sequence[str]) -> np.ndarray:
    """1 for every feature the classifier may use, 0 for the neutral ones."""
    char_vocabulary: dict[str, int] = chars.vocabulary_
    word_vocabulary: dict[str, int] = words.vocabulary_
    mask = np.ones(len(char_vocabulary) + len(word_vocabulary), dtype=np.float32)
    if not neutral:
        return mask
    joined = "\n".join(neutral)
    for gram, index in char_vocabulary.items():
        if len(gram) >= 2 and "\n" not in gram and gram in joined:
            mask[index] = 0.0
    neutral_set = set(neutral)
    offset = len(char_vocabulary)
    for gram, index in word_vocabulary.items():
        if any(part in neutral_set for part in gram.split(" ")):
            mask[offset + index] = 0.0
    return mask


def _vectorizers(config: HarmConfig) -> tuple[Any, Any]:
    from sklearn.feature_extraction.text import TfidfVectorizer

    chars = TfidfVectorizer(
        analyzer="char",
        ngram_range=config.char_ngrams,
        sublinear_tf=True,
        min_df=config.min_df,
        lowercase=False,
        dtype=np.float32,
    )
    words = TfidfVectorizer(
        tokenizer=_words,
        token_pattern=None,
        lowercase=False,
        ngram_range=config.word_ngrams,
        sublinear_tf=True,
        min_df=config.min_df,
        dtype=np.float32,
    )
    return chars, words


@dataclass
class HarmModel:
    config: HarmConfig
    chars: Any
    words: Any
    coef: np.ndarray
    intercept: float
    meta: dict[str, Any] = field(default_factory=dict)

    # --- training -------------------------------------------------------------------
    @classmethod
    def train(
        cls,
        texts: Sequence[str],
        labels: Sequence[int],
        config: HarmConfig | None = None,
        meta: dict[str, Any] | None = None,
    ) -> HarmModel:
        from sklearn.linear_model import LogisticRegression

        config = config or HarmConfig()
        y = np.asarray(labels, dtype=np.int64)
        if len(set(y.tolist())) < 2:
            raise ValueError("training data needs both labels, 0 and 1")
        prepared = [prepare(text) for text in texts]
        chars, words = _vectorizers(config)
        features = sp.hstack(
            [chars.fit_transform(prepared), words.fit_transform(prepared)], format="csr"
        )
        neutral = complaint_words() if config.neutral_terms is None else config.neutral_terms
        mask = neutral_mask(chars, words, neutral)
        classifier = LogisticRegression(C=config.C, max_iter=config.max_iter)
        classifier.fit(features @ sp.diags(mask), y)
        return cls(
            config=config,
            chars=chars,
            words=words,
            coef=(classifier.coef_.ravel() * mask).astype(np.float32),
            intercept=float(classifier.intercept_[0]),
            meta=dict(meta or {}, n_train=len(y), neutral_features=int((mask == 0).sum())),
        )

    # --- scoring --------------------------------------------------------------------
    def features(self, texts: Sequence[str]) -> sp.csr_matrix:
        prepared = [prepare(text) for text in texts]
        return sp.hstack(
            [self.chars.transform(prepared), self.words.transform(prepared)], format="csr"
        )

    def decision(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros(0, dtype=np.float64)
        return np.asarray(self.features(texts) @ self.coef, dtype=np.float64) + self.intercept

    def score(self, texts: Sequence[str]) -> np.ndarray:
        """Probability that each text is offensive."""
        return 1.0 / (1.0 + np.exp(-self.decision(texts)))

    def predict(self, texts: Sequence[str]) -> np.ndarray:
        return (self.decision(texts) > 0).astype(np.int64)

    # --- persistence ----------------------------------------------------------------
    def save(self, path: str | Path) -> None:
        def vocabulary(vectorizer: Any) -> np.ndarray:
            terms = sorted(vectorizer.vocabulary_, key=vectorizer.vocabulary_.__getitem__)
            return np.array(terms, dtype=np.str_)

        header = {
            "format": FORMAT,
            "config": {
                "char_ngrams": list(self.config.char_ngrams),
                "word_ngrams": list(self.config.word_ngrams),
                "min_df": self.config.min_df,
                "C": self.config.C,
                "max_iter": self.config.max_iter,
            },
            "intercept": self.intercept,
            "meta": self.meta,
        }
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        with open(path, "wb") as handle:
            np.savez_compressed(
                handle,
                header=np.array(json.dumps(header, ensure_ascii=False)),
                char_vocab=vocabulary(self.chars),
                char_idf=self.chars.idf_.astype(np.float32),
                word_vocab=vocabulary(self.words),
                word_idf=self.words.idf_.astype(np.float32),
                coef=self.coef.astype(np.float32),
            )

    @classmethod
    def load(cls, path: str | Path) -> HarmModel:
        with np.load(path, allow_pickle=False) as data:
            header = json.loads(str(data["header"]))
            if header.get("format") != FORMAT:
                raise ValueError(f"{path}: not a {FORMAT} model file")
            raw = header["config"]
            config = HarmConfig(
                char_ngrams=(int(raw["char_ngrams"][0]), int(raw["char_ngrams"][1])),
                word_ngrams=(int(raw["word_ngrams"][0]), int(raw["word_ngrams"][1])),
                min_df=int(raw["min_df"]),
                C=float(raw["C"]),
                max_iter=int(raw["max_iter"]),
            )
            chars, words = _vectorizers(config)
            for vectorizer, vocab_key, idf_key in (
                (chars, "char_vocab", "char_idf"),
                (words, "word_vocab", "word_idf"),
            ):
                vectorizer.vocabulary_ = {
                    str(term): index for index, term in enumerate(data[vocab_key])
                }
                vectorizer.idf_ = data[idf_key].astype(np.float64)
            return cls(
                config=config,
                chars=chars,
                words=words,
                coef=data["coef"].astype(np.float32),
                intercept=float(header["intercept"]),
                meta=dict(header.get("meta", {})),
            )


_default: HarmModel | None = None


def load_default_model() -> HarmModel:
    """The shipped model (trained on COLD), loaded once."""
    global _default
    if _default is None:
        _default = HarmModel.load(DEFAULT_MODEL_PATH)
    return _default
