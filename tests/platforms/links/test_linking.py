"""Linking an account: the platform's OAuth flow with `state` checked (Weibo, Mastodon), a
pasted Mastodon token, unlinking — each recorded in the audit log without any secret."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from django.test import Client
from mastodon_mock.testing import MockServer

from govmatrix.audit.models import Event
from govmatrix.platforms.base import AuthExpired
from govmatrix.platforms.links import crypto
from govmatrix.platforms.links.models import LinkMethod, MastodonApp, PlatformLink
from govmatrix.platforms.registry import account_ref, connector_for
from govmatrix.platforms.weibo.simulator.server import SimulatorServer
from tests.conftest import District
from tests.platforms.contract.servers import HTTP
from tests.platforms.links.conftest import browser


def _authorise_at(platform_url: str, *, who: str, field: str = "screen_name") -> str:
    """Act as the account holder on the platform's authorisation page; returns our callback URL."""
    query = parse_qs(urlparse(platform_url).query)
    action = f"{urlparse(platform_url).scheme}://{urlparse(platform_url).netloc}{urlparse(platform_url).path}"
    answer = HTTP.post(
        action,
        data={
            "client_id": query["client_id"][0],
            "redirect_uri": query["redirect_uri"][0],
            "state": query["state"][0],
            "scope": " ".join(query.get("scope", [""])),
            field: who,
        },
    )
    assert answer.status_code == 302, answer.text
    return str(answer.headers["location"])


def _start(client: Client, account: Any, **data: str) -> str:
    answer = client.post(f"/platforms/accounts/{account.pk}/link/", data)
    assert answer.status_code == 302, answer.content.decode()[:500]
    return str(answer["Location"])


def _secrets_absent(*texts: str, secrets: list[str]) -> None:
    for text in texts:
        for secret in secrets:
            assert secret not in text


