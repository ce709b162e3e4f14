"""Schemes as data: validation with clear errors, JSON round trip, content hash."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from govmatrix.assessment.scoring import (
    DEFAULT_SCHEME,
    SCHEME_NAMES,
    Scheme,
    SchemeError,
    load_scheme,
    parse_rule,
    shipped_scheme_dicts,
)


def small_scheme() -> dict[str, Any]:
    return {
        "name": "small",
        "version": "1",
        "title_zh": "小方案",
        "dimensions": [
            {"key": "volume", "label_zh": "发布量", "weight": 0.6},
            {"key": "interaction", "label_zh": "互动", "weight": 0.4},
        ],
        "indicators": [
            {"key": "posts", "label_zh": "发布数", "dimension": "volume",
             "metrics": ["posts_original"], "transform": "ln1p", "normalisation": "minmax",
             "weight": 1.0},
            {"key": "reply_rate", "label_zh": "答复率", "dimension": "interaction",
             "metrics": ["messages_answered", "messages_received"], "combine": "ratio",
             "normalisation": {"method": "fixed_scale", "min": 0, "max": 1}, "weight": 0.7},
            {"key": "response_time", "label_zh": "答复用时", "dimension": "interaction",
             "metric": "median_response_hours", "direction": "lower",
             "normalisation": {"method": "fixed_scale", "min": 0, "max": 40}, "weight": 0.3},
        ],
        "vetoes": [
            {"key": "dormant", "label_zh": "长期不更新", "rule": "days_since_last_post >= 14"},
        ],
    }  # fmt: skip


def errors_of(data: dict[str, Any]) -> dict[str, str]:
    with pytest.raises(SchemeError) as caught:
        Scheme.from_dict(data)
    return caught.value.errors


def test_a_valid_scheme_loads_with_defaults_filled_in():
    scheme = Scheme.from_dict(small_scheme())
    assert scheme.scale == 100.0
    assert scheme.missing.policy == "reweight"
    assert scheme.ranking.precision == 2
    assert scheme.veto_action.kind == "zero"
    assert scheme.indicator("posts").normalisation.on_constant == "mid"
    assert scheme.indicator("response_time").metrics == ("median_response_hours",)
    assert scheme.metric_names == (
        "posts_original",
        "messages_answered",
        "messages_received",
        "median_response_hours",
        "days_since_last_post",
    )


def test_dimension_weights_that_do_not_sum_to_one_are_refused():
    data = small_scheme()
    data["dimensions"][1]["weight"] = 0.5
    errors = errors_of(data)
    assert "维度权重之和应为 1" in errors["dimensions"]
    assert "1.1" in errors["dimensions"]


def test_indicator_weights_inside_a_dimension_must_sum_to_one():
    data = small_scheme()
    data["indicators"][2]["weight"] = 0.2
    errors = errors_of(data)
    assert "'interaction'" in errors["indicators"] and "0.9" in errors["indicators"]


def test_an_unknown_metric_is_refused_with_a_suggestion():
    data = small_scheme()
    data["indicators"][0]["metrics"] = ["posts_orignal"]
    errors = errors_of(data)
    message = errors["indicators[0].metrics"]
    assert "未知的数据项 'posts_orignal'" in message
    assert "'posts_original'" in message


def test_an_unknown_normalisation_is_refused_listing_the_choices():
    data = small_scheme()
    data["indicators"][0]["normalisation"] = {"method": "minmaxx"}
    errors = errors_of(data)
    assert errors["indicators[0].normalisation.method"] == (
        "未知的标准化方法 'minmaxx'；可选：minmax, zscore, fixed_scale, ratio_to_target, none"
    )


def test_an_unknown_field_is_refused_instead_of_ignored():
    data = small_scheme()
    data["indicators"][0]["wieght"] = 1.0
    errors = errors_of(data)
    assert "未知字段" in errors["indicators[0].wieght"]
    assert "'weight'" in errors["indicators[0].wieght"]


def test_every_problem_is_reported_at_once():
    data = small_scheme()
    data["name"] = "Bad Name"
    data["dimensions"][0]["weight"] = 0.9
    data["indicators"][1]["combine"] = "product"
    data["vetoes"][0]["rule"] = "days_since_last_post => 14"
    errors = errors_of(data)
    assert set(errors) >= {
        "name",
        "dimensions",
        "indicators[1].combine",
        "vetoes[0].rule",
    }


def test_a_name_with_a_trailing_newline_is_refused():
    data = small_scheme()
    data["name"] = "small\n"
    assert "不是有效标识" in errors_of(data)["name"]


def test_a_veto_rule_on_an_unknown_metric_is_refused():
    data = small_scheme()
    data["vetoes"][0]["rule"] = "days_since_post >= 14"
    assert "未知的数据项 'days_since_post'" in errors_of(data)["vetoes[0].rule"]


def test_veto_rules_parse_and_print_canonically():
    assert str(parse_rule("days_since_last_post>=14")) == "days_since_last_post >= 14"
    assert str(parse_rule(" effective_interactions == 0 ")) == "effective_interactions == 0"
    assert str(parse_rule("serious_wording_errors > 0.5")) == "serious_wording_errors > 0.5"
    assert parse_rule("interaction_enabled == false").value == 0.0
    with pytest.raises(SchemeError):
        parse_rule("days_since_last_post >= 14 or 1 == 1")
    with pytest.raises(SchemeError):
        parse_rule("__import__('os')")


def test_a_cap_veto_without_a_value_is_refused():
    data = small_scheme()
    data["veto_action"] = {"kind": "cap"}
    assert "需要一个数值" in errors_of(data)["veto_action.value"]


def test_lower_is_better_cannot_use_no_normalisation():
    data = small_scheme()
    data["indicators"][0]["normalisation"] = "none"
    data["indicators"][0]["direction"] = "lower"
    assert "不能反向" in errors_of(data)["indicators[0].direction"]


def test_a_ratio_needs_exactly_two_metrics():
    data = small_scheme()
    data["indicators"][1]["metrics"] = ["messages_answered"]
    assert "恰好 2 个" in errors_of(data)["indicators[1].metrics"]


def test_a_fixed_scale_needs_max_above_min():
    data = small_scheme()
    data["indicators"][2]["normalisation"] = {"method": "fixed_scale", "min": 40, "max": 0}
    assert "max > min" in errors_of(data)["indicators[2].normalisation"]


def test_a_weight_outside_its_stated_range_is_refused():
    data = small_scheme()
    data["dimensions"][0]["weight_range"] = [0.3, 0.5]
    assert "不在区间" in errors_of(data)["dimensions[0].weight_range"]


def test_negative_weights_and_non_numbers_are_refused():
    data = small_scheme()
    data["indicators"][1]["weight"] = -0.3
    data["indicators"][2]["weight"] = "0.3"
    errors = errors_of(data)
    assert errors["indicators[1].weight"] == "不能小于 0"
    assert errors["indicators[2].weight"] == "应为数字"


def test_a_dimension_without_indicators_is_refused():
    data = small_scheme()
    data["dimensions"].append({"key": "spare", "label_zh": "空", "weight": 0.0})
    assert "维度 'spare' 没有任何指标" in errors_of(data)["indicators"]


def test_bad_input_changes_nothing():
    data = small_scheme()
    good = Scheme.from_dict(data)
    bad = copy.deepcopy(data)
    bad["dimensions"][0]["weight"] = 2.0
    snapshot = copy.deepcopy(bad)
    with pytest.raises(SchemeError):
        Scheme.from_dict(bad)
    assert bad == snapshot
    assert good == Scheme.from_dict(data)


def test_a_scheme_survives_a_json_round_trip_unchanged():
    for name in SCHEME_NAMES:
        scheme = load_scheme(name)
        again = Scheme.from_json(scheme.to_json())
        assert again == scheme
        assert again.to_dict() == scheme.to_dict()
        assert again.content_hash == scheme.content_hash


def test_the_content_hash_ignores_spelling_but_not_content():
    data = small_scheme()
    base = Scheme.from_dict(data).content_hash
    spelled = copy.deepcopy(data)
    spelled["dimensions"][0]["weight"] = 0.6000000000  # same number
    spelled["indicators"][0]["normalisation"] = {"method": "minmax", "on_constant": "mid"}
    spelled["scale"] = 100  # int, the default
    assert Scheme.from_dict(spelled).content_hash == base

    changed = copy.deepcopy(data)
    changed["dimensions"][0]["weight"] = 0.5
    changed["dimensions"][1]["weight"] = 0.5
    assert Scheme.from_dict(changed).content_hash != base


def test_the_content_hash_is_stable_across_processes():
    # sha256 of canonical JSON: the same for everyone, so it can identify a stored version.
    scheme = Scheme.from_dict(small_scheme())
    canonical = json.dumps(scheme.to_dict(), ensure_ascii=False, sort_keys=True,
                           separators=(",", ":"))  # fmt: skip
    import hashlib

    assert scheme.content_hash == hashlib.sha256(canonical.encode()).hexdigest()
    assert len(scheme.content_hash) == 64


def test_invalid_json_text_is_a_scheme_error():
    with pytest.raises(SchemeError) as caught:
        Scheme.from_json("{not json")
    assert "不是有效的 JSON" in str(caught.value)


def test_every_shipped_scheme_validates_and_is_plain_json():
    dicts = shipped_scheme_dicts()
    assert set(dicts) == set(SCHEME_NAMES)
    assert DEFAULT_SCHEME == "four_dimensions"
    for name, data in dicts.items():
        assert json.loads(json.dumps(data)) == data
        assert Scheme.from_dict(data).name == name


def test_shipped_scheme_dicts_are_copies():
    dicts = shipped_scheme_dicts()
    dicts["four_dimensions"]["dimensions"][0]["weight"] = 0.9
    assert load_scheme("four_dimensions").dimension("volume").weight == 0.25


def test_the_default_scheme_covers_the_four_dimensions_of_the_document():
    scheme = load_scheme()
    assert [d.label_zh for d in scheme.dimensions] == ["政务信息发布量", "政民互动", "活跃度",
                                                       "传播力"]  # fmt: skip
    assert sum(d.weight for d in scheme.dimensions) == pytest.approx(1.0)
    folded = {m for i in scheme.indicators for m in i.metrics}
    for process_metric in (
        "posts_reported_on_time",
        "median_response_hours",
        "messages_answered_within_sla",
        "repost_orders_on_time",
        "median_repost_latency_minutes",
        "median_harm_case_report_hours",
        "inspection_findings",
        "training_attended",
    ):
        assert process_metric in folded
    assert {v.key for v in scheme.vetoes} >= {"dormant", "interaction_disabled",
                                              "serious_wording_error"}  # fmt: skip


def test_a_scheme_with_other_dimension_weights_is_validated_again():
    scheme = load_scheme("people_daily")
    variant = scheme.with_dimension_weights({"propagation": 0.4, "service": 0.3,
                                             "interaction": 0.3})  # fmt: skip
    assert variant.dimension("propagation").weight == 0.4
    assert variant.content_hash != scheme.content_hash
    with pytest.raises(SchemeError):
        scheme.with_dimension_weights({"propagation": 0.9})
