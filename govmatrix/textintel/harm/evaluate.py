"""`python -m govmatrix.textintel evaluate harm --train TRAIN.csv --test TEST.csv`.

Trains the offensive-language classifier (see model.py) on TRAIN and measures it on TEST;
also trains and measures the reference baseline (character 1–3-gram TF-IDF + linear SVM) in
the same run. Progress goes to stdout; the last line is one JSON object with accuracy,
macro_f1, precision/recall of the offensive class, n_train, n_test, seconds and the baseline's
figures. Bad input prints a clear error on stderr and returns 2.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Sequence
from typing import Any

import numpy as np

from govmatrix.textintel.harm.data import HarmDataError, read_labelled_csv
from govmatrix.textintel.harm.model import HarmModel

__all__ = ["baseline_predictions", "evaluate_main", "metrics"]


def metrics(truth: Sequence[int], predicted: Sequence[int]) -> dict[str, float]:
    from sklearn.metrics import accuracy_score, f1_score, precision_score, recall_score

    return {
        "accuracy": round(float(accuracy_score(truth, predicted)), 4),
        "macro_f1": round(float(f1_score(truth, predicted, average="macro", zero_division=0)), 4),
        "precision_offensive": round(
            float(precision_score(truth, predicted, pos_label=1, zero_division=0)), 4
        ),
        "recall_offensive": round(
            float(recall_score(truth, predicted, pos_label=1, zero_division=0)), 4
        ),
    }


def baseline_predictions(
    train_texts: Sequence[str], train_labels: Sequence[int], test_texts: Sequence[str]
) -> np.ndarray:
    """The reference floor: character 1–3-gram TF-IDF and a linear SVM."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.svm import LinearSVC

    vectorizer = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True)
    classifier = LinearSVC(C=1.0)
    classifier.fit(vectorizer.fit_transform(train_texts), np.asarray(train_labels))
    return np.asarray(classifier.predict(vectorizer.transform(test_texts)))


def evaluate_main(train_path: str, test_path: str, *, baseline: bool = True) -> int:
    started = time.perf_counter()
    try:
        train_texts, train_labels = read_labelled_csv(train_path)
        test_texts, test_labels = read_labelled_csv(test_path)
        if len(set(train_labels)) < 2:
            raise HarmDataError(f"{train_path}: training data needs both labels, 0 and 1")
    except HarmDataError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"training on {len(train_texts)} texts from {train_path}", flush=True)
    model = HarmModel.train(train_texts, train_labels)
    print(f"measuring on {len(test_texts)} texts from {test_path}", flush=True)
    predicted = model.predict(test_texts)
    result: dict[str, Any] = metrics(test_labels, predicted.tolist())
    result.update(
        {
            "n_train": len(train_texts),
            "n_test": len(test_texts),
            "model": "char 1-4 + word 1-2 TF-IDF, logistic regression",
            "seconds": round(time.perf_counter() - started, 2),
        }
    )
    if baseline:
        print("measuring the baseline (char 1-3 TF-IDF + linear SVM)", flush=True)
        base = metrics(
            test_labels, baseline_predictions(train_texts, train_labels, test_texts).tolist()
        )
        result["baseline_accuracy"] = base["accuracy"]
        result["baseline_macro_f1"] = base["macro_f1"]
        result["seconds_total"] = round(time.perf_counter() - started, 2)
    print(json.dumps(result, ensure_ascii=False), flush=True)
    return 0
