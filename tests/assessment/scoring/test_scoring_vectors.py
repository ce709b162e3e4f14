"""Every test vector of docs/reference/assessment-methods.md (§1.3, §2.4, §2.5)."""

from __future__ import annotations

import math

import pytest

from govmatrix.assessment.scoring import load_scheme, score, score_reference
from govmatrix.assessment.scoring.indices import bci_full, bci_simple, wci_v2, wci_v14_2

BCI_FULL_CASES = [
    # (name, X1..X7, W1, W2, BCI) — assessment-methods.md §2.5, printed to 6 decimals.
    ("all zero", (0, 0, 0, 0, 0, 0, 0), 0.0, 0.0, 0.0),
    ("all one", (1, 1, 1, 1, 1, 1, 1), 0.693147, 0.693147, 110.903549),
    ("typical quarter", (300, 200, 5000, 3000, 4000, 2500, 20000), 5.424447, 8.324859, 1239.164233),
]
X_METRICS = (
    "posts_total",
    "posts_original",
    "reposts_received",
    "comments_received",
    "original_reposts_received",
    "original_comments_received",
    "likes_received",
)

# §1.3: 传播力, 服务力, 互动力, published 竞争力指数 (2023 Q3 city table).
PEOPLE_DAILY_ROWS = {
    "成都": (94.61, 86.91, 94.17, 91.76),
    "杭州": (77.42, 72.50, 81.42, 77.10),
    "南京": (78.43, 71.95, 77.99, 76.01),
    "西安": (78.37, 71.56, 74.77, 74.73),
    "青岛": (77.06, 71.25, 71.03, 72.92),
    "陇南": (82.29, 74.47, 60.34, 71.87),
    "郑州": (66.62, 66.95, 67.42, 67.02),
    "开封": (70.17, 73.03, 55.76, 66.13),
    "保定": (72.83, 68.90, 56.76, 65.83),
    "沈阳": (65.23, 65.89, 64.43, 65.18),
}


def _bci_metrics(values: tuple[int, ...]) -> dict[str, float | None]:
    return dict(zip(X_METRICS, map(float, values), strict=True))


@pytest.mark.parametrize(("name", "inputs", "w1", "w2", "bci"), BCI_FULL_CASES)
def test_bci_matches_the_published_test_vector(name, inputs, w1, w2, bci):
    result = score(load_scheme("gsdata_bci"), {name: _bci_metrics(inputs)})
    account = result.account(name)
    assert account.dimensions["activity"].score == pytest.approx(w1, abs=5e-7)
    assert account.dimensions["propagation"].score == pytest.approx(w2, abs=5e-7)
    assert account.total == pytest.approx(bci, abs=5e-7)


def test_bci_of_all_ones_is_160_ln_2():
    result = score(load_scheme("gsdata_bci"), {"a": _bci_metrics((1,) * 7)})
    assert result.total("a") == pytest.approx(160 * math.log(2), rel=1e-12)


def test_simplified_bci_matches_its_test_vector():
    metrics = {
        "a": {
            "posts_total": 300,
            "reposts_received": 5000,
            "comments_received": 3000,
            "likes_received": 20000,
        }
    }
    account = score(load_scheme("gsdata_bci_simple"), metrics).account("a")
    assert account.dimensions["activity"].score == pytest.approx(5.707110, abs=5e-7)
    assert account.dimensions["propagation"].score == pytest.approx(8.590345, abs=5e-7)
    assert account.total == pytest.approx(1282.191703, abs=5e-7)


def test_the_two_bci_variants_differ_on_the_same_counts():
    counts = _bci_metrics((300, 200, 5000, 3000, 4000, 2500, 20000))
    full = score(load_scheme("gsdata_bci"), {"a": counts}).total("a")
    simple = score(load_scheme("gsdata_bci_simple"), {"a": counts}).total("a")
    assert full is not None and simple is not None
    assert abs(full - simple) > 10


def test_the_bci_functions_match_the_test_vectors():
    for _, inputs, w1, w2, bci in BCI_FULL_CASES:
        got = bci_full(*inputs)
        assert got.w1 == pytest.approx(w1, abs=5e-7)
        assert got.w2 == pytest.approx(w2, abs=5e-7)
        assert got.bci == pytest.approx(bci, abs=5e-7)
    simple = bci_simple(300, 5000, 3000, 20000)
    assert simple.bci == pytest.approx(1282.191703, abs=5e-7)


def test_the_bci_scheme_agrees_with_the_bci_function_on_many_accounts():
    import random

    rng = random.Random(7)
    metrics = {
        f"a{i}": _bci_metrics(tuple(rng.randint(0, 10 ** rng.randint(0, 6)) for _ in range(7)))
        for i in range(200)
    }
    result = score(load_scheme("gsdata_bci"), metrics)
    for key, values in metrics.items():
        expected = bci_full(*(values[m] or 0.0 for m in X_METRICS)).bci
        assert result.total(key) == pytest.approx(expected, rel=1e-12, abs=1e-9)


