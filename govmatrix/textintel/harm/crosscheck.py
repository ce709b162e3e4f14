"""Measure a trained model on another labelled set, e.g. ToxiCN (measure only, never train on it).

    python -m govmatrix.textintel.harm.crosscheck ../shared/data/toxicn_eval_only/ToxiCN_1.0.csv \\
        --text-column content --label-column toxic [--model PATH]

Prints one JSON object: accuracy, macro-F1, precision/recall of the offensive class, n.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from govmatrix.textintel.harm.evaluate import metrics
from govmatrix.textintel.harm.model import DEFAULT_MODEL_PATH, HarmModel


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("csv", type=Path)
    parser.add_argument("--text-column", default="text")
    parser.add_argument("--label-column", default="label")
    parser.add_argument("--model", type=Path, default=DEFAULT_MODEL_PATH)
    args = parser.parse_args(argv)
    if not args.csv.is_file():
        print(f"error: {args.csv}: no such file", file=sys.stderr)
        return 2
    texts: list[str] = []
    labels: list[int] = []
    with args.csv.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            texts.append(row[args.text_column])
            labels.append(int(row[args.label_column]))
    model = HarmModel.load(args.model)
    result: dict[str, object] = dict(metrics(labels, model.predict(texts).tolist()))
    result["n"] = len(texts)
    result["model"] = str(args.model)
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
