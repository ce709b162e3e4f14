"""The wording library (口径库): who keeps it, its search, and suggestions by similarity; and
Chinese full-text search over messages."""

from __future__ import annotations

import pytest

from govmatrix.core.errors import NotAllowed
from govmatrix.inbox import services
from govmatrix.inbox.search import query_words
from govmatrix.inbox.selectors.messages import MessageFilter, message_list
from govmatrix.inbox.selectors.replies import suggest_wordings, wordings_for
from tests.inbox.conftest import Inbox


def _library(inbox: Inbox) -> dict[str, int]:
    d = inbox.district
    made = {
        "noise": services.wording_create(
            actor=d.office_admin,
            title="夜间施工噪声",
            text="夜间22点后禁止高噪声施工作业，执法人员将到现场核查噪音扰民问题。",
        ),
        "lamp": services.wording_create(
            actor=d.office_admin, title="路灯维修", text="已通知路灯养护单位到场维修损坏的路灯。"
        ),
        "school": services.wording_create(
            actor=d.office_admin, title="入学划片", text="施教区划分每年4月在教育局网站公布。"
        ),
        "street": services.wording_create(
            actor=d.leader,
            title="东城事实先报",
            text="东城街道已收到，正在现场核实路灯情况。",
            unit_id=d.street01.pk,
        ),
    }
    return {key: w.pk for key, w in made.items()}


def test_wordings_are_kept_by_the_office_for_the_district_and_by_a_principal_leader_for_the_unit(
    inbox: Inbox,
) -> None:
    d = inbox.district
    with pytest.raises(NotAllowed):
        services.wording_create(actor=d.operator, title="x", text="y")
    with pytest.raises(NotAllowed):
        services.wording_create(actor=d.leader, title="x", text="y")  # district-wide: office
    with pytest.raises(NotAllowed):
        services.wording_create(actor=d.leader, title="x", text="y", unit_id=d.street02.pk)
    ids = _library(inbox)
    assert {w.pk for w in wordings_for(user=d.neighbour)} == {
        ids["noise"],
        ids["lamp"],
        ids["school"],
    }
    assert ids["street"] in {w.pk for w in wordings_for(user=d.operator)}


def test_the_library_is_searchable_in_chinese(inbox: Inbox) -> None:
    ids = _library(inbox)
    found = [w.pk for w in wordings_for(user=inbox.district.operator, q="施工 噪音")]
    assert found == [ids["noise"]]
    assert [w.pk for w in wordings_for(user=inbox.district.operator, q="划片")] == [ids["school"]]


def test_wordings_are_suggested_by_their_similarity_to_the_message(inbox: Inbox) -> None:
    d = inbox.district
    ids = _library(inbox)
    noise = inbox.arrive(d.street01_account, "工地晚上十一点还在施工，噪音扰民，睡不着觉。")
    suggested = suggest_wordings(noise, user=d.operator)
    assert suggested[0][0].pk == ids["noise"] and suggested[0][1] > 0
    lamp = inbox.arrive(d.street01_account, "小区的路灯坏了一周了，请派人维修。", who="乙")
    assert suggest_wordings(lamp, user=d.operator)[0][0].pk in {ids["lamp"], ids["street"]}
    # Another unit's own wordings are never offered.
    west = inbox.arrive(d.street02_account, "西城的路灯坏了，请维修。", who="丙")
    assert ids["street"] not in {w.pk for w, _s in suggest_wordings(west, user=d.neighbour)}


def test_a_reply_drafted_from_a_wording_counts_its_use(inbox: Inbox) -> None:
    d = inbox.district
    ids = _library(inbox)
    message = inbox.arrive(d.street01_account, "路灯坏了。")
    reply = services.reply_create(
        actor=d.operator,
        message_id=message.pk,
        text="已通知路灯养护单位明天维修。",
        wording_id=ids["lamp"],
    )
    assert reply.wording_text == "已通知路灯养护单位到场维修损坏的路灯。"
    assert wordings_for(user=d.operator, q="路灯维修").get(pk=ids["lamp"]).times_used == 1


def test_query_words_keep_the_smallest_words_and_drop_filler() -> None:
    assert query_words("噪音扰民") == ["噪音", "扰民"]
    assert "了" not in query_words("路灯坏了")
    assert query_words("   ") == []


def test_chinese_full_text_search_finds_every_word_however_the_message_was_cut(
    inbox: Inbox,
) -> None:
    d = inbox.district
    inbox.arrive(d.street01_account, "工地夜间施工噪音严重扰民。", who="甲")
    inbox.arrive(d.street01_account, "噪音扰民，晚上睡不着。", who="乙")
    inbox.arrive(d.street01_account, "路灯坏了，晚上很黑。", who="丙")

    def found(q: str) -> list[str]:
        rows = message_list(user=d.operator, filters=MessageFilter(q=q))
        return sorted(m.author_name for m in rows)

    assert found("噪音扰民") == ["乙", "甲"]
    assert found("晚上") == ["丙", "乙"]
    assert found("路灯 噪音") == []
    assert found("学校") == []
    # Scoped like everything else: 西城's operator finds none of 东城's messages.
    assert message_list(user=d.neighbour, filters=MessageFilter(q="噪音")).count() == 0


def test_the_search_index_follows_edits_and_deletions(inbox: Inbox) -> None:
    from govmatrix.inbox.models import Message

    d = inbox.district
    message = inbox.arrive(d.street01_account, "垃圾站臭味刺鼻。")
    Message.objects.filter(pk=message.pk).update(search_text="学校 门口 拥堵")
    assert message_list(user=d.operator, filters=MessageFilter(q="学校")).count() == 1
    assert message_list(user=d.operator, filters=MessageFilter(q="垃圾站")).count() == 0
    Message.objects.filter(pk=message.pk).delete()
    assert message_list(user=d.operator, filters=MessageFilter(q="学校")).count() == 0