def test_a_bci_account_missing_one_count_gets_no_bci_rather_than_a_guess():
    values = _bci_metrics((300, 200, 5000, 3000, 4000, 2500, 20000))
    values["likes_received"] = None
    account = score(load_scheme("gsdata_bci"), {"a": values}).account("a")
    assert account.total is None
    assert account.rank is None
    assert account.missing == ("x7_likes",)
    # W1 is complete and still shown; W2 is not.
    assert account.dimensions["activity"].score == pytest.approx(5.424447, abs=5e-7)
    assert account.dimensions["propagation"].score is None


def test_wci_v14_2_matches_the_computed_test_vector():
    got = wci_v14_2(
        reads=300000, wows=3000, likes=6000, shares=9000, articles=90, days=30,
        headline_reads=200000, headline_wows=2000, headline_likes=4000, headline_shares=6000,
        max_reads=20000, max_wows=200, max_likes=500, max_shares=800,
    )  # fmt: skip
    assert got.overall == pytest.approx(8.726185, abs=5e-7)
    assert got.per_article == pytest.approx(7.628053, abs=5e-7)
    assert got.headline == pytest.approx(8.320840, abs=5e-7)
    assert got.peak == pytest.approx(9.475744, abs=5e-7)
    assert got.wci == pytest.approx(875.380127, abs=5e-7)


def test_wci_v2_matches_the_published_worked_example():
    got = wci_v2(reads=10000, mean_reads=100, max_reads=300, likes=4000, mean_likes=40,
                 max_likes=60)  # fmt: skip
    assert got.reading == pytest.approx(6.617047, abs=5e-7)
    assert got.like == pytest.approx(5.605458, abs=5e-7)
    assert got.weighted == pytest.approx(6.414729, abs=5e-7)
    assert got.wci == pytest.approx(411.4875079, abs=1e-6)


def test_wci_without_articles_does_not_divide_by_zero():
    got = wci_v14_2(
        reads=0, wows=0, likes=0, shares=0, articles=0, days=30, headline_reads=0,
        headline_wows=0, headline_likes=0, headline_shares=0, max_reads=0, max_wows=0,
        max_likes=0, max_shares=0,
    )  # fmt: skip
    assert got.wci == 0.0


def _published_metrics() -> dict[str, dict[str, float | None]]:
    return {
        city: {
            "pd_propagation_index": a,
            "pd_service_index": b,
            "pd_interaction_index": c,
        }
        for city, (a, b, c, _) in PEOPLE_DAILY_ROWS.items()
    }


def test_people_daily_index_reproduces_the_published_2023q3_city_table():
    result = score(load_scheme("people_daily_published"), _published_metrics())
    for city, (*_, published) in PEOPLE_DAILY_ROWS.items():
        total = result.total(city)
        assert total is not None
        assert abs(round(total, 2) - published) <= 0.01, city


def test_people_daily_ranking_follows_the_published_order():
    result = score(load_scheme("people_daily_published"), _published_metrics())
    assert [a.account for a in result] == list(PEOPLE_DAILY_ROWS)
    assert [a.rank for a in result] == list(range(1, len(PEOPLE_DAILY_ROWS) + 1))


def test_people_daily_weights_do_not_fit_the_2015_edition():
    # 2015 H1 昆明: the 2023 Q3 weights give 81.73, the report printed 83.59 (§1.3 caveat).
    metrics = {"昆明": {"pd_propagation_index": 93.76, "pd_service_index": 75.15,
                        "pd_interaction_index": 77.99}}  # fmt: skip
    total = score(load_scheme("people_daily_published"), metrics).total("昆明")
    assert total is not None
    assert total == pytest.approx(81.727, abs=1e-9)
    assert abs(total - 83.59) > 1


def test_people_daily_proxy_and_published_schemes_share_the_fitted_weights():
    proxy = load_scheme("people_daily")
    published = load_scheme("people_daily_published")
    for scheme in (proxy, published):
        weights = {d.key: d.weight for d in scheme.dimensions}
        assert weights == {"propagation": 0.30, "service": 0.35, "interaction": 0.35}
        assert all(d.weight_range is not None and "not published" in d.note
                   for d in scheme.dimensions)  # fmt: skip


def test_the_reference_path_reproduces_every_vector_too():
    bci = score_reference(load_scheme("gsdata_bci"), {
        name: _bci_metrics(inputs) for name, inputs, *_ in BCI_FULL_CASES
    })  # fmt: skip
    for name, _, _, _, expected in BCI_FULL_CASES:
        assert bci.total(name) == pytest.approx(expected, abs=5e-7)
    pd = score_reference(load_scheme("people_daily_published"), _published_metrics())
    for city, (*_, published) in PEOPLE_DAILY_ROWS.items():
        total = pd.total(city)
        assert total is not None and abs(round(total, 2) - published) <= 0.01
