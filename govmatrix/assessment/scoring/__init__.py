"""The pure scoring engine of the quarterly assessment (R1.5): plain Python and numpy, no Django.

    from govmatrix.assessment.scoring import Scheme, load_scheme, score

    scheme = load_scheme("four_dimensions")            # or Scheme.from_dict(stored_json)
    result = score(scheme, {"12": {"posts_original": 40, "messages_received": None, ...}})
    result.account("12").total, result.rank("12"), result.to_dict()

See README.md in this directory for the schemes, formulas, missing-data and tie rules.
"""

from govmatrix.assessment.scoring.compare import Comparison, RankChange, compare
from govmatrix.assessment.scoring.engine import Metrics, score
from govmatrix.assessment.scoring.errors import (
    MetricsError,
    QuarterError,
    SchemeError,
    ScoringError,
)
from govmatrix.assessment.scoring.metrics import METRICS, MetricSpec
from govmatrix.assessment.scoring.quarters import Quarter, parse_quarter, previous_quarter
from govmatrix.assessment.scoring.reference import score_reference
from govmatrix.assessment.scoring.results import (
    AccountResult,
    DimensionScore,
    IndicatorStats,
    IndicatorValue,
    Result,
    Standing,
    UnitResult,
    VetoHit,
    aggregate_units,
)
from govmatrix.assessment.scoring.scheme import (
    Dimension,
    Indicator,
    MissingRule,
    Normalisation,
    RankingRule,
    Scheme,
    VetoAction,
    VetoItem,
    VetoRule,
    parse_rule,
)
from govmatrix.assessment.scoring.schemes import (
    DEFAULT_SCHEME,
    SCHEME_NAMES,
    load_scheme,
    shipped_scheme_dicts,
)
from govmatrix.assessment.scoring.sensitivity import RankRange, rank_sensitivity

__all__ = [
    "DEFAULT_SCHEME",
    "METRICS",
    "SCHEME_NAMES",
    "AccountResult",
    "Comparison",
    "Dimension",
    "DimensionScore",
    "Indicator",
    "IndicatorStats",
    "IndicatorValue",
    "MetricSpec",
    "Metrics",
    "MetricsError",
    "MissingRule",
    "Normalisation",
    "Quarter",
    "QuarterError",
    "RankChange",
    "RankRange",
    "RankingRule",
    "Result",
    "Scheme",
    "SchemeError",
    "ScoringError",
    "Standing",
    "UnitResult",
    "VetoAction",
    "VetoHit",
    "VetoItem",
    "VetoRule",
    "aggregate_units",
    "compare",
    "load_scheme",
    "parse_quarter",
    "parse_rule",
    "previous_quarter",
    "rank_sensitivity",
    "score",
    "score_reference",
    "shipped_scheme_dicts",
]
