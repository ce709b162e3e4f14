"""The connector contract: what every platform connector must do, run against each platform.

Publish is idempotent per key; repost, reply and moderate say what really happened; the inbox
is read with a cursor that skips nothing and repeats nothing; metrics are counts; every typed
error can happen and says so; and what a platform cannot do is declared and refused with
`Unsupported`, which says what to do instead.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest

from govmatrix.platforms.base import (
    AuthExpired,
    Capability,
    ConnectorError,
    ContentRejected,
    Duplicate,
    Forbidden,
    Interaction,
    InteractionKind,
    InvalidRequest,
    ModerationAction,
    ModerationResult,
    NotFoundOnPlatform,
    PlatformDown,
    RateLimited,
    Unsupported,
)
from tests.platforms.contract.harness import Harness

MODERATION = {
    ModerationAction.DELETE: Capability.DELETE_COMMENT,
    ModerationAction.HIDE: Capability.HIDE_COMMENT,
    ModerationAction.REPORT: Capability.REPORT,
    ModerationAction.BLOCK_AUTHOR: Capability.BLOCK_AUTHOR,
}
ERRORS: dict[str, type[ConnectorError]] = {
    "RateLimited": RateLimited,
    "PlatformDown:5xx": PlatformDown,
    "PlatformDown:timeout": PlatformDown,
    "AuthExpired": AuthExpired,
    "Duplicate": Duplicate,
    "NotFoundOnPlatform": NotFoundOnPlatform,
    "Forbidden": Forbidden,
    "ContentRejected": ContentRejected,
    "InvalidRequest": InvalidRequest,
}


def _same_post(call: Callable[[], Any], first_id: str) -> str:
    """Run a repeat of a write: it must give back the first result, never make a second."""
    try:
        again = call()
    except Duplicate as exc:
        assert exc.existing_id == first_id, exc.message
        return first_id
    assert again.id == first_id
    return str(again.id)


def _drain(
    harness: Harness, cursor: str | None, *, limit: int
) -> tuple[list[Interaction], str | None]:
    items: list[Interaction] = []
    for _ in range(50):
        page = harness.connector.fetch_interactions(harness.main, since_cursor=cursor, limit=limit)
        assert page.next_cursor, "a page always hands back a cursor to continue from"
        cursor = page.next_cursor
        items.extend(page.items)
        if not page.items:
            return items, cursor
        assert len(page.items) <= limit
    raise AssertionError("the inbox never ran dry")


def _comment_on_new_post(
    harness: Harness, text: str = "请问几点恢复供水？"
) -> tuple[str, Interaction]:
    post = harness.connector.publish(harness.main, harness.text("停水通知"), harness.ctx())
    _items, cursor = _drain(harness, None, limit=50)
    harness.citizen_comment(post.id, harness.text(text))
    page = harness.connector.fetch_interactions(harness.main, since_cursor=cursor)
    assert len(page.items) == 1
    return post.id, page.items[0]


# --- what a platform can and cannot do --------------------------------------------------------------
def test_capabilities_and_limits_are_declared(harness: Harness) -> None:
    capabilities = harness.connector.capabilities()
    assert capabilities and all(isinstance(c, Capability) for c in capabilities)
    assert {Capability.PUBLISH, Capability.READ_INBOX, Capability.REPLY} <= capabilities
    assert harness.connector.limits().max_chars > 0
    assert harness.connector.platform == harness.name


def _calls(harness: Harness) -> dict[Capability, Callable[[], Any]]:
    c, main = harness.connector, harness.main

    def moderate(action: ModerationAction) -> Callable[[], Any]:
        def run() -> Any:
            _post, item = _comment_on_new_post(harness)
            return c.moderate(main, item.id, action, harness.ctx(), reason="测试")

        return run

    def repost_with_comment() -> Any:
        original = c.publish(main, harness.text("权威发布"), harness.ctx())
        return c.repost(harness.sub, original.id, harness.ctx(), comment="请居民注意安全")

    return {
        Capability.REPOST_WITH_COMMENT: repost_with_comment,
        **{capability: moderate(action) for action, capability in MODERATION.items()},
    }


def test_what_a_platform_lacks_is_refused_with_what_to_do_instead(harness: Harness) -> None:
    lacking = [cap for cap in _calls(harness) if cap not in harness.connector.capabilities()]
    for capability in lacking:
        try:
            outcome = _calls(harness)[capability]()
        except Unsupported as exc:
            assert exc.capability == capability
            assert exc.instead.strip() and exc.platform == harness.name
            continue
        # A moderation the platform cannot do may instead come back as "nothing was done".
        assert isinstance(outcome, ModerationResult), f"{capability} was not refused"
        assert outcome.applied is None and outcome.note.strip()


# --- publish, repost ------------------------------------------------------------------------------
def test_publishing_twice_with_one_key_makes_one_post(harness: Harness) -> None:
    before = harness.connector.account_metrics(harness.main).posts
    text, ctx = harness.text("明日停水通知"), harness.ctx()
    post = harness.connector.publish(harness.main, text, ctx)
    assert post.id and post.platform == harness.name and post.account_handle == harness.main.handle
    assert isinstance(post.created_at, datetime) and post.created_at.tzinfo is not None
    assert text in post.text
    _same_post(lambda: harness.connector.publish(harness.main, text, ctx), post.id)
    assert harness.connector.account_metrics(harness.main).posts == before + 1


def test_a_sub_account_reposts_the_main_statement_once_per_key(harness: Harness) -> None:
    original = harness.connector.publish(
        harness.main, harness.text("权威发布：暴雨预警"), harness.ctx()
    )
    ctx = harness.ctx()
    repost = harness.connector.repost(harness.sub, original.id, ctx)
    assert repost.repost_of_id == original.id and repost.id != original.id
    _same_post(lambda: harness.connector.repost(harness.sub, original.id, ctx), repost.id)
    counts = harness.connector.post_metrics(harness.main, [original.id])
    assert counts[original.id].reposts == 1


# --- the inbox ------------------------------------------------------------------------------------
def test_the_cursor_skips_nothing_and_repeats_nothing(harness: Harness) -> None:
    post = harness.connector.publish(harness.main, harness.text("征求意见"), harness.ctx())
    _old, cursor = _drain(harness, None, limit=50)
    texts = [harness.text(f"意见{i}") for i in range(5)]
    for text in texts:
        harness.citizen_comment(post.id, text)
    seen, cursor = _drain(harness, cursor, limit=2)
    assert sorted(i.text for i in seen if i.kind == InteractionKind.COMMENT) == sorted(
        t for t in (i.text for i in seen) if any(x in t for x in texts)
    )
    assert len(seen) == len(texts) and len({i.id for i in seen}) == len(texts)
    assert all(any(t in i.text for i in seen) for t in texts)
    assert all(i.post_id == post.id and i.account_handle == harness.main.handle for i in seen)
    # What comes later is read once, from where the cursor stopped.
    late = harness.text("追加一条")
    harness.citizen_comment(post.id, late)
    more, cursor = _drain(harness, cursor, limit=2)
    assert [late in i.text for i in more] == [True]
    assert _drain(harness, cursor, limit=2)[0] == []


def test_mentions_and_direct_messages_reach_the_inbox_with_their_kind(harness: Harness) -> None:
    _old, cursor = _drain(harness, None, limit=50)
    expected = set()
    if harness.citizen_mention:
        harness.citizen_mention(harness.text("提个建议"))
        expected.add(InteractionKind.MENTION)
    if harness.citizen_dm:
        harness.citizen_dm(harness.text("私信反映：路灯坏了"))
        expected.add(InteractionKind.DM)
    if not expected:
        pytest.skip(f"{harness.name} has no mentions or direct messages")
    items, _cursor = _drain(harness, cursor, limit=1)
    assert {i.kind for i in items} == expected and len(items) == len(expected)
    assert all(i.author.platform_user_id and i.created_at.tzinfo for i in items)


# --- reply, moderate -----------------------------------------------------------------------------
def test_a_reply_answers_the_interaction_once_per_key(harness: Harness) -> None:
    post_id, item = _comment_on_new_post(harness)
    ctx = harness.ctx()
    reply = harness.connector.reply(harness.main, item.id, "您好，预计下午六点恢复。", ctx)
    assert reply.parent_id == item.id and reply.kind in (
        InteractionKind.COMMENT,
        InteractionKind.DM,
    )
    assert "预计下午六点恢复" in reply.text and reply.platform == harness.name
    # A second reply would carry another id: the repeat must hand back the first one.
    _same_post(
        lambda: harness.connector.reply(harness.main, item.id, "您好，预计下午六点恢复。", ctx),
        reply.id,
    )
    assert reply.post_id == post_id


def test_moderation_says_what_was_really_done(harness: Harness) -> None:
    post_id, item = _comment_on_new_post(harness, "有害评论")
    declared = harness.connector.capabilities()
    wanted = [
        ModerationAction.DELETE,
        ModerationAction.HIDE,
        ModerationAction.REPORT,
        ModerationAction.BLOCK_AUTHOR,
    ]
    result = harness.connector.moderate(
        harness.main,
        item.id,
        ModerationAction.DELETE,
        harness.ctx(),
        reason="辱骂",
        fallback=wanted[1:],
    )
    first_possible = next(a for a in wanted if MODERATION[a] in declared)
    assert result.requested == ModerationAction.DELETE
    assert result.applied == first_possible and result.note.strip()
    comments = harness.connector.post_metrics(harness.main, [post_id])[post_id].comments
    assert comments == (
        0 if first_possible in (ModerationAction.DELETE, ModerationAction.HIDE) else 1
    )


def test_each_declared_moderation_does_exactly_that(harness: Harness) -> None:
    declared = [a for a, cap in MODERATION.items() if cap in harness.connector.capabilities()]
    for action in declared:
        _post_id, item = _comment_on_new_post(harness, f"需要{action.value}的评论")
        result = harness.connector.moderate(
            harness.main, item.id, action, harness.ctx(), reason="测试"
        )
        assert (result.requested, result.applied) == (action, action), result.note


# --- metrics --------------------------------------------------------------------------------------
def test_metrics_are_counts_and_unknown_posts_are_left_out(harness: Harness) -> None:
    post = harness.connector.publish(harness.main, harness.text("数据"), harness.ctx())
    harness.citizen_comment(post.id, harness.text("好"))
    metrics = harness.connector.post_metrics(harness.main, [post.id, "987654321012345"])
    assert set(metrics) == {post.id}
    assert (metrics[post.id].comments, metrics[post.id].reposts) == (1, 0)
    account = harness.connector.account_metrics(harness.main)
    assert account.handle == harness.main.handle and account.posts >= 1
    assert min(account.followers, account.following) >= 0


# --- errors ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("error", list(ERRORS))
def test_every_typed_error(harness: Harness, error: str) -> None:
    arrange = harness.errors.get(error)
    assert arrange is not None, f"{harness.name} must say how to produce {error}, or why it cannot"
    if isinstance(arrange, str):
        pytest.skip(f"{harness.name}: {arrange}")
    call = arrange()
    with pytest.raises(ERRORS[error]) as caught:
        call()
    raised = caught.value
    assert type(raised).__module__ == "govmatrix.platforms.base"
    assert raised.message.strip() and raised.platform == harness.name
    if isinstance(raised, RateLimited):
        assert raised.retry_after is not None and raised.retry_after > 0
    if isinstance(raised, Duplicate):
        assert raised.existing_id
