"""The learned router: linear SVM on character and word TF-IDF, blended with nearest neighbours.

Features (all from `normalize_text`):
- character 1–3-grams of the whole message, sublinear tf, TF-IDF;
- jieba words of the whole message, sublinear tf, TF-IDF;
- jieba words of the title (text before the first "。"), at half weight.

A one-vs-rest `LinearSVC` with balanced class weights scores the classes; a cosine k-nearest-
neighbour vote over the same character+word vectors catches repeated complaints about the same
place or project. The two scores are put on one scale, added, and turned into probabilities
by a softmax whose temperature is fitted on out-of-fold scores of the training data, so that
`confidence` means something: low values go to the human triage queue.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.model_selection import KFold, StratifiedKFold
from sklearn.preprocessing import normalize
from sklearn.svm import LinearSVC

from govmatrix.textintel.routing.normalize import normalize_text, split_title, words
from govmatrix.textintel.routing.prediction import Prediction

FILE_FORMAT = "govmatrix.textintel.routing.Router"
FILE_VERSION = 1
_KNN_CHUNK = 512


def _tokens(tokens: list[str]) -> list[str]:
    """Analyzer for pre-tokenised documents (module level, so models pickle)."""
    return tokens


def _as_matrix(decision: np.ndarray) -> np.ndarray:
    """LinearSVC gives one column for two classes; make it one column per class."""
    if decision.ndim == 1:
        return np.column_stack([-decision, decision])
    return decision


def _softmax(scores: np.ndarray) -> np.ndarray:
    shifted = scores - scores.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=1, keepdims=True)


class _Documents:
    """A batch of messages, normalised and tokenised once."""

    def __init__(self, texts: Sequence[str]) -> None:
        self.text = [normalize_text(t) for t in texts]
        self.words = [words(t) for t in self.text]
        self.title_words = [words(split_title(t)[0]) for t in self.text]


class Router:
    """Learned router. `fit` on labelled messages, then `predict`; `save`/`load` a file.

    The file is a joblib pickle: load only files this project wrote (like any pickle, a
    crafted file runs code when loaded).
    """

    def __init__(
        self,
        *,
        c: float = 1.0,
        char_min_df: int = 2,
        title_weight: float = 0.5,
        knn_k: int = 10,
        knn_weight: float = 0.7,
        calibration_folds: int = 3,
        top_k: int = 3,
        random_state: int = 0,
    ) -> None:
        self.c = c
        self.char_min_df = char_min_df
        self.title_weight = title_weight
        self.knn_k = knn_k
        self.knn_weight = knn_weight
        self.calibration_folds = calibration_folds
        self.top_k = top_k
        self.random_state = random_state
        self.classes_: np.ndarray = np.array([], dtype=object)
        self._char: TfidfVectorizer | None = None
        self._word: TfidfVectorizer | None = None
        self._title: TfidfVectorizer | None = None
        self._svm: LinearSVC | None = None
        self._memory: sp.csr_matrix | None = None
        self._memory_labels: np.ndarray = np.array([], dtype=np.int64)
        self._svm_scale = 1.0
        self._knn_scale = 1.0
        self.temperature = 1.0
        self.n_train = 0

    # ----------------------------------------------------------------- features

    def _vectors(self, docs: _Documents, *, fit: bool) -> tuple[sp.csr_matrix, sp.csr_matrix]:
        """(features for the SVM, L2-normalised vectors for the neighbour vote)."""
        if fit:
            self._char = TfidfVectorizer(
                analyzer="char",
                ngram_range=(1, 3),
                sublinear_tf=True,
                # Rare n-grams are mostly names and typos; a small set keeps all of them.
                min_df=self.char_min_df if len(docs.text) >= 100 else 1,
                dtype=np.float32,
            )
            self._word = TfidfVectorizer(analyzer=_tokens, sublinear_tf=True, dtype=np.float32)
            self._title = TfidfVectorizer(analyzer=_tokens, sublinear_tf=True, dtype=np.float32)
            if not any(docs.text):
                raise ValueError("no training message has any text")
            char = self._char.fit_transform(docs.text)
            word = self._word.fit_transform(docs.words)
            if any(docs.title_words):
                title = self._title.fit_transform(docs.title_words)
            else:  # no message in the training set has a title
                self._title = None
        else:
            assert self._char is not None and self._word is not None
            char = self._char.transform(docs.text)
            word = self._word.transform(docs.words)
            if self._title is not None:
                title = self._title.transform(docs.title_words)
        blocks = [char, word]
        if self._title is not None:
            blocks.append(title * self.title_weight)
        svm_x = sp.hstack(blocks, format="csr")
        knn_x = normalize(sp.hstack([char, word], format="csr"))
        return svm_x, knn_x

    def _knn_scores(
        self, query: sp.csr_matrix, memory: sp.csr_matrix, memory_labels: np.ndarray
    ) -> np.ndarray:
        """Per class, the sum of squared cosine similarities among the k nearest messages."""
        n_classes = len(self.classes_)
        out = np.zeros((query.shape[0], n_classes))
        k = min(self.knn_k, memory.shape[0])
        if k == 0:
            return out
        memory_t = memory.T.tocsc()
        for start in range(0, query.shape[0], _KNN_CHUNK):
            sims = (query[start : start + _KNN_CHUNK] @ memory_t).toarray()
            top = np.argpartition(-sims, k - 1, axis=1)[:, :k]
            top_sims = np.take_along_axis(sims, top, axis=1)
            rows = np.repeat(np.arange(sims.shape[0]), k)
            np.add.at(
                out[start : start + sims.shape[0]],
                (rows, memory_labels[top].ravel()),
                (top_sims**2).ravel(),
            )
        return out

    def _fit_svm(self, x: sp.csr_matrix, y: np.ndarray) -> LinearSVC:
        svm = LinearSVC(C=self.c, class_weight="balanced", random_state=self.random_state)
        return svm.fit(x, y)

    # ---------------------------------------------------------------- training

    def fit(self, texts: Sequence[str], labels: Sequence[str]) -> Router:
        if len(texts) != len(labels):
            raise ValueError(f"{len(texts)} texts but {len(labels)} labels")
        self.classes_, y = np.unique(
            np.asarray([str(label) for label in labels]), return_inverse=True
        )
        if len(self.classes_) < 2:
            raise ValueError("a router needs messages of at least two labels to learn from")
        docs = _Documents(texts)
        svm_x, knn_x = self._vectors(docs, fit=True)
        self.n_train = len(y)
        self._calibrate(svm_x, knn_x, y)
        self._svm = self._fit_svm(svm_x, y)
        self._memory = knn_x
        self._memory_labels = y
        return self

    def _calibrate(self, svm_x: sp.csr_matrix, knn_x: sp.csr_matrix, y: np.ndarray) -> None:
        """Scale the two scores alike and fit the softmax temperature on out-of-fold scores.

        The vectorisers are fitted on all training messages (their IDF sees the held-out
        fold); the SVM and the neighbour memory are not. Too few messages: keep defaults.
        """
        counts = np.bincount(y)
        folds = self.calibration_folds
        if len(y) < 10 * folds or folds < 2:
            return
        splitter: StratifiedKFold | KFold
        if counts.min() >= folds:
            splitter = StratifiedKFold(folds, shuffle=True, random_state=self.random_state)
        else:
            splitter = KFold(folds, shuffle=True, random_state=self.random_state)
        svm_oof = np.zeros((len(y), len(self.classes_)))
        knn_oof = np.zeros_like(svm_oof)
        for train, held in splitter.split(svm_x, y):
            present = np.unique(y[train])
            if len(present) < 2:
                return
            svm = self._fit_svm(svm_x[train], y[train])
            svm_oof[np.ix_(held, present)] = _as_matrix(svm.decision_function(svm_x[held]))
            if len(present) < len(self.classes_):  # a class absent from this fold
                missing = np.setdiff1d(np.arange(len(self.classes_)), present)
                svm_oof[np.ix_(held, missing)] = svm_oof[held][:, present].min() - 1.0
            knn_oof[held] = self._knn_scores(knn_x[held], knn_x[train], y[train])
        self._svm_scale = float(svm_oof.std()) or 1.0
        self._knn_scale = float(knn_oof.std()) or 1.0
        blended = self._blend(svm_oof, knn_oof)
        self.temperature = _fit_temperature(blended, y)

    # -------------------------------------------------------------- prediction

    def _blend(self, svm_scores: np.ndarray, knn_scores: np.ndarray) -> np.ndarray:
        return svm_scores / self._svm_scale + self.knn_weight * knn_scores / self._knn_scale

    def decision_function(self, texts: Sequence[str]) -> np.ndarray:
        if self._svm is None or self._memory is None:
            raise RuntimeError("the router is not trained: call fit() or Router.load()")
        svm_x, knn_x = self._vectors(_Documents(texts), fit=False)
        svm_scores = _as_matrix(self._svm.decision_function(svm_x))
        knn_scores = self._knn_scores(knn_x, self._memory, self._memory_labels)
        return self._blend(svm_scores, knn_scores)

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Probabilities per message, columns in the order of `classes_`."""
        if len(texts) == 0:
            return np.zeros((0, len(self.classes_)))
        return _softmax(self.decision_function(texts) / self.temperature)

    def predict(self, texts: Sequence[str]) -> list[Prediction]:
        proba = self.predict_proba(texts)
        out = []
        for row in proba:
            order = np.argsort(-row)[: self.top_k]
            ranked = tuple((str(self.classes_[i]), round(float(row[i]), 4)) for i in order)
            out.append(
                Prediction(label=ranked[0][0], confidence=float(row[order[0]]), ranked=ranked)
            )
        return out

    # ------------------------------------------------------------- persistence

    def save(self, path: str | Path) -> None:
        import joblib

        if self._svm is None:
            raise RuntimeError("nothing to save: the router is not trained")
        payload: dict[str, Any] = {"format": FILE_FORMAT, "version": FILE_VERSION, "router": self}
        joblib.dump(payload, Path(path), compress=3)

    @classmethod
    def load(cls, path: str | Path) -> Router:
        import joblib

        payload = joblib.load(Path(path))
        if (
            not isinstance(payload, dict)
            or payload.get("format") != FILE_FORMAT
            or payload.get("version") != FILE_VERSION
            or not isinstance(payload.get("router"), cls)
        ):
            raise ValueError(f"{path} is not a GovMatrix router file (version {FILE_VERSION})")
        router: Router = payload["router"]
        return router


def _fit_temperature(scores: np.ndarray, y: np.ndarray) -> float:
    """The softmax temperature with the least negative log-likelihood (a 1-D grid search)."""
    best_t, best_nll = 1.0, math.inf
    rows = np.arange(len(y))
    for t in np.exp(np.linspace(math.log(0.02), math.log(20.0), 121)):
        proba = _softmax(scores / t)
        nll = float(-np.log(np.clip(proba[rows, y], 1e-12, None)).mean())
        if nll < best_nll:
            best_t, best_nll = float(t), nll
    return best_t
