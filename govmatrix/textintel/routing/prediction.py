"""What every router returns, learned or rule-based."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Prediction:
    """The unit a message goes to.

    `confidence` is in 0..1; below the caller's threshold (see `needs_triage`) a person in the
    triage queue decides. `ranked` holds the best labels with their scores (probabilities
    for the learned router), best first, so a triage screen can offer the runners-up.
    """

    label: str
    confidence: float
    ranked: tuple[tuple[str, float], ...]

    def needs_triage(self, threshold: float = 0.6) -> bool:
        return self.confidence < threshold


class MessageRouter(Protocol):
    def predict(self, texts: Sequence[str]) -> list[Prediction]: ...
