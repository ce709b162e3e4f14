"""Classification and routing: kind, topic, unit and harm, each with its confidence; low
confidence waits in the office's triage queue."""

from __future__ import annotations

from decimal import Decimal

import pytest

from govmatrix.core.errors import NotAllowed, ValidationFailed
from govmatrix.inbox import services
from govmatrix.inbox.models import Message, MessageState, MessageTopic, RoutedBy
from govmatrix.inbox.routing import short_place_name
from govmatrix.textintel.classify import MessageClassifier, search_words, trend_phrases
from govmatrix.textintel.routing import PlaceMatcher, RuleRouter
from tests.factories import UnitFactory
from tests.inbox.conftest import Inbox


def test_a_named_street_sends_the_message_to_that_street_whichever_account_it_reached(
    inbox: Inbox,
) -> None:
    d = inbox.district
    message = inbox.arrive(d.main_account, "西城街道幸福里小区门口的下水道堵了，污水横流。")
    assert message.unit == d.street02 and message.routed_by == RoutedBy.PLACE
    assert message.unit_confidence == 1.0 and message.place_name in {"西城街道", "西城"}
    assert message.state == MessageState.OPEN


def test_a_message_to_a_streets_own_account_stays_with_the_street(inbox: Inbox) -> None:
    d = inbox.district
    message = inbox.arrive(d.street01_account, "小区里的健身器材坏了，请尽快修理。")
    assert message.unit == d.street01 and message.routed_by == RoutedBy.ACCOUNT
    assert message.unit_confidence == pytest.approx(0.8)


def test_the_topic_map_routes_what_reached_the_main_account(inbox: Inbox) -> None:
    d = inbox.district
    message = inbox.arrive(
        d.main_account, "化工厂偷排废水，河道污染严重，死鱼漂满河面，臭味刺鼻，请环保部门查处！"
    )
    assert message.topic.code == "environment" and message.topic_confidence >= 0.8
    assert message.unit == inbox.environment and message.routed_by == RoutedBy.TOPIC
    assert message.kind == "complaint" and message.kind_confidence > 0.5
    assert message.state == MessageState.OPEN


def test_low_confidence_goes_to_the_offices_triage_queue_with_the_best_guess(
    inbox: Inbox,
) -> None:
    d = inbox.district
    vague = inbox.arrive(d.main_account, "有个事情想反映一下，希望有人管管。")
    assert vague.state == MessageState.TRIAGE
    assert vague.unit_confidence < 0.6
    # No unit answers for 城乡建设 yet: a clear urban message still waits for the office.
    unmapped = inbox.arrive(
        d.main_account, "小区物业乱收费，业主委员会多次反映没有结果。", who="乙"
    )
    assert unmapped.topic.code == "urban" and unmapped.unit is None
    assert unmapped.state == MessageState.TRIAGE and unmapped.routed_by == RoutedBy.NONE


def test_the_office_decides_the_threshold(inbox: Inbox) -> None:
    d = inbox.district
    services.inbox_settings_update(actor=d.office_admin, triage_threshold=Decimal("0.90"))
    message = inbox.arrive(d.street01_account, "路灯坏了。")
    assert message.unit == d.street01 and message.unit_confidence == pytest.approx(0.8)
    assert message.state == MessageState.TRIAGE
    with pytest.raises(NotAllowed):
        services.inbox_settings_update(actor=d.leader, triage_threshold=Decimal("0.1"))
    with pytest.raises(ValidationFailed):
        services.inbox_settings_update(actor=d.office_admin, triage_threshold=Decimal("1.5"))


def test_a_topic_the_district_adds_routes_by_its_keywords(inbox: Inbox) -> None:
    d = inbox.district
    services.topic_create(
        actor=d.office_admin, name="养犬管理", keywords="遛狗 狗绳 犬只 狗叫", unit_id=d.street02.pk
    )
    message = inbox.arrive(d.main_account, "有人遛狗不拴狗绳，犬只追咬小孩，晚上狗叫不停。")
    assert message.topic.name == "养犬管理" and message.unit == d.street02
    assert message.routed_by == RoutedBy.TOPIC


def test_an_added_place_name_routes_to_its_street(inbox: Inbox) -> None:
    d = inbox.district
    services.place_name_add(actor=d.office_admin, unit_id=d.street02.pk, name="幸福里")
    message = inbox.arrive(d.main_account, "幸福里3号楼电梯坏了一周了。")
    assert message.unit == d.street02 and message.place_name == "幸福里"
    with pytest.raises(ValidationFailed):
        services.place_name_add(actor=d.office_admin, unit_id=d.dept01.pk, name="教育路")


def test_a_street_the_office_adds_later_gets_the_messages_that_name_it(inbox: Inbox) -> None:
    d = inbox.district
    inbox.arrive(d.main_account, "西城街道幸福里小区门口的下水道堵了。")  # routing has loaded
    lake = UnitFactory(code="street12", name="南湖街道", kind="street_town", parent=d.government)
    message = inbox.arrive(d.main_account, "南湖街道湖滨路的路灯一到晚上就不亮。")
    assert message.unit == lake and message.routed_by == RoutedBy.PLACE


def test_harm_score_comes_from_the_lexicon_and_for_comments_the_classifier(inbox: Inbox) -> None:
    d = inbox.district
    clean = inbox.arrive(d.street01_account, "感谢东城街道的工作人员，路灯修好了。")
    assert clean.harm_source == "classifier" and clean.harm_score < 0.5
    assert not clean.harm_flagged
    abusive = inbox.arrive(d.street01_account, "你们这帮傻逼，什么都不管！", who="某网友")
    assert abusive.harm_flagged and abusive.harm_score == 1.0
    assert "abuse" in abusive.harm_category_list


def test_long_letters_get_the_lexicon_only() -> None:
    classifier = MessageClassifier.build(router=RuleRouter(), gazetteer={})
    long_text = "我要反映小区停车难的问题。" * 30
    result = classifier.classify(long_text)
    assert len(long_text) > 200 and result.harm_source == "lexicon" and result.harm_score == 0.0


def test_two_streets_named_equally_halve_the_place_confidence() -> None:
    classifier = MessageClassifier(
        router=RuleRouter(), places=PlaceMatcher({"s1": ["东城街道"], "s2": ["西城街道"]})
    )
    result = classifier.classify("东城街道和西城街道交界处的路灯坏了。")
    assert result.place_confidence == pytest.approx(0.5)


def test_search_words_and_trend_phrases() -> None:
    words = search_words("噪音扰民，请问能否处理？")
    assert {"噪音", "扰民"} <= set(words) and "，" not in words
    assert "请问" not in trend_phrases(words) and "噪音" in trend_phrases(words)
    assert short_place_name("东城街道") == "东城" and short_place_name("清河镇") == "清河"
    assert short_place_name("乡") == "乡"


def test_every_message_shows_its_confidences(inbox: Inbox, client: object) -> None:
    d = inbox.district
    message = inbox.arrive(d.street01_account, "东城花园的路灯坏了，请尽快修复。")
    client.force_login(d.operator)  # type: ignore[attr-defined]
    page = client.get(f"/inbox/{message.pk}/").content.decode()  # type: ignore[attr-defined]
    classified = page.split('data-testid="classification"')[1].split("</dl>")[0]
    assert classified.count("%") >= 3 and "东城街道" in classified
    assert Message.objects.filter(topic=MessageTopic.objects.get(code="urban")).exists()
