"""The part of the connector contract that applies to the manual connector (WeChat, Douyin and
other platforms without a usable write API).

It makes no platform call: publishing opens a task for a person, so the inbox, moderation,
metrics and typed-error parts of the contract do not apply. What does: its capabilities and
limits are declared; every capability it lacks is refused with `Unsupported`, naming the
capability, the platform and what to do instead; and publishing is idempotent per key — one
task, and once a person has published, the same post for a repeat.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from govmatrix.platforms.base import (
    AccountRef,
    ActionContext,
    Capability,
    ModerationAction,
    Unsupported,
)
from govmatrix.platforms.manual import services
from govmatrix.platforms.manual.models import ManualTask
from govmatrix.platforms.registry import connector_for
from govmatrix.platforms.services import WaitingForPerson
from tests.conftest import District
from tests.factories import AccountFactory
from tests.platforms.contract.test_contract import MODERATION

MANUAL_PLATFORMS = ["wechat", "douyin", "other"]


def _ctx(key: str) -> ActionContext:
    return ActionContext(operator_id="1", operator_ip="203.0.113.9", idempotency_key=key)


def _every_call(platform: str) -> dict[Capability, Callable[[], Any]]:
    connector, ref, ctx = connector_for(platform), AccountRef(platform, "acct"), _ctx("k")
    calls: dict[Capability, Callable[[], Any]] = {
        Capability.DELETE_OWN_POST: lambda: connector.delete_post(ref, "1", ctx),
        Capability.READ_INBOX: lambda: connector.fetch_interactions(ref, since_cursor=None),
        Capability.POST_METRICS: lambda: connector.post_metrics(ref, ["1"]),
        Capability.ACCOUNT_METRICS: lambda: connector.account_metrics(ref),
    }
    for action, capability in MODERATION.items():
        calls[capability] = lambda action=action: connector.moderate(
            ref, "c1", action, ctx, reason="测试", fallback=list(ModerationAction)
        )
    return calls


@pytest.mark.parametrize("platform", MANUAL_PLATFORMS)
def test_capabilities_and_limits_are_declared(platform: str) -> None:
    connector = connector_for(platform)
    capabilities = connector.capabilities()
    assert capabilities and all(isinstance(c, Capability) for c in capabilities)
    assert Capability.PUBLISH in capabilities
    assert connector.limits().max_chars > 0 and connector.platform == platform


@pytest.mark.parametrize("platform", MANUAL_PLATFORMS)
def test_what_a_manual_platform_lacks_is_refused_with_what_to_do_instead(
    platform: str, db: None
) -> None:
    connector = connector_for(platform)
    calls = _every_call(platform)
    lacking = [c for c in Capability if c not in connector.capabilities()]
    assert set(lacking) - {Capability.PUBLISH_IDEMPOTENT, Capability.READ_DMS} <= set(calls)
    for capability, call in calls.items():
        assert capability not in connector.capabilities()
        with pytest.raises(Unsupported) as refused:
            call()
        assert refused.value.capability == capability
        assert refused.value.instead.strip() and refused.value.platform == platform


@pytest.mark.parametrize("platform", MANUAL_PLATFORMS)
def test_publishing_twice_with_one_key_makes_one_task_and_then_one_post(
    platform: str, district: District, settings: Any
) -> None:
    account = AccountFactory(unit=district.street01, platform=platform, handle=f"{platform}_1")
    connector, ref = connector_for(platform), AccountRef(platform=platform, handle=account.handle)
    for _attempt in range(2):
        with pytest.raises(WaitingForPerson):
            connector.publish(ref, "明日停水通知", _ctx(f"{platform}-once"))
    task = ManualTask.objects.get()
    # A person publishes and the page cannot be read (no network here): they confirm it.
    settings.MANUAL_LINK_HOSTS = {}
    settings.MANUAL_FETCH_ALLOW_PRIVATE = False
    services.manual_task_submit_link(
        actor=district.operator, task_id=task.pk, url="https://nowhere.invalid/p/Item123456"
    )
    services.manual_task_confirm(actor=district.operator, task_id=task.pk)
    first = connector.publish(ref, "明日停水通知", _ctx(f"{platform}-once"))
    again = connector.publish(ref, "明日停水通知", _ctx(f"{platform}-once"))
    assert first.id == again.id == "Item123456" and first.platform == platform
    assert ManualTask.objects.count() == 1
