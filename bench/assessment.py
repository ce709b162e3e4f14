"""Benchmark of the quarterly assessment: `.venv/bin/python bench/assessment.py [--repeats N]`.

One quarter (2026Q3) of a district with 1,000 official accounts in 50 units and 10,000,000
interactions, in a scratch SQLite database (a temporary file, migrated, deleted afterwards).
The data is what the project's computation really reads:

* `AccountSnapshot`: one row per account and day (followers, posts listed, own replies …);
* `PostObservation`: one row per post with the reposts, comments and likes it received —
  connectors deliver interactions as per-post counts, so the 10 M interactions are the sum of
  those counts over ≈ 150,000 posts (GovMatrix keeps no row per single interaction);
* an inspection plan covering every account, with findings (some serious wording errors,
  a veto item), and two training events held with their attendance.

It times, in the same run and alternating:

1. **GovMatrix**: `compute_quarter()` — assessed accounts, the metric providers of the data
   generated here (snapshots, inspections, training) aggregating the raw rows into the metric values, the
   scoring engine with the default scheme `four_dimensions`, and the unit aggregation;
2. **pandas**: a straightforward pandas computation of the same scheme from the same tables
   (read with `pandas.read_sql_query`, grouped, then the scheme's formulas column by column).

and checks that both give the same total (within 1e-9) and rank for every account. Prints a
markdown table with the command, the machine, the medians and the ratio. Not a test.
"""

from __future__ import annotations

import argparse
import os
import platform
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ACCOUNTS = 1_000
UNITS = 50
INTERACTIONS = 10_000_000
QUARTER = "2026Q3"
SEED = 2026


