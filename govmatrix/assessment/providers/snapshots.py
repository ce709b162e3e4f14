"""Metrics from the daily snapshots: volume, propagation, audience, activity and own replies.

An account has *post data* for the quarter when at least one of its snapshots in the quarter
could list its posts (`posts_published` not NULL). Without it every post-derived metric is no
data; with it, a quarter without a post is a real 0. Interaction sums cover the posts published
in the quarter, with the counts of their latest observation.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from datetime import date, timedelta
from itertools import pairwise
from typing import Any

from django.db.models import Count, Max, Min, Q, Sum
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from govmatrix.assessment.models import AccountSnapshot, PostObservation
from govmatrix.assessment.providers.registry import (
    AccountInfo,
    Evidence,
    MetricContext,
    MetricProvider,
    Value,
)

# Each collection lists the posts of this many days back, so an account that has been observed
# since day F without a post has not posted since at least F minus this window.
OBSERVATION_WINDOW_DAYS = 100

POST_METRICS = frozenset(
    {
        "posts_total",
        "posts_original",
        "reposts_received",
        "comments_received",
        "likes_received",
        "original_reposts_received",
        "original_comments_received",
        "active_days",
        "max_gap_days",
        "days_since_last_post",
    }
)
DAILY_METRICS = frozenset({"followers", "replies_sent", "interaction_enabled", "period_days"})


def longest_gap(days: list[date], first: date, last: date) -> int:
    """Longest run of days in [first, last] without a post (`days` sorted, inside the range)."""
    if not days:
        return (last - first).days + 1
    gaps = [(days[0] - first).days, (last - days[-1]).days]
    gaps += [(b - a).days - 1 for a, b in pairwise(days)]
    return max(gaps)


def days_since_last_post(
    check_points: list[date], post_days: list[date], observed_since: date | None
) -> int | None:
    """The largest "days since the last post" over the check points (the dormancy veto is
    measured backwards from each check time). No post seen: a lower bound from when posts were
    first listed, minus the listing window."""
    worst: int | None = None
    for point in check_points:
        before = [d for d in post_days if d <= point]
        if before:
            value = (point - before[-1]).days
        elif observed_since is not None:
            value = (point - (observed_since - timedelta(days=OBSERVATION_WINDOW_DAYS))).days
        else:
            continue
        worst = value if worst is None else max(worst, value)
    return worst


class SnapshotProvider(MetricProvider):
    key = "snapshots"
    label = gettext_lazy("每日数据快照")
    metrics = POST_METRICS | DAILY_METRICS

    def compute(self, ctx: MetricContext) -> dict[int, dict[str, Value]]:
        ids = ctx.account_ids
        daily = _daily(ids, ctx)
        first_listed = dict(
            AccountSnapshot.objects.filter(account_id__in=ids, posts_published__isnull=False)
            .values("account_id")
            .annotate(first=Min("day"))
            .values_list("account_id", "first")
        )
        in_quarter = PostObservation.objects.filter(
            account_id__in=ids,
            published_on__gte=ctx.quarter.start,
            published_on__lte=ctx.check_date,
        )
        sums = {
            row["account_id"]: row
            for row in in_quarter.values("account_id").annotate(
                n=Count("id"),
                originals=Count("id", filter=Q(is_original=True)),
                counted=Count("reposts"),
                s_reposts=Sum("reposts"),
                s_comments=Sum("comments"),
                s_likes=Sum("likes"),
                s_o_reposts=Sum("reposts", filter=Q(is_original=True)),
                s_o_comments=Sum("comments", filter=Q(is_original=True)),
            )
        }
        post_days: dict[int, set[date]] = defaultdict(set)
        for account_id, day in in_quarter.values_list("account_id", "published_on").distinct():
            post_days[account_id].add(day)
        last_before = dict(
            PostObservation.objects.filter(account_id__in=ids, published_on__lt=ctx.quarter.start)
            .values("account_id")
            .annotate(last=Max("published_on"))
            .values_list("account_id", "last")
        )
        out: dict[int, dict[str, Value]] = {}
        for account in ctx.accounts:
            day_rows = daily.get(account.id, {})
            values: dict[str, Value] = {
                "followers": day_rows.get("followers"),
                "replies_sent": day_rows.get("replies_sent"),
                "interaction_enabled": day_rows.get("interaction_enabled"),
            }
            period = ctx.period(account)
            values["period_days"] = (period[1] - period[0]).days + 1 if period else None
            if day_rows.get("listed") and period is not None:
                values.update(
                    _post_values(
                        ctx, account, period, sums.get(account.id), post_days[account.id],
                        last_before.get(account.id), first_listed.get(account.id),
                    )
                )  # fmt: skip
            out[account.id] = values
        return out

    def evidence(self, ctx: MetricContext, account_id: int, metric: str) -> Evidence | None:
        if metric in {"followers", "replies_sent", "interaction_enabled", "period_days"} | {
            "active_days",
            "max_gap_days",
            "days_since_last_post",
        }:
            return _daily_evidence(ctx, account_id)
        if metric in POST_METRICS:
            return _post_evidence(ctx, account_id)
        return None


def _daily(ids: list[int], ctx: MetricContext) -> dict[int, dict[str, Any]]:
    """Per account: latest followers and interaction flag, summed replies, whether posts were
    listed. Aggregated in the database; only the latest rows are read back."""
    rows = AccountSnapshot.objects.filter(
        account_id__in=ids, day__gte=ctx.quarter.start, day__lte=ctx.check_date
    )
    out: dict[int, dict[str, Any]] = defaultdict(dict)
    wanted: dict[tuple[int, date], list[str]] = defaultdict(list)
    for row in rows.values("account_id").annotate(
        replies=Sum("replies_sent"),
        replies_known=Count("replies_sent"),
        listed=Count("posts_published"),
        last_followers=Max("day", filter=Q(followers__isnull=False)),
        last_enabled=Max("day", filter=Q(interaction_enabled__isnull=False)),
    ):
        values = out[row["account_id"]]
        if row["replies_known"]:
            values["replies_sent"] = row["replies"]
        if row["listed"]:
            values["listed"] = True
        if row["last_followers"]:
            wanted[(row["account_id"], row["last_followers"])].append("followers")
        if row["last_enabled"]:
            wanted[(row["account_id"], row["last_enabled"])].append("interaction_enabled")
    latest = rows.filter(day__in={day for _a, day in wanted}).values_list(
        "account_id", "day", "followers", "interaction_enabled"
    )
    for account_id, day, followers, enabled in latest:
        for name in wanted.get((account_id, day), ()):
            value = followers if name == "followers" else int(bool(enabled))
            out[account_id][name] = value
    return out


def _post_values(
    ctx: MetricContext,
    account: AccountInfo,
    period: tuple[date, date],
    sums: Mapping[str, Any] | None,
    days: set[date],
    last_before: Any,
    first_listed: date | None,
) -> dict[str, Value]:
    n = sums["n"] if sums else 0
    known = n == 0 or (sums is not None and sums["counted"] > 0)

    def total(key: str) -> Value:
        if not known:
            return None
        return (sums or {}).get(key) or 0

    inside = sorted(d for d in days if period[0] <= d <= period[1])
    history = sorted(days)
    if last_before is not None:
        history.insert(0, last_before)
    points = sorted(
        {period[1], *(p for p in ctx.check_points.get(account.id, ()) if p <= period[1])}
    )
    return {
        "posts_total": n,
        "posts_original": sums["originals"] if sums else 0,
        "reposts_received": total("s_reposts"),
        "comments_received": total("s_comments"),
        "likes_received": total("s_likes"),
        "original_reposts_received": total("s_o_reposts"),
        "original_comments_received": total("s_o_comments"),
        "active_days": len(inside),
        "max_gap_days": longest_gap(inside, period[0], period[1]),
        "days_since_last_post": days_since_last_post(points, history, first_listed),
    }


def _daily_evidence(ctx: MetricContext, account_id: int) -> Evidence:
    rows = AccountSnapshot.objects.filter(
        account_id=account_id, day__gte=ctx.quarter.start, day__lte=ctx.check_date
    ).order_by("day")
    return Evidence(
        title=_("每日数据快照"),
        headers=[_("日期"), _("粉丝数"), _("当日发博"), _("当日原创"), _("主动回复"),
                 _("互动功能"), _("来源"), _("未能读取")],
        rows=[
            [s.day, s.followers, s.posts_published, s.posts_original, s.replies_sent,
             s.interaction_enabled, s.get_source_display(), s.note]
            for s in rows
        ],
        more_url=reverse("matrix:account_detail", args=[account_id]),
        more_label=_("账号台账"),
        note=_("空白表示当天未能读取（无数据），不是 0。"),
    )  # fmt: skip


def _post_evidence(ctx: MetricContext, account_id: int) -> Evidence:
    posts = list(
        PostObservation.objects.filter(
            account_id=account_id,
            published_on__gte=ctx.quarter.start,
            published_on__lte=ctx.check_date,
        ).order_by("published_at")
    )
    info = ctx.account(account_id)
    return Evidence(
        title=_("本季度发布的微博"),
        headers=[_("发布时间"), _("类型"), _("转发"), _("评论"), _("点赞"), _("观测日期")],
        rows=[
            [p.published_at, _("原创") if p.is_original else _("转发"), p.reposts, p.comments,
             p.likes, p.observed_on]
            for p in posts
        ],
        links=[p.url for p in posts],
        more_url=info.profile_url if info else "",
        more_label=_("账号主页"),
    )  # fmt: skip
