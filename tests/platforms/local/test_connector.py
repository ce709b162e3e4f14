"""The local connector: every method, as the outbox and the later apps call it."""

from __future__ import annotations

import pytest
from django.db import transaction

from govmatrix.matrix.models import Account
from govmatrix.platforms.base import (
    Capability,
    ContentRejected,
    Forbidden,
    InteractionKind,
    InvalidRequest,
    ModerationAction,
    NotFoundOnPlatform,
)
from govmatrix.platforms.local import services
from govmatrix.platforms.local.connector import LocalConnector
from govmatrix.platforms.local.models import (
    LocalBlock,
    LocalComment,
    LocalInboxEntry,
    LocalMessage,
    LocalPost,
    ModerationState,
)
from govmatrix.platforms.local.rules import visitor_hash
from govmatrix.platforms.models import OutboxKind, OutboxOperation, OutboxState
from govmatrix.platforms.registry import connector_for
from govmatrix.platforms.services import outbox_enqueue
from tests.conftest import District
from tests.factories import AccountFactory
from tests.platforms.local.conftest import ctx, ref

CITIZEN = visitor_hash("203.0.113.7")


def _publish(connector: LocalConnector, account: Account, text: str = "通知", key: str = "") -> str:
    return connector.publish(ref(account), text, ctx(key or None)).id


def _comment(post_id: str, text: str = "请问什么时候开始？", **kwargs: object) -> LocalComment:
    post = LocalPost.objects.get(pk=int(post_id))
    return services.comment_submit(
        post=post,
        nickname=str(kwargs.pop("nickname", "热心市民")),
        text=text,
        visitor_hash=str(kwargs.pop("visitor", CITIZEN)),
        **kwargs,  # type: ignore[arg-type]
    )


def _message(account: Account, text: str = "小区路灯坏了") -> LocalMessage:
    message, _token = services.message_submit(
        account=account, nickname="居民老张", text=text, visitor_hash=CITIZEN
    )
    return message


# --- what the platform can do ------------------------------------------------------------------
def test_the_registry_serves_the_local_platform_with_the_local_connector() -> None:
    assert isinstance(connector_for("local"), LocalConnector)


def test_the_local_platform_declares_what_it_really_does(connector: LocalConnector) -> None:
    capabilities = connector.capabilities()
    assert {
        Capability.PUBLISH_IDEMPOTENT,
        Capability.REPOST_WITH_COMMENT,
        Capability.DELETE_COMMENT,
        Capability.HIDE_COMMENT,
        Capability.BLOCK_AUTHOR,
        Capability.READ_DMS,
    } <= capabilities
    assert Capability.REPORT not in capabilities
    assert connector.limits().max_chars == 2000


# --- publish ----------------------------------------------------------------------------------
def test_publishing_twice_with_the_same_key_returns_the_same_post_and_stores_one_row(
    connector: LocalConnector, district: District
) -> None:
    account = district.street01_account
    first = connector.publish(ref(account), "东城街道明日停水通知", ctx("publish-1"))
    again = connector.publish(ref(account), "东城街道明日停水通知", ctx("publish-1"))
    assert first == again
    assert LocalPost.objects.filter(idempotency_key="publish-1").count() == 1
    assert first.url == f"/p/{account.handle}/{first.id}/"
    assert first.account_handle == account.handle and first.platform == "local"


def test_a_key_already_used_by_another_account_is_refused(
    connector: LocalConnector, district: District
) -> None:
    _publish(connector, district.street01_account, key="shared-key")
    with pytest.raises(InvalidRequest, match="幂等键"):
        connector.publish(ref(district.street02_account), "另一条", ctx("shared-key"))
    assert LocalPost.objects.count() == 1


def test_a_post_of_exactly_2000_characters_is_published_and_one_more_is_rejected(
    connector: LocalConnector, district: District
) -> None:
    account = district.street01_account
    assert connector.publish(ref(account), "字" * 2000, ctx()).text == "字" * 2000
    with pytest.raises(ContentRejected, match="不能超过 2000 字") as refused:
        connector.publish(ref(account), "字" * 2001, ctx())
    assert refused.value.platform == "local"
    with pytest.raises(ContentRejected, match="不能为空"):
        connector.publish(ref(account), " \n\u200b ", ctx())
    assert LocalPost.objects.count() == 1


