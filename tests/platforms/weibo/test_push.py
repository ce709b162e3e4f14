"""Direct messages arrive by push: the webhook checks the signature, stores each message once,
and the connector's inbox reads them under the same cursor as comments."""

from __future__ import annotations

import hashlib
import json
import time
from typing import Any
from urllib.parse import urlencode

import pytest
from django.test import Client

from govmatrix.platforms.base import Forbidden, InteractionKind
from govmatrix.platforms.links.models import PushedInteraction
from govmatrix.platforms.registry import account_ref, connector_for
from govmatrix.platforms.weibo.push import check_signature, signature
from govmatrix.platforms.weibo.simulator.server import SimulatorServer
from tests.conftest import District
from tests.platforms.contract.platforms import weibo_link
from tests.platforms.weibo.conftest import ctx

WEBHOOK = "/platforms/weibo/webhook/"


def _push(sim: SimulatorServer, text: str, **extra: Any) -> dict[str, Any]:
    spec = {
        "sender_screen_name": "热心市民小王",
        "receiver_screen_name": "示范区发布",
        "text": text,
        "deliver": False,
    }
    return sim.control("POST", "push", {**spec, **extra})


def _deliver(
    client: Client,
    push: dict[str, Any],
    *,
    query: dict[str, str] | None = None,
    body: bytes | None = None,
) -> Any:
    return client.post(
        f"{WEBHOOK}?{urlencode(query if query is not None else push['query'])}",
        data=body if body is not None else push["body"].encode(),
        content_type="application/json",
    )


def test_the_signature_is_sha1_of_the_sorted_secret_timestamp_and_nonce() -> None:
    expected = hashlib.sha1(b"".join(sorted([b"app-secret", b"1700000000", b"42"]))).hexdigest()  # noqa: S324
    assert signature("app-secret", "1700000000", "42") == expected
    good = {"signature": expected, "timestamp": "1700000000", "nonce": "42"}
    check_signature(good, app_secret="app-secret", now=1700000100)
    with pytest.raises(Forbidden, match="过期"):
        check_signature(good, app_secret="app-secret", now=1700001000)
    with pytest.raises(Forbidden, match="不符"):
        check_signature({**good, "nonce": "43"}, app_secret="app-secret", now=1700000100)
    with pytest.raises(Forbidden):
        check_signature(good, app_secret="", now=1700000100)


def test_binding_the_url_echoes_echostr_only_when_signed(
    sim: SimulatorServer, client: Client
) -> None:
    ts = str(int(time.time()))
    signed = {"signature": signature(sim.config.app_secret, ts, "7"), "timestamp": ts, "nonce": "7"}
    answer = client.get(WEBHOOK, {**signed, "echostr": "abc123"})
    assert (answer.status_code, answer.content) == (200, b"abc123")
    assert (
        client.get(WEBHOOK, {**signed, "signature": "0" * 40, "echostr": "abc123"}).status_code
        == 403
    )


def test_a_signed_push_is_stored_once_and_a_forged_one_is_refused_and_forgotten(
    sim: SimulatorServer, district: District, client: Client
) -> None:
    account = weibo_link(district, sim, "示范区发布")
    push = _push(sim, "小区路灯坏了三天了")
    forged = {**push["query"], "signature": "0" * 40}
    assert _deliver(client, push, query=forged).status_code == 403
    assert (
        _deliver(client, push, body=push["body"].replace("路灯", "水管").encode()).status_code
        == 200
    )
    assert not PushedInteraction.objects.filter(text="小区路灯坏了三天了").exists()
    # The signature does not cover the body: the replayed body above was stored as its own message,
    # which is why pushes are only trusted as citizens' words, never as commands.
    PushedInteraction.objects.all().delete()
    assert _deliver(client, push).status_code == 200
    assert _deliver(client, push).status_code == 200  # Weibo retries: still one message
    stored = PushedInteraction.objects.get()
    assert (stored.account, stored.text, stored.kind) == (account, "小区路灯坏了三天了", "dm")
    assert stored.receiver_id == str(push["event"]["receiver_id"])
    assert stored.sender_id == str(push["event"]["sender_id"])


def test_a_push_with_a_good_signature_but_a_broken_body_or_an_event_that_is_no_message(
    sim: SimulatorServer, client: Client, db: None
) -> None:
    push = _push(sim, "你好")
    assert _deliver(client, push, body=b"{not json").status_code == 400
    follow = _push(sim, "", type="follow")
    assert _deliver(client, follow).status_code == 200
    assert not PushedInteraction.objects.exists()


def test_the_inbox_reads_pushed_messages_with_comments_under_one_cursor(
    sim: SimulatorServer, district: District, client: Client
) -> None:
    account = weibo_link(district, sim, "示范区发布")
    connector = connector_for("weibo")
    ref = account_ref(account)
    post = connector.publish(ref, "征求意见", ctx())
    sim.control(
        "POST", "comments", {"screen_name": "热心市民小王", "status_id": post.id, "text": "评论"}
    )
    assert _deliver(client, _push(sim, "私信一")).status_code == 200
    first = connector.fetch_interactions(ref, since_cursor=None, limit=1)
    second = connector.fetch_interactions(ref, since_cursor=first.next_cursor, limit=5)
    assert [i.kind for i in first.items + second.items] == [
        InteractionKind.COMMENT,
        InteractionKind.DM,
    ]
    dm = second.items[0]
    assert dm.id.startswith("dm:") and dm.text == "私信一" and dm.account_handle == "示范区发布"
    assert dm.author.platform_user_id == str(json.loads(_push(sim, "x")["body"])["sender_id"])
    assert second.next_cursor and second.next_cursor.endswith(
        f".{PushedInteraction.objects.get().pk}"
    )
    assert connector.fetch_interactions(ref, since_cursor=second.next_cursor).items == []


@pytest.mark.django_db(transaction=True)
def test_the_simulator_delivers_to_a_running_govmatrix(
    sim: SimulatorServer, live_server: Any
) -> None:
    from tests.factories import UnitFactory

    UnitFactory(code="office", kind="office")
    answer = sim.control(
        "POST",
        "push",
        {
            "sender_screen_name": "热心市民小王",
            "receiver_screen_name": "示范区发布",
            "text": "推送到了吗？",
            "url": f"{live_server.url}{WEBHOOK}",
        },
    )
    assert answer["status"] == 200
    assert PushedInteraction.objects.get().text == "推送到了吗？"
