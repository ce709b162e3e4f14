"""Our own per-account hourly budgets for Weibo writes.

Weibo sends no rate-limit headers: it refuses with 10023/10024/20016 once an account is over,
and repeated refusals count as abnormal behaviour (20016/20022). So the connector stops short
of the documented per-account limits itself — by default 30 posts and 60 comments an hour
(platform-apis.md §1.4) — and raises `RateLimited` until the next clock hour. The counters live
in the shared cache, so every worker spends from the same budget.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from django.core.cache import cache
from django.utils import timezone

from govmatrix.platforms.base import RateLimited
from govmatrix.platforms.weibo.errors import PLATFORM, seconds_to_next_hour


class Budget(Protocol):
    def spend(self, uid: str, kind: str) -> None: ...


class HourlyBudget:
    def __init__(self, per_hour: Mapping[str, int]) -> None:
        self.per_hour = dict(per_hour)

    def spend(self, uid: str, kind: str) -> None:
        allowed = self.per_hour.get(kind)
        if allowed is None:
            return
        now = timezone.now()
        key = f"weibo:budget:{uid}:{kind}:{now:%Y%m%d%H}"
        cache.add(key, 0, timeout=3700)
        try:
            used = cache.incr(key)
        except ValueError:  # evicted between add and incr
            cache.set(key, 1, timeout=3700)
            used = 1
        if used > allowed:
            raise RateLimited(
                f"本账号本小时已用完微博{'发布' if kind == 'post' else '评论'}额度（{allowed} 次），"
                "下一整点后再试。",
                retry_after=seconds_to_next_hour(now),
                platform=PLATFORM,
                code="budget",
            )