def test_an_account_that_is_closed_or_unknown_cannot_publish(
    connector: LocalConnector, district: District
) -> None:
    closed = AccountFactory(unit=district.dept01, handle="sfq_closed", status="closed")
    with pytest.raises(Forbidden, match="关停"):
        connector.publish(ref(closed), "内容", ctx())
    ghost = AccountFactory.build(handle="sfq_ghost")
    with pytest.raises(NotFoundOnPlatform, match="sfq_ghost"):
        connector.publish(ref(ghost), "内容", ctx())
    assert not LocalPost.objects.exists()


def test_a_file_that_is_not_an_image_is_refused_as_content(
    connector: LocalConnector, district: District
) -> None:
    from govmatrix.platforms.base import ContentRejected, MediaFile

    with pytest.raises(ContentRejected, match="图片"):
        connector.publish(
            ref(district.street01_account),
            "带图",
            ctx(),
            media=[MediaFile("a.png", "image/png", b"x")],
        )


def test_a_follow_up_is_threaded_on_the_earlier_post(
    connector: LocalConnector, district: District
) -> None:
    first = _publish(connector, district.main_account, "东湖路塌陷：已封闭")
    follow_up = connector.publish(
        ref(district.main_account), "续报：抢修完成", ctx(), in_reply_to_id=first
    )
    assert follow_up.in_reply_to_id == first
    with pytest.raises(NotFoundOnPlatform):
        connector.publish(ref(district.main_account), "续报", ctx(), in_reply_to_id="99999")


# --- repost, delete ---------------------------------------------------------------------------
def test_a_repost_with_a_comment_points_at_the_original_and_is_idempotent(
    connector: LocalConnector, district: District
) -> None:
    original = _publish(connector, district.main_account, "权威发布：暴雨预警")
    repost = connector.repost(
        ref(district.street01_account), original, ctx("rp-1"), comment="请居民注意安全"
    )
    assert repost.repost_of_id == original and repost.text == "请居民注意安全"
    assert connector.repost(ref(district.street01_account), original, ctx("rp-1")) == repost
    # A repost of a repost reposts the original, as on Weibo.
    second = connector.repost(ref(district.street02_account), repost.id, ctx())
    assert second.repost_of_id == original and second.text == ""
    assert connector.post_metrics(ref(district.main_account), [original])[original].reposts == 2


def test_a_deleted_post_cannot_be_reposted_and_deleting_is_idempotent_and_owner_only(
    connector: LocalConnector, district: District
) -> None:
    post = _publish(connector, district.main_account)
    with pytest.raises(Forbidden, match="本账号"):
        connector.delete_post(ref(district.street01_account), post, ctx())
    connector.delete_post(ref(district.main_account), post, ctx())
    connector.delete_post(ref(district.main_account), post, ctx())
    assert LocalPost.objects.get(pk=int(post)).deleted_at is not None
    with pytest.raises(NotFoundOnPlatform):
        connector.repost(ref(district.street01_account), post, ctx())
    with pytest.raises(NotFoundOnPlatform):
        connector.delete_post(ref(district.main_account), "424242", ctx())
    with pytest.raises(NotFoundOnPlatform):
        connector.delete_post(ref(district.main_account), "abc", ctx())


# --- reply ------------------------------------------------------------------------------------
def test_an_official_reply_under_a_citizen_comment_is_marked_and_idempotent(
    connector: LocalConnector, district: District
) -> None:
    account = district.street01_account
    post = _publish(connector, account)
    comment = _comment(post)
    reply = connector.reply(ref(account), f"c{comment.pk}", "您好，明早8点开始。", ctx("re-1"))
    again = connector.reply(ref(account), f"c{comment.pk}", "您好，明早8点开始。", ctx("re-1"))
    assert reply == again and reply.kind == InteractionKind.COMMENT
    assert reply.parent_id == f"c{comment.pk}" and reply.post_id == post
    assert reply.author.handle == account.handle and reply.raw["official"] is True
    stored = LocalComment.objects.get(idempotency_key="re-1")
    assert stored.official_account == account and stored.parent == comment


def test_an_answer_to_a_message_reaches_the_citizens_private_page(
    connector: LocalConnector, district: District
) -> None:
    account = district.street01_account
    message = _message(account)
    answer = connector.reply(ref(account), f"m{message.pk}", "已派人维修。", ctx())
    assert answer.kind == InteractionKind.DM and answer.url is None
    assert answer.parent_id == f"m{message.pk}"
    assert LocalMessage.objects.get(pk=message.pk).replies.get().text == "已派人维修。"


