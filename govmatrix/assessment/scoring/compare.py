"""Compare two runs (usually this quarter and the previous one): rank change per account."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from govmatrix.assessment.scoring.results import Result, Standing

Status = Literal["both", "new", "gone"]


@dataclass(frozen=True)
class RankChange:
    """`rank_change` > 0 means the account moved up (e.g. 5th → 2nd is +3).

    It is None when the account is unranked in either run; `status` says whether the account
    is in both runs, only the current one ("new") or only the previous one ("gone").
    """

    account: str
    rank: int | None
    previous_rank: int | None
    rank_change: int | None
    total: float | None
    previous_total: float | None
    total_change: float | None
    status: Status


@dataclass(frozen=True)
class Comparison:
    changes: tuple[RankChange, ...]
    same_scheme: bool | None  # None when a side was given as bare standings

    def by_account(self) -> dict[str, RankChange]:
        return {change.account: change for change in self.changes}


def compare(
    current: Result | Mapping[str, Standing], previous: Result | Mapping[str, Standing]
) -> Comparison:
    """Rank and score change of every account in either run, in the current ranking order
    (accounts only in the previous run come last, by key).

    Either side may be a Result or, for a frozen run read back from the database, a mapping
    account → Standing. `same_scheme` tells whether both runs used the same scheme content
    (hash); ranks of runs with different schemes can be compared, scores less so.
    """
    now = current.standings() if isinstance(current, Result) else dict(current)
    before = previous.standings() if isinstance(previous, Result) else dict(previous)
    same_scheme = (
        current.scheme.content_hash == previous.scheme.content_hash
        if isinstance(current, Result) and isinstance(previous, Result)
        else None
    )
    changes = []
    for account in [*now, *sorted(a for a in before if a not in now)]:
        cur = now.get(account)
        old = before.get(account)
        rank = cur.rank if cur else None
        old_rank = old.rank if old else None
        total = cur.total if cur else None
        old_total = old.total if old else None
        changes.append(
            RankChange(
                account=account,
                rank=rank,
                previous_rank=old_rank,
                rank_change=old_rank - rank if rank is not None and old_rank is not None else None,
                total=total,
                previous_total=old_total,
                total_change=total - old_total
                if total is not None and old_total is not None
                else None,
                status="both" if cur and old else "new" if cur else "gone",
            )
        )
    return Comparison(changes=tuple(changes), same_scheme=same_scheme)
