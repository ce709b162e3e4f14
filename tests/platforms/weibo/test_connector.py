"""The Weibo connector against the simulator: the rules of a post, reconciliation instead of
double posts, the inbox cursor, replies, moderation, metrics and authorisation."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.db import transaction

from govmatrix.platforms.base import (
    AuthExpired,
    ContentRejected,
    Credentials,
    Duplicate,
    InteractionKind,
    InvalidRequest,
    MediaFile,
    ModerationAction,
    NotFoundOnPlatform,
    PlatformDown,
    RateLimited,
    Unsupported,
)
from govmatrix.platforms.weibo import connector as weibo_module
from govmatrix.platforms.weibo.budget import HourlyBudget
from govmatrix.platforms.weibo.connector import WeiboConnector
from govmatrix.platforms.weibo.simulator.server import SimulatorServer
from tests.platforms.contract.servers import SHORT_TIMEOUT_SECONDS, SLOW_MS
from tests.platforms.weibo.conftest import citizen_comment, citizen_post, ctx, fault, token

SHARE = "/2/statuses/share.json"


def _own_posts(sim: SimulatorServer, ref: Any) -> int:
    return int(sim.control("GET", "state")["statuses"])


# --- the rules of a post ----------------------------------------------------------------------
def test_the_safe_domain_link_is_appended_unless_the_text_has_one(
    weibo: WeiboConnector, sim: SimulatorServer
) -> None:
    main = token(sim, "示范区发布")
    plain = weibo.publish(main, "明日停水通知", ctx())
    assert plain.text == "明日停水通知 https://www.sfq.gov.cn/"
    linked = weibo.publish(main, "详见 https://www.sfq.gov.cn/zwgk/2.html 的通知", ctx())
    assert linked.text == "详见 https://www.sfq.gov.cn/zwgk/2.html 的通知"
    assert weibo.limits().requires_link_domain == "www.sfq.gov.cn"
    assert weibo.limits().counts_latin_as_half and weibo.limits().forbids_hashtags
    assert weibo.limits().max_images == 1


def test_length_counts_two_latin_characters_as_one_and_includes_the_link(
    weibo: WeiboConnector, sim: SimulatorServer
) -> None:
    main = token(sim, "示范区发布")
    # The link " https://www.sfq.gov.cn/" is 24 narrow characters: 12 of the 140.
    assert weibo.publish(main, "字" * 128, ctx()).id
    with pytest.raises(ContentRejected, match="140"):
        weibo.publish(main, "字" * 129, ctx())
    assert weibo.publish(main, "a" * 256, ctx()).id


def test_hashtags_and_a_missing_operator_ip_are_refused_before_calling(
    weibo: WeiboConnector, sim: SimulatorServer
) -> None:
    main = token(sim, "示范区发布")
    with pytest.raises(ContentRejected, match="#话题#"):
        weibo.publish(main, "#防汛# 请注意安全", ctx())
    with pytest.raises(InvalidRequest, match="rip") as refused:
        weibo.publish(main, "通知", ctx(ip=None))
    assert refused.value.code == "rip"
    with pytest.raises(InvalidRequest, match="rip"):
        weibo.repost(token(sim, "示范区东城街道"), "123", ctx(ip="unknown"))
    with pytest.raises(InvalidRequest, match="续篇"):
        weibo.publish(main, "续报", ctx(), in_reply_to_id="1")
    assert _own_posts(sim, main) == 0


def test_a_picture_is_sent_in_the_same_share_call(
    weibo: WeiboConnector, sim: SimulatorServer
) -> None:
    post = weibo.publish(
        token(sim, "示范区发布"),
        "带图通知",
        ctx(),
        media=[MediaFile("a.jpg", "image/jpeg", b"\xff\xd8")],
    )
    assert post.raw["pic_urls"]


def test_an_account_without_credentials_or_with_an_expired_token_is_auth_expired(
    weibo: WeiboConnector, sim: SimulatorServer
) -> None:
    from dataclasses import replace
    from datetime import timedelta

    from django.utils import timezone

    main = token(sim, "示范区发布")
    with pytest.raises(AuthExpired, match="尚未授权"):
        weibo.publish(replace(main, credentials=None), "通知", ctx())
    stale = replace(
        main, credentials=Credentials("x", expires_at=timezone.now() - timedelta(minutes=1))
    )
    with pytest.raises(AuthExpired, match="到期"):
        weibo.account_metrics(stale)


# --- no double posts ---------------------------------------------------------------------------
def test_a_timeout_after_the_post_went_through_is_reconciled_not_repeated(
    weibo: WeiboConnector, impatient: WeiboConnector, sim: SimulatorServer
) -> None:
    main = token(sim, "示范区发布")
    fault(sim, path=SHARE, after=True, delay_ms=SLOW_MS)
    with pytest.raises(Duplicate) as found:
        impatient.publish(main, "暴雨预警", ctx())
    assert found.value.existing_id and _own_posts(sim, main) == 1
    # The outbox's retry of the same call meets 20019 and is reconciled to the same post.
    with pytest.raises(Duplicate) as again:
        weibo.publish(main, "暴雨预警", ctx())
    assert again.value.existing_id == found.value.existing_id and again.value.code == "20019"
    assert _own_posts(sim, main) == 1


def test_a_timeout_before_the_post_was_made_is_retried(
    weibo: WeiboConnector, impatient: WeiboConnector, sim: SimulatorServer
) -> None:
    main = token(sim, "示范区发布")
    fault(sim, path=SHARE, delay_ms=SLOW_MS)
    with pytest.raises(PlatformDown, match="尚未在本账号的微博里看到"):
        impatient.publish(main, "暴雨预警", ctx())
    assert weibo.publish(main, "暴雨预警", ctx()).id and _own_posts(sim, main) == 1


@pytest.mark.parametrize(
    "rule",
    [{"error_code": 10001}, {"http_status": 502}, {"malformed": True}, {"error_code": 20032}],
)
def test_an_ambiguous_answer_after_the_write_is_reconciled(
    weibo: WeiboConnector, sim: SimulatorServer, rule: dict[str, Any]
) -> None:
    main = token(sim, "示范区发布")
    fault(sim, path=SHARE, after=True, **rule)
    with pytest.raises(Duplicate) as found:
        weibo.publish(main, "通知", ctx())
    timeline = weibo.client.get("statuses/user_timeline", main.credentials.access_token, {})  # type: ignore[union-attr]
    assert [found.value.existing_id] == [s["idstr"] for s in timeline["statuses"]]


def test_a_refused_repeat_that_is_not_among_our_posts_fails_honestly(
    weibo: WeiboConnector, sim: SimulatorServer
) -> None:
    main = token(sim, "示范区发布")
    fault(sim, path=SHARE, error_code=20019)
    with pytest.raises(Duplicate, match="没有找到") as refused:
        weibo.publish(main, "通知", ctx())
    assert refused.value.existing_id is None


def test_reposts_and_replies_are_reconciled_too(
    weibo: WeiboConnector, impatient: WeiboConnector, sim: SimulatorServer
) -> None:
    main, street = token(sim, "示范区发布"), token(sim, "示范区东城街道")
    original = weibo.publish(main, "权威发布", ctx())
    fault(sim, path="/2/statuses/repost.json", after=True, delay_ms=SLOW_MS)
    with pytest.raises(Duplicate) as reposted:
        impatient.repost(street, original.id, ctx(), comment="请转告")
    assert weibo.post_metrics(main, [original.id])[original.id].reposts == 1
    with pytest.raises(Duplicate) as again:
        weibo.repost(street, original.id, ctx(), comment="请转告")
    assert again.value.existing_id == reposted.value.existing_id
    comment = citizen_comment(sim, original.id, "几点？")
    fault(sim, path="/2/comments/reply.json", after=True, error_code=10001)
    item_id = f"comment:{original.id}:{comment['idstr']}"
    with pytest.raises(Duplicate) as replied:
        weibo.reply(main, item_id, "八点。", ctx())
    assert replied.value.existing_id and replied.value.existing_id.startswith(
        f"comment:{original.id}:"
    )
    assert weibo.post_metrics(main, [original.id])[original.id].comments == 2


def test_the_outbox_resolves_a_reconciled_post_without_a_second_one(
    sim: SimulatorServer, district: Any, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    from govmatrix.platforms.models import OutboxOperation, OutboxState
    from govmatrix.platforms.services import outbox_enqueue
    from tests.platforms.contract.platforms import weibo_link

    account = weibo_link(district, sim, "示范区发布")
    settings.PLATFORM_TIMEOUT_SECONDS = SHORT_TIMEOUT_SECONDS
    fault(sim, path=SHARE, after=True, delay_ms=SLOW_MS)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        operation = outbox_enqueue(
            account=account,
            kind="publish",
            payload={"text": "台风停课通知"},
            idempotency_key="post-42",
            operator=district.office_admin,
            operator_ip="203.0.113.9",
        )
    operation = OutboxOperation.objects.get(pk=operation.pk)
    assert operation.state == OutboxState.SUCCEEDED and operation.result["duplicate"] is True
    assert operation.result["id"] and _own_posts(sim, None) == 1


# --- the inbox -------------------------------------------------------------------------------------
def test_to_me_and_mentions_merge_in_time_order_and_a_comment_in_both_comes_once(
    weibo: WeiboConnector, sim: SimulatorServer
) -> None:
    main = token(sim, "示范区发布")
    post = weibo.publish(main, "征求意见", ctx())
    first = citizen_comment(sim, post.id, "第一条")
    elsewhere = citizen_post(sim, "居民的微博")
    mention = citizen_comment(sim, elsewhere["idstr"], "@示范区发布 这里也看看")
    both = citizen_comment(sim, post.id, "@示范区发布 这条两边都有")
    page = weibo.fetch_interactions(main, since_cursor=None, limit=10)
    assert [i.id.split(":")[2] for i in page.items] == [
        first["idstr"],
        mention["idstr"],
        both["idstr"],
    ]
    assert [i.kind for i in page.items] == [
        InteractionKind.COMMENT,
        InteractionKind.MENTION,
        InteractionKind.COMMENT,
    ]
    assert page.next_cursor == f"w1.{both['idstr']}.{both['idstr']}.0"
    assert weibo.fetch_interactions(main, since_cursor=page.next_cursor).items == []


def test_more_than_a_page_arrives_between_two_reads_and_none_is_skipped(
    weibo: WeiboConnector, sim: SimulatorServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(weibo_module, "PAGE_SIZE", 3)
    main = token(sim, "示范区发布")
    post = weibo.publish(main, "征求意见", ctx())
    ids = [citizen_comment(sim, post.id, f"意见{i}")["idstr"] for i in range(8)]
    seen: list[str] = []
    cursor = None
    for _ in range(5):
        page = weibo.fetch_interactions(main, since_cursor=cursor, limit=3)
        seen += [i.id.split(":")[2] for i in page.items]
        cursor = page.next_cursor
    assert seen == ids


def test_a_bad_cursor_is_refused(weibo: WeiboConnector, sim: SimulatorServer) -> None:
    with pytest.raises(InvalidRequest, match="游标"):
        weibo.fetch_interactions(token(sim, "示范区发布"), since_cursor="m1.1.2")


# --- answering and moderating -------------------------------------------------------------------
def test_a_reply_names_the_citizen_and_a_direct_message_cannot_be_answered_here(
    weibo: WeiboConnector, sim: SimulatorServer
) -> None:
    main = token(sim, "示范区发布")
    post = weibo.publish(main, "通知", ctx())
    comment = citizen_comment(sim, post.id, "请问？")
    reply = weibo.reply(main, f"comment:{post.id}:{comment['idstr']}", "已收到。", ctx())
    assert reply.text == "回复@热心市民小王:已收到。" and reply.author.handle == "示范区发布"
    with pytest.raises(Unsupported, match="粉丝服务平台"):
        weibo.reply(main, "dm:abc", "你好", ctx())
    with pytest.raises(NotFoundOnPlatform):
        weibo.reply(main, "42", "你好", ctx())


def test_only_comments_under_our_posts_can_be_deleted_and_other_actions_say_what_instead(
    weibo: WeiboConnector, sim: SimulatorServer
) -> None:
    from govmatrix.platforms.base import Forbidden

    main = token(sim, "示范区发布")
    post = weibo.publish(main, "通知", ctx())
    ours = citizen_comment(sim, post.id, "辱骂")
    result = weibo.moderate(
        main,
        f"comment:{post.id}:{ours['idstr']}",
        ModerationAction.HIDE,
        ctx(),
        reason="辱骂",
        fallback=[ModerationAction.DELETE],
    )
    assert (result.requested, result.applied) == (ModerationAction.HIDE, ModerationAction.DELETE)
    assert "隐藏" in result.note and "删除" in result.note
    elsewhere = citizen_post(sim, "居民的微博")
    theirs = citizen_comment(sim, elsewhere["idstr"], "@示范区发布 辱骂")
    with pytest.raises(Forbidden):
        weibo.moderate(
            main,
            f"comment:{elsewhere['idstr']}:{theirs['idstr']}",
            ModerationAction.DELETE,
            ctx(),
            reason="",
        )
    with pytest.raises(Unsupported, match="举报") as refused:
        weibo.moderate(
            main,
            f"comment:{post.id}:{ours['idstr']}",
            ModerationAction.REPORT,
            ctx(),
            reason="",
            fallback=[ModerationAction.BLOCK_AUTHOR],
        )
    assert "拉黑" in refused.value.instead


# --- metrics and budgets ---------------------------------------------------------------------------
def test_post_counts_are_asked_for_in_batches_of_a_hundred(
    weibo: WeiboConnector, sim: SimulatorServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    main = token(sim, "示范区发布")
    post = weibo.publish(main, "通知", ctx())
    asked: list[int] = []
    original = weibo.client.get

    def spy(resource: str, token_: str, params: Any = None) -> Any:
        if resource == "statuses/count":
            asked.append(len(params["ids"].split(",")))
        return original(resource, token_, params)

    monkeypatch.setattr(weibo.client, "get", spy)
    ids = [str(10**15 + i) for i in range(249)] + [post.id]
    metrics = weibo.post_metrics(main, ids)
    assert asked == [100, 100, 50] and set(metrics) == {post.id}


def test_our_hourly_budget_stops_short_of_weibos_limit(sim: SimulatorServer) -> None:
    cache.clear()
    limited = WeiboConnector(
        base_url=sim.base_url,
        app_key=sim.config.app_key,
        app_secret=sim.config.app_secret,
        safe_link="https://www.sfq.gov.cn/",
        budget=HourlyBudget({"post": 2, "comment": 60}),
    )
    main = token(sim, "示范区发布")
    limited.publish(main, "一", ctx())
    limited.publish(main, "二", ctx())
    with pytest.raises(RateLimited, match="额度") as refused:
        limited.publish(main, "三", ctx())
    assert (
        refused.value.code == "budget" and refused.value.retry_after and _own_posts(sim, main) == 2
    )


def test_account_metrics_come_from_users_show(weibo: WeiboConnector, sim: SimulatorServer) -> None:
    main = token(sim, "示范区发布")
    weibo.publish(main, "通知", ctx())
    metrics = weibo.account_metrics(main)
    assert (metrics.followers, metrics.posts, metrics.handle) == (1000, 1, "示范区发布")
    assert weibo.verify(main).handle == "示范区发布"