def test_an_account_may_answer_only_what_reached_its_inbox(
    connector: LocalConnector, district: District
) -> None:
    post = _publish(connector, district.street01_account)
    comment = _comment(post)
    with pytest.raises(Forbidden, match="不是发给本账号"):
        connector.reply(ref(district.street02_account), f"c{comment.pk}", "越权回复", ctx())
    with pytest.raises(NotFoundOnPlatform):
        connector.reply(ref(district.street01_account), "c999999", "回复", ctx())
    with pytest.raises(NotFoundOnPlatform):
        connector.reply(ref(district.street01_account), "x1", "回复", ctx())
    with pytest.raises(ContentRejected, match="500"):
        connector.reply(ref(district.street01_account), f"c{comment.pk}", "长" * 501, ctx())
    assert LocalComment.objects.count() == 1


def test_a_mentioned_account_may_answer_under_another_accounts_post(
    connector: LocalConnector, district: District
) -> None:
    post = _publish(connector, district.street01_account)
    comment = _comment(post, "@示范区西城街道 你们那边也停水吗？")
    reply = connector.reply(ref(district.street02_account), f"c{comment.pk}", "西城不停水。", ctx())
    assert reply.account_handle == district.street02_account.handle
    # The post's own account hears about the other account's answer under its post.
    page = connector.fetch_interactions(ref(district.street01_account), since_cursor=None)
    assert [i.id for i in page.items] == [f"c{comment.pk}", reply.id]


def test_a_hidden_comment_cannot_be_answered(connector: LocalConnector, district: District) -> None:
    post = _publish(connector, district.street01_account)
    comment = _comment(post)
    connector.moderate(
        ref(district.street01_account), f"c{comment.pk}", ModerationAction.HIDE, ctx(), reason="x"
    )
    with pytest.raises(ContentRejected, match="隐藏"):
        connector.reply(ref(district.street01_account), f"c{comment.pk}", "回复", ctx())


# --- fetch_interactions ---------------------------------------------------------------------
def test_the_inbox_holds_comments_messages_and_mentions_oldest_first(
    connector: LocalConnector, district: District
) -> None:
    street01, street02 = district.street01_account, district.street02_account
    post = _publish(connector, street01)
    comment = _comment(post, "东城的问题")
    message = _message(street01, "请问办事大厅几点开门")
    elsewhere = _publish(connector, street02)
    mention = _comment(elsewhere, "这事 @sfq_street01 也管吗")
    dm_mention = _message(street02, "请 @示范区东城街道 一起看看")
    items = connector.fetch_interactions(ref(street01), since_cursor=None).items
    assert [(i.kind, i.id) for i in items] == [
        (InteractionKind.COMMENT, f"c{comment.pk}"),
        (InteractionKind.DM, f"m{message.pk}"),
        (InteractionKind.MENTION, f"c{mention.pk}"),
        (InteractionKind.MENTION, f"m{dm_mention.pk}"),
    ]
    first = items[0]
    assert first.account_handle == street01.handle and first.post_id == post
    assert first.author.display_name == "热心市民" and first.author.platform_user_id.startswith(
        "visitor:"
    )
    assert first.url == f"/p/{street01.handle}/{post}/#c{comment.pk}"
    # The same comment reached the other account as a plain comment on its own post.
    other = connector.fetch_interactions(ref(street02), since_cursor=None).items
    assert [(i.kind, i.id) for i in other][:2] == [
        (InteractionKind.COMMENT, f"c{mention.pk}"),
        (InteractionKind.DM, f"m{dm_mention.pk}"),
    ]


def test_cursor_pages_never_skip_or_repeat_and_pick_up_what_arrives_later(
    connector: LocalConnector, district: District
) -> None:
    account = district.street01_account
    post = _publish(connector, account)
    expected = [f"c{_comment(post, f'第{n}条').pk}" for n in range(7)]
    seen: list[str] = []
    cursor = None
    for _page in range(5):
        page = connector.fetch_interactions(ref(account), since_cursor=cursor, limit=3)
        seen += [item.id for item in page.items]
        assert page.next_cursor is not None
        cursor = page.next_cursor
    assert seen == expected
    # Nothing new: the cursor stays where it is; something new: exactly that comes next.
    assert connector.fetch_interactions(ref(account), since_cursor=cursor).items == []
    late = _comment(post, "后来的评论")
    page = connector.fetch_interactions(ref(account), since_cursor=cursor)
    assert [item.id for item in page.items] == [f"c{late.pk}"]
    assert page.next_cursor != cursor


