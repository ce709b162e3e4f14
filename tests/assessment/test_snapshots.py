"""Daily snapshots: collected through the connector and the post source, once per account-day."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import ClassVar

import pytest
from django.utils import timezone

from govmatrix.assessment import sources
from govmatrix.assessment.models import AccountSnapshot, PostObservation
from govmatrix.assessment.services.snapshots import account_snapshot_collect, days_missing
from govmatrix.assessment.sources import SourcePost
from govmatrix.assessment.tasks import collect_daily_snapshots
from govmatrix.audit.models import Event
from govmatrix.matrix.models import Account
from govmatrix.platforms import registry
from govmatrix.platforms.base import (
    AccountMetrics,
    AccountRef,
    Capability,
    PlatformDown,
    PostMetrics,
)
from tests.assessment.conftest import moment
from tests.conftest import District

DAY = date(2026, 5, 20)


class FakeConnector:
    platform: ClassVar[str] = "other"
    followers = 1200
    fail_metrics = False

    def capabilities(self) -> frozenset[Capability]:
        return frozenset({Capability.ACCOUNT_METRICS, Capability.POST_METRICS})

    def account_metrics(self, account: AccountRef) -> AccountMetrics:
        if FakeConnector.fail_metrics:
            raise PlatformDown("平台维护中", platform="other")
        return AccountMetrics(account.handle, FakeConnector.followers, 3, 40, timezone.now())

    def post_metrics(self, account: AccountRef, post_ids: Sequence[str]) -> dict[str, PostMetrics]:
        return {p: PostMetrics(p, 7, 3, 11, timezone.now()) for p in post_ids}


class FakeSource:
    posts_by_day: ClassVar[dict[date, int]] = {DAY: 2, date(2026, 5, 18): 1}

    def posts(self, account: Account, *, since: datetime, until: datetime) -> list[SourcePost]:
        return [
            SourcePost(f"{day}-{n}", moment(day, 9 + n), is_original=n == 0)
            for day, count in self.posts_by_day.items()
            for n in range(count)
            if since <= moment(day, 9 + n) < until
        ]

    def own_replies(self, account: Account, *, since: datetime, until: datetime) -> int | None:
        return 4

    def interaction_enabled(self, account: Account) -> bool | None:
        return True


@pytest.fixture
def fake_platform(district: District, monkeypatch: pytest.MonkeyPatch) -> Account:
    monkeypatch.setitem(registry._FACTORIES, "other", FakeConnector)
    monkeypatch.setitem(sources._SOURCES, "other", FakeSource())
    monkeypatch.setattr(FakeConnector, "followers", 1200)
    monkeypatch.setattr(FakeConnector, "fail_metrics", False)
    account = district.street01_account
    Account.objects.filter(pk=account.pk).update(platform="other")
    account.refresh_from_db()
    return account


def test_a_day_is_collected_through_the_connector_and_the_post_source(
    fake_platform: Account,
) -> None:
    snapshot = account_snapshot_collect(account_id=fake_platform.pk, day=DAY)
    assert snapshot is not None
    assert (snapshot.followers, snapshot.posts_count, snapshot.posts_published) == (1200, 40, 2)
    assert (snapshot.posts_original, snapshot.replies_sent, snapshot.interaction_enabled) == (
        1,
        4,
        True,
    )
    posts = PostObservation.objects.filter(account=fake_platform)
    assert posts.count() == 3  # the window reaches back: the post of 18 May is observed too
    assert {(p.reposts, p.comments, p.likes) for p in posts} == {(7, 3, 11)}
    assert Event.objects.filter(verb="metric_snapshot.collected").count() == 1


def test_collecting_a_day_again_updates_it_and_never_duplicates(fake_platform: Account) -> None:
    account_snapshot_collect(account_id=fake_platform.pk, day=DAY)
    FakeConnector.followers = 1300
    account_snapshot_collect(account_id=fake_platform.pk, day=DAY)
    account_snapshot_collect(account_id=fake_platform.pk, day=DAY)
    rows = AccountSnapshot.objects.filter(account=fake_platform)
    assert rows.count() == 1
    assert rows.get().followers == 1300
    assert PostObservation.objects.filter(account=fake_platform).count() == 3


def test_what_the_platform_cannot_tell_is_stored_as_no_data_with_its_reason(
    fake_platform: Account,
) -> None:
    FakeConnector.fail_metrics = True
    snapshot = account_snapshot_collect(account_id=fake_platform.pk, day=DAY)
    assert snapshot is not None
    assert snapshot.followers is None and snapshot.posts_count is None  # not 0
    assert "平台维护中" in snapshot.note
    assert snapshot.posts_published == 2  # the post source still answered


def test_an_account_on_a_platform_without_connector_or_post_source_is_not_collected(
    district: District, monkeypatch: pytest.MonkeyPatch
) -> None:
    Account.objects.filter(pk=district.street02_account.pk).update(platform="douyin")
    assert account_snapshot_collect(account_id=district.street02_account.pk, day=DAY) is None
    assert not AccountSnapshot.objects.exists()


def test_the_nightly_task_collects_yesterday_and_catches_up_missing_days(
    fake_platform: Account, time_machine: object
) -> None:
    time_machine.move_to(timezone.make_aware(datetime(2026, 5, 21, 1, 30)))  # type: ignore[attr-defined]
    account_snapshot_collect(account_id=fake_platform.pk, day=date(2026, 5, 17))
    collect_daily_snapshots.call_local()
    days = set(AccountSnapshot.objects.filter(account=fake_platform).values_list("day", flat=True))
    assert days == {date(2026, 5, d) for d in range(14, 21)}  # the last 7 days, once each
    assert days_missing(account_ids=[fake_platform.pk], until=date(2026, 5, 20), days=7) == []
    collect_daily_snapshots.call_local()
    assert AccountSnapshot.objects.filter(account=fake_platform).count() == 7


def test_the_local_platform_is_collected_through_its_own_connector_and_posts(
    district: District,
) -> None:
    from govmatrix.platforms.local.models import LocalComment, LocalLike, LocalPost

    account = district.street01_account
    post = LocalPost.objects.create(account=account, text="政策解读", idempotency_key="p1",
                                    created_at=moment(DAY, 9))  # fmt: skip
    LocalPost.objects.create(account=account, repost_of=post, idempotency_key="p2",
                             created_at=moment(DAY, 10))  # fmt: skip
    LocalPost.objects.create(account=account, text="已删除", idempotency_key="p3",
                             created_at=moment(DAY, 11), deleted_at=moment(DAY, 12))  # fmt: skip
    LocalPost.objects.create(account=district.street02_account, repost_of=post,
                             idempotency_key="p4", created_at=moment(DAY, 13))  # fmt: skip
    question = LocalComment.objects.create(post=post, nickname="网友", text="何时实施？",
                                           created_at=moment(DAY, 14))  # fmt: skip
    LocalComment.objects.create(post=post, parent=question, official_account=account,
                                text="下月起实施。", created_at=moment(DAY, 15))  # fmt: skip
    LocalLike.objects.create(post=post, visitor_hash="v1")
    snapshot = account_snapshot_collect(account_id=account.pk, day=DAY)
    assert snapshot is not None, "the local platform has a connector and a post source"
    assert (snapshot.posts_published, snapshot.posts_original, snapshot.replies_sent) == (2, 1, 1)
    observed = {p.post_id: (p.is_original, p.reposts, p.comments, p.likes)
                for p in PostObservation.objects.filter(account=account)}  # fmt: skip
    assert observed[str(post.pk)] == (True, 2, 2, 1)  # reposted twice, two visible comments
    assert len(observed) == 2  # the deleted post is not listed
