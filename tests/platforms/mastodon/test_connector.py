"""The Mastodon connector against mastodon-mock: idempotent posts, boosts, the inbox from
notifications and /context, reports and blocks, metrics, and every failure typed."""

from __future__ import annotations

import time
from typing import Any

import pytest
from mastodon_mock.testing import MockServer

from govmatrix.platforms.base import (
    AuthExpired,
    Capability,
    ContentRejected,
    Forbidden,
    InteractionKind,
    InvalidRequest,
    MediaFile,
    ModerationAction,
    NotFoundOnPlatform,
    PlatformDown,
    RateLimited,
    Unsupported,
)
from govmatrix.platforms.mastodon import connector as masto_module
from govmatrix.platforms.mastodon.connector import MastodonConnector, html_to_text
from govmatrix.platforms.mastodon.errors import HeaderCapture
from tests.platforms.contract.servers import HTTP, SLOW_MS, mastodon_fault
from tests.platforms.mastodon.conftest import citizen, ctx, ref

STATUSES = "/api/v1/statuses"


def _count(mock: MockServer, username: str = "sfq_main") -> int:
    return int(citizen(mock, username).account_verify_credentials()["statuses_count"])


# --- publishing ----------------------------------------------------------------------------------
def test_a_post_carries_the_idempotency_key_so_a_retry_returns_the_first(
    masto: MastodonConnector, mock: MockServer
) -> None:
    main = ref(mock)
    first = masto.publish(main, "明日停水通知", ctx("key-1"))
    again = masto.publish(main, "明日停水通知", ctx("key-1"))
    other = masto.publish(main, "明日停水通知", ctx("key-2"))
    assert first.id == again.id != other.id and _count(mock) == 2
    assert first.text == "明日停水通知" and first.url and first.created_at.tzinfo


def test_a_timed_out_post_that_landed_later_is_not_posted_twice(
    masto: MastodonConnector, impatient: MastodonConnector, mock: MockServer
) -> None:
    main = ref(mock)
    mastodon_fault(mock, path=STATUSES, methods=["POST"], type="latency", delay_ms=SLOW_MS)
    with pytest.raises(PlatformDown, match="无应答"):
        impatient.publish(main, "暴雨预警", ctx("storm"))
    time.sleep(SLOW_MS / 1000)  # the instance finishes the first request after we gave up
    retried = masto.publish(main, "暴雨预警", ctx("storm"))
    assert retried.id and _count(mock) == 1


def test_pictures_are_uploaded_first(masto: MastodonConnector, mock: MockServer) -> None:
    png = bytes.fromhex(
        "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4d80000000049454e44ae426082"
    )
    post = masto.publish(ref(mock), "带图", ctx(), media=[MediaFile("a.png", "image/png", png)])
    status = citizen(mock).status(post.id)
    assert len(status["media_attachments"]) == 1 and masto.limits().max_images == 4


def test_a_boost_returns_a_new_id_pointing_at_the_original_and_a_comment_is_unsupported(
    masto: MastodonConnector, mock: MockServer
) -> None:
    original = masto.publish(ref(mock), "权威发布", ctx())
    boost = masto.repost(ref(mock, "sfq_street01"), original.id, ctx())
    assert boost.repost_of_id == original.id and boost.id != original.id
    assert masto.repost(ref(mock, "sfq_street01"), original.id, ctx()).id == boost.id
    with pytest.raises(Unsupported, match="附言") as refused:
        masto.repost(ref(mock, "sfq_street01"), original.id, ctx(), comment="请转告")
    assert refused.value.capability == Capability.REPOST_WITH_COMMENT
    with pytest.raises(NotFoundOnPlatform, match="找不到"):
        masto.repost(ref(mock, "sfq_street01"), "https://elsewhere.example/@x/1", ctx())


def test_only_our_own_posts_can_be_deleted(masto: MastodonConnector, mock: MockServer) -> None:
    post = masto.publish(ref(mock), "通知", ctx())
    with pytest.raises(Forbidden):  # mastodon-mock answers 403 where Mastodon answers 404
        masto.delete_post(ref(mock, "sfq_street01"), post.id, ctx())
    masto.delete_post(ref(mock), post.id, ctx())
    with pytest.raises(NotFoundOnPlatform):
        masto.delete_post(ref(mock), post.id, ctx())