# --- Weibo ------------------------------------------------------------------------------------
def test_an_operator_links_a_weibo_account_through_weibos_authorisation(
    sim: SimulatorServer, district: District, weibo_account: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    client = browser(district.operator)
    page = client.get(f"/platforms/accounts/{weibo_account.pk}/")
    assert page.status_code == 200 and "尚未接入" in page.content.decode()
    authorize = _start(client, weibo_account)
    assert (
        authorize.startswith(f"{sim.base_url}/oauth2/authorize?") and "forcelogin=true" in authorize
    )
    callback = _authorise_at(authorize, who="示范区发布")
    assert callback.startswith("http://testserver/platforms/oauth/callback/")
    done = client.get(callback)
    assert (
        done.status_code == 302 and done["Location"] == f"/platforms/accounts/{weibo_account.pk}/"
    )
    link = PlatformLink.objects.get(account=weibo_account)
    assert (link.platform, link.external_handle, link.method) == (
        "weibo",
        "示范区发布",
        LinkMethod.OAUTH,
    )
    assert link.token_expires_at is not None and link.linked_by == district.operator
    token = crypto.open_credentials(link.sealed).access_token
    assert token.startswith("2.00") and token not in link.sealed
    event = Event.objects.get(verb="platform_link.linked")
    assert event.data["external_handle"] == "示范区发布" and event.actor_id == district.operator.pk
    shown = client.get(f"/platforms/accounts/{weibo_account.pk}/").content.decode()
    assert "示范区发布" in shown and "授权到期" in shown
    _secrets_absent(
        shown,
        str(event.data),
        repr(link),
        str(link),
        caplog.text,
        secrets=[token, sim.config.app_secret],
    )
    # The account now acts on Weibo with the stored credentials.
    assert (
        connector_for("weibo").account_metrics(account_ref(weibo_account)).handle
        == weibo_account.handle
    )


def test_a_callback_with_another_state_or_from_another_session_links_nothing(
    sim: SimulatorServer, district: District, weibo_account: Any
) -> None:
    operator = browser(district.operator)
    callback = _authorise_at(_start(operator, weibo_account), who="示范区发布")
    forged = callback.replace("state=", "state=x")
    assert operator.get(forged).status_code == 409
    # The right callback, replayed in someone else's browser, is refused too.
    assert browser(district.leader).get(callback).status_code == 409
    assert not PlatformLink.objects.exists()
    assert operator.get(callback).status_code == 302
    assert operator.get(callback).status_code == 409  # a state is used once
    assert PlatformLink.objects.count() == 1


def test_a_refusal_at_the_platform_links_nothing(
    sim: SimulatorServer, district: District, weibo_account: Any
) -> None:
    client = browser(district.operator)
    _start(client, weibo_account)
    refused = client.get("/platforms/oauth/callback/?error=access_denied&error_code=21330&state=s")
    assert refused.status_code == 409 and "access_denied" in refused.content.decode()
    assert not PlatformLink.objects.exists()


def test_only_the_accounts_unit_may_link_it(
    sim: SimulatorServer, district: District, weibo_account: Any
) -> None:
    assert (
        browser(district.neighbour)
        .post(f"/platforms/accounts/{weibo_account.pk}/link/")
        .status_code
        == 404
    )
    assert (
        browser(district.inspector)
        .post(f"/platforms/accounts/{weibo_account.pk}/link/")
        .status_code
        == 403
    )
    assert (
        browser(district.outsider).get(f"/platforms/accounts/{weibo_account.pk}/").status_code
        == 404
    )
    assert (
        browser(district.office_admin)
        .post(f"/platforms/accounts/{weibo_account.pk}/link/")
        .status_code
        == 302
    )
    local = browser(district.operator).post(
        f"/platforms/accounts/{district.street01_account.pk}/link/"
    )
    assert local.status_code == 409 and "没有可用的授权接口" in local.content.decode()


def test_one_weibo_account_cannot_be_linked_to_two_registry_accounts(
    sim: SimulatorServer, district: District, weibo_account: Any
) -> None:
    from tests.factories import AccountFactory

    twin = AccountFactory(unit=district.street01, platform="weibo", handle="示范区发布2")
    client = browser(district.operator)
    client.get(_authorise_at(_start(client, weibo_account), who="示范区发布"))
    again = client.get(_authorise_at(_start(client, twin), who="示范区发布"))
    assert again.status_code == 409 and "已接入台账中的另一个账号" in again.content.decode()
    assert list(PlatformLink.objects.values_list("account", flat=True)) == [weibo_account.pk]


def test_unlinking_revokes_the_token_at_weibo_and_forgets_it(
    sim: SimulatorServer, district: District, weibo_account: Any
) -> None:
    client = browser(district.operator)
    client.get(_authorise_at(_start(client, weibo_account), who="示范区发布"))
    ref = account_ref(weibo_account)
    assert client.post(f"/platforms/accounts/{weibo_account.pk}/unlink/").status_code == 302
    assert not PlatformLink.objects.exists()
    event = Event.objects.get(verb="platform_link.unlinked")
    assert event.data["revoked_at_platform"] is True
    with pytest.raises(AuthExpired):  # the old token no longer works at Weibo
        connector_for("weibo").account_metrics(ref)
    assert account_ref(weibo_account).credentials is None


# --- Mastodon ---------------------------------------------------------------------------------
def test_a_mastodon_account_is_linked_through_an_app_registered_on_its_instance(
    mock: MockServer, district: District, mastodon_account: Any
) -> None:
    client = browser(district.operator)
    authorize = _start(client, mastodon_account, api_base=mock.base_url)
    assert authorize.startswith(f"{mock.base_url}/oauth/authorize?")
    app = MastodonApp.objects.get()
    assert (
        app.api_base == mock.base_url
        and Event.objects.filter(verb="platform_app.registered").count() == 1
    )
    done = client.get(_authorise_at(authorize, who="sfq_main", field="username"))
    assert done.status_code == 302
    link = PlatformLink.objects.get()
    assert (link.external_handle, link.api_base, link.token_expires_at) == (
        "sfq_main",
        mock.base_url,
        None,
    )
    assert "write:reports" in link.scopes
    # A second account on the same instance reuses the app.
    _start(client, mastodon_account, api_base=mock.base_url)
    assert MastodonApp.objects.count() == 1
    secret = crypto.open_text(app.sealed_secret)
    _secrets_absent(
        str(list(Event.objects.values_list("data", flat=True))), repr(app), secrets=[secret]
    )
    assert (
        connector_for("mastodon").account_metrics(account_ref(mastodon_account)).handle
        == "sfq_main"
    )


def test_an_office_may_paste_a_token_made_on_the_instance(
    mock: MockServer, district: District, mastodon_account: Any
) -> None:
    client = browser(district.operator)
    url = f"/platforms/accounts/{mastodon_account.pk}/link/token/"
    refused = client.post(
        url, {"token-api_base": mock.base_url, "token-access_token": "wrong-token"}
    )
    assert refused.status_code == 422 and "实例不认这个令牌" in refused.content.decode()
    assert "wrong-token" not in refused.content.decode() and not PlatformLink.objects.exists()
    linked = client.post(
        url, {"token-api_base": mock.base_url, "token-access_token": "sfq_main_token"}
    )
    assert linked.status_code == 302
    link = PlatformLink.objects.get()
    assert (link.method, link.external_handle) == (LinkMethod.TOKEN, "sfq_main")
    page = client.get(f"/platforms/accounts/{mastodon_account.pk}/").content.decode()
    assert "sfq_main_token" not in page
    assert Event.objects.get(verb="platform_link.linked").data["method"] == "token"


def test_only_the_instances_the_deployment_names_are_called(
    mock: MockServer, district: District, mastodon_account: Any
) -> None:
    client = browser(district.operator)
    for elsewhere in (
        "https://mastodon.example.org",
        "http://10.0.0.8:8080",
        "https://x.example/path",
    ):
        refused = client.post(
            f"/platforms/accounts/{mastodon_account.pk}/link/token/",
            {"token-api_base": elsewhere, "token-access_token": "sfq_main_token"},
        )
        assert refused.status_code == 422, elsewhere
        refused = client.post(
            f"/platforms/accounts/{mastodon_account.pk}/link/", {"api_base": elsewhere}
        )
        assert refused.status_code == 422, elsewhere
    assert not PlatformLink.objects.exists() and not MastodonApp.objects.exists()


def test_a_weibo_account_cannot_be_linked_with_a_pasted_token(
    sim: SimulatorServer, district: District, weibo_account: Any
) -> None:
    answer = browser(district.operator).post(
        f"/platforms/accounts/{weibo_account.pk}/link/token/", {"token-access_token": "x"}
    )
    assert answer.status_code == 409 and not PlatformLink.objects.exists()
    assert "须通过授权接入" in answer.content.decode()


def test_without_a_key_nothing_can_be_linked(
    sim: SimulatorServer, district: District, weibo_account: Any, settings: Any
) -> None:
    settings.PLATFORM_CREDENTIALS_KEYS = ()
    client = browser(district.operator)
    assert (
        "PLATFORM_CREDENTIALS_KEYS"
        in client.get(f"/platforms/accounts/{weibo_account.pk}/").content.decode()
    )
    answer = client.post(f"/platforms/accounts/{weibo_account.pk}/link/")
    assert answer.status_code == 409 and "PLATFORM_CREDENTIALS_KEYS" in answer.content.decode()
