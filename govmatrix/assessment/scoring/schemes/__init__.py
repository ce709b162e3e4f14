"""The schemes shipped with GovMatrix, as plain dicts (the same shape as their JSON form).

load_scheme("four_dimensions")   → a validated Scheme
shipped_scheme_dicts()           → {name: dict}, e.g. to seed the database
"""

from __future__ import annotations

import copy
from typing import Any, Final

from govmatrix.assessment.scoring.scheme import Scheme
from govmatrix.assessment.scoring.schemes import four_dimensions, gsdata_bci, people_daily

DEFAULT_SCHEME: Final = "four_dimensions"

_DICTS: Final[dict[str, dict[str, Any]]] = {
    "four_dimensions": four_dimensions.SCHEME,
    "gsdata_bci": gsdata_bci.SCHEME,
    "gsdata_bci_simple": gsdata_bci.SIMPLE_SCHEME,
    "people_daily": people_daily.SCHEME,
    "people_daily_published": people_daily.PUBLISHED_SCHEME,
}

SCHEME_NAMES: Final = tuple(_DICTS)


def shipped_scheme_dicts() -> dict[str, dict[str, Any]]:
    """Deep copies of the shipped scheme dicts, safe to change."""
    return copy.deepcopy(_DICTS)


def load_scheme(name: str = DEFAULT_SCHEME) -> Scheme:
    try:
        data = _DICTS[name]
    except KeyError:
        raise KeyError(f"no shipped scheme {name!r}; shipped: {', '.join(SCHEME_NAMES)}") from None
    return Scheme.from_dict(data)
