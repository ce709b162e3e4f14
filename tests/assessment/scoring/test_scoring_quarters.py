"""Quarter labels and comparing two quarters' results."""

from __future__ import annotations

from datetime import date

import pytest

from govmatrix.assessment.scoring import (
    Quarter,
    QuarterError,
    Scheme,
    Standing,
    compare,
    load_scheme,
    parse_quarter,
    previous_quarter,
    score,
)


@pytest.mark.parametrize(
    ("label", "start", "end"),
    [
        ("2026Q1", date(2026, 1, 1), date(2026, 3, 31)),
        ("2026Q2", date(2026, 4, 1), date(2026, 6, 30)),
        ("2026Q3", date(2026, 7, 1), date(2026, 9, 30)),
        ("2026Q4", date(2026, 10, 1), date(2026, 12, 31)),
        ("2028Q1", date(2028, 1, 1), date(2028, 3, 31)),
    ],
)
def test_a_quarter_label_gives_its_first_and_last_day(label, start, end):
    assert parse_quarter(label) == (start, end)


def test_quarter_lengths_follow_the_calendar():
    assert [Quarter(2024, q).days for q in (1, 2, 3, 4)] == [91, 91, 92, 92]
    assert Quarter(2026, 1).days == 90


@pytest.mark.parametrize(
    "label", ["2026Q5", "2026Q0", "2026q3", "2026-Q3", "26Q3", " 2026Q3", "2026Q3 ", "Q3 2026",
              "2026", "", "0000Q1", "２０２６Q3", "2026Q3\n"],
)  # fmt: skip
def test_a_bad_quarter_label_is_refused_clearly(label):
    with pytest.raises(QuarterError) as caught:
        parse_quarter(label)
    assert "YYYYQn" in str(caught.value) or "没有这个季度" in str(caught.value)


def test_a_quarter_label_must_be_text():
    with pytest.raises(QuarterError):
        Quarter.parse(20263)  # type: ignore[arg-type]


def test_the_previous_quarter_of_a_first_quarter_is_last_years_fourth():
    assert previous_quarter("2026Q1") == "2025Q4"
    assert previous_quarter("2026Q3") == "2026Q2"
    assert str(Quarter.parse("2025Q4").next()) == "2026Q1"


def test_the_quarter_containing_a_day():
    assert Quarter.containing(date(2026, 9, 30)) == Quarter(2026, 3)
    assert Quarter.containing(date(2026, 10, 1)) == Quarter(2026, 4)
    assert Quarter(2025, 4) < Quarter(2026, 1)


def _scheme() -> Scheme:
    return Scheme.from_dict({
        "name": "posts", "version": "1", "title_zh": "发布",
        "dimensions": [{"key": "d", "label_zh": "维度", "weight": 1}],
        "indicators": [{"key": "x", "label_zh": "发布数", "dimension": "d",
                        "metrics": ["posts_original"],
                        "normalisation": {"method": "fixed_scale", "min": 0, "max": 100},
                        "weight": 1}],
    })  # fmt: skip


def test_comparing_two_quarters_gives_each_accounts_rank_change():
    before = score(
        _scheme(),
        {
            "a": {"posts_original": 90},
            "b": {"posts_original": 50},
            "c": {"posts_original": 10},
            "gone": {"posts_original": 70},
        },
    )
    now = score(
        _scheme(),
        {
            "a": {"posts_original": 40},
            "b": {"posts_original": 60},
            "c": {"posts_original": 80},
            "new": {"posts_original": 20},
        },
    )
    comparison = compare(now, before)
    changes = comparison.by_account()
    assert comparison.same_scheme is True
    assert [c.account for c in comparison.changes] == ["c", "b", "a", "new", "gone"]
    assert (changes["c"].previous_rank, changes["c"].rank, changes["c"].rank_change) == (4, 1, 3)
    assert changes["a"].rank_change == -2
    assert changes["b"].rank_change == 1
    assert changes["b"].total_change == pytest.approx(10.0)
    assert (changes["new"].status, changes["new"].rank_change) == ("new", None)
    assert (changes["gone"].status, changes["gone"].rank) == ("gone", None)


def test_a_frozen_previous_quarter_can_be_compared_from_its_standings():
    now = score(_scheme(), {"a": {"posts_original": 40}, "b": {"posts_original": 60}})
    frozen = {"a": Standing("a", 1, 75.0), "b": Standing("b", 2, 50.0)}
    comparison = compare(now, frozen)
    assert comparison.same_scheme is None
    assert {k: c.rank_change for k, c in comparison.by_account().items()} == {"b": 1, "a": -1}


def test_comparing_runs_of_different_schemes_is_flagged():
    metrics = {"a": {"posts_original": 40}}
    assert compare(score(_scheme(), metrics), score(load_scheme(), metrics)).same_scheme is False


def test_an_account_unranked_in_one_quarter_has_no_rank_change():
    before = score(_scheme(), {"a": {}, "b": {"posts_original": 5}})
    now = score(_scheme(), {"a": {"posts_original": 50}, "b": {"posts_original": 5}})
    change = compare(now, before).by_account()["a"]
    assert (change.rank, change.previous_rank, change.rank_change) == (1, None, None)
    assert change.status == "both"
