"""One harness per platform (see `harness.Harness`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlencode, urlparse

from django.test import Client
from mastodon_mock.testing import MockServer

from govmatrix.matrix.models import Account
from govmatrix.platforms.links import services as link_services
from govmatrix.platforms.registry import account_ref, connector_for
from govmatrix.platforms.weibo.simulator.server import SimulatorServer
from tests.conftest import District
from tests.factories import AccountFactory
from tests.platforms.contract.harness import Harness
from tests.platforms.contract.servers import (
    HTTP,
    SHORT_TIMEOUT_SECONDS,
    SLOW_MS,
    mastodon_client,
    mastodon_fault,
    mastodon_reset,
    mastodon_settings,
    weibo_settings,
)

CALLBACK = "http://testserver/platforms/oauth/callback/"
LONG_TEXT = "超长" * 1100


def _then(
    arrange: Callable[[], object], call: Callable[[], object]
) -> Callable[[], Callable[[], object]]:
    def arranged() -> Callable[[], object]:
        arrange()
        return call

    return arranged


def _impatient(settings: Any, platform: str, account: Any) -> Callable[[], object]:
    """A call through a connector made with the short timeout."""

    def call() -> object:
        settings.PLATFORM_TIMEOUT_SECONDS = SHORT_TIMEOUT_SECONDS
        return connector_for(platform).account_metrics(account)

    return call


# --- local -------------------------------------------------------------------------------------
def local(district: District) -> Harness:
    from govmatrix.platforms.local import services as local_services
    from govmatrix.platforms.local.models import LocalPost
    from govmatrix.platforms.local.rules import visitor_hash

    connector = connector_for("local")
    main, sub = account_ref(district.main_account), account_ref(district.street01_account)
    other = account_ref(district.street02_account)
    citizen = visitor_hash("203.0.113.7")

    def comment(post_id: str, text: str) -> None:
        post = LocalPost.objects.get(pk=int(post_id))
        local_services.comment_submit(
            post=post, nickname="热心市民", text=text, visitor_hash=citizen
        )

    harness = Harness(
        name="local",
        connector=connector,
        main=main,
        sub=sub,
        citizen_comment=comment,
        foreign_post=lambda: (
            connector.publish(other, harness.text("西城街道的微博"), harness.ctx()).id
        ),
    )
    harness.citizen_mention = lambda text: comment(harness.foreign_post(), f"@{main.handle} {text}")
    harness.citizen_dm = lambda text: (
        local_services.message_submit(
            account=district.main_account, nickname="居民老张", text=text, visitor_hash=citizen
        )
        and None
    )
    harness.errors = {
        "RateLimited": "the local platform never rate-limits the official accounts",
        "PlatformDown:5xx": "the local platform runs inside GovMatrix: there is no server to fail",
        "PlatformDown:timeout": "the local platform runs inside GovMatrix: there is no network to time out",
        "AuthExpired": "the local platform needs no authorisation",
        "Duplicate": "the local platform never refuses a repeated text; the same key returns the same post",
        "NotFoundOnPlatform": lambda: (
            lambda: connector.delete_post(main, "987654321", harness.ctx())
        ),
        "Forbidden": lambda: (
            lambda post: lambda: connector.delete_post(main, post, harness.ctx())
        )(harness.foreign_post()),
        "ContentRejected": lambda: lambda: connector.publish(main, LONG_TEXT, harness.ctx()),
        # A cursor of another account: the local platform refuses to read with it.
        "InvalidRequest": lambda: (
            lambda: connector.fetch_interactions(
                main, since_cursor=connector.fetch_interactions(sub, since_cursor=None).next_cursor
            )
        ),
    }
    return harness


# --- Mastodon ----------------------------------------------------------------------------------
def _mastodon_account(district: District, handle: str, unit: Any) -> Account:
    account: Account = AccountFactory(
        unit=unit, platform="mastodon", handle=handle, display_name=handle
    )
    account.operators.add(district.operator.person)  # type: ignore[attr-defined]
    return account


def mastodon(district: District, server: MockServer, settings: Any) -> Harness:
    mastodon_reset(server)
    mastodon_settings(settings, server)
    refs = []
    for handle, unit in (("sfq_main", district.street01), ("sfq_street01", district.street01)):
        account = _mastodon_account(district, handle, unit)
        link_services.link_complete_with_token(
            actor=district.office_admin,
            account_id=account.pk,
            api_base=server.base_url,
            access_token=f"{handle}_token",
        )
        refs.append(account_ref(account))
    main, sub = refs
    connector = connector_for("mastodon")
    citizen = mastodon_client(server, "citizen_wang")

    def fault(**effect: Any) -> Callable[[], None]:
        return lambda: mastodon_fault(
            server, path="/api/v1/accounts/verify_credentials", methods=["GET"], **effect
        )

    def revoke() -> None:
        HTTP.post(f"{server.base_url}/oauth/revoke", data={"token": "sfq_main_token"})

    metrics = lambda: connector.account_metrics(main)  # noqa: E731
    foreign = lambda: str(citizen.status_post("市民小王的嘟文")["id"])  # noqa: E731
    harness = Harness(
        name="mastodon",
        connector=connector,
        main=main,
        sub=sub,
        citizen_comment=lambda post_id, text: (
            citizen.status_post(text, in_reply_to_id=post_id) and None
        ),
        citizen_mention=lambda text: citizen.status_post(f"@sfq_main {text}") and None,
        citizen_dm=lambda text: (
            citizen.status_post(f"@sfq_main {text}", visibility="direct") and None
        ),
        foreign_post=foreign,
    )
    harness.errors = {
        "RateLimited": _then(fault(type="ratelimit"), metrics),
        "PlatformDown:5xx": _then(fault(type="status", status=503), metrics),
        "PlatformDown:timeout": _then(
            fault(type="latency", delay_ms=SLOW_MS), _impatient(settings, "mastodon", main)
        ),
        "AuthExpired": _then(revoke, metrics),
        "Duplicate": "Mastodon never reports a duplicate: the Idempotency-Key returns the first post",
        "NotFoundOnPlatform": lambda: lambda: connector.delete_post(main, "1", harness.ctx()),
        "Forbidden": lambda: (
            lambda post: lambda: connector.delete_post(main, post, harness.ctx())
        )(foreign()),
        "ContentRejected": lambda: lambda: connector.publish(main, "长" * 501, harness.ctx()),
        "InvalidRequest": lambda: (
            lambda: connector.fetch_interactions(main, since_cursor="not-a-cursor")
        ),
    }
    return harness


# --- Weibo -------------------------------------------------------------------------------------
def weibo_link(
    district: District, sim: SimulatorServer, handle: str, *, account: Account | None = None
) -> Account:
    """Link through the real OAuth flow: authorise at the simulator, exchange the code."""
    if account is None:
        account = AccountFactory(
            unit=district.street01, platform="weibo", handle=handle, display_name=handle
        )
        account.operators.add(district.operator.person)  # type: ignore[attr-defined]
    start = link_services.link_start(
        actor=district.office_admin, account_id=account.pk, redirect_uri=CALLBACK
    )
    query = parse_qs(urlparse(start.url).query)
    answer = HTTP.post(
        f"{sim.base_url}/oauth2/authorize",
        data={
            "client_id": query["client_id"][0],
            "redirect_uri": query["redirect_uri"][0],
            "state": query["state"][0],
            "screen_name": handle,
        },
    )
    back = parse_qs(urlparse(answer.headers["location"]).query)
    link_services.link_complete(
        actor=district.office_admin,
        pending=start.pending,
        state=back["state"][0],
        code=back["code"][0],
        redirect_uri=CALLBACK,
    )
    return account


def weibo(district: District, sim: SimulatorServer, settings: Any) -> Harness:
    sim.reset()
    weibo_settings(settings, sim)
    main_account = weibo_link(district, sim, "示范区发布")
    main, sub = account_ref(main_account), account_ref(weibo_link(district, sim, "示范区东城街道"))
    connector = connector_for("weibo")

    def comment(post_id: str, text: str) -> None:
        sim.control(
            "POST", "comments", {"screen_name": "热心市民小王", "status_id": post_id, "text": text}
        )

    def foreign() -> str:
        return str(
            sim.control("POST", "posts", {"screen_name": "东城居民老李", "text": "居民的微博"})[
                "idstr"
            ]
        )

    def mention(text: str) -> None:
        comment(foreign(), f"@示范区发布 {text}")

    def dm(text: str) -> None:
        push = sim.control(
            "POST",
            "push",
            {
                "sender_screen_name": "热心市民小王",
                "receiver_screen_name": "示范区发布",
                "text": text,
                "deliver": False,
            },
        )
        answer = Client().post(
            f"/platforms/weibo/webhook/?{urlencode(push['query'])}",
            data=push["body"].encode(),
            content_type="application/json",
        )
        assert answer.status_code == 200, answer.content

    def fault(**rule: Any) -> Callable[[], None]:
        return lambda: sim.control("POST", "faults", {"path": "/2/users/show.json", **rule})

    metrics = lambda: connector.account_metrics(main)  # noqa: E731
    harness = Harness(
        name="weibo",
        connector=connector,
        main=main,
        sub=sub,
        citizen_comment=comment,
        citizen_mention=mention,
        citizen_dm=dm,
        foreign_post=foreign,
    )

    def duplicate() -> Callable[[], object]:
        text = harness.text("重复的通知")
        connector.publish(main, text, harness.ctx())
        return lambda: connector.publish(main, text, harness.ctx())

    harness.errors = {
        "RateLimited": _then(fault(error_code=10023), metrics),
        "PlatformDown:5xx": _then(fault(http_status=502), metrics),
        "PlatformDown:timeout": _then(fault(delay_ms=SLOW_MS), _impatient(settings, "weibo", main)),
        "AuthExpired": _then(
            lambda: sim.control("POST", "tokens/expire", {"screen_name": "示范区发布"}), metrics
        ),
        "Duplicate": duplicate,
        "NotFoundOnPlatform": lambda: (
            lambda: connector.delete_post(main, "1234567890123456", harness.ctx())
        ),
        "Forbidden": lambda: (
            lambda post: lambda: connector.delete_post(main, post, harness.ctx())
        )(foreign()),
        "ContentRejected": lambda: lambda: connector.publish(main, "长" * 141, harness.ctx()),
        "InvalidRequest": lambda: (
            lambda: connector.publish(main, harness.text("缺少操作人 IP"), harness.ctx(ip=None))
        ),
    }
    return harness
