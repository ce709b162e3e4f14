"""The content check on submit: sensitive terms, the office's banned expressions and exempt
words, and leaders' names and titles, each hit with its term, category, place and advice."""

from __future__ import annotations

import pytest

from govmatrix.publishing import services
from govmatrix.publishing.checking import Banned, Leader, check_text
from govmatrix.publishing.models import Review, RuleKind
from tests.conftest import District
from tests.publishing.conftest import FakeConnector
from tests.publishing.flow import submitted

LEADERS = [
    Leader("张三", "区委副书记、区长"),
    Leader("李四", "副区长"),
    Leader("王建国", "区委书记"),
]


def _kinds(text: str, **kwargs: object) -> list[tuple[str, str]]:
    return [(hit.kind, hit.matched) for hit in check_text(text, **kwargs)]  # type: ignore[arg-type]


def test_a_sensitive_term_is_found_through_spaces_with_its_place_and_category() -> None:
    text = "有人在评论里骂傻 逼，请删除。"
    (hit,) = check_text(text)
    assert (hit.kind, hit.term, hit.category) == ("sensitive", "傻逼", "abuse")
    assert text[hit.start : hit.end] == "傻 逼" and hit.suggestion


def test_an_ordinary_government_post_has_no_hits() -> None:
    text = "区政府召开常务会议，研究部署老旧小区改造、义务教育招生和公交线路优化等工作。"
    assert check_text(text, leaders=LEADERS) == []


def test_the_houbb_allow_list_and_the_offices_exempt_words_silence_a_hit() -> None:
    assert _kinds("曹操的故事") == []  # 曹操 is on houbb's own allow-list
    assert _kinds("傻逼") and _kinds("傻逼", exempt=["傻逼"]) == []


def test_a_banned_expression_is_flagged_with_the_wording_to_use() -> None:
    banned = [Banned("台湾总统", "台湾地区领导人")]
    (hit,) = check_text("台 湾 总统发表讲话", banned=banned)
    assert (hit.kind, hit.category, hit.start, hit.end) == ("banned", "banned", 0, 6)
    assert "台湾地区领导人" in hit.suggestion


@pytest.mark.parametrize(
    ("text", "kind", "matched"),
    [
        ("张三副区长到东城街道调研", "leader_title", "张三副区长"),
        ("副区长张三到东城街道调研", "leader_title", "副区长张三"),
        ("李四区长主持会议", "leader_title", "李四区长"),
        ("张叁区长出席", "leader_name", "张叁"),
        ("王建华书记讲话", "leader_name", "王建华"),
        ("张伞同志出席", "leader_name", "张伞"),  # a homophone, with no title beside it
    ],
)
def test_a_wrong_title_or_a_near_miss_of_a_name_is_flagged_with_the_correct_form(
    text: str, kind: str, matched: str
) -> None:
    hits = check_text(text, leaders=LEADERS)
    assert [(h.kind, h.matched) for h in hits] == [(kind, matched)]
    assert hits[0].suggestion and (
        "张三" in hits[0].suggestion
        or "李四" in hits[0].suggestion
        or "王建国" in hits[0].suggestion
    )


@pytest.mark.parametrize(
    "text",
    [
        "区长张三到东城街道调研",
        "李四副区长主持会议",
        "区委书记王建国讲话",
        "黎明时分",
        "副书记张三出席",
        "张珊同志出席",
    ],
)
def test_the_right_names_and_titles_and_unrelated_words_pass(text: str) -> None:
    assert check_text(text, leaders=LEADERS) == []


def test_submitting_records_the_hits_of_the_offices_lists_for_the_approver(
    district: District, platform: FakeConnector
) -> None:
    services.content_rule_create(
        actor=district.office_admin, kind=RuleKind.BANNED, phrase="北朝鲜", suggestion="朝鲜"
    )
    services.leader_name_create(actor=district.office_admin, name="张三", titles="区长")
    post = submitted(district, text="张三副区长会见北朝鲜客人。")
    hits = Review.objects.get(post=post).check_hits
    assert [(h["kind"], h["matched"]) for h in hits] == [
        ("leader_title", "张三副区长"),
        ("banned", "北朝鲜"),
    ]
    assert all({"term", "category", "start", "end", "suggestion"} <= set(h) for h in hits)


def test_a_switched_off_entry_no_longer_counts(district: District, platform: FakeConnector) -> None:
    rule = services.content_rule_create(
        actor=district.office_admin, kind=RuleKind.BANNED, phrase="北朝鲜"
    )
    services.content_rule_update(actor=district.office_admin, rule_id=rule.pk, is_active=False)
    post = submitted(district, text="北朝鲜客人来访。")
    assert Review.objects.get(post=post).check_hits == []


def test_only_the_office_edits_the_lists(district: District, platform: FakeConnector) -> None:
    from govmatrix.core.errors import NotAllowed

    with pytest.raises(NotAllowed):
        services.content_rule_create(actor=district.leader, kind=RuleKind.BANNED, phrase="北朝鲜")
    with pytest.raises(NotAllowed):
        services.leader_name_create(actor=district.operator, name="张三", titles="区长")
