"""Accounts that opted in repost automatically through the outbox, in slices per platform at
that platform's pace; the approved comment goes with them."""

from __future__ import annotations

import math
from typing import Any

import pytest
from django.test import override_settings

from govmatrix.core.errors import NotAllowed, NotFound
from govmatrix.emergency import services
from govmatrix.emergency.models import AutoRepost, RepostOrder
from govmatrix.emergency.services.fanout import SLICE_SECONDS, auto_rate
from govmatrix.platforms.models import OutboxOperation
from tests.conftest import District
from tests.emergency.flow import COMMENT, declare, published
from tests.emergency.test_fanout import _more_units
from tests.publishing.conftest import FakeConnector

Capture = Any


def test_a_units_leader_opts_its_account_in_and_an_operator_may_not(district: District) -> None:
    account = district.street01_account
    with pytest.raises(NotAllowed):
        services.auto_repost_set(actor=district.operator, account_id=account.pk, enabled=True)
    with pytest.raises(NotFound):
        services.auto_repost_set(actor=district.neighbour, account_id=account.pk, enabled=True)
    services.auto_repost_set(actor=district.leader, account_id=account.pk, enabled=True)
    assert AutoRepost.objects.get(account=account).enabled
    services.auto_repost_set(actor=district.charge, account_id=account.pk, enabled=False)
    assert not AutoRepost.objects.get(account=account).enabled


def test_opted_in_accounts_repost_by_themselves_when_the_statement_is_published(
    district: District,
    platform: FakeConnector,
    commander: Any,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    services.auto_repost_set(
        actor=district.office_admin, account_id=district.street01_account.pk, enabled=True
    )
    incident = declare(district, commander)
    statement = published(district, incident, commander, django_capture_on_commit_callbacks)
    auto = RepostOrder.objects.get(statement=statement, account=district.street01_account)
    manual = RepostOrder.objects.get(statement=statement, account=district.street02_account)
    assert auto.auto and auto.state == "reposted" and auto.requested_by is None
    assert auto.repost_url and auto.proof == "connector"
    assert not manual.auto and manual.state == "open"
    assert platform.published[-1]["text"] == COMMENT


@override_settings(EMERGENCY_AUTO_REPOST_PER_MINUTE={"fake": 30, "*": 6})
def test_automatic_reposts_go_out_in_slices_at_each_platforms_pace(
    district: District,
    platform: FakeConnector,
    commander: Any,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    accounts = _more_units(12)
    for account in accounts:
        services.auto_repost_set(actor=district.office_admin, account_id=account.pk, enabled=True)
    assert auto_rate("fake") == 30 and auto_rate("wechat") == 6 and auto_rate("weibo") == 60
    incident = declare(district, commander)
    statement = published(district, incident, commander, django_capture_on_commit_callbacks)
    # 30 a minute is 3 every 5-second slice (SLICE_SECONDS): the first ran on publication.
    per_slice = math.ceil(30 * SLICE_SECONDS / 60)
    reposted = RepostOrder.objects.filter(statement=statement, auto=True, state="reposted")
    assert reposted.count() == per_slice
    waiting = 12 - per_slice
    while waiting:
        with django_capture_on_commit_callbacks(execute=True):
            left = services.auto_reposts_dispatch(statement_id=statement.pk)
        assert left == max(0, waiting - per_slice)
        waiting = left
    assert reposted.count() == 12
    assert OutboxOperation.objects.filter(subject_type="emergency.repostorder").count() == 12


def test_an_opted_in_account_on_another_platform_is_left_to_its_operator(
    district: District,
    platform: FakeConnector,
    commander: Any,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    (other,) = _more_units(1, platform="weibo")
    services.auto_repost_set(actor=district.office_admin, account_id=other.pk, enabled=True)
    incident = declare(district, commander)
    statement = published(district, incident, commander, django_capture_on_commit_callbacks)
    order = RepostOrder.objects.get(statement=statement, account=other)
    assert not order.auto and order.state == "open"


def test_a_failed_automatic_repost_is_left_to_the_operator_and_not_tried_again(
    district: District,
    platform: FakeConnector,
    commander: Any,
    django_capture_on_commit_callbacks: Capture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from govmatrix.platforms.base import Forbidden

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise Forbidden("账号被禁言", platform="fake")

    monkeypatch.setattr(platform, "repost", refuse)
    services.auto_repost_set(
        actor=district.office_admin, account_id=district.street01_account.pk, enabled=True
    )
    incident = declare(district, commander)
    statement = published(district, incident, commander, django_capture_on_commit_callbacks)
    order = RepostOrder.objects.get(statement=statement, account=district.street01_account)
    assert order.state == "open" and order.last_error == "账号被禁言" and order.attempts == 1
    assert not order.in_flight
    assert services.auto_reposts_dispatch(statement_id=statement.pk) == 0
    assert OutboxOperation.objects.filter(subject_type="emergency.repostorder").count() == 1


@override_settings(EMERGENCY_AUTO_REPOST_PER_MINUTE={"fake": 6})
def test_the_minute_sweep_restarts_a_stalled_chain_of_slices_and_leaves_a_live_one(
    district: District,
    platform: FakeConnector,
    commander: Any,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    from datetime import timedelta

    import time_machine
    from django.utils import timezone

    for account in _more_units(3):
        services.auto_repost_set(actor=district.office_admin, account_id=account.pk, enabled=True)
    incident = declare(district, commander)
    statement = published(district, incident, commander, django_capture_on_commit_callbacks)
    reposted = RepostOrder.objects.filter(statement=statement, auto=True, state="reposted")
    assert reposted.count() == 1  # 6 a minute: one every 5-second slice
    with django_capture_on_commit_callbacks(execute=True):
        services.emergency_sweep()  # the chain is alive: the sweep adds no slice
    assert reposted.count() == 1
    later = timezone.now() + timedelta(seconds=45)
    with time_machine.travel(later), django_capture_on_commit_callbacks(execute=True):
        services.emergency_sweep()  # stalled for 45 s: one more slice
    assert reposted.count() == 2