def _django(database: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings_test"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


# --- the data ----------------------------------------------------------------------------------
def generate() -> dict[str, int]:
    """The district's quarter, written with bulk inserts; returns what was written."""
    from django.utils import timezone

    from govmatrix.assessment.models import (
        AccountSnapshot,
        ChecklistItem,
        Finding,
        InspectionPlan,
        InspectionTarget,
        PostObservation,
    )
    from govmatrix.assessment.scoring import Quarter
    from govmatrix.assessment.services.inspections import DEFAULT_CHECKLIST
    from govmatrix.matrix.models import Account
    from govmatrix.org.models import Person, Unit
    from govmatrix.training.models import Attendance, Invitation, TrainingEvent

    rng = np.random.default_rng(SEED)
    quarter = Quarter.parse(QUARTER)
    days = [quarter.start + timedelta(days=i) for i in range(quarter.days)]
    now = timezone.now()

    units = Unit.objects.bulk_create(
        [Unit(name=f"单位{i:02d}", code=f"u{i:02d}", kind="department") for i in range(UNITS)]
    )
    people = Person.objects.bulk_create([Person(name=f"运维{i:02d}") for i in range(UNITS)])
    accounts = Account.objects.bulk_create(
        [
            Account(
                unit=units[i % UNITS], platform="local", handle=f"acc{i:04d}",
                display_name=f"账号{i:04d}", kind="main" if i == 0 else "sub", status="active",
                activated_on=date(2025, 1, 1),
            )
            for i in range(ACCOUNTS)
        ],
        batch_size=1000,
    )  # fmt: skip

    # Posts: a daily rate per account; 5 % of the accounts stop 20 days before the end.
    rate = rng.lognormal(mean=0.2, sigma=0.6, size=ACCOUNTS)
    stops = rng.random(ACCOUNTS) < 0.05
    per_day = rng.poisson(np.outer(rate, np.ones(len(days))))
    per_day[:, 0] = np.maximum(per_day[:, 0], 1)  # everyone posts on the first day
    per_day[stops, -20:] = 0
    n_posts = int(per_day.sum())
    weights = rng.lognormal(mean=0.0, sigma=1.2, size=n_posts)
    totals = np.floor(weights / weights.sum() * INTERACTIONS).astype(np.int64)
    totals[: INTERACTIONS - int(totals.sum())] += 1  # exactly 10 M
    reposts = (totals * 0.2).astype(np.int64)
    comments = (totals * 0.15).astype(np.int64)
    likes = totals - reposts - comments
    original = rng.random(n_posts) < 0.7
    zone = timezone.get_current_timezone()

    posts, snapshots, k = [], [], 0
    followers = rng.integers(500, 200_000, size=ACCOUNTS)
    for a, account in enumerate(accounts):
        for d, day in enumerate(days):
            count = int(per_day[a, d])
            for n in range(count):
                posts.append(
                    PostObservation(
                        account_id=account.pk, post_id=f"{a}-{d}-{n}",
                        published_at=datetime(day.year, day.month, day.day, 8 + n % 12,
                                              tzinfo=zone), published_on=day,
                        is_original=bool(original[k]), reposts=int(reposts[k]),
                        comments=int(comments[k]), likes=int(likes[k]), observed_on=days[-1],
                        source="demo",
                    )
                )  # fmt: skip
                k += 1
            snapshots.append(
                AccountSnapshot(
                    account_id=account.pk, day=day, followers=int(followers[a]) + d,
                    following=0, posts_count=None, posts_published=count,
                    posts_original=None, replies_sent=int(rng.poisson(1.5)),
                    interaction_enabled=True, source="demo", collected_at=now,
                )
            )  # fmt: skip
    PostObservation.objects.bulk_create(posts, batch_size=5000)
    AccountSnapshot.objects.bulk_create(snapshots, batch_size=5000)

    items = ChecklistItem.objects.bulk_create(
        [ChecklistItem(code=c, label=label, metric=metric, default_severity=severity)
         for c, label, _d, metric, severity in DEFAULT_CHECKLIST]
    )  # fmt: skip
    by_metric = {item.metric: item for item in items}
    general = [item for item in items if item.metric == "inspection_findings"]
    plan = InspectionPlan.objects.create(
        title="三季度全面检查", quarter=QUARTER, check_date=date(2026, 9, 15), sampling="all",
        status="in_progress",
    )  # fmt: skip
    InspectionTarget.objects.bulk_create(
        [InspectionTarget(plan=plan, account=a, unit_id=a.unit_id) for a in accounts]
    )
    findings = []
    for account in accounts:
        if rng.random() < 0.08:
            for _n in range(int(rng.integers(1, 4))):
                item = general[int(rng.integers(0, len(general)))]
                findings.append((account, item))
        if rng.random() < 0.01:
            findings.append((account, by_metric["serious_wording_errors"]))
    Finding.objects.bulk_create(
        [Finding(plan=plan, account=acc, unit_id=acc.unit_id, item=item, severity="minor",
                 description="bench", found_on=date(2026, 9, 15), rectify_due=date(2026, 9, 29))
         for acc, item in findings]
    )  # fmt: skip
    for e, start in enumerate((date(2026, 7, 20), date(2026, 9, 2))):
        moment = datetime(start.year, start.month, start.day, 9, tzinfo=zone)
        event = TrainingEvent.objects.create(
            kind="training_class", title=f"培训{e}", content="bench", starts_at=moment,
            ends_at=moment + timedelta(hours=2), levels=["operator"], status="held",
        )  # fmt: skip
        invited = [i for i in range(UNITS) if (i + e) % 2 == 0]
        event.units.set([units[i] for i in invited])
        Invitation.objects.bulk_create(
            [Invitation(event=event, person=people[i], unit=units[i], level="operator",
                        invited_at=moment) for i in invited]
        )  # fmt: skip
        Attendance.objects.bulk_create(
            [Attendance(event=event, person=people[i], unit=units[i],
                        status="attended" if rng.random() < 0.8 else "absent",
                        recorded_at=moment) for i in invited]
        )  # fmt: skip
    return {
        "posts": n_posts, "snapshots": len(snapshots), "findings": len(findings),
        "interactions": int(reposts.sum() + comments.sum() + likes.sum()),
    }  # fmt: skip


# --- 1. the project's computation --------------------------------------------------------------
PROVIDERS = ("snapshots", "inspections", "training")


def govmatrix_scores() -> dict[str, tuple[float | None, int | None]]:
    from govmatrix.assessment.compute import compute_quarter
    from govmatrix.assessment.providers import registry
    from govmatrix.assessment.scoring import Quarter, load_scheme

    # The providers whose data this benchmark generates (the pandas side computes the same);
    # other apps' providers, as they are registered, measure what is not generated here.
    for key in [k for k in registry._PROVIDERS if k not in PROVIDERS]:
        registry.unregister_provider(key)

    quarter = Quarter.parse(QUARTER)
    outcome = compute_quarter(quarter, quarter.end, load_scheme("four_dimensions"))
    result = outcome.result
    return {a: (result.total(a), result.rank(a)) for a in result.accounts}


# --- 2. the same scheme, computed straightforwardly with pandas ------------------------------
def pandas_scores(database: Path) -> dict[str, tuple[float | None, int | None]]:
    import pandas as pd

    from govmatrix.assessment.providers.registry import local_midnight
    from govmatrix.assessment.scoring import Quarter, shipped_scheme_dicts

    scheme = shipped_scheme_dicts()["four_dimensions"]
    q = Quarter.parse(QUARTER)
    con = sqlite3.connect(database)

    def sql(text: str, *params: Any) -> Any:
        return pd.read_sql_query(text, con, params=params)

    start_utc = (
        pd.Timestamp(local_midnight(q.start)).tz_convert("UTC").strftime("%Y-%m-%d %H:%M:%S")
    )
    end_utc = (
        pd.Timestamp(local_midnight(q.end + timedelta(days=1)))
        .tz_convert("UTC")
        .strftime("%Y-%m-%d %H:%M:%S")
    )
    accounts = sql(
        "SELECT id, unit_id, activated_on FROM matrix_account WHERE kind IN ('main','sub') "
        "AND status != 'planned'"
    ).set_index("id")
    m = pd.DataFrame(index=accounts.index)

    snaps = sql(
        "SELECT account_id, day, followers, posts_published, replies_sent, interaction_enabled "
        "FROM assessment_accountsnapshot WHERE day BETWEEN ? AND ?",
        q.start.isoformat(), q.end.isoformat(),
    ).sort_values(["account_id", "day"])  # fmt: skip
    last = snaps.groupby("account_id").last()
    m["followers"] = last["followers"]
    m["interaction_enabled"] = last["interaction_enabled"].astype(float)
    m["replies_sent"] = snaps.groupby("account_id")["replies_sent"].sum(min_count=1)
    listed = snaps[snaps["posts_published"].notna()].groupby("account_id").size() > 0

    posts = sql(
        "SELECT account_id, published_on, is_original, reposts, comments, likes "
        "FROM assessment_postobservation WHERE published_on BETWEEN ? AND ?",
        q.start.isoformat(), q.end.isoformat(),
    )  # fmt: skip
    posts["day"] = posts["published_on"].map(date.fromisoformat)
    g = posts.groupby("account_id")
    orig = posts[posts["is_original"] == 1].groupby("account_id")
    sums = pd.DataFrame({
        "posts_total": g.size(), "posts_original": orig.size(),
        "reposts_received": g["reposts"].sum(), "comments_received": g["comments"].sum(),
        "likes_received": g["likes"].sum(), "original_reposts_received": orig["reposts"].sum(),
        "original_comments_received": orig["comments"].sum(),
    })  # fmt: skip
    has = listed.reindex(m.index, fill_value=False)
    for column in sums:
        m[column] = sums[column].reindex(m.index).fillna(0).where(has)
    m["period_days"] = float(q.days)
    day_sets = posts.groupby("account_id")["day"].agg(lambda s: sorted(set(s)))
    first, end = q.start, q.end

    def gaps(ds: list[date]) -> int:
        if not ds:
            return (end - first).days + 1
        inner = [(b - a).days - 1 for a, b in pairwise(ds)]
        return max([(ds[0] - first).days, (end - ds[-1]).days, *inner])

    plans = sql("SELECT t.account_id, p.check_date FROM assessment_inspectiontarget t JOIN "
                "assessment_inspectionplan p ON p.id = t.plan_id WHERE p.quarter = ? AND "
                "p.status IN ('in_progress','completed')", QUARTER)  # fmt: skip
    points = plans.groupby("account_id")["check_date"].agg(
        lambda s: sorted({date.fromisoformat(x) for x in s})
    )

    def since(account: int, ds: list[date]) -> int:
        worst = None
        for cp in sorted({end, *[p for p in points.get(account, []) if p <= end]}):
            before = [d for d in ds if d <= cp]
            if before:
                worst = max(worst or 0, (cp - before[-1]).days)
        return worst if worst is not None else np.nan  # every bench account has posts

    m["active_days"] = day_sets.map(len).reindex(m.index).fillna(0).where(has)
    m["max_gap_days"] = [gaps(day_sets.get(a, [])) if has[a] else np.nan for a in m.index]
    m["days_since_last_post"] = [
        since(a, day_sets.get(a, [])) if has[a] else np.nan for a in m.index
    ]

    finds = sql("SELECT f.account_id, i.metric FROM assessment_finding f JOIN "
                "assessment_checklistitem i ON i.id = f.item_id LEFT JOIN assessment_inspectionplan p "
                "ON p.id = f.plan_id WHERE f.status != 'withdrawn' AND p.quarter = ?", QUARTER)  # fmt: skip
    inspected = set(plans["account_id"]) | set(finds["account_id"])
    veto_metrics = ["serious_wording_errors", "secret_leaks", "illegal_content",
                    "serious_negative_opinion", "fake_followers_or_forced_likes"]  # fmt: skip
    counts = finds.groupby(["account_id", "metric"]).size().unstack(fill_value=0)
    is_inspected = pd.Series(m.index.isin(list(inspected)), index=m.index)
    m["inspection_findings"] = (
        finds.groupby("account_id").size().reindex(m.index).fillna(0).where(is_inspected)
    )
    for name in veto_metrics:
        column = counts[name] if name in counts else pd.Series(dtype=float)
        m[name] = column.reindex(m.index).fillna(0).where(is_inspected)

    held = sql("SELECT e.id, eu.unit_id FROM training_trainingevent e JOIN "
               "training_trainingevent_units eu ON eu.trainingevent_id = e.id WHERE "
               "e.status = 'held' AND e.starts_at >= ? AND e.starts_at < ?", start_utc, end_utc)  # fmt: skip
    came = sql(
        "SELECT DISTINCT event_id, unit_id FROM training_attendance WHERE status = 'attended'"
    )
    came = came.merge(held, left_on=["event_id", "unit_id"], right_on=["id", "unit_id"])
    expected = held.groupby("unit_id").size()
    attended = came.groupby("unit_id").size()
    m["training_expected"] = accounts["unit_id"].map(expected).fillna(0)
    m["training_attended"] = accounts["unit_id"].map(attended).fillna(0)

    return _score_with_pandas(scheme, m)


def _score_with_pandas(
    scheme: dict[str, Any], m: Any
) -> dict[str, tuple[float | None, int | None]]:
    import pandas as pd

    def col(name: str) -> Any:
        return m[name].astype(float) if name in m else pd.Series(np.nan, index=m.index)

    dims = {d["key"]: d["weight"] for d in scheme["dimensions"]}
    norm = pd.DataFrame(index=m.index)
    for ind in scheme["indicators"]:
        names = ind.get("metrics") or [ind["metric"]]
        if ind.get("combine", "single") == "ratio":
            num, den = col(names[0]), col(names[1])
            raw = (num / den).where(den != 0)
        else:
            raw = col(names[0])
        x = np.log1p(raw) if ind.get("transform") == "ln1p" else raw
        spec = ind["normalisation"]
        if spec["method"] == "minmax":
            lo, hi = x.min(), x.max()
            v = (x - lo) / (hi - lo) if hi > lo else x.where(x.isna(), 0.5)
        else:  # fixed_scale
            v = (x.clip(spec["min"], spec["max"]) - spec["min"]) / (spec["max"] - spec["min"])
        norm[ind["key"]] = 1 - v if ind.get("direction") == "lower" else v
    has = norm.notna()
    totals = pd.Series(0.0, index=m.index)
    dim_weight_used = pd.Series(0.0, index=m.index)
    coverage = pd.Series(0.0, index=m.index)
    for key, weight in dims.items():
        inds = [i for i in scheme["indicators"] if i["dimension"] == key]
        w = pd.DataFrame({i["key"]: has[i["key"]] * i["weight"] for i in inds})
        wsum = w.sum(axis=1)
        score = sum(norm[i["key"]].fillna(0) * w[i["key"]] for i in inds) / wsum.where(wsum > 0)
        coverage += weight * wsum
        totals += (weight * score).fillna(0)
        dim_weight_used += weight * (wsum > 0)
    totals = scheme["scale"] * totals / dim_weight_used.where(dim_weight_used > 0)
    totals = totals.where(coverage >= scheme["missing"]["min_coverage"] - 1e-12)
    ops = {">=": np.greater_equal, ">": np.greater, "==": np.equal, "<=": np.less_equal,
           "<": np.less, "!=": np.not_equal}  # fmt: skip
    vetoed = pd.Series(False, index=m.index)
    for veto in scheme["vetoes"]:
        name, op, value = veto["rule"].split()
        values = col(name)
        vetoed |= values.notna() & ops[op](values, float(value))
    cap = scheme["veto_action"]["value"]
    totals = totals.where(~vetoed | totals.isna(), np.minimum(totals, cap))
    keyed = totals.round(scheme["ranking"]["precision"])
    order = pd.DataFrame({"group": vetoed.astype(int), "score": -keyed, "key": m.index.astype(str)})
    order = order[totals.notna()].sort_values(["group", "score", "key"])
    ranks, previous, position = {}, None, 0
    for n, (account, row) in enumerate(order.iterrows(), start=1):
        if (row["group"], row["score"]) != previous:
            position, previous = n, (row["group"], row["score"])
        ranks[account] = position
    return {str(a): (None if np.isnan(t) else float(t), ranks.get(a)) for a, t in totals.items()}


# --- the run ------------------------------------------------------------------------------
def _timed(function: Any, *args: Any) -> tuple[float, Any]:
    started = time.perf_counter()
    value = function(*args)
    return time.perf_counter() - started, value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="govmatrix-bench-") as folder:
        database = Path(folder) / "assessment.sqlite3"
        started = time.perf_counter()
        _django(database)
        migrated = time.perf_counter() - started
        generated, written = _timed(generate)
        ours, theirs = [], []
        for _ in range(args.repeats):
            seconds, ours_result = _timed(govmatrix_scores)
            ours.append(seconds)
            seconds, pandas_result = _timed(pandas_scores, database)
            theirs.append(seconds)
        mismatches = [
            a for a in ours_result
            if ours_result[a][1] != pandas_result[a][1]
            or (ours_result[a][0] is None) != (pandas_result[a][0] is None)
            or (ours_result[a][0] is not None
                and abs(ours_result[a][0] - pandas_result[a][0]) > 1e-9)  # type: ignore[operator]
        ]  # fmt: skip
        assert set(ours_result) == set(pandas_result), "different accounts"
        assert not mismatches, f"{len(mismatches)} accounts differ, e.g. {mismatches[:5]}"
        scored = sum(1 for total, _rank in ours_result.values() if total is not None)
        worst = max(
            (abs(t - pandas_result[a][0]) for a, (t, _r) in ours_result.items() if t is not None),
            default=0.0,
        )
        ours_median, theirs_median = statistics.median(ours), statistics.median(theirs)
        import pandas as pd

        cpu = next((line.split(":", 1)[1].strip() for line in
                    Path("/proc/cpuinfo").read_text().splitlines()
                    if line.startswith("model name")), platform.processor())  # fmt: skip
        print(f"Command: `.venv/bin/python bench/assessment.py --repeats {args.repeats}`  ")
        print(f"Machine: {os.cpu_count()} cores ({cpu}), Python {platform.python_version()}, "
              f"SQLite {sqlite3.sqlite_version}, numpy {np.__version__}, pandas {pd.__version__}; "
              f"load average at the end {os.getloadavg()[0]:.1f}  ")  # fmt: skip
        print(f"Data: {ACCOUNTS:,} accounts in {UNITS} units, quarter {QUARTER}: "
              f"{written['snapshots']:,} daily snapshots, {written['posts']:,} posts carrying "
              f"{written['interactions']:,} interactions, {written['findings']} inspection "
              f"findings, 2 training events (migrate {migrated:.1f} s, generate "
              f"{generated:.1f} s)  ")  # fmt: skip
        print(f"Same scores: yes — {len(ours_result)} accounts, {scored} scored, every total "
              f"within 1e-9 (largest difference {worst:.1e}) and every rank equal  \n")  # fmt: skip
        print("| computation (aggregation of the raw rows into metrics + scoring) | median of "
              f"{args.repeats} | time ÷ GovMatrix's |")  # fmt: skip
        print("|---|---:|---:|")
        print(f"| GovMatrix: `compute_quarter()` (providers + numpy engine) | "
              f"{ours_median:.2f} s | 1.00× |")  # fmt: skip
        print(f"| straightforward pandas (read_sql + groupby + the scheme's formulas) | "
              f"{theirs_median:.2f} s | {theirs_median / ours_median:.2f}× |")  # fmt: skip


if __name__ == "__main__":
    main()
