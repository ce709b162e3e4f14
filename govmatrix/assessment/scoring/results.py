"""What a scoring run gives back.

`Result` keeps the whole run as numpy arrays (accounts × indicators, accounts × dimensions), so
scoring 1,000 accounts does not build 20,000 Python objects. Per-account views
(`AccountResult`, with `IndicatorValue`, `DimensionScore`, `VetoHit`) are built on demand, and
`Result.to_dict()` gives a JSON-ready snapshot to freeze in the database.

In every array NaN means "no data" / "no score"; the dataclasses turn it into `None`.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from govmatrix.assessment.scoring.errors import ScoringError
from govmatrix.assessment.scoring.scheme import UNIT_METHODS, Scheme, VetoAction

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]


def _opt(value: float) -> float | None:
    return None if math.isnan(value) else float(value)


def any_per_row(flags: BoolArray) -> BoolArray:
    """True for each row with at least one true cell (also for zero columns)."""
    return np.asarray(flags.any(axis=1), dtype=np.bool_)


@dataclass(frozen=True)
class IndicatorStats:
    """The population an indicator was normalised against (transformed values with data)."""

    key: str
    count: int
    min: float | None
    max: float | None
    mean: float | None
    std: float | None


@dataclass(frozen=True)
class IndicatorValue:
    """One indicator of one account. `missing` means the metric(s) had no data.

    `weight` is the weight actually used inside the dimension (after re-weighting; 0 when the
    indicator was left out); `contribution` is its share of the total in points.
    """

    key: str
    dimension: str
    raw: float | None
    transformed: float | None
    normalised: float | None
    weight: float
    contribution: float | None
    missing: bool


@dataclass(frozen=True)
class DimensionScore:
    """`score` = Σ w·normalised inside the dimension (for BCI this is W1 / W2 as published)."""

    key: str
    score: float | None
    weight: float
    contribution: float | None
    missing: bool


@dataclass(frozen=True)
class VetoHit:
    key: str
    label_zh: str
    rule: str
    value: float
    action: VetoAction


@dataclass(frozen=True)
class Standing:
    """Where an account stands: enough to compare two quarters (see compare.py)."""

    account: str
    rank: int | None
    total: float | None
    vetoed: bool = False


@dataclass(frozen=True)
class AccountResult:
    account: str
    total: float | None
    score_before_veto: float | None
    rank: int | None
    vetoed: bool
    vetoes: tuple[VetoHit, ...]
    vetoes_unevaluated: tuple[str, ...]
    missing: tuple[str, ...]
    coverage: float
    dimensions: Mapping[str, DimensionScore] = field(hash=False)
    indicators: Mapping[str, IndicatorValue] = field(hash=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "account": self.account,
            "rank": self.rank,
            "total": self.total,
            "score_before_veto": self.score_before_veto,
            "vetoed": self.vetoed,
            "vetoes": [
                {"key": v.key, "rule": v.rule, "value": v.value, "action": v.action.to_dict()}
                for v in self.vetoes
            ],
            "vetoes_unevaluated": list(self.vetoes_unevaluated),
            "missing": list(self.missing),
            "coverage": self.coverage,
            "dimensions": {
                k: {"score": d.score, "weight": d.weight, "contribution": d.contribution,
                    "missing": d.missing}
                for k, d in self.dimensions.items()
            },
            "indicators": {
                k: {"raw": i.raw, "transformed": i.transformed, "normalised": i.normalised,
                    "weight": i.weight, "contribution": i.contribution, "missing": i.missing}
                for k, i in self.indicators.items()
            },
        }  # fmt: skip


@dataclass(frozen=True)
class UnitResult:
    unit: str
    score: float | None
    rank: int | None
    accounts: tuple[str, ...]
    scored_accounts: int
    vetoed_accounts: tuple[str, ...]


@dataclass(frozen=True, eq=False)
class Result:
    """A scoring run. Row r of every array is account `accounts[r]` (the input order)."""

    scheme: Scheme
    accounts: tuple[str, ...]
    raw: FloatArray
    transformed: FloatArray
    normalised: FloatArray
    missing: BoolArray
    weights: FloatArray
    contributions: FloatArray
    dimension_scores: FloatArray
    dimension_weights: FloatArray
    coverage: FloatArray
    score_before_veto: FloatArray
    totals: FloatArray
    veto_values: FloatArray
    veto_hits: BoolArray
    veto_unevaluated: BoolArray
    ranks: IntArray
    order: IntArray
    stats: tuple[IndicatorStats, ...]
    _index: dict[str, int] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._index.update({key: row for row, key in enumerate(self.accounts)})

    def __len__(self) -> int:
        return len(self.accounts)

    def __iter__(self) -> Iterator[AccountResult]:
        """Accounts in ranking order (ranked first, then unranked by account key)."""
        return (self._account(int(row)) for row in self.order)

    def __contains__(self, account: object) -> bool:
        return account in self._index

    def account(self, key: str) -> AccountResult:
        try:
            return self._account(self._index[key])
        except KeyError:
            raise KeyError(f"account {key!r} was not scored in this run") from None

    def ranking(self) -> list[AccountResult]:
        return list(self)

    def total(self, key: str) -> float | None:
        return _opt(self.totals[self._index[key]])

    def rank(self, key: str) -> int | None:
        rank = int(self.ranks[self._index[key]])
        return rank or None

    def vetoed(self, key: str) -> bool:
        return bool(self.veto_hits[self._index[key]].any())

    def standings(self) -> dict[str, Standing]:
        vetoed = any_per_row(self.veto_hits)
        return {
            self.accounts[row]: Standing(
                account=self.accounts[row],
                rank=int(self.ranks[row]) or None,
                total=_opt(self.totals[row]),
                vetoed=bool(vetoed[row]),
            )
            for row in map(int, self.order)
        }

    def units(self, unit_of: Mapping[str, str], *, method: str | None = None) -> list[UnitResult]:
        return aggregate_units(self, unit_of, method=method)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready snapshot of the whole run, in ranking order, to freeze."""
        return {
            "scheme": {
                "name": self.scheme.name,
                "version": self.scheme.version,
                "hash": self.scheme.content_hash,
            },
            "stats": {
                s.key: {"count": s.count, "min": s.min, "max": s.max, "mean": s.mean, "std": s.std}
                for s in self.stats
            },
            "accounts": [acc.to_dict() for acc in self],
        }

    def _account(self, row: int) -> AccountResult:
        scheme = self.scheme
        indicators = {
            ind.key: IndicatorValue(
                key=ind.key,
                dimension=ind.dimension,
                raw=_opt(self.raw[row, col]),
                transformed=_opt(self.transformed[row, col]),
                normalised=_opt(self.normalised[row, col]),
                weight=float(self.weights[row, col]),
                contribution=_opt(self.contributions[row, col]),
                missing=bool(self.missing[row, col]),
            )
            for col, ind in enumerate(scheme.indicators)
        }
        total = _opt(self.totals[row])
        dimensions = {}
        for col, dim in enumerate(scheme.dimensions):
            dim_score = _opt(self.dimension_scores[row, col])
            weight = float(self.dimension_weights[row, col])
            contribution = (
                None
                if dim_score is None or math.isnan(self.score_before_veto[row])
                else scheme.scale * weight * dim_score
            )
            dimensions[dim.key] = DimensionScore(
                key=dim.key, score=dim_score, weight=weight, contribution=contribution,
                missing=dim_score is None,
            )  # fmt: skip
        hits = tuple(
            VetoHit(
                key=veto.key,
                label_zh=veto.label_zh,
                rule=str(veto.rule),
                value=float(self.veto_values[row, col]),
                action=veto.action or scheme.veto_action,
            )
            for col, veto in enumerate(scheme.vetoes)
            if self.veto_hits[row, col]
        )
        rank = int(self.ranks[row])
        return AccountResult(
            account=self.accounts[row],
            total=total,
            score_before_veto=_opt(self.score_before_veto[row]),
            rank=rank or None,
            vetoed=bool(hits),
            vetoes=hits,
            vetoes_unevaluated=tuple(
                veto.key
                for col, veto in enumerate(scheme.vetoes)
                if self.veto_unevaluated[row, col]
            ),
            missing=tuple(
                ind.key for col, ind in enumerate(scheme.indicators) if self.missing[row, col]
            ),
            coverage=float(self.coverage[row]),
            dimensions=dimensions,
            indicators=indicators,
        )