def test_a_cursor_of_another_account_or_a_made_up_one_is_refused(
    connector: LocalConnector, district: District
) -> None:
    page = connector.fetch_interactions(ref(district.street01_account), since_cursor=None)
    assert page.items == [] and page.next_cursor
    with pytest.raises(InvalidRequest, match="另一个账号"):
        connector.fetch_interactions(ref(district.street02_account), since_cursor=page.next_cursor)
    for bad in ("12", "v1.x.3", "v2.1.1", "v1.1.1.1"):
        with pytest.raises(InvalidRequest):
            connector.fetch_interactions(ref(district.street01_account), since_cursor=bad)


def test_inbox_numbers_are_gapless_per_account(
    connector: LocalConnector, district: District
) -> None:
    post = _publish(connector, district.street01_account)
    for n in range(4):
        _comment(post, f"@示范区西城街道 第{n}条")
    for account in (district.street01_account, district.street02_account):
        seqs = list(
            LocalInboxEntry.objects.filter(account=account)
            .order_by("seq")
            .values_list("seq", flat=True)
        )
        assert seqs == [1, 2, 3, 4]


# --- moderate ---------------------------------------------------------------------------------
def test_hide_and_delete_are_really_done_and_repeat_safely(
    connector: LocalConnector, district: District
) -> None:
    account = district.street01_account
    post = _publish(connector, account)
    first, second = _comment(post, "第一条"), _comment(post, "第二条")
    hidden = connector.moderate(
        ref(account), f"c{first.pk}", ModerationAction.HIDE, ctx(), reason="引战"
    )
    assert (hidden.requested, hidden.applied, hidden.platform_ref) == (
        ModerationAction.HIDE,
        ModerationAction.HIDE,
        f"c{first.pk}",
    )
    again = connector.moderate(
        ref(account), f"c{first.pk}", ModerationAction.HIDE, ctx(), reason="引战"
    )
    assert again.applied == ModerationAction.HIDE and "此前" in again.note
    deleted = connector.moderate(
        ref(account), f"c{second.pk}", ModerationAction.DELETE, ctx(), reason="广告"
    )
    assert deleted.applied == ModerationAction.DELETE
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.state, second.state) == (ModerationState.HIDDEN, ModerationState.DELETED)
    assert first.moderation_note == "引战"
    assert connector.post_metrics(ref(account), [post])[post].comments == 0


def test_report_is_not_available_locally_and_falls_back_or_says_nothing_was_done(
    connector: LocalConnector, district: District
) -> None:
    account = district.street01_account
    comment = _comment(_publish(connector, account))
    nothing = connector.moderate(
        ref(account), f"c{comment.pk}", ModerationAction.REPORT, ctx(), reason="有害"
    )
    assert nothing.applied is None and "举报" in nothing.note
    comment.refresh_from_db()
    assert comment.state == ModerationState.VISIBLE
    fallen_back = connector.moderate(
        ref(account),
        f"c{comment.pk}",
        ModerationAction.REPORT,
        ctx(),
        reason="有害",
        fallback=[ModerationAction.HIDE],
    )
    assert fallen_back.requested == ModerationAction.REPORT
    assert fallen_back.applied == ModerationAction.HIDE


def test_blocking_the_author_stops_them_commenting_and_writing_to_the_account(
    connector: LocalConnector, district: District
) -> None:
    account = district.street01_account
    post = _publish(connector, account)
    comment = _comment(post)
    blocked = connector.moderate(
        ref(account), f"c{comment.pk}", ModerationAction.BLOCK_AUTHOR, ctx(), reason="辱骂"
    )
    assert blocked.applied == ModerationAction.BLOCK_AUTHOR and blocked.platform_ref
    assert LocalBlock.objects.get().visitor_hash == CITIZEN
    from govmatrix.core.errors import NotAllowed

    with pytest.raises(NotAllowed):
        _comment(post, "我又来了")
    with pytest.raises(NotAllowed):
        _message(account)
    # Another visitor is not affected.
    assert _comment(post, "正常留言", visitor=visitor_hash("198.51.100.1")).pk


