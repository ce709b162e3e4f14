"""Routing citizens' messages to the unit that can act, and telling what kind of message it is.

Plain Python, no Django: the command line and the benchmarks run without a database.

- `Router`: the learned router (`fit`, `predict`, `save`, `load`); see README.md here.
- `RuleRouter`, `default_router()`: the hand-written keyword router the product ships with.
- `classify_kind()`: complaint / inquiry / suggestion / praise / other.
- `PlaceMatcher`: which street or town a message mentions, from the district's gazetteer.
"""

from govmatrix.textintel.routing.kinds import KindResult, MessageKind, classify_kind
from govmatrix.textintel.routing.model import Router
from govmatrix.textintel.routing.normalize import normalize_text
from govmatrix.textintel.routing.places import PlaceMatch, PlaceMatcher
from govmatrix.textintel.routing.prediction import MessageRouter, Prediction
from govmatrix.textintel.routing.rules import KEYWORDS, RuleRouter, default_router

__all__ = [
    "KEYWORDS",
    "KindResult",
    "MessageKind",
    "MessageRouter",
    "PlaceMatch",
    "PlaceMatcher",
    "Prediction",
    "Router",
    "RuleRouter",
    "classify_kind",
    "default_router",
    "normalize_text",
]