def competition_ranks(
    totals: FloatArray,
    vetoed: BoolArray,
    accounts: tuple[str, ...],
    *,
    precision: int | None,
    vetoed_last: bool,
) -> tuple[IntArray, IntArray]:
    """Competition ranks ("1, 2, 2, 4"; 0 = unranked) and the display order.

    Accounts are compared on the total rounded to `precision` decimals (so two totals shown as
    the same number share a rank); with `vetoed_last` every vetoed account comes after every
    account without a veto. Inside a tie, and among unranked accounts, the order is by account
    key, so the output never depends on the input order.
    """
    n = len(accounts)
    ranks = np.zeros(n, dtype=np.int64)
    if n == 0:
        return ranks, np.zeros(0, dtype=np.int64)
    by_key = np.empty(n, dtype=np.int64)
    by_key[np.array(sorted(range(n), key=accounts.__getitem__), dtype=np.int64)] = np.arange(n)
    scored = ~np.isnan(totals)
    keyed = np.round(totals, precision) if precision is not None else totals.copy()
    group = vetoed.astype(np.int64) if vetoed_last else np.zeros(n, dtype=np.int64)
    # Unscored rows sort last: group 2, then by key.
    group = np.where(scored, group, 2)
    sort_score = np.where(scored, -keyed, 0.0)
    order = np.lexsort((by_key, sort_score, group))
    s_group = group[order]
    s_score = sort_score[order]
    starts = np.ones(n, dtype=bool)
    starts[1:] = (s_group[1:] != s_group[:-1]) | (s_score[1:] != s_score[:-1])
    positions = np.where(starts, np.arange(1, n + 1), 0)
    sorted_ranks = np.maximum.accumulate(positions)
    sorted_ranks[s_group == 2] = 0
    ranks[order] = sorted_ranks
    return ranks, order.astype(np.int64)


