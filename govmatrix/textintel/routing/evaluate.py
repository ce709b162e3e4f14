"""`python -m govmatrix.textintel evaluate routing --train TRAIN.csv --test TEST.csv`.

Trains the learned router on TRAIN, predicts TEST and prints progress; the last line printed
is one JSON object: macro_f1, accuracy, n_train, n_test, seconds, per-class F1 and how many
test messages fall under the triage threshold. Bad input (no such file, not UTF-8, no
`text`/`label` columns, no rows) prints a clear error on stderr and returns 2.
"""

from __future__ import annotations

import csv
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path

TRIAGE_THRESHOLD = 0.6


class DataError(ValueError):
    """The CSV cannot be used; the message says why, for a person."""


@dataclass(frozen=True)
class Labelled:
    texts: list[str]
    labels: list[str]
    skipped: int


def read_labelled_csv(path: str | Path) -> Labelled:
    """Rows of a `text,label` CSV: BOM, blank lines and extra columns are fine.

    Rows whose text or label is empty are skipped and counted. Raises `DataError`.
    """
    path = Path(path)
    csv.field_size_limit(2**31 - 1)
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            header = next((row for row in reader if any(cell.strip() for cell in row)), None)
            if header is None:
                raise DataError(f"{path}: the file is empty")
            names = [cell.strip().lower() for cell in header]
            missing = [c for c in ("text", "label") if c not in names]
            if missing:
                raise DataError(
                    f"{path}: no {' and no '.join(repr(c) for c in missing)} column "
                    f"(the header is {header!r}; the columns must be text,label)"
                )
            text_at, label_at = names.index("text"), names.index("label")
            texts: list[str] = []
            labels: list[str] = []
            skipped = 0
            for row in reader:
                if not any(cell.strip() for cell in row):
                    continue
                text = row[text_at].strip() if text_at < len(row) else ""
                label = row[label_at].strip() if label_at < len(row) else ""
                if text and label:
                    texts.append(text)
                    labels.append(label)
                else:
                    skipped += 1
    except FileNotFoundError:
        raise DataError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise DataError(f"{path}: is a directory, not a CSV file") from None
    except UnicodeDecodeError as exc:
        raise DataError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except csv.Error as exc:
        raise DataError(f"{path}: not a readable CSV file ({exc})") from None
    if not texts:
        raise DataError(f"{path}: no rows with both a text and a label")
    return Labelled(texts=texts, labels=labels, skipped=skipped)


def _say(message: str) -> None:
    print(message, flush=True)


def evaluate_main(*, train_path: str | Path, test_path: str | Path) -> int:
    started = time.perf_counter()
    try:
        train = read_labelled_csv(train_path)
        test = read_labelled_csv(test_path)
        if len(set(train.labels)) < 2:
            raise DataError(f"{train_path}: the training rows need at least two labels")
    except DataError as exc:
        print(f"error: {exc}", file=sys.stderr, flush=True)
        return 2

    from sklearn.metrics import accuracy_score, f1_score

    from govmatrix.textintel.routing.model import Router

    for name, data in (("train", train), ("test", test)):
        note = f" ({data.skipped} rows without text or label skipped)" if data.skipped else ""
        _say(f"{name}: {len(data.texts)} messages, {len(set(data.labels))} labels{note}")
    _say("training the router (char + word TF-IDF, linear SVM, nearest neighbours)…")
    router = Router().fit(train.texts, train.labels)
    trained = time.perf_counter()
    _say(f"trained in {trained - started:.1f}s; predicting {len(test.texts)} messages…")
    predictions = router.predict(test.texts)
    predicted = [p.label for p in predictions]
    labels = sorted(set(test.labels) | set(predicted))
    per_class = f1_score(test.labels, predicted, labels=labels, average=None, zero_division=0)
    triage = sum(p.confidence < TRIAGE_THRESHOLD for p in predictions)
    result = {
        "task": "routing",
        "macro_f1": round(
            float(f1_score(test.labels, predicted, average="macro", zero_division=0)), 4
        ),
        "accuracy": round(float(accuracy_score(test.labels, predicted)), 4),
        "n_train": len(train.texts),
        "n_test": len(test.texts),
        "seconds": round(time.perf_counter() - started, 1),
        "per_class_f1": {
            label: round(float(f), 4) for label, f in zip(labels, per_class, strict=True)
        },
        "triage_threshold": TRIAGE_THRESHOLD,
        "triage_share": round(triage / len(predictions), 4),
    }
    _say(json.dumps(result, ensure_ascii=False))
    return 0
