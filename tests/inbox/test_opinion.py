"""Answering public opinion (R3.3): a rumour rebuttal through publishing's normal flow, linked
to the messages, each citizen then answered with a pointer to it; trends and their alerts."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from govmatrix.core.errors import NotAllowed, ValidationFailed
from govmatrix.inbox import services
from govmatrix.inbox.models import Message, Rebuttal, ReplyState, TrendAlert
from govmatrix.inbox.selectors import trends
from govmatrix.notifications.models import Notification
from govmatrix.platforms.models import OutboxOperation
from govmatrix.platforms.services import outbox_execute
from govmatrix.publishing import services as publishing
from govmatrix.publishing.models import Post
from tests.inbox.conftest import Inbox, run_outbox

RUMOUR = "听说南湖的自来水被污染了，喝了会生病，是真的吗？"


@pytest.fixture
def rumours(inbox: Inbox) -> list[Message]:
    d = inbox.district
    return [
        inbox.arrive(d.street01_account, RUMOUR, who="甲"),
        inbox.arrive(d.street02_account, "南湖水厂出事了？有人说自来水有毒！", who="乙"),
    ]


def _publish(post: Post, approver: Any) -> Post:
    publishing.post_approve(actor=approver, post_id=post.pk)
    publishing.post_publish(post_id=post.pk)
    for operation in OutboxOperation.objects.filter(
        subject_type="publishing.post", subject_id=str(post.pk)
    ):
        outbox_execute(operation_id=operation.pk)
    return Post.objects.get(pk=post.pk)


def test_a_rebuttal_is_a_post_in_the_normal_flow_and_each_citizen_gets_a_pointer_to_it(
    inbox: Inbox, rumours: list[Message]
) -> None:
    d = inbox.district
    rebuttal = services.rebuttal_create(
        actor=d.office_admin,
        message_ids=[m.pk for m in rumours],
        account_id=d.main_account.pk,
        text="【辟谣】经检测，南湖水厂出厂水各项指标均符合国家标准，网传自来水被污染不实。",
    )
    post = rebuttal.post
    assert post.status == "submitted" and post.important
    assert set(rebuttal.messages.all()) == set(rumours)
    assert services.rebuttals_sweep() == 0  # nothing until the post is published
    post = _publish(post, d.office_admin)
    assert post.status == "published" and post.public_url
    assert services.rebuttals_sweep() == 2
    assert services.rebuttals_sweep() == 0  # once
    replies = {r.message_id: r for r in Rebuttal.objects.get().replies.all()}
    assert set(replies) == {m.pk for m in rumours}
    for reply in replies.values():
        assert reply.state == ReplyState.SUBMITTED  # R5.1: the unit's leader approves it
        assert reply.text.endswith(post.public_url) and "权威信息已发布" in reply.text
    ours = replies[rumours[0].pk]
    services.reply_approve(actor=d.leader, reply_id=ours.pk)
    assert run_outbox(ours).state == ReplyState.PUBLISHED


def test_only_the_office_opens_a_rebuttal_and_it_needs_messages(
    inbox: Inbox, rumours: list[Message]
) -> None:
    d = inbox.district
    with pytest.raises(NotAllowed):
        services.rebuttal_create(
            actor=d.leader, message_ids=[rumours[0].pk], account_id=d.main_account.pk, text="澄清"
        )
    with pytest.raises(ValidationFailed):
        services.rebuttal_create(
            actor=d.office_admin, message_ids=[], account_id=d.main_account.pk, text="澄清"
        )
    assert not Post.objects.exists() and not Rebuttal.objects.exists()


def test_an_authoritative_post_opens_as_a_draft_for_the_office(inbox: Inbox) -> None:
    post = services.authoritative_post_open(
        actor=inbox.district.office_admin,
        account_id=inbox.district.main_account.pk,
        text="【权威发布】关于南湖自来水：",
    )
    assert post.status == "draft" and post.important


def test_the_trend_statistic() -> None:
    assert trends.z_score(10, 1.0) == pytest.approx(9 / 2**0.5)
    item = trends.TrendItem("phrase", "自来水", "自来水", count=9, expected=0.3, z=8.0)
    assert item.spike
    assert not trends.TrendItem("phrase", "x", "x", count=9, expected=6.0, z=4.5).spike  # < 2e
    assert not trends.TrendItem("phrase", "x", "x", count=4, expected=0.0, z=4.0).spike  # < 5


def test_a_rising_phrase_and_place_are_found_and_the_office_is_alerted_once(
    inbox: Inbox, django_capture_on_commit_callbacks: Any
) -> None:
    d = inbox.district
    now = timezone.now()
    for day in range(2, 28, 3):  # the usual level: a message every few days
        inbox.arrive(
            d.street01_account, "路灯坏了，请维修。", who=f"平常{day}", at=now - timedelta(days=day)
        )
    for n in range(7):
        inbox.arrive(
            d.street02_account,
            f"西城幸福里的自来水发黄有异味（{n}）",
            who=f"居民{n}",
            at=now - timedelta(hours=n + 1),
        )
    found = trends.rising(window="24h", now=now)
    phrases = {item.key: item for item in found["phrase"]}
    assert "自来水" in phrases and phrases["自来水"].count == 7 and phrases["自来水"].spike
    assert "路灯" not in phrases
    places = {item.key for item in found["place"]}
    assert places & {"西城", "西城街道"}
    with django_capture_on_commit_callbacks(execute=True):
        first = services.trend_alerts_check(now=now)
    assert first >= 1 and services.trend_alerts_check(now=now) == 0
    assert TrendAlert.objects.filter(key="自来水", window="24h").count() == 1
    assert Notification.objects.filter(recipient=d.office_admin, verb="trend.spike").exists()
    behind = trends.messages_of("phrase", "自来水", window="24h", now=now)
    assert behind.count() == 7
