"""Measure the message routers on the shared research data (never shipped, never committed).

    .venv/bin/python bench/routing_split.py split --out /tmp/routing_split
        writes train.csv / test.csv: a stratified 80/20 split of routing.csv, seed 42, for
        `python -m govmatrix.textintel evaluate routing --train … --test …`
    .venv/bin/python bench/routing_split.py measure [--folds 5]
        the baseline and the learned router on that split and in 5-fold stratified CV
        (seed 42), and the keyword rules on all rows; last line one JSON object.

The data is read from ../shared/data/gov_messages/routing.csv relative to the project root.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "gov_messages" / "routing.csv"
SEED = 42


def _load() -> tuple[list[str], np.ndarray]:
    sys.path.insert(0, str(ROOT))
    from govmatrix.textintel.routing.evaluate import read_labelled_csv

    if not DATA.exists():
        raise SystemExit(f"{DATA} is absent: this benchmark needs the shared research data")
    data = read_labelled_csv(DATA)
    return data.texts, np.asarray(data.labels)


def _split(y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    from sklearn.model_selection import train_test_split

    index = np.arange(len(y))
    train, test = train_test_split(index, test_size=0.2, stratify=y, random_state=SEED)
    return train, test


def write_split(out: Path) -> None:
    import csv

    texts, y = _load()
    train, test = _split(y)
    out.mkdir(parents=True, exist_ok=True)
    for name, rows in (("train", train), ("test", test)):
        with (out / f"{name}.csv").open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["text", "label"])
            writer.writerows([texts[i], y[i]] for i in rows)
    print(f"wrote {out}/train.csv ({len(train)}) and {out}/test.csv ({len(test)})")


Method = Callable[[list[str], np.ndarray, list[str]], tuple[np.ndarray, np.ndarray | None]]


def _baseline(
    train_x: list[str], train_y: np.ndarray, test_x: list[str]
) -> tuple[np.ndarray, None]:
    """The 25-line floor: character 1–3-gram TF-IDF + LinearSVC, all defaults."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.svm import LinearSVC

    vectorizer = TfidfVectorizer(analyzer="char", ngram_range=(1, 3))
    model = LinearSVC().fit(vectorizer.fit_transform(train_x), train_y)
    return np.asarray(model.predict(vectorizer.transform(test_x))), None


def _router(
    train_x: list[str], train_y: np.ndarray, test_x: list[str]
) -> tuple[np.ndarray, np.ndarray]:
    """The learned router with its defaults; also returns the confidences."""
    from govmatrix.textintel.routing.model import Router

    router = Router().fit(train_x, list(train_y))
    predictions = router.predict(test_x)
    labels = np.array([p.label for p in predictions])
    return labels, np.array([p.confidence for p in predictions])


def _scores(y_true: np.ndarray, y_pred: np.ndarray) -> dict[str, float]:
    from sklearn.metrics import accuracy_score, f1_score

    return {
        "macro_f1": float(f1_score(y_true, y_pred, average="macro")),
        "accuracy": float(accuracy_score(y_true, y_pred)),
    }


def measure(folds: int) -> None:
    from sklearn.model_selection import StratifiedKFold

    texts, y = _load()
    results: dict[str, object] = {"n": len(y), "seed": SEED}
    methods: dict[str, Method] = {"baseline": _baseline, "router": _router}

    train, test = _split(y)
    for name, method in methods.items():
        started = time.perf_counter()
        predicted, confidence = method(
            [texts[i] for i in train], y[train], [texts[i] for i in test]
        )
        score = _scores(y[test], predicted)
        score["seconds"] = time.perf_counter() - started
        results[f"{name}_split"] = score
        print(f"80/20 {name}: {json.dumps(score)}", flush=True)
        if confidence is not None:
            right = predicted == y[test]
            for threshold in (0.5, 0.6, 0.8):
                kept = confidence >= threshold
                print(
                    f"  confidence >= {threshold}: {kept.mean():.1%} of messages routed, "
                    f"accuracy {right[kept].mean():.4f}; triage accuracy "
                    f"{right[~kept].mean() if (~kept).any() else float('nan'):.4f}",
                    flush=True,
                )

    splitter = StratifiedKFold(folds, shuffle=True, random_state=SEED)
    for name, method in methods.items():
        f1s, accs = [], []
        for k, (train, test) in enumerate(splitter.split(np.zeros(len(y)), y)):
            predicted, _ = method([texts[i] for i in train], y[train], [texts[i] for i in test])
            score = _scores(y[test], predicted)
            f1s.append(score["macro_f1"])
            accs.append(score["accuracy"])
            print(f"fold {k} {name}: {json.dumps(score)}", flush=True)
        results[f"{name}_cv"] = {
            "macro_f1_mean": float(np.mean(f1s)),
            "macro_f1_sd": float(np.std(f1s, ddof=1)),
            "accuracy_mean": float(np.mean(accs)),
            "accuracy_sd": float(np.std(accs, ddof=1)),
        }
        print(f"{folds}-fold {name}: {json.dumps(results[f'{name}_cv'])}", flush=True)

    from govmatrix.textintel.routing.rules import RuleRouter

    started = time.perf_counter()
    predictions = RuleRouter().predict(texts)
    rules = _scores(y, np.array([p.label for p in predictions]))
    rules["seconds"] = time.perf_counter() - started
    rules["no_keyword_share"] = float(np.mean([p.confidence == 0 for p in predictions]))
    results["rules_all_rows"] = rules
    print(f"rules on all rows: {json.dumps(rules)}", flush=True)
    print(json.dumps(results))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    commands = parser.add_subparsers(dest="command", required=True)
    split = commands.add_parser("split")
    split.add_argument("--out", type=Path, required=True)
    run = commands.add_parser("measure")
    run.add_argument("--folds", type=int, default=5)
    args = parser.parse_args()
    if args.command == "split":
        write_split(args.out)
    else:
        measure(args.folds)


if __name__ == "__main__":
    main()
