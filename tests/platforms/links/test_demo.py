"""The demo's links: the demo's Weibo and Mastodon accounts linked to the Weibo simulator and the
Mastodon mock (the demo's own seed), through the linking services — and a clean skip when the
doubles are not running."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from django.conf import settings as django_settings
from mastodon_mock.config import MastodonMockConfig
from mastodon_mock.testing import MockServer

from govmatrix.audit.models import Event
from govmatrix.demo import district as demo_district
from govmatrix.matrix.models import Account
from govmatrix.platforms.base import InteractionKind
from govmatrix.platforms.links import demo
from govmatrix.platforms.links.crypto import open_credentials
from govmatrix.platforms.links.models import LinkMethod, PlatformLink
from govmatrix.platforms.registry import account_ref, connector_for
from govmatrix.platforms.weibo.simulator.server import SimulatorServer
from govmatrix.platforms.weibo.simulator.world import SimConfig
from tests.conftest import District
from tests.factories import AccountFactory, UnitFactory

DEMO_MOCK = Path(django_settings.BASE_DIR) / "govmatrix/platforms/mastodon/demo-mock.toml"


@pytest.fixture
def doubles(settings: Any) -> Iterator[tuple[SimulatorServer, MockServer]]:
    """The two doubles as `make demo` runs them: the simulator's demo cast, the demo's mock seed."""
    sim = SimulatorServer(SimConfig(safe_domain="www.sfq.gov.cn"))
    mock = MockServer(seed=MastodonMockConfig.load(DEMO_MOCK).seed, shutdown_timeout=1.0)
    with sim, mock:
        settings.WEIBO_API_BASE = sim.base_url
        settings.WEIBO_APP_KEY = sim.config.app_key
        settings.WEIBO_APP_SECRET = sim.config.app_secret
        settings.WEIBO_SAFE_LINK = "https://www.sfq.gov.cn/"
        settings.MASTODON_API_BASE = mock.base_url
        settings.MASTODON_INSTANCES = [mock.base_url]
        yield sim, mock


@pytest.fixture
def demo_accounts(district: District) -> dict[str, Account]:
    """Like the demo's: a street and a department on each of Weibo and Mastodon."""
    dept = UnitFactory(code="dept16", name="区文化旅游局", kind="department")

    def account(platform: str, handle: str, unit: Any, status: str = "active") -> Account:
        made: Account = AccountFactory(unit=unit, platform=platform, handle=handle, status=status)
        return made

    return {
        "weibo_street": account("weibo", "示范区桃园镇", district.street01),
        "weibo_dept": account("weibo", "示范区商务委", district.dept01),
        "mastodon_street": account("mastodon", "sfq_street11", district.street02),
        "mastodon_dept": account("mastodon", "sfq_dept16", dept),
        # Not linked: an account still being set up.
        "planned": account("weibo", "示范区石桥镇", district.street02, status="planned"),
    }


def _linked() -> dict[str, PlatformLink]:
    return {link.account.handle: link for link in PlatformLink.objects.select_related("account")}


def test_the_demo_seeder_runs_before_the_publishing_demo() -> None:
    seeders = demo_district.LATER_SEEDERS
    assert seeders.index("govmatrix.platforms.links.demo") < seeders.index(
        "govmatrix.publishing.demo"
    )


def test_with_the_doubles_running_the_demos_accounts_are_linked_through_the_linking_services(
    district: District, demo_accounts: dict[str, Account], doubles: Any
) -> None:
    notes: list[str] = []
    demo.seed(actor=district.office_admin, say=notes.append)
    links = _linked()
    assert set(links) == {"示范区桃园镇", "示范区商务委", "sfq_street11", "sfq_dept16"}, notes
    assert links["示范区桃园镇"].method == LinkMethod.OAUTH
    assert links["示范区桃园镇"].external_handle == "示范区桃园镇"
    assert links["sfq_street11"].method == LinkMethod.TOKEN
    assert (links["sfq_street11"].external_handle, links["sfq_dept16"].external_handle) == (
        "sfq_street",
        "sfq_dept",
    )
    for link in links.values():  # sealed: the token is not in the row in clear
        token = open_credentials(link.sealed).access_token
        assert token and token not in link.sealed
    assert Event.objects.filter(verb="platform_link.linked").count() == 4
    # Each account works, and a citizen has asked it a question there.
    for key in ("weibo_street", "mastodon_dept"):
        account = demo_accounts[key]
        page = connector_for(account.platform).fetch_interactions(
            account_ref(account), since_cursor=None
        )
        assert [i.kind for i in page.items] == [InteractionKind.MENTION], key
        assert "便民服务点" in page.items[0].text
    assert "linked 2 Weibo and 2 Mastodon" in notes[-1]


def test_running_it_again_changes_nothing_and_a_restarted_double_is_linked_again(
    district: District, demo_accounts: dict[str, Account], doubles: Any
) -> None:
    sim, mock = doubles
    demo.seed(actor=district.office_admin, say=lambda _note: None)
    before = {handle: (link.pk, link.external_id) for handle, link in _linked().items()}
    demo.seed(actor=district.office_admin, say=lambda _note: None)
    assert Event.objects.filter(verb="platform_link.linked").count() == 4
    # The doubles start again with nothing (they keep their state in memory).
    sim.reset()
    httpx.post(f"{mock.base_url}/api/v1/_mock/reset").raise_for_status()
    demo.seed(actor=district.office_admin, say=lambda _note: None)
    assert Event.objects.filter(verb="platform_link.linked").count() == 8
    after = _linked()
    assert {handle: link.pk for handle, link in after.items()} == {
        handle: pk for handle, (pk, _id) in before.items()
    }
    account = demo_accounts["mastodon_street"]
    assert connector_for("mastodon").verify(account_ref(account)).handle == "sfq_street"
    assert connector_for("weibo").verify(account_ref(demo_accounts["weibo_dept"]))


def test_without_the_doubles_it_skips_with_a_note_and_links_nothing(
    district: District, demo_accounts: dict[str, Account], settings: Any
) -> None:
    settings.WEIBO_API_BASE = "http://127.0.0.1:9"  # nothing listens on the discard port
    settings.WEIBO_APP_KEY, settings.WEIBO_APP_SECRET = "govmatrix-demo", "secret"
    settings.MASTODON_API_BASE = "http://127.0.0.1:9"
    notes: list[str] = []
    demo.seed(actor=district.office_admin, say=notes.append)
    assert PlatformLink.objects.count() == 0
    assert any("no Weibo simulator answers" in n for n in notes)
    assert any("no Mastodon mock answers" in n for n in notes)
    # Without the demo's settings at all, it says so and calls nobody.
    settings.WEIBO_APP_KEY = ""
    settings.MASTODON_API_BASE = ""
    notes.clear()
    demo.seed(actor=district.office_admin, say=notes.append)
    assert any("WEIBO_APP_KEY" in n for n in notes) and any("MASTODON_API_BASE" in n for n in notes)


def test_a_real_platform_is_never_linked_by_the_seeder(
    district: District, demo_accounts: dict[str, Account], settings: Any
) -> None:
    settings.WEIBO_API_BASE = "https://api.weibo.com"
    settings.WEIBO_APP_KEY, settings.WEIBO_APP_SECRET = "key", "secret"
    settings.MASTODON_API_BASE = "https://mastodon.example.gov.cn"
    notes: list[str] = []
    demo.seed(actor=district.office_admin, say=notes.append)
    assert PlatformLink.objects.count() == 0 and len(notes) == 2
