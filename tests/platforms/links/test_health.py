"""Sync health: every connector call leaves its mark; a rate limit holds further calls back;
an expired authorisation is flagged to the operators; the office sees it on the dashboard."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from govmatrix.notifications.models import Notification
from govmatrix.platforms.base import AuthExpired, PlatformDown, RateLimited
from govmatrix.platforms.links.models import PlatformLink
from govmatrix.platforms.links.selectors import health_state
from govmatrix.platforms.links.services import link_expiry_check
from govmatrix.platforms.registry import account_ref, connector_for
from govmatrix.platforms.weibo.simulator.server import SimulatorServer
from tests.conftest import District
from tests.platforms.contract.platforms import weibo_link
from tests.platforms.links.conftest import browser
from tests.platforms.weibo.conftest import ctx


@pytest.fixture
def linked(sim: SimulatorServer, district: District) -> Any:
    return weibo_link(district, sim, "示范区发布")


def _link(account: Any) -> PlatformLink:
    return PlatformLink.objects.get(account=account)


def test_a_successful_read_of_the_inbox_is_the_last_sync(sim: SimulatorServer, linked: Any) -> None:
    connector = connector_for("weibo")
    connector.account_metrics(account_ref(linked))
    link = _link(linked)
    assert link.last_success_at and link.last_sync_at is None
    connector.fetch_interactions(account_ref(linked), since_cursor=None)
    assert _link(linked).last_sync_at and health_state(_link(linked)) == "ok"


def test_a_rate_limit_holds_every_call_back_until_the_time_the_platform_gave(
    sim: SimulatorServer, linked: Any
) -> None:
    sim.control("POST", "faults", {"path": "/2/users/show.json", "error_code": 10023})
    connector = connector_for("weibo")
    with pytest.raises(RateLimited):
        connector.account_metrics(account_ref(linked))
    link = _link(linked)
    assert link.rate_limited_until and link.rate_limited_until > timezone.now() + timedelta(
        minutes=1
    )
    assert (link.last_error_code, link.last_error_kind) == ("10023", "RateLimited")
    assert "User requests out of rate limit!" in link.last_error_message
    before = sim.control("GET", "state")
    with pytest.raises(RateLimited, match="前不再调用") as held:
        connector.fetch_interactions(account_ref(linked), since_cursor=None)
    assert held.value.retry_after and held.value.retry_after > 60
    assert sim.control("GET", "state") == before and health_state(_link(linked)) == "rate_limited"


def test_our_own_budget_does_not_hold_back_reads(
    sim: SimulatorServer, linked: Any, settings: Any
) -> None:
    settings.WEIBO_POSTS_PER_HOUR = 1
    connector = connector_for("weibo")
    connector.publish(account_ref(linked), "一", ctx())
    with pytest.raises(RateLimited, match="额度"):
        connector.publish(account_ref(linked), "二", ctx())
    assert _link(linked).rate_limited_until is None
    connector.account_metrics(account_ref(linked))


def test_a_platform_failure_shows_as_failing_until_the_next_success(
    sim: SimulatorServer, linked: Any
) -> None:
    sim.control("POST", "faults", {"path": "/2/users/show.json", "http_status": 502})
    connector = connector_for("weibo")
    with pytest.raises(PlatformDown):
        connector.account_metrics(account_ref(linked))
    assert health_state(_link(linked)) == "failing"
    connector.account_metrics(account_ref(linked))
    assert health_state(_link(linked)) == "ok"


def test_a_token_the_platform_refuses_is_flagged_to_the_operators_once(
    sim: SimulatorServer, linked: Any, district: District
) -> None:
    sim.control("POST", "tokens/expire", {"screen_name": "示范区发布"})
    connector = connector_for("weibo")
    for _ in range(2):
        with pytest.raises(AuthExpired):
            connector.account_metrics(account_ref(linked))
    assert health_state(_link(linked)) == "expired"
    notes = Notification.objects.filter(verb="platform_link.auth_failed")
    assert [n.recipient for n in notes] == [district.operator]
    assert (
        f"/platforms/accounts/{linked.pk}/" == notes.get().link and "重新授权" in notes.get().text
    )


def test_expiring_and_expired_authorisations_are_each_told_once(
    linked: Any, district: District, settings: Any
) -> None:
    settings.PLATFORM_TOKEN_WARN_DAYS = 7
    PlatformLink.objects.filter(account=linked).update(
        token_expires_at=timezone.now() + timedelta(days=3)
    )
    assert link_expiry_check() == 1 and link_expiry_check() == 0
    assert health_state(_link(linked)) == "expiring"
    PlatformLink.objects.filter(account=linked).update(
        token_expires_at=timezone.now() - timedelta(minutes=1)
    )
    assert link_expiry_check() == 1 and link_expiry_check() == 0
    verbs = list(
        Notification.objects.filter(recipient=district.operator).values_list("verb", flat=True)
    )
    assert sorted(verbs) == ["platform_link.expired", "platform_link.expiring"]


def test_linking_again_clears_the_flags(
    sim: SimulatorServer, linked: Any, district: District
) -> None:
    PlatformLink.objects.filter(account=linked).update(
        auth_failed_at=timezone.now(),
        expiry_notice="expired",
        rate_limited_until=timezone.now() + timedelta(hours=1),
    )
    weibo_link(district, sim, "示范区发布", account=linked)
    link = _link(linked)
    assert (link.auth_failed_at, link.expiry_notice, link.rate_limited_until) == (None, "", None)


def test_an_account_without_operators_is_flagged_to_its_units_editors(
    linked: Any, district: District
) -> None:
    linked.operators.clear()
    PlatformLink.objects.filter(account=linked).update(
        token_expires_at=timezone.now() + timedelta(days=1)
    )
    link_expiry_check()
    told = set(Notification.objects.values_list("recipient__username", flat=True))
    assert told == {"leader", "charge", "operator"}


def test_the_operator_sees_a_to_do_and_the_office_a_dashboard_panel(
    linked: Any, district: District
) -> None:
    PlatformLink.objects.filter(account=linked).update(
        token_expires_at=timezone.now() - timedelta(hours=1)
    )
    dashboard = browser(district.operator).get("/").content.decode()
    assert "平台授权已失效的账号" in dashboard and "/platforms/?state=expired" in dashboard
    assert 'data-testid="platform-links-panel"' not in dashboard
    office = browser(district.office_admin).get("/").content.decode()
    assert 'data-testid="platform-links-panel"' in office and "示范区发布" in office
    assert browser(district.neighbour).get("/").content.decode().count("平台授权已失效的账号") == 0


def test_the_health_page_shows_the_platforms_own_message(
    sim: SimulatorServer, linked: Any, district: District
) -> None:
    sim.control("POST", "faults", {"path": "/2/users/show.json", "error_code": 10001})
    with pytest.raises(PlatformDown):
        connector_for("weibo").account_metrics(account_ref(linked))
    page = browser(district.operator).get(f"/platforms/accounts/{linked.pk}/").content.decode()
    assert "System error (error_code 10001)" in page and "调用失败" in page
    overview = browser(district.office_admin).get("/platforms/?state=failing").content.decode()
    assert "示范区发布" in overview
    assert (
        "示范区发布"
        not in browser(district.office_admin).get("/platforms/?state=ok").content.decode()
    )


def test_check_now_asks_the_platform(sim: SimulatorServer, linked: Any, district: District) -> None:
    client = browser(district.operator)
    answer = client.post(f"/platforms/accounts/{linked.pk}/check/", follow=True)
    assert "接入正常" in answer.content.decode() and _link(linked).last_success_at
    sim.control("POST", "tokens/expire", {"screen_name": "示范区发布"})
    answer = client.post(f"/platforms/accounts/{linked.pk}/check/", follow=True)
    assert "expired_token" in answer.content.decode()


def test_the_pages_speak_english_too(linked: Any, district: District) -> None:
    client = browser(district.operator)
    client.cookies["django_language"] = "en"
    page = client.get(f"/platforms/accounts/{linked.pk}/").content.decode()
    from django.utils import translation

    with translation.override("en"):
        assert translation.gettext("平台接入") == "Platform links"
        assert translation.gettext("已接入：%(handle)s。") % {"handle": "x"} == "Linked: x."
    assert "Sync health" in page and "同步状态" not in page
