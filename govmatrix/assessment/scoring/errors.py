"""The errors of the scoring engine. Each one says exactly which field or value is wrong.

`errors` has the same shape as `govmatrix.core.errors.ValidationFailed.errors` (field path →
message), so the Django side can turn one into the other without parsing text. The engine
itself imports nothing from Django.
"""

from __future__ import annotations

from collections.abc import Mapping


class ScoringError(ValueError):
    """Input the scoring engine refuses. `errors` maps a field path to what is wrong with it."""

    def __init__(self, errors: Mapping[str, str], message: str = "") -> None:
        self.errors = dict(errors)
        summary = message or "；".join(f"{field}: {text}" for field, text in self.errors.items())
        super().__init__(summary)
        self.message = summary


class SchemeError(ScoringError):
    """A scheme that does not validate (bad weights, unknown metric, unknown method, …)."""


class MetricsError(ScoringError):
    """Metric values that cannot be scored (not a number, infinite, negative under a logarithm)."""


class QuarterError(ScoringError):
    """A quarter label that is not of the form YYYYQn."""
