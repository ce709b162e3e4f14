"""The sync: cursor-based, idempotent, unique on (platform, external id), one worker per account."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, ClassVar

import pytest
from django.db import transaction
from django.utils import timezone

from govmatrix.audit.models import Event
from govmatrix.inbox.models import Message, SyncState
from govmatrix.inbox.services import ingest
from govmatrix.platforms import registry
from govmatrix.platforms.base import (
    AccountRef,
    Capability,
    Interaction,
    Page,
    PlatformDown,
    RateLimited,
)
from govmatrix.platforms.local import services as local
from govmatrix.platforms.local.connector import LocalConnector
from govmatrix.platforms.local.rules import comment_ref
from tests.inbox.conftest import Inbox


def _count() -> int:
    return Message.objects.count()


def test_comments_messages_and_mentions_arrive_once_each_and_a_second_sync_adds_nothing(
    inbox: Inbox,
) -> None:
    d = inbox.district
    inbox.comment(d.street01_account, "东城路的路灯不亮了。")
    inbox.message(d.street01_account, "想问一下东城街道办事处的办公时间。")
    # A comment on the main account that mentions 东城街道's account reaches both inboxes.
    inbox.comment(d.main_account, "@示范区东城街道 东城花园门口积水很深。", who="市民丙")
    assert inbox.sync() == 3
    assert set(Message.objects.values_list("channel", flat=True)) == {"comment", "dm"}
    assert inbox.sync() == 0
    assert _count() == 3
    state = SyncState.objects.get(account=d.street01_account)
    assert state.cursor.startswith(f"v1.{d.street01_account.pk}.")
    assert state.last_success_at is not None and state.lease_token == ""
    assert state.messages_stored >= 2


def test_official_replies_in_an_inbox_are_not_citizens_messages(inbox: Inbox) -> None:
    d = inbox.district
    comment = inbox.comment(d.main_account, "请问这个政策什么时候实施？")
    # The street's account answers under the main account's post: it reaches the main inbox.
    local.interaction_reply(
        account=d.main_account,
        interaction_id=comment_ref(comment.pk),
        text="下月起实施。",
        idempotency_key="reply-1",
    )
    assert inbox.sync(d.main_account) == 1
    assert Message.objects.get().text == "请问这个政策什么时候实施？"


def test_a_batch_is_stored_with_its_cursor_or_not_at_all(
    inbox: Inbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    d = inbox.district
    inbox.comment(d.street01_account, "第一条")
    inbox.comment(d.street01_account, "第二条")

    def fails_after_storing(**kwargs: Any) -> Any:
        assert len(real(**kwargs).ids) == 2
        assert Message.objects.count() == 2  # stored inside the transaction …
        raise RuntimeError("the worker died before the commit")

    real = ingest.messages_store
    monkeypatch.setattr(ingest, "messages_store", fails_after_storing)
    with pytest.raises(RuntimeError):
        ingest.sync_account(account_id=d.street01_account.pk)
    assert _count() == 0  # … and rolled back with the cursor
    assert SyncState.objects.get(account=d.street01_account).cursor == ""
    # The claim is left until its lease runs out; then the next run reads the same page.
    monkeypatch.setattr(ingest, "messages_store", real)
    assert ingest.sync_account(account_id=d.street01_account.pk).claimed is False
    SyncState.objects.filter(account=d.street01_account).update(
        lease_until=timezone.now() - timedelta(seconds=1)
    )
    assert ingest.sync_account(account_id=d.street01_account.pk).stored == 2


def test_one_worker_holds_an_account_and_a_late_worker_whose_lease_was_taken_stores_nothing(
    inbox: Inbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    d = inbox.district
    inbox.comment(d.street01_account, "一条留言")
    taken_over = {"done": False}
    real_fetch = LocalConnector.fetch_interactions

    def slow_fetch(self: Any, account: AccountRef, **kwargs: Any) -> Page[Interaction]:
        page = real_fetch(self, account, **kwargs)
        if not taken_over["done"]:
            taken_over["done"] = True
            # While this worker waits on the platform its lease runs out and another claims.
            SyncState.objects.filter(account=d.street01_account).update(
                lease_until=timezone.now() - timedelta(seconds=1)
            )
            assert ingest._claim(d.street01_account.pk, timezone.now()) is not None
        return page

    monkeypatch.setattr(LocalConnector, "fetch_interactions", slow_fetch)
    late = ingest.sync_account(account_id=d.street01_account.pk)
    assert late.claimed is False and late.fetched == 1 and late.stored == 0
    assert _count() == 0 and SyncState.objects.get(account=d.street01_account).cursor == ""


def test_a_full_page_is_followed_at_once_by_the_next(
    inbox: Inbox, django_capture_on_commit_callbacks: Any
) -> None:
    d = inbox.district
    for n in range(5):
        inbox.comment(d.street01_account, f"第{n}条留言：路灯坏了", who=f"市民{n}")
    with django_capture_on_commit_callbacks(execute=True):
        first = ingest.sync_account(account_id=d.street01_account.pk, limit=2)
    # Huey runs eagerly in tests: the follow-up pages ran on commit, until the inbox was read.
    assert first.more is True and first.stored == 2
    assert _count() == 5
    assert Event.objects.filter(verb="inbox.synced").count() == 3


class Failing:
    platform: ClassVar[str] = "flaky"

    def __init__(self, error: Exception) -> None:
        self.error = error

    def capabilities(self) -> frozenset[Capability]:
        return frozenset({Capability.READ_INBOX})

    def fetch_interactions(self, account: AccountRef, **kwargs: Any) -> Page[Interaction]:
        raise self.error


@pytest.mark.parametrize(
    "error", [RateLimited("请求过于频繁", retry_after=600), PlatformDown("服务暂停")]
)
def test_a_platform_error_is_kept_with_its_words_and_a_rate_limit_is_waited_out(
    inbox: Inbox, monkeypatch: pytest.MonkeyPatch, error: Exception
) -> None:
    from tests.factories import AccountFactory

    account = AccountFactory(unit=inbox.district.street02, platform="flaky", handle="flaky1")
    monkeypatch.setitem(registry._FACTORIES, "flaky", lambda: Failing(error))
    result = ingest.sync_account(account_id=account.pk)
    state = SyncState.objects.get(account=account)
    assert result.error == str(error) and state.last_error == str(error)
    assert state.lease_token == "" and state.cursor == ""
    if isinstance(error, RateLimited):
        assert state.retry_after is not None
        assert state.retry_after - timezone.now() > timedelta(seconds=590)
        assert ingest.sync_account(account_id=account.pk).claimed is False
    else:
        assert state.retry_after is None
        assert ingest.sync_account(account_id=account.pk).claimed is True


def test_only_open_official_accounts_on_platforms_that_read_an_inbox_are_synced(
    inbox: Inbox,
) -> None:
    from tests.factories import AccountFactory

    d = inbox.district
    closed = AccountFactory(unit=d.street02, handle="closed_one", status="closed")
    wechat = AccountFactory(unit=d.street02, platform="wechat", handle="wx_one")
    personal = AccountFactory(unit=d.street02, handle="staff_one", kind="staff_personal")
    ids = ingest.syncable_accounts()
    assert d.street01_account.pk in ids and d.main_account.pk in ids
    assert not {closed.pk, wechat.pk, personal.pk} & set(ids)


def test_storing_outside_the_cursors_transaction_is_refused(
    transactional_db: None, inbox: Inbox
) -> None:
    with pytest.raises(RuntimeError):
        ingest.messages_store(account=inbox.district.street01_account, interactions=[])
    with transaction.atomic():
        assert (
            ingest.messages_store(account=inbox.district.street01_account, interactions=[]).ids
            == []
        )


def test_a_citizens_later_comment_under_our_reply_is_threaded_to_the_first(
    inbox: Inbox,
) -> None:
    from govmatrix.inbox.models import Reply

    d = inbox.district
    first = inbox.arrive(d.street01_account, "东城路的井盖松了。", who="王先生")
    ours = local.interaction_reply(
        account=d.street01_account,
        interaction_id=first.external_id,
        text="已通知维修。",
        idempotency_key="k1",
    )
    # Arranged: our published reply as the inbox records it (its platform id).
    Reply.objects.create(
        message=first, author=d.operator, text=ours.text, external_id=comment_ref(ours.pk)
    )
    later = local.comment_submit(
        post=inbox.post_of(d.street01_account),
        nickname="王先生",
        text="今天还是没修好。",
        visitor_hash="visitor-wang",
        parent_id=ours.pk,
    )
    inbox.sync(d.street01_account)
    follow_up = Message.objects.get(external_id=comment_ref(later.pk))
    assert follow_up.follows_id == first.pk
    from govmatrix.inbox.selectors.messages import thread_of

    assert [m.pk for m in thread_of(follow_up)] == [first.pk, follow_up.pk]


def test_a_linked_accounts_platform_link_keeps_the_same_cursor(inbox: Inbox) -> None:
    from govmatrix.platforms.links.models import PlatformLink

    d = inbox.district
    link = PlatformLink.objects.create(
        account=d.street01_account, platform="local", external_id="1", method="token", sealed="-"
    )
    inbox.comment(d.street01_account, "路灯坏了。")
    inbox.sync(d.street01_account)
    link.refresh_from_db()
    assert link.interactions_cursor == SyncState.objects.get(account=d.street01_account).cursor
    assert link.interactions_cursor.startswith("v1.")
