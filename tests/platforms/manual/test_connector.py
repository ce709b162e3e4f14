"""The manual connector behind the connector interface: what it hands to a person, what it
refuses and says to do instead, and who else sees it as a platform."""

from __future__ import annotations

from typing import Any

import pytest

from govmatrix.matrix.models import Account
from govmatrix.platforms.base import (
    AccountRef,
    ActionContext,
    Capability,
    InvalidRequest,
    ModerationAction,
    Unsupported,
)
from govmatrix.platforms.manual import services
from govmatrix.platforms.manual.connector import ManualConnector
from govmatrix.platforms.manual.models import ManualTask, TaskState
from govmatrix.platforms.registry import connector_for
from govmatrix.platforms.services import WaitingForPerson
from govmatrix.publishing import rules as publishing_rules
from tests.conftest import District
from tests.platforms.manual.conftest import TEXT, Pages

REF = AccountRef(platform="wechat", handle="wx_street01")


def _ctx(key: str) -> ActionContext:
    return ActionContext(operator_id="1", operator_ip=None, idempotency_key=key)


@pytest.mark.parametrize("platform", ["wechat", "douyin", "other"])
def test_wechat_douyin_and_other_platforms_are_served_by_the_manual_connector(
    platform: str,
) -> None:
    connector = connector_for(platform)
    assert isinstance(connector, ManualConnector) and connector.platform == platform
    assert Capability.PUBLISH in connector.capabilities()
    assert Capability.READ_INBOX not in connector.capabilities()
    assert publishing_rules.platform_limits(platform) is not None  # "connected" for publishing
    assert not isinstance(connector_for("local"), ManualConnector)


def test_publishing_opens_one_task_per_key_and_then_answers_with_what_was_published(
    district: District, wechat: Account, pages: Pages, loopback: None
) -> None:
    connector = connector_for("wechat")
    with pytest.raises(WaitingForPerson) as first:
        connector.publish(REF, TEXT, _ctx("direct-1"))
    with pytest.raises(WaitingForPerson):
        connector.publish(REF, TEXT, _ctx("direct-1"))  # a retry: the same task
    task = ManualTask.objects.get()
    assert f"#{task.pk}" in first.value.message and task.operation_id is None
    assert (task.account_id, task.kind, task.text) == (wechat.pk, "publish", TEXT)
    url = pages.article("/s/Direct1234", TEXT)
    services.manual_task_submit_link(actor=district.operator, task_id=task.pk, url=url)
    post = connector.publish(REF, TEXT, _ctx("direct-1"))
    assert (post.id, post.url, post.platform) == ("Direct1234", url, "wechat")
    assert ManualTask.objects.count() == 1


def test_a_repost_and_a_reply_are_handed_over_too(district: District, wechat: Account) -> None:
    connector = connector_for("wechat")
    with pytest.raises(WaitingForPerson):
        connector.repost(REF, "https://mp.weixin.qq.com/s/Original1", _ctx("repost-1"))
    with pytest.raises(WaitingForPerson):
        connector.repost(REF, "4321", _ctx("repost-2"), comment="请居民注意安全")
    with pytest.raises(WaitingForPerson):
        connector.reply(REF, "comment:9", "您好，已转交相关部门。", _ctx("reply-1"))
    tasks = {t.idempotency_key: t for t in ManualTask.objects.all()}
    assert (tasks["repost-1"].kind, tasks["repost-1"].target, tasks["repost-1"].text) == (
        "repost",
        "https://mp.weixin.qq.com/s/Original1",
        "",
    )
    assert tasks["repost-2"].text == "请居民注意安全"
    assert (tasks["reply-1"].kind, tasks["reply-1"].target) == ("reply", "comment:9")


def test_a_repost_without_words_cannot_be_compared_and_is_confirmed_by_hand(
    district: District, wechat: Account, pages: Pages, loopback: None
) -> None:
    with pytest.raises(WaitingForPerson):
        connector_for("wechat").repost(REF, "4321", _ctx("repost-3"))
    task = ManualTask.objects.get()
    url = pages.article("/s/Repost1234", TEXT)
    task = services.manual_task_submit_link(actor=district.operator, task_id=task.pk, url=url)
    assert task.state == TaskState.UNVERIFIED and "没有文字" in task.check_detail
    assert pages.hosts == []  # nothing to compare: the page was not even fetched
    assert services.manual_task_confirm(actor=district.operator, task_id=task.pk).state == "done"


def test_an_account_not_in_the_registry_is_refused(db: None) -> None:
    with pytest.raises(InvalidRequest):
        connector_for("douyin").publish(
            AccountRef(platform="douyin", handle="nobody"), TEXT, _ctx("nobody-1")
        )


def test_an_abandoned_task_refuses_the_same_key(district: District, wechat: Account) -> None:
    connector = connector_for("wechat")
    with pytest.raises(WaitingForPerson):
        connector.publish(REF, TEXT, _ctx("given-up"))
    task = ManualTask.objects.get()
    services.manual_task_abandon(actor=district.operator, task_id=task.pk, reason="账号被冻结")
    with pytest.raises(InvalidRequest) as refused:
        connector.publish(REF, TEXT, _ctx("given-up"))
    assert "账号被冻结" in refused.value.message


def test_everything_else_is_unsupported_with_what_to_do_instead(db: None) -> None:
    connector = connector_for("douyin")
    ctx = _ctx("x")
    calls: dict[Capability, Any] = {
        Capability.DELETE_OWN_POST: lambda: connector.delete_post(REF, "1", ctx),
        Capability.READ_INBOX: lambda: connector.fetch_interactions(REF, since_cursor=None),
        Capability.POST_METRICS: lambda: connector.post_metrics(REF, ["1"]),
        Capability.ACCOUNT_METRICS: lambda: connector.account_metrics(REF),
        Capability.DELETE_COMMENT: lambda: connector.moderate(
            REF, "c1", ModerationAction.DELETE, ctx, reason="辱骂"
        ),
        Capability.HIDE_COMMENT: lambda: connector.moderate(
            REF, "c1", ModerationAction.HIDE, ctx, reason="辱骂"
        ),
        Capability.REPORT: lambda: connector.moderate(
            REF, "c1", ModerationAction.REPORT, ctx, reason="辱骂"
        ),
        Capability.BLOCK_AUTHOR: lambda: connector.moderate(
            REF, "c1", ModerationAction.BLOCK_AUTHOR, ctx, reason="辱骂"
        ),
    }
    for capability, call in calls.items():
        assert capability not in connector.capabilities()
        with pytest.raises(Unsupported) as refused:
            call()
        assert refused.value.capability == capability
        assert refused.value.platform == "douyin" and "平台" in refused.value.instead


def test_the_inbox_does_not_sync_and_the_assessment_does_not_collect_manual_accounts(
    district: District, wechat: Account
) -> None:
    from govmatrix.assessment.services.snapshots import collectable
    from govmatrix.inbox.services.ingest import syncable_accounts

    assert wechat.pk not in syncable_accounts()
    assert not collectable(wechat)
