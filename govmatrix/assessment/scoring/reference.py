"""`score_reference()`: the same scoring as `engine.score()`, written as plain Python loops.

Slow and obvious on purpose: it is the oracle the tests hold the vectorised engine to, so it
shares no arithmetic with engine.py (only the result container and the ranking helper, which
the tests check on their own). Use `score()` in production.
"""

from __future__ import annotations

import math
import numbers
from decimal import Decimal

import numpy as np

from govmatrix.assessment.scoring.engine import ON_CONSTANT_VALUE, Metrics
from govmatrix.assessment.scoring.errors import MetricsError
from govmatrix.assessment.scoring.results import (
    IndicatorStats,
    Result,
    any_per_row,
    competition_ranks,
)
from govmatrix.assessment.scoring.scheme import Indicator, Normalisation, Scheme

NAN = math.nan


def score_reference(scheme: Scheme, metrics: Metrics) -> Result:
    accounts = tuple(metrics)
    inds = scheme.indicators
    dims = scheme.dimensions

    # Raw and transformed values, account by account.
    raw: list[list[float]] = []
    for account in accounts:
        values = metrics[account]
        raw.append([_combine(ind, {m: _value(account, m, values.get(m)) for m in ind.metrics})
                    for ind in inds])  # fmt: skip
    transformed = [[_transform(account, ind, raw[r][c]) for c, ind in enumerate(inds)]
                   for r, account in enumerate(accounts)]  # fmt: skip

    # Normalisation, indicator by indicator over the accounts with data.
    normalised = [[NAN] * len(inds) for _ in accounts]
    stats = []
    for c, ind in enumerate(inds):
        column = [transformed[r][c] for r in range(len(accounts))]
        present = [x for x in column if not math.isnan(x)]
        stats.append(_stats(ind.key, present))
        for r, x in enumerate(column):
            if not math.isnan(x):
                normalised[r][c] = _normalise(ind.normalisation, ind.direction, x, present)
    missing = [[math.isnan(v) for v in row] for row in normalised]

    if scheme.missing.policy == "worst":
        for c in range(len(inds)):
            observed = [normalised[r][c] for r in range(len(accounts)) if not missing[r][c]]
            worst = min(0.0, min(observed)) if observed else 0.0
            for r in range(len(accounts)):
                if missing[r][c]:
                    normalised[r][c] = worst

    # Weights, dimension scores and totals, account by account.
    weights = [[0.0] * len(inds) for _ in accounts]
    contributions = [[NAN] * len(inds) for _ in accounts]
    dim_scores = [[NAN] * len(dims) for _ in accounts]
    dim_weights = [[0.0] * len(dims) for _ in accounts]
    coverage = [0.0] * len(accounts)
    before = [NAN] * len(accounts)
    policy = scheme.missing.policy
    for r in range(len(accounts)):
        used = [policy == "worst" or not missing[r][c] for c in range(len(inds))]
        coverage[r] = sum(
            d.weight * sum(i.weight for c, i in enumerate(inds) if i.dimension == d.key
                           and not missing[r][c])
            for d in dims
        )  # fmt: skip
        present_dims: list[int] = []
        for j, dim in enumerate(dims):
            members = [c for c, i in enumerate(inds) if i.dimension == dim.key]
            held = sum(inds[c].weight for c in members if used[c])
            lacking = sum(inds[c].weight for c in members if not used[c])
            if policy == "no_score":
                if lacking > 0:
                    continue
                for c in members:
                    weights[r][c] = inds[c].weight if used[c] else 0.0
            else:
                if held <= 0:
                    continue
                for c in members:
                    weights[r][c] = inds[c].weight / held if used[c] else 0.0
            dim_scores[r][j] = sum(weights[r][c] * normalised[r][c] for c in members if used[c])
            present_dims.append(j)
        total_dim_weight = sum(dims[j].weight for j in present_dims)
        for j in present_dims:
            dim_weights[r][j] = (
                dims[j].weight if policy == "no_score" else dims[j].weight / total_dim_weight
            )
        if policy == "no_score":
            scored = coverage[r] >= 1.0 - 1e-9
        else:
            scored = bool(present_dims) and coverage[r] >= scheme.missing.min_coverage - 1e-12
        if not scored:
            continue
        before[r] = scheme.scale * sum(dim_weights[r][j] * dim_scores[r][j] for j in present_dims)
        for c, ind in enumerate(inds):
            j = next(j for j, d in enumerate(dims) if d.key == ind.dimension)
            if used[c]:
                contributions[r][c] = (
                    scheme.scale * dim_weights[r][j] * weights[r][c] * (normalised[r][c])
                )

    # Vetoes.
    veto_values = [[NAN] * len(scheme.vetoes) for _ in accounts]
    hits = [[False] * len(scheme.vetoes) for _ in accounts]
    totals = list(before)
    for r, account in enumerate(accounts):
        outcomes = []
        for v, veto in enumerate(scheme.vetoes):
            x = _value(account, veto.rule.metric, metrics[account].get(veto.rule.metric))
            veto_values[r][v] = x
            if not math.isnan(x) and veto.rule.holds(x):
                hits[r][v] = True
                outcomes.append((veto.action or scheme.veto_action).apply(before[r]))
        if outcomes:
            known = [o for o in outcomes if not math.isnan(o)]
            totals[r] = min(known) if known else NAN

    hit_array = np.array(hits, dtype=bool).reshape(len(accounts), len(scheme.vetoes))
    total_array = np.array(totals, dtype=np.float64)
    ranks, order = competition_ranks(
        total_array,
        any_per_row(hit_array),
        accounts,
        precision=scheme.ranking.precision,
        vetoed_last=scheme.ranking.vetoed_last,
    )
    shape_k = (len(accounts), len(inds))
    veto_array = np.array(veto_values, dtype=np.float64).reshape(len(accounts), len(scheme.vetoes))
    return Result(
        scheme=scheme,
        accounts=accounts,
        raw=np.array(raw, dtype=np.float64).reshape(shape_k),
        transformed=np.array(transformed, dtype=np.float64).reshape(shape_k),
        normalised=np.array(normalised, dtype=np.float64).reshape(shape_k),
        missing=np.array(missing, dtype=bool).reshape(shape_k),
        weights=np.array(weights, dtype=np.float64).reshape(shape_k),
        contributions=np.array(contributions, dtype=np.float64).reshape(shape_k),
        dimension_scores=np.array(dim_scores, dtype=np.float64).reshape(len(accounts), len(dims)),
        dimension_weights=np.array(dim_weights, dtype=np.float64).reshape(len(accounts), len(dims)),
        coverage=np.array(coverage, dtype=np.float64),
        score_before_veto=np.array(before, dtype=np.float64),
        totals=total_array,
        veto_values=veto_array,
        veto_hits=hit_array,
        veto_unevaluated=np.isnan(veto_array),
        ranks=ranks,
        order=order,
        stats=tuple(stats),
    )


