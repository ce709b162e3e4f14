"""The learned router on the real message board (shared research data; skipped where absent)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from govmatrix.textintel.routing import Router, RuleRouter
from govmatrix.textintel.routing.evaluate import read_labelled_csv

ROOT = Path(__file__).resolve().parents[3]
ROUTING = ROOT.parent / "shared" / "data" / "gov_messages" / "routing.csv"

# Measured on the seed-42 stratified 80/20 split (see README.md): router 0.907, the plain
# char-TF-IDF + LinearSVC baseline 0.893, the keyword rules 0.80 on all rows. The floors sit
# a little under the router and above the baseline, so a regression to baseline fails.
ROUTER_FLOOR = 0.90
RULES_FLOOR = 0.78


@pytest.fixture(scope="module")
def board() -> tuple[list[str], np.ndarray]:
    if not ROUTING.exists():
        pytest.skip(f"shared data absent: {ROUTING} (measured in bench/routing_split.py)")
    data = read_labelled_csv(ROUTING)
    return data.texts, np.asarray(data.labels)


def test_the_router_beats_the_floor_on_unseen_messages_of_the_board(board) -> None:
    from sklearn.metrics import f1_score
    from sklearn.model_selection import train_test_split

    texts, y = board
    train, test = train_test_split(np.arange(len(y)), test_size=0.2, stratify=y, random_state=42)
    router = Router().fit([texts[i] for i in train], list(y[train]))
    predictions = router.predict([texts[i] for i in test])
    predicted = [p.label for p in predictions]
    assert f1_score(y[test], predicted, average="macro") >= ROUTER_FLOOR
    # Confidence means something: the confident messages are routed better than the rest.
    confident = np.array([p.confidence >= 0.6 for p in predictions])
    right = np.array(predicted) == y[test]
    assert right[confident].mean() > right[~confident].mean() + 0.2


def test_the_keyword_rules_route_most_of_the_board(board) -> None:
    from sklearn.metrics import f1_score

    texts, y = board
    predicted = [p.label for p in RuleRouter().predict(texts)]
    assert f1_score(y, predicted, average="macro") >= RULES_FLOOR
