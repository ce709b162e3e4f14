"""`score()`: the vectorised scoring engine (numpy; one column operation per indicator).

The steps, for accounts × indicators at once:

1. Read every metric the scheme uses into one float matrix; `None`, a missing key or NaN
   becomes NaN ("no data"). Non-numbers and ±inf are refused (MetricsError).
2. Per indicator: combine its metric(s) (a `ratio` with a zero denominator is no data),
   transform, and normalise against the accounts that have data.
3. Apply the scheme's missing-data rule (reweight / worst / no_score), compute dimension
   scores, coverage and the total.
4. Evaluate the veto rules (a rule on a metric with no data is "unevaluated", not a hit) and
   apply their actions; rank with competition ranking.

`govmatrix.assessment.scoring.reference.score_reference` computes the same thing with plain
Python loops; the tests hold the two paths to the same answers.
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping
from decimal import Decimal

import numpy as np

from govmatrix.assessment.scoring.errors import MetricsError
from govmatrix.assessment.scoring.results import (
    BoolArray,
    FloatArray,
    IndicatorStats,
    Result,
    any_per_row,
    competition_ranks,
)
from govmatrix.assessment.scoring.scheme import Indicator, Normalisation, Scheme

Metrics = Mapping[str, Mapping[str, float | int | bool | Decimal | None]]

ON_CONSTANT_VALUE = {"mid": 0.5, "full": 1.0, "zero": 0.0}
_FAST_TYPES = (float, int, bool)


def score(scheme: Scheme, metrics: Metrics) -> Result:
    """Score every account of `metrics` ({account: {metric: value or None}}) with `scheme`."""
    accounts = tuple(metrics)
    names = scheme.metric_names
    matrix = read_metrics(accounts, metrics, names)
    column = {name: matrix[:, c] for c, name in enumerate(names)}

    n, k = len(accounts), len(scheme.indicators)
    raw = np.full((n, k), np.nan)
    transformed = np.full((n, k), np.nan)
    normalised = np.full((n, k), np.nan)
    stats = []
    for col, ind in enumerate(scheme.indicators):
        raw[:, col] = _combine(ind, column)
        transformed[:, col] = _transform(ind, raw[:, col], accounts)
        normalised[:, col], stat = _normalise(ind.key, ind.normalisation, ind.direction,
                                              transformed[:, col])  # fmt: skip
        stats.append(stat)
    missing = np.isnan(normalised)

    normalised, weights, contributions, dim_scores, dim_weights, coverage, before = _aggregate(
        scheme, normalised, missing
    )

    veto_values = np.full((n, len(scheme.vetoes)), np.nan)
    hits = np.zeros((n, len(scheme.vetoes)), dtype=bool)
    for col, veto in enumerate(scheme.vetoes):
        values = column[veto.rule.metric]
        veto_values[:, col] = values
        hits[:, col] = _holds(values, veto.rule.op, veto.rule.value)
    unevaluated = np.isnan(veto_values)
    totals = apply_vetoes(scheme, before, hits)

    vetoed = any_per_row(hits)
    ranks, order = competition_ranks(
        totals,
        vetoed,
        accounts,
        precision=scheme.ranking.precision,
        vetoed_last=scheme.ranking.vetoed_last,
    )
    return Result(
        scheme=scheme,
        accounts=accounts,
        raw=raw,
        transformed=transformed,
        normalised=normalised,
        missing=missing,
        weights=weights,
        contributions=contributions,
        dimension_scores=dim_scores,
        dimension_weights=dim_weights,
        coverage=coverage,
        score_before_veto=before,
        totals=totals,
        veto_values=veto_values,
        veto_hits=hits,
        veto_unevaluated=unevaluated,
        ranks=ranks,
        order=order,
        stats=tuple(stats),
    )


# -- step 1: metrics ------------------------------------------------------------------------


def read_metrics(accounts: tuple[str, ...], metrics: Metrics, names: tuple[str, ...]) -> FloatArray:
    """The metric matrix (accounts × names); NaN where there is no data."""
    rows: list[list[float | None]] = []
    errors: dict[str, str] = {}
    for account in accounts:
        values = metrics[account]
        if not isinstance(account, str):
            errors[repr(account)] = "账号标识应为文本（例如 str(account.pk)）"
            continue
        if not isinstance(values, Mapping):
            errors[account] = "应为 {数据项: 数值或 None}"
            continue
        row: list[float | None] = []
        for name in names:
            value = values.get(name)
            if value is None or type(value) in _FAST_TYPES:
                row.append(value)  # type: ignore[arg-type]
            elif isinstance(value, numbers.Real | Decimal):
                row.append(float(value))
            else:
                errors[f"{account}.{name}"] = f"应为数字或 None，收到 {type(value).__name__}"
                row.append(None)
        rows.append(row)
    if errors:
        raise MetricsError(errors)
    matrix = np.array(rows, dtype=np.float64).reshape(len(accounts), len(names))
    if np.isinf(matrix).any():
        bad = np.argwhere(np.isinf(matrix))
        raise MetricsError(
            {f"{accounts[r]}.{names[c]}": "不能是无穷大" for r, c in bad[:20].tolist()}
        )
    return matrix


# -- step 2: indicators ---------------------------------------------------------------------


def _combine(ind: Indicator, column: Mapping[str, FloatArray]) -> FloatArray:
    cols = [column[m] for m in ind.metrics]
    if ind.combine == "single":
        return cols[0].copy()
    if ind.combine == "ratio":
        num, den = cols
        out = np.full(num.shape, np.nan)
        ok = ~np.isnan(num) & ~np.isnan(den) & (den != 0)
        np.divide(num, den, out=out, where=ok)
        return out
    stacked = np.vstack(cols)  # any NaN makes the sum / mean NaN: partial data is no data
    return stacked.sum(axis=0) if ind.combine == "sum" else stacked.mean(axis=0)


def _transform(ind: Indicator, values: FloatArray, accounts: tuple[str, ...]) -> FloatArray:
    if ind.transform == "identity":
        return values.copy()
    negative = values < 0  # NaN compares False
    if negative.any():
        rows = np.flatnonzero(negative)[:20]
        raise MetricsError(
            {
                f"{accounts[r]}.{ind.key}": f"变换 {ind.transform} 需要非负数，收到 {values[r]:g}"
                for r in rows
            }
        )
    return np.log1p(values) if ind.transform == "ln1p" else np.sqrt(values)


def _normalise(
    key: str, norm: Normalisation, direction: str, x: FloatArray
) -> tuple[FloatArray, IndicatorStats]:
    present = ~np.isnan(x)
    values = x[present]
    if values.size:
        stat = IndicatorStats(
            key=key,
            count=int(values.size),
            min=float(values.min()),
            max=float(values.max()),
            mean=float(values.mean()),
            std=float(values.std()),
        )
    else:
        stat = IndicatorStats(key=key, count=0, min=None, max=None, mean=None, std=None)
    out = np.full(x.shape, np.nan)
    if not values.size:
        return out, stat
    lower = direction == "lower"
    method = norm.method
    if method == "minmax":
        low, high = float(values.min()), float(values.max())
        if high - low <= 1e-12 * max(1.0, abs(high)):
            out[present] = ON_CONSTANT_VALUE[norm.on_constant or "mid"]
        else:
            scaled = (values - low) / (high - low)
            out[present] = 1.0 - scaled if lower else scaled
    elif method == "zscore":
        mean, std = float(values.mean()), float(values.std())
        z = np.zeros_like(values) if std <= 1e-12 * max(1.0, abs(mean)) else (values - mean) / std
        if lower:
            z = -z
        if norm.clip is not None:
            z = np.clip(z, -norm.clip, norm.clip)
        out[present] = z
    elif method == "fixed_scale":
        assert norm.min is not None and norm.max is not None
        scaled = (np.clip(values, norm.min, norm.max) - norm.min) / (norm.max - norm.min)
        out[present] = 1.0 - scaled if lower else scaled
    elif method == "ratio_to_target":
        assert norm.target is not None and norm.cap is not None
        if lower:
            ratio = np.full(values.shape, norm.cap)
            positive = values > 0
            ratio[positive] = norm.target / values[positive]
        else:
            ratio = values / norm.target
        out[present] = np.clip(ratio, 0.0, norm.cap)
    else:
        out[present] = values
    return out, stat


# -- step 3: weights, missing data, totals --------------------------------------------------


def _aggregate(
    scheme: Scheme, normalised: FloatArray, missing: BoolArray
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray, FloatArray, FloatArray, FloatArray]:
    """Weights after the missing-data rule, contributions, dimension scores and the total.

    Returns (normalised, weights, contributions, dimension scores, dimension weights,
    coverage, total before vetoes). Under the `worst` rule the returned `normalised` holds the
    imputed worst value in the missing cells (they stay flagged in `missing`).
    """
    n, k = normalised.shape
    dims = scheme.dimensions
    dim_of = {d.key: j for j, d in enumerate(dims)}
    member = np.zeros((k, len(dims)))
    for col, ind in enumerate(scheme.indicators):
        member[col, dim_of[ind.dimension]] = 1.0
    dim_col = member.argmax(axis=1)
    w = np.array([ind.weight for ind in scheme.indicators], dtype=np.float64)
    dim_w = np.array([d.weight for d in dims], dtype=np.float64)
    policy = scheme.missing.policy

    present = ~missing
    coverage = ((w * present) @ member) @ dim_w if n else np.zeros(0)

    values = normalised.copy()
    if policy == "worst":
        for col in range(k):
            observed = normalised[present[:, col], col]
            worst = min(0.0, float(observed.min())) if observed.size else 0.0
            values[missing[:, col], col] = worst
        used = np.ones((n, k), dtype=bool)
    else:
        used = present
    filled = np.where(used, values, 0.0)

    held = (w * used) @ member  # weight with data, per dimension (n × d)
    if policy == "no_score":
        incomplete = (w * ~used) @ member > 0
        dim_present = ~incomplete
        weights = np.where(used & dim_present[:, dim_col], w, 0.0)
    else:
        dim_present = held > 0
        safe = np.where(held > 0, held, 1.0)
        weights = np.where(used, w / safe[:, dim_col], 0.0) * dim_present[:, dim_col]

    dim_scores = (weights * filled) @ member
    dim_scores[~dim_present] = np.nan
    dim_held = (dim_present * dim_w).sum(axis=1)
    safe_held = np.where(dim_held > 0, dim_held, 1.0)
    dim_weights = np.where(dim_present, dim_w / safe_held[:, None], 0.0)
    if policy == "no_score":
        dim_weights = np.where(dim_present, dim_w, 0.0)

    before = scheme.scale * (dim_weights * np.nan_to_num(dim_scores)).sum(axis=1)
    if policy == "no_score":
        unscored = coverage < 1.0 - 1e-9
    else:
        unscored = (dim_held <= 0) | (coverage < scheme.missing.min_coverage - 1e-12)
    before[unscored] = np.nan

    contributions = scheme.scale * dim_weights[:, dim_col] * weights * filled
    contributions[~used] = np.nan
    contributions[unscored] = np.nan
    return values, weights, contributions, dim_scores, dim_weights, coverage, before


# -- step 4: vetoes -------------------------------------------------------------------------


def _holds(values: FloatArray, op: str, value: float) -> BoolArray:
    with np.errstate(invalid="ignore"):
        if op == ">=":
            hit = values >= value
        elif op == "<=":
            hit = values <= value
        elif op == ">":
            hit = values > value
        elif op == "<":
            hit = values < value
        elif op == "==":
            hit = values == value
        else:
            hit = values != value
    return hit & ~np.isnan(values)  # a rule on "no data" is not a hit


def apply_vetoes(scheme: Scheme, before: FloatArray, hits: BoolArray) -> FloatArray:
    """The total after vetoes: the most severe outcome of all the items an account hits."""
    worst = np.full(before.shape, np.nan)
    for col, veto in enumerate(scheme.vetoes):
        action = veto.action or scheme.veto_action
        if action.kind == "zero":
            outcome = np.zeros_like(before)
        elif action.kind == "set":
            assert action.value is not None
            outcome = np.full_like(before, action.value)
        else:
            assert action.value is not None
            outcome = np.minimum(before, action.value)  # NaN (no score) stays NaN
        worst = np.where(hits[:, col], np.fmin(worst, outcome), worst)
    return np.where(hits.any(axis=1), worst, before) if hits.size else before.copy()
