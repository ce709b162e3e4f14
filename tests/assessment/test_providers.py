"""Metric providers: "no data" is None and never zero; registry rules; the snapshot figures."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import pytest

from govmatrix.assessment.compute import quarter_context
from govmatrix.assessment.providers import (
    MetricContext,
    MetricProvider,
    Value,
    compute_metrics,
    metric_sources,
    register_provider,
    registered_providers,
    unregister_provider,
)
from govmatrix.assessment.providers.snapshots import days_since_last_post, longest_gap
from govmatrix.assessment.scoring import METRICS, Quarter
from govmatrix.assessment.services.inspections import (
    checklist_seed_defaults,
    inspection_plan_create,
    inspection_plan_start,
)
from tests.assessment.conftest import Q_END, QUARTER, seed_quarter
from tests.conftest import District

Q = Quarter.parse(QUARTER)


def _values(district: District) -> dict[int, dict[str, Value]]:
    values, _sources = compute_metrics(quarter_context(Q, Q_END))
    return values


def test_every_metric_of_an_account_without_any_source_is_none_never_zero(
    district: District,
) -> None:
    values = _values(district)
    row = values[district.street01_account.pk]
    assert set(row) == set(METRICS)
    no_data = {k for k, v in row.items() if v is None}
    # Only what the registry itself knows (the days of the quarter, the training it was
    # expected at: none) is data; everything measured reads no data.
    assert set(METRICS) - no_data == {"period_days", "training_expected", "training_attended"}
    assert row["posts_total"] is None and row["followers"] is None
    assert row["inspection_findings"] is None and row["serious_wording_errors"] is None


def test_snapshot_metrics_count_real_zeros_once_posts_could_be_listed(district: District) -> None:
    seed_quarter(district.street01_account.pk, every=1000, reposts=0, replies=0)  # one post only
    row = _values(district)[district.street01_account.pk]
    assert row["posts_total"] == 1
    assert row["reposts_received"] == 0  # a real zero: the post was observed with no reposts
    assert row["replies_sent"] == 0
    assert row["period_days"] == 91 and row["active_days"] == 1
    assert row["max_gap_days"] == 90
    assert row["days_since_last_post"] == 90


def test_metrics_without_any_provider_read_no_data_and_say_so(district: District) -> None:
    sources = metric_sources()
    for name in ("messages_received", "median_response_hours", "repost_orders", "harm_cases",
                 "posts_reported_on_time", "posts_government_affairs"):  # fmt: skip
        assert sources[name] == [], name
    assert sources["followers"] == ["snapshots"]
    assert sources["training_expected"] == ["training"]


def test_an_account_not_inspected_has_no_inspection_data_one_inspected_has_zero(
    district: District,
) -> None:
    checklist_seed_defaults(actor=district.office_admin)
    plan = inspection_plan_create(actor=district.office_admin, title="抽查", quarter=QUARTER,
                                  check_date=date(2026, 6, 10), sampling="random",
                                  sample_percent=1, seed=7)  # fmt: skip
    inspection_plan_start(actor=district.office_admin, plan_id=plan.pk)
    chosen = plan.targets.get().account_id
    values = _values(district)
    assert values[chosen]["inspection_findings"] == 0
    assert values[chosen]["serious_wording_errors"] == 0
    others = [pk for pk in values if pk != chosen]
    assert all(values[pk]["inspection_findings"] is None for pk in others)


class _Probe(MetricProvider):
    key = "probe"
    metrics = frozenset({"messages_received", "messages_answered"})
    priority = 5

    def compute(self, ctx: MetricContext) -> Mapping[int, Mapping[str, Value]]:
        first = ctx.account_ids[0]
        return {first: {"messages_received": 4, "messages_answered": 0, "followers": 99}}


@pytest.fixture
def probe() -> object:
    register_provider(_Probe())
    yield
    unregister_provider("probe")


def test_a_registered_provider_fills_only_what_it_declares(
    district: District, probe: object
) -> None:
    values, sources = compute_metrics(quarter_context(Q, Q_END))
    first = min(values)
    assert values[first]["messages_received"] == 4
    assert values[first]["messages_answered"] == 0  # a provider's zero is a zero
    assert values[first]["followers"] is None  # not declared by the probe: ignored
    assert all(v["messages_received"] is None for k, v in values.items() if k != first)
    assert sources["messages_received"] == ["probe"]
    # answered 0 and own replies unknown: effective interactions stay unknown, not 0
    assert values[first]["effective_interactions"] is None


def test_a_provider_with_an_unknown_metric_name_is_refused_at_registration() -> None:
    class Typo(MetricProvider):
        key = "typo"
        metrics = frozenset({"posts_orignal"})

        def compute(self, ctx: MetricContext) -> dict[int, dict[str, int]]:
            return {}

    with pytest.raises(ValueError, match="posts_orignal"):
        register_provider(Typo())
    assert "typo" not in {p.key for p in registered_providers()}


def test_the_longest_gap_and_days_since_the_last_post_follow_the_check_points() -> None:
    first, last = date(2026, 4, 1), date(2026, 6, 30)
    days = [date(2026, 4, 5), date(2026, 4, 6), date(2026, 5, 20)]
    assert longest_gap(days, first, last) == 43  # 7 April to 19 May, both without a post
    assert longest_gap([], first, last) == 91
    # measured backwards from each check point; the worst one counts
    assert days_since_last_post([date(2026, 5, 1), last], days, None) == 41
    assert days_since_last_post([date(2026, 4, 7)], days, None) == 1
    assert days_since_last_post([last], [], None) is None
    assert days_since_last_post([last], [], date(2026, 6, 1)) == 129  # 29 + the 100-day window