# --- the inbox -----------------------------------------------------------------------------------
def test_mentions_come_from_notifications_and_plain_replies_from_context(
    masto: MastodonConnector, mock: MockServer
) -> None:
    main = ref(mock)
    post = masto.publish(main, "征求意见", ctx())
    wang = citizen(mock)
    plain = wang.status_post("没有提到谁的回复", in_reply_to_id=post.id)
    addressed = wang.status_post("@sfq_main 提到了的回复", in_reply_to_id=post.id)
    elsewhere = wang.status_post("@sfq_main 顺便问一下")
    private = wang.status_post("@sfq_main 私信", visibility="direct")
    page = masto.fetch_interactions(main, since_cursor=None)
    got = {i.id: i for i in page.items}
    assert set(got) == {str(s["id"]) for s in (plain, addressed, elsewhere, private)}
    assert (
        got[str(plain["id"])].kind == InteractionKind.COMMENT
        and got[str(plain["id"])].post_id == post.id
    )
    assert got[str(addressed["id"])].kind == InteractionKind.COMMENT
    assert got[str(elsewhere["id"])].kind == InteractionKind.MENTION
    assert got[str(private["id"])].kind == InteractionKind.DM
    assert got[str(plain["id"])].text == "没有提到谁的回复"
    assert [i.created_at for i in page.items] == sorted(i.created_at for i in page.items)
    assert masto.fetch_interactions(main, since_cursor=page.next_cursor).items == []