def _value(account: str, metric: str, value: object) -> float:
    if value is None:
        return NAN
    if isinstance(value, bool):
        return float(value)
    if not isinstance(value, numbers.Real | Decimal):
        raise MetricsError({f"{account}.{metric}": f"应为数字或 None，收到 {type(value).__name__}"})
    number = float(value)
    if math.isinf(number):
        raise MetricsError({f"{account}.{metric}": "不能是无穷大"})
    return number


def _combine(ind: Indicator, values: dict[str, float]) -> float:
    xs = [values[m] for m in ind.metrics]
    if any(math.isnan(x) for x in xs):
        return NAN
    if ind.combine == "single":
        return xs[0]
    if ind.combine == "ratio":
        return NAN if xs[1] == 0 else xs[0] / xs[1]
    if ind.combine == "sum":
        return math.fsum(xs)
    return math.fsum(xs) / len(xs)


def _transform(account: str, ind: Indicator, x: float) -> float:
    if math.isnan(x) or ind.transform == "identity":
        return x
    if x < 0:
        raise MetricsError({f"{account}.{ind.key}": f"变换 {ind.transform} 需要非负数，收到 {x:g}"})
    return math.log(x + 1) if ind.transform == "ln1p" else math.sqrt(x)


def _stats(key: str, values: list[float]) -> IndicatorStats:
    if not values:
        return IndicatorStats(key=key, count=0, min=None, max=None, mean=None, std=None)
    mean = math.fsum(values) / len(values)
    std = math.sqrt(math.fsum((x - mean) ** 2 for x in values) / len(values))
    return IndicatorStats(key, len(values), min(values), max(values), mean, std)


def _normalise(norm: Normalisation, direction: str, x: float, population: list[float]) -> float:
    lower = direction == "lower"
    if norm.method == "none":
        return x
    if norm.method == "minmax":
        low, high = min(population), max(population)
        if high - low <= 1e-12 * max(1.0, abs(high)):
            return ON_CONSTANT_VALUE[norm.on_constant or "mid"]
        v = (x - low) / (high - low)
        return 1.0 - v if lower else v
    if norm.method == "zscore":
        mean = math.fsum(population) / len(population)
        std = math.sqrt(math.fsum((p - mean) ** 2 for p in population) / len(population))
        z = 0.0 if std <= 1e-12 * max(1.0, abs(mean)) else (x - mean) / std
        z = -z if lower else z
        if norm.clip is not None:
            z = max(-norm.clip, min(norm.clip, z))
        return z
    if norm.method == "fixed_scale":
        assert norm.min is not None and norm.max is not None
        v = (max(norm.min, min(norm.max, x)) - norm.min) / (norm.max - norm.min)
        return 1.0 - v if lower else v
    assert norm.target is not None and norm.cap is not None
    if not lower:
        return max(0.0, min(norm.cap, x / norm.target))
    ratio = norm.cap if x <= 0 else norm.target / x
    return max(0.0, min(norm.cap, ratio))
