"""How much the ranking depends on uncertain dimension weights (`weight_range` in a scheme).

`rank_sensitivity()` rescores with the dimension weights at every corner of their ranges
(each corner re-scaled to sum to 1) and reports, per account, the best and worst rank and the
lowest and highest total seen. Dimensions without a range keep their weight. Indicator
weight ranges are recorded in schemes but not explored here (2^k runs would not scale).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from govmatrix.assessment.scoring.engine import Metrics, score
from govmatrix.assessment.scoring.scheme import Scheme


@dataclass(frozen=True)
class RankRange:
    account: str
    rank: int | None
    best_rank: int | None
    worst_rank: int | None
    total_min: float | None
    total_max: float | None


def rank_sensitivity(scheme: Scheme, metrics: Metrics) -> dict[str, RankRange]:
    base = score(scheme, metrics)
    ranged = [d for d in scheme.dimensions if d.weight_range is not None]
    ranks = [base.ranks]
    totals = [base.totals]
    for corner in itertools.product(*[d.weight_range for d in ranged if d.weight_range]):
        weights = {d.key: d.weight for d in scheme.dimensions}
        weights.update({d.key: w for d, w in zip(ranged, corner, strict=True)})
        scale = sum(weights.values())
        variant = scheme.with_dimension_weights({k: w / scale for k, w in weights.items()})
        run = score(variant, metrics)
        ranks.append(run.ranks)
        totals.append(run.totals)
    rank_matrix = np.vstack(ranks).astype(float)
    rank_matrix[rank_matrix == 0] = np.nan
    total_matrix = np.vstack(totals)
    out = {}
    for row, account in enumerate(base.accounts):
        r = rank_matrix[:, row]
        t = total_matrix[:, row]
        seen_r = r[~np.isnan(r)]
        seen_t = t[~np.isnan(t)]
        out[account] = RankRange(
            account=account,
            rank=base.rank(account),
            best_rank=int(seen_r.min()) if seen_r.size else None,
            worst_rank=int(seen_r.max()) if seen_r.size else None,
            total_min=float(seen_t.min()) if seen_t.size else None,
            total_max=float(seen_t.max()) if seen_t.size else None,
        )
    return out
