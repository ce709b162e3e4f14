"""Re-train the shipped classifier: `python -m govmatrix.textintel.harm.train A.csv [B.csv …]`.

Every CSV has the columns `text,label` (1 = offensive). The shipped model was built with

    python -m govmatrix.textintel.harm.train \\
        ../shared/data/cold/harm_train.csv ../shared/data/cold/harm_dev.csv

i.e. on COLD's train and dev parts together (Apache-2.0). Its licence notice lives beside it
in ``data/models/``; a model trained on other data must carry that data's licence.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from govmatrix.textintel.harm.data import HarmDataError, read_labelled_csv
from govmatrix.textintel.harm.model import DEFAULT_MODEL_PATH, HarmConfig, HarmModel

__all__ = ["main", "train_from_csvs"]


def train_from_csvs(
    paths: Sequence[str | Path],
    out: str | Path = DEFAULT_MODEL_PATH,
    config: HarmConfig | None = None,
) -> HarmModel:
    texts: list[str] = []
    labels: list[int] = []
    for path in paths:
        more_texts, more_labels = read_labelled_csv(path)
        texts += more_texts
        labels += more_labels
    model = HarmModel.train(
        texts, labels, config, meta={"trained_on": [Path(path).name for path in paths]}
    )
    model.save(out)
    return model


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("csv", nargs="+", help="CSV files with columns text,label")
    parser.add_argument("--out", type=Path, default=DEFAULT_MODEL_PATH)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        model = train_from_csvs(args.csv, args.out)
    except HarmDataError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    size = args.out.stat().st_size
    print(
        f"trained on {model.meta['n_train']} texts in {time.perf_counter() - started:.0f} s; "
        f"wrote {args.out} ({size / 1e6:.1f} MB, {model.coef.size} features)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
