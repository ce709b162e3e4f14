"""Complaint, inquiry, suggestion, praise or other."""

from __future__ import annotations

import pytest

from govmatrix.textintel.routing import MessageKind, classify_kind


def test_the_kind_values_are_exactly_the_five_names_the_product_stores() -> None:
    assert {kind.value for kind in MessageKind} == {
        "complaint", "inquiry", "suggestion", "praise", "other",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("请问新生儿医保如何办理？需要什么材料？", "inquiry"),
        ("咨询一下，灵活就业人员是否可以缴纳职工养老保险？", "inquiry"),
        ("投诉：小区旁工地夜间施工噪音严重扰民，多次反映无人管。", "complaint"),
        ("举报某公司长期偷排废水，严重污染河道。", "complaint"),
        ("建议将32路公交车延伸至高铁站，方便南湖片区居民出行。", "suggestion"),
        ("希望政府能加快老旧小区改造，增设停车位。", "suggestion"),
        ("感谢街道办工作人员及时解决了我们小区的积水问题，为他们点赞！", "praise"),
        ("表扬市第一医院的王医生，耐心细致，尽职尽责。", "praise"),
        ("今天去了图书馆。", "other"),
    ],
)
def test_cue_words_and_patterns_decide_the_kind(text: str, kind: str) -> None:
    result = classify_kind(text)
    assert result.kind == kind
    assert 0 < result.confidence <= 1


def test_a_complaint_that_ends_with_thanks_stays_a_complaint() -> None:
    result = classify_kind("楼下烧烤店油烟严重扰民，多次反映没人管。谢谢！辛苦了！")
    assert result.kind is MessageKind.COMPLAINT


def test_a_rhetorical_question_is_a_complaint_not_an_inquiry() -> None:
    text = "路灯坏了三个月没人修，难道就没人管吗？凭什么我们交了物业费还这样？"
    assert classify_kind(text).kind is MessageKind.COMPLAINT


def test_courtesy_alone_is_no_praise() -> None:
    assert classify_kind("您好，谢谢。").kind is MessageKind.OTHER


def test_a_message_without_cues_is_other_with_middling_confidence() -> None:
    result = classify_kind("")
    assert result.kind is MessageKind.OTHER
    assert result.confidence == 0.5


def test_clear_cues_give_more_confidence_than_mixed_ones() -> None:
    clear = classify_kind("请问如何办理？需要什么材料？")
    mixed = classify_kind("请问为什么投诉了还不处理？")
    assert clear.kind is MessageKind.INQUIRY
    assert clear.confidence > mixed.confidence


def test_full_width_question_marks_and_traditional_text_are_understood() -> None:
    assert classify_kind("請問醫保怎麼辦理？").kind is MessageKind.INQUIRY