def test_a_mentioned_account_cannot_delete_a_comment_under_someone_elses_post(
    connector: LocalConnector, district: District
) -> None:
    comment = _comment(_publish(connector, district.street01_account), "@示范区西城街道 看这里")
    outcome = connector.moderate(
        ref(district.street02_account), f"c{comment.pk}", ModerationAction.DELETE, ctx(), reason="x"
    )
    assert outcome.applied is None and "本账号微博下" in outcome.note
    comment.refresh_from_db()
    assert comment.state == ModerationState.VISIBLE
    with pytest.raises(Forbidden):
        connector.moderate(
            ref(district.main_account), f"c{comment.pk}", ModerationAction.HIDE, ctx(), reason="x"
        )
    with pytest.raises(NotFoundOnPlatform):
        connector.moderate(
            ref(district.main_account), "m424242", ModerationAction.HIDE, ctx(), reason="x"
        )


# --- metrics ----------------------------------------------------------------------------------
def test_post_metrics_count_reposts_visible_comments_and_likes(
    connector: LocalConnector, district: District
) -> None:
    account = district.main_account
    post = _publish(connector, account)
    gone = _publish(connector, account)
    connector.delete_post(ref(account), gone, ctx())
    connector.repost(ref(district.street01_account), post, ctx())
    _comment(post)
    _comment(post, visitor=visitor_hash("198.51.100.2"))
    live = LocalPost.objects.get(pk=int(post))
    assert services.post_like(post=live, visitor_hash=CITIZEN)
    assert not services.post_like(post=live, visitor_hash=CITIZEN)
    assert services.post_like(post=live, visitor_hash=visitor_hash("198.51.100.2"))
    metrics = connector.post_metrics(ref(account), [post, gone, "123456", "junk"])
    assert set(metrics) == {post}
    assert (metrics[post].reposts, metrics[post].comments, metrics[post].likes) == (1, 2, 2)


def test_account_metrics_count_followers_once_per_visitor_and_live_posts(
    connector: LocalConnector, district: District
) -> None:
    account = district.street01_account
    _publish(connector, account)
    connector.delete_post(ref(account), _publish(connector, account), ctx())
    connector.repost(ref(account), _publish(connector, district.main_account), ctx())
    for ip in ("198.51.100.1", "198.51.100.1", "198.51.100.2"):
        services.account_follow(account=account, visitor_hash=visitor_hash(ip))
    metrics = connector.account_metrics(ref(account))
    assert (metrics.handle, metrics.followers, metrics.following, metrics.posts) == (
        account.handle,
        2,
        0,
        2,
    )


# --- through the outbox -----------------------------------------------------------------------
def test_the_outbox_publishes_through_the_local_connector(
    district: District, django_capture_on_commit_callbacks: object
) -> None:
    with (
        django_capture_on_commit_callbacks(execute=True),  # type: ignore[operator]
        transaction.atomic(),
    ):
        operation = outbox_enqueue(
            account=district.street01_account,
            kind=OutboxKind.PUBLISH,
            payload={"text": "经由平台调用发布"},
            idempotency_key="outbox-local-1",
        )
    operation = OutboxOperation.objects.get(pk=operation.pk)
    assert operation.state == OutboxState.SUCCEEDED
    post = LocalPost.objects.get(idempotency_key="outbox-local-1")
    assert operation.result["id"] == str(post.pk) and post.text == "经由平台调用发布"


@pytest.mark.django_db(transaction=True)
def test_a_reader_polling_while_citizens_write_concurrently_misses_and_repeats_nothing(
    district: District,
) -> None:
    import threading

    from django.db import connection

    connector = LocalConnector()
    account = district.street01_account
    post = _publish(connector, account)
    written: list[str] = []
    errors: list[BaseException] = []

    def citizen(n: int) -> None:
        try:
            for k in range(8):
                comment = _comment(
                    post, f"@示范区西城街道 第{n}-{k}条", visitor=visitor_hash(f"10.0.{n}.{k}")
                )
                written.append(f"c{comment.pk}")
        except BaseException as exc:  # surfaced by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=citizen, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    seen: dict[str, list[str]] = {"sfq_street01": [], "sfq_street02": []}
    cursors: dict[str, str | None] = dict.fromkeys(seen)
    targets = {"sfq_street01": account, "sfq_street02": district.street02_account}

    def poll() -> None:
        for handle, target in targets.items():
            page = connector.fetch_interactions(ref(target), since_cursor=cursors[handle], limit=3)
            seen[handle] += [item.id for item in page.items]
            cursors[handle] = page.next_cursor

    while any(thread.is_alive() for thread in threads):
        poll()
    for thread in threads:
        thread.join()
    for _drain in range(40):
        poll()
    assert not errors
    assert len(written) == 32
    for handle in seen:
        assert sorted(seen[handle]) == sorted(written), handle  # nothing missed, nothing twice