def test_mention_pages_are_followed_through_the_link_header(
    masto: MastodonConnector, mock: MockServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(masto_module, "PAGE_SIZE", 2)
    followed: list[Any] = []
    original = masto_module.Mastodon.fetch_previous

    def spy(self: Any, page: Any) -> Any:
        followed.append(page._pagination_prev)
        return original(self, page)

    monkeypatch.setattr(masto_module.Mastodon, "fetch_previous", spy)
    wang = citizen(mock)
    ids = [str(wang.status_post(f"@sfq_main 第{i}条")["id"]) for i in range(5)]
    page = masto.fetch_interactions(ref(mock), since_cursor=None, limit=10)
    assert [i.id for i in page.items] == ids and len(followed) == 2


def test_replies_under_posts_beyond_the_recent_window_are_not_read(mock: MockServer) -> None:
    narrow = MastodonConnector(default_base=mock.base_url, context_posts=1)
    old = narrow.publish(ref(mock), "旧帖", ctx())
    narrow.publish(ref(mock), "新帖", ctx())
    citizen(mock).status_post("回复旧帖", in_reply_to_id=old.id)
    assert narrow.fetch_interactions(ref(mock), since_cursor=None).items == []


# --- replying and moderating -------------------------------------------------------------------
def test_a_reply_addresses_the_author_and_a_dm_stays_a_dm(
    masto: MastodonConnector, mock: MockServer
) -> None:
    post = masto.publish(ref(mock), "通知", ctx())
    question = citizen(mock).status_post("几点恢复？", in_reply_to_id=post.id)
    reply = masto.reply(ref(mock), str(question["id"]), "六点。", ctx())
    assert (
        reply.text == "@citizen_wang 六点。"
        and reply.parent_id == str(question["id"])
        and reply.post_id == post.id
    )
    private = citizen(mock).status_post("@sfq_main 私下问", visibility="direct")
    answer = masto.reply(ref(mock), str(private["id"]), "私下答。", ctx())
    assert answer.kind == InteractionKind.DM
    assert citizen(mock).status(answer.id)["visibility"] == "direct"


def test_moderation_reports_or_blocks_and_never_pretends_to_delete(
    masto: MastodonConnector, mock: MockServer
) -> None:
    post = masto.publish(ref(mock), "通知", ctx())
    abuse = citizen(mock).status_post("辱骂", in_reply_to_id=post.id)
    reported = masto.moderate(
        ref(mock),
        str(abuse["id"]),
        ModerationAction.DELETE,
        ctx(),
        reason="辱骂他人",
        fallback=[ModerationAction.REPORT],
    )
    assert (reported.requested, reported.applied) == (
        ModerationAction.DELETE,
        ModerationAction.REPORT,
    )
    assert reported.platform_ref and "举报" in reported.note and "不能删除" in reported.note
    reports = HTTP.get(
        f"{mock.base_url}/api/v1/admin/reports", headers={"Authorization": "Bearer sfq_main_token"}
    ).json()
    assert [r["comment"] for r in reports] == ["辱骂他人"]
    blocked = masto.moderate(
        ref(mock), str(abuse["id"]), ModerationAction.BLOCK_AUTHOR, ctx(), reason=""
    )
    assert blocked.applied == ModerationAction.BLOCK_AUTHOR and "仍然可见" in blocked.note
    with pytest.raises(Unsupported, match="举报") as refused:
        masto.moderate(ref(mock), str(abuse["id"]), ModerationAction.HIDE, ctx(), reason="")
    assert refused.value.capability == Capability.HIDE_COMMENT
    mine = masto.publish(ref(mock), "自己的", ctx())
    with pytest.raises(InvalidRequest):
        masto.moderate(ref(mock), mine.id, ModerationAction.REPORT, ctx(), reason="")


# --- metrics -----------------------------------------------------------------------------------
def test_metrics(masto: MastodonConnector, mock: MockServer) -> None:
    post = masto.publish(ref(mock), "通知", ctx())
    citizen(mock).status_favourite(post.id)
    citizen(mock).status_post("好", in_reply_to_id=post.id)
    counts = masto.post_metrics(ref(mock), [post.id, "999999", "not-an-id"])
    assert set(counts) == {post.id}
    assert (counts[post.id].likes, counts[post.id].comments, counts[post.id].reposts) == (1, 1, 0)
    account = masto.account_metrics(ref(mock))
    assert (account.posts, account.handle) == (1, "sfq_main")


# --- failures, typed -------------------------------------------------------------------------------
def test_a_429_is_rate_limited_until_the_reset_the_headers_give(
    masto: MastodonConnector, mock: MockServer
) -> None:
    mastodon_fault(
        mock, path=STATUSES, methods=["POST"], type="ratelimit", headers={"Retry-After": "120"}
    )
    with pytest.raises(RateLimited) as limited:
        masto.publish(ref(mock), "通知", ctx())
    assert limited.value.retry_after == 120 and limited.value.http_status == 429
    mastodon_fault(
        mock, path=STATUSES, methods=["POST"], type="ratelimit", headers={"Retry-After": ""}
    )
    with pytest.raises(RateLimited) as by_reset:
        masto.publish(ref(mock), "通知", ctx())
    assert 290 < (by_reset.value.retry_after or 0) <= 300  # from X-RateLimit-Reset (epoch seconds)


def test_the_reset_header_is_read_as_epoch_seconds_or_iso_time() -> None:
    capture = HeaderCapture()
    capture.headers = {"X-RateLimit-Reset": "2020-09-08T13:25:00.000000Z"}
    assert capture.retry_after(now=1599571400.0) == 100.0
    capture.headers = {"X-RateLimit-Reset": "1599571500"}
    assert capture.retry_after(now=1599571400.0) == 100.0
    capture.headers = {"Retry-After": "Tue, 08 Sep 2020 13:25:00 GMT"}
    assert capture.retry_after(now=1599571400.0) == 100.0
    capture.headers = {}
    assert capture.retry_after() is None


@pytest.mark.parametrize(
    ("effect", "error"),
    [
        ({"type": "status", "status": 500}, PlatformDown),
        ({"type": "status", "status": 502}, PlatformDown),
        ({"type": "status", "status": 503}, PlatformDown),
        ({"type": "status", "status": 504}, PlatformDown),
        ({"type": "latency", "delay_ms": SLOW_MS}, PlatformDown),
        ({"type": "malformed"}, PlatformDown),
        ({"type": "status", "status": 401}, AuthExpired),
        ({"type": "status", "status": 403}, Forbidden),
        ({"type": "status", "status": 404}, NotFoundOnPlatform),
        ({"type": "status", "status": 410}, NotFoundOnPlatform),
        ({"type": "status", "status": 422}, ContentRejected),
        ({"type": "status", "status": 400}, InvalidRequest),
    ],
)
def test_every_failure_is_one_of_the_typed_errors(
    impatient: MastodonConnector, mock: MockServer, effect: dict[str, Any], error: type[Exception]
) -> None:
    main = ref(mock)
    mastodon_fault(mock, path="/api/v1/accounts/verify_credentials", methods=["GET"], **effect)
    with pytest.raises(error) as caught:
        impatient.account_metrics(main)
    assert caught.value.platform == "mastodon" and caught.value.message  # type: ignore[attr-defined]
    assert type(caught.value).__module__ == "govmatrix.platforms.base"


def test_a_refused_connection_is_platform_down(masto: MastodonConnector) -> None:
    from govmatrix.platforms.base import AccountRef, Credentials

    gone = AccountRef(
        "mastodon", "sfq_main", "1", Credentials("t", extra={"api_base": "http://127.0.0.1:9"})
    )
    with pytest.raises(PlatformDown):
        masto.account_metrics(gone)


def test_text_is_read_from_the_sanitised_html() -> None:
    assert html_to_text("<p>第一段&amp;</p><p>第二段<br>换行</p>") == "第一段&\n第二段\n换行"


def test_the_demo_seed_for_mastodon_mock_loads() -> None:
    from pathlib import Path

    from mastodon_mock.config import MastodonMockConfig

    import govmatrix.platforms.mastodon as package

    config = MastodonMockConfig.load(Path(package.__file__).parent / "demo-mock.toml")
    names = {a.username: a.access_token for a in config.seed.accounts}
    assert names["sfq_fabu"] == "sfq_fabu_token" and "citizen_wang" in names
