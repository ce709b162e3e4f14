"""The keyword router the product ships with."""

from __future__ import annotations

import pytest

from govmatrix.textintel.routing import Prediction, Router, RuleRouter, default_router
from govmatrix.textintel.routing.rules import KEYWORDS


@pytest.fixture(scope="module")
def rules() -> RuleRouter:
    return RuleRouter()


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("我家楼下的违章建筑一直没人拆，物业也不管。", "城乡建设"),
        ("附近化工厂偷排废水，河里全是死鱼，臭气熏天。", "环境保护"),
        ("深夜KTV噪音污染严重，周围居民无法入睡。", "环境保护"),
        ("出租车司机拒载还绕路，要求运管部门查处。", "交通运输"),
        ("孩子小学入学划片不合理，学区房问题请教育局答复。", "教育文体"),
        ("公司拖欠工资半年，也不给交社保，农民工讨薪难。", "劳动和社会保障"),
        ("景区门票乱涨价，旅行社强制购物，游客权益受损。", "商贸旅游"),
        ("卫生院医生误诊，耽误了病情，要求卫健委调查。", "卫生计生"),
    ],
)
def test_a_message_with_clear_keywords_goes_to_its_class(
    rules: RuleRouter, text: str, label: str
) -> None:
    prediction = rules.predict_one(text)
    assert prediction.label == label
    assert 0 < prediction.confidence <= 1


def test_a_noisy_construction_site_at_night_goes_to_environment(rules: RuleRouter) -> None:
    assert rules.predict_one("夜间施工噪音扰民，噪声严重超标，环保局管不管？").label == "环境保护"


def test_the_more_specific_phrase_wins_so_medical_insurance_is_social_security(
    rules: RuleRouter,
) -> None:
    assert rules.predict_one("我的医疗保险报销比例为什么这么低？").label == "劳动和社会保障"


def test_traditional_and_full_width_text_matches_the_same_keywords(rules: RuleRouter) -> None:
    simplified = rules.predict_one("小区物业乱收费，违章建筑没人管")
    traditional = rules.predict_one("小區物業亂收費，違章建築沒人管")
    assert traditional.label == simplified.label == "城乡建设"
    assert traditional.confidence == simplified.confidence
    assert rules.predict_one("ＰＭ２.５超标").label == "环境保护"


def test_a_message_without_any_keyword_goes_to_triage_with_zero_confidence(
    rules: RuleRouter,
) -> None:
    prediction = rules.predict_one("你好，我有一件事情。")
    assert prediction.confidence == 0.0
    assert prediction.needs_triage()
    assert prediction.label == rules.fallback


def test_more_evidence_for_one_class_means_more_confidence(rules: RuleRouter) -> None:
    weak = rules.predict_one("小区的事情")
    strong = rules.predict_one("小区物业乱收费，开发商延期交房，房产证也办不下来")
    assert strong.label == weak.label == "城乡建设"
    assert strong.confidence > weak.confidence


def test_mixed_evidence_means_less_confidence_than_clear_evidence(rules: RuleRouter) -> None:
    clear = rules.predict_one("医院医生护士门诊")
    mixed = rules.predict_one("医院医生旁边的学校学生")
    assert mixed.confidence < clear.confidence


def test_a_title_counts_more_than_the_body(rules: RuleRouter) -> None:
    # Title about a school, body mentions one health keyword twice: the title wins.
    assert rules.predict_one("学校食堂问题。里面有医生，医生说").label == "教育文体"


def test_a_district_topic_is_routed_by_its_own_keywords() -> None:
    rules = RuleRouter({"防汛抗旱": ["防汛", "堤坝", "抗旱"]})
    prediction = rules.predict_one("汛期到了，村里的堤坝出现裂缝，请尽快防汛加固。")
    assert prediction.label == "防汛抗旱"
    assert "防汛抗旱" in rules.labels


def test_a_district_topic_with_an_existing_name_extends_that_class() -> None:
    before = RuleRouter().predict_one("老年食堂开张。")
    after = RuleRouter({"卫生计生": ["老年食堂"]}).predict_one("老年食堂开张。")
    assert before.confidence == 0.0
    assert after.label == "卫生计生"


def test_keywords_given_as_one_string_are_refused() -> None:
    with pytest.raises(TypeError):
        RuleRouter({"防汛抗旱": "防汛"})


def test_predictions_are_frozen_and_ranked_best_first(rules: RuleRouter) -> None:
    prediction = rules.predict_one("医院收费太贵，医保报销太少")
    assert isinstance(prediction, Prediction)
    scores = [score for _, score in prediction.ranked]
    assert scores == sorted(scores, reverse=True)
    assert prediction.ranked[0][0] == prediction.label
    with pytest.raises(AttributeError):
        prediction.label = "x"  # type: ignore[misc]


def test_every_class_has_hand_written_keywords() -> None:
    assert set(KEYWORDS) == {
        "城乡建设", "环境保护", "交通运输", "教育文体", "劳动和社会保障", "商贸旅游", "卫生计生",
    }  # fmt: skip
    assert all(len(words) >= 50 for words in KEYWORDS.values())


def test_the_default_router_is_the_rule_router_without_a_model_file() -> None:
    router = default_router(extra_topics={"防汛抗旱": ["防汛"]})
    assert isinstance(router, RuleRouter)
    assert router.predict(["防汛"])[0].label == "防汛抗旱"


def test_the_default_router_loads_a_model_file_when_given(tmp_path, tiny_corpus) -> None:
    texts, labels = tiny_corpus
    path = tmp_path / "router.joblib"
    Router().fit(texts, labels).save(path)
    assert isinstance(default_router(path), Router)