def _aggregate(values: FloatArray, method: str) -> float:
    if method == "mean":
        return float(np.mean(values))
    if method == "median":
        return float(np.median(values))
    if method == "max":
        return float(np.max(values))
    if method == "min":
        return float(np.min(values))
    return float(np.sum(values))


def aggregate_units(
    result: Result, unit_of: Mapping[str, str], *, method: str | None = None
) -> list[UnitResult]:
    """Per-unit scores: the `method` (default: the scheme's) over the unit's scored accounts.

    Unscored accounts are left out of the aggregate (a unit whose accounts are all unscored
    has no score). Vetoed accounts count with their post-veto total. Units are ranked with the
    same competition ranking and precision as accounts (no vetoed-last rule for units).
    """
    method = method or result.scheme.unit_aggregation
    if method not in UNIT_METHODS:
        raise ScoringError(
            {"method": f"未知的单位汇总方法 '{method}'；可选：{', '.join(UNIT_METHODS)}"}
        )
    lacking = [acc for acc in result.accounts if acc not in unit_of]
    if lacking:
        raise ScoringError({"unit_of": f"这些账号没有所属单位：{', '.join(sorted(lacking)[:20])}"})
    members: dict[str, list[int]] = {}
    for row, acc in enumerate(result.accounts):
        members.setdefault(unit_of[acc], []).append(row)
    vetoed = any_per_row(result.veto_hits)
    units = tuple(sorted(members))
    scores = np.full(len(units), np.nan)
    for col, unit in enumerate(units):
        values = result.totals[members[unit]]
        values = values[~np.isnan(values)]
        if values.size:
            scores[col] = _aggregate(values, method)
    ranks, order = competition_ranks(
        scores,
        np.zeros(len(units), dtype=bool),
        units,
        precision=result.scheme.ranking.precision,
        vetoed_last=False,
    )
    out = []
    for col in map(int, order):
        rows = members[units[col]]
        out.append(
            UnitResult(
                unit=units[col],
                score=_opt(scores[col]),
                rank=int(ranks[col]) or None,
                accounts=tuple(sorted(result.accounts[r] for r in rows)),
                scored_accounts=int((~np.isnan(result.totals[rows])).sum()),
                vetoed_accounts=tuple(sorted(result.accounts[r] for r in rows if vetoed[r])),
            )
        )
    return out
