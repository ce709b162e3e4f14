"""`python -m govmatrix.textintel`: evaluate the router and the harm classifier, screen text.

    evaluate routing --train TRAIN.csv --test TEST.csv
    evaluate harm --train TRAIN.csv --test TEST.csv
    screen < texts.txt

The CSV files have the columns `text,label`. An evaluation prints its progress, and its last
line is one JSON object with at least macro_f1, accuracy, n_train, n_test and seconds.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m govmatrix.textintel",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True)
    evaluate = commands.add_parser("evaluate", help="train on one CSV, measure on another")
    evaluate.add_argument("task", choices=["routing", "harm"])
    evaluate.add_argument("--train", required=True, help="CSV with columns text,label")
    evaluate.add_argument("--test", required=True, help="CSV with columns text,label")
    commands.add_parser(
        "screen", help="screen one text per line of stdin; one JSON object per line out"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "evaluate" and args.task == "routing":
        from govmatrix.textintel.routing.evaluate import evaluate_main as evaluate_routing

        return evaluate_routing(train_path=args.train, test_path=args.test)
    if args.command == "evaluate" and args.task == "harm":
        from govmatrix.textintel.harm.evaluate import evaluate_main as evaluate_harm

        return evaluate_harm(train_path=args.train, test_path=args.test)
    from govmatrix.textintel.screening.cli import screen_main

    return screen_main()
