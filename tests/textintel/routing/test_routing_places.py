"""Which street or town a message mentions, from the district's own gazetteer."""

from __future__ import annotations

import pytest

from govmatrix.textintel.routing import PlaceMatch, PlaceMatcher

GAZETTEER = {
    "street01": ["东城街道", "东城"],
    "street02": ["西城街道", "西城", "西城区街道办"],
    "town03": ["望城坡镇", "望城坡"],
}


@pytest.fixture(scope="module")
def matcher() -> PlaceMatcher:
    return PlaceMatcher(GAZETTEER)


def test_a_message_naming_a_street_is_matched_to_its_unit(matcher: PlaceMatcher) -> None:
    found = matcher.match("我住在东城街道，楼下天天施工。")
    assert found == PlaceMatch("street01", "东城街道", 3, 7)


def test_the_longest_name_wins_over_an_alias_inside_it(matcher: PlaceMatcher) -> None:
    mentions = matcher.find_all("西城区街道办不作为")
    assert [m.name for m in mentions] == ["西城区街道办"]


def test_the_unit_mentioned_most_often_is_the_match(matcher: PlaceMatcher) -> None:
    found = matcher.match("从东城搬到望城坡镇，望城坡的路太差")
    assert found is not None and found.unit_code == "town03"
    assert found.name == "望城坡镇"


def test_a_tie_goes_to_the_longer_name_then_the_first_mentioned(matcher: PlaceMatcher) -> None:
    longer = matcher.match("东城和西城街道")
    first = matcher.match("东城和西城")
    assert longer is not None and longer.unit_code == "street02"
    assert first is not None and first.unit_code == "street01"


def test_traditional_and_full_width_text_is_matched(matcher: PlaceMatcher) -> None:
    found = matcher.match("東城街道的路燈壞了")
    assert found is not None and found.unit_code == "street01"


def test_a_message_without_a_known_place_matches_nothing(matcher: PlaceMatcher) -> None:
    assert matcher.match("路灯坏了") is None
    assert matcher.find_all("") == []


def test_a_name_two_units_share_is_reported_for_both_and_decides_nothing_alone() -> None:
    matcher = PlaceMatcher({"a": ["解放路", "甲街道"], "b": ["解放路"]})
    assert {m.unit_code for m in matcher.find_all("解放路")} == {"a", "b"}
    found = matcher.match("甲街道解放路")
    assert found is not None and found.unit_code == "a"


def test_an_empty_gazetteer_matches_nothing() -> None:
    assert PlaceMatcher({}).match("东城街道") is None


def test_names_given_as_one_string_are_refused() -> None:
    with pytest.raises(TypeError):
        PlaceMatcher({"street01": "东城街道"})
