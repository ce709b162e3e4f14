"""The inbox API: scoped like the pages; refused moves answer 403/404/409/422 and change nothing."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from govmatrix.api.services import api_token_create
from govmatrix.audit.models import Event
from govmatrix.inbox.models import Message, Reply, RoutingLabel
from tests.inbox.conftest import Inbox, run_outbox


def _client(user: Any) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {api_token_create(user=user)}")


def _post(client: Client, path: str, body: dict[str, Any] | None = None) -> Any:
    return client.post(path, data=json.dumps(body or {}), content_type="application/json")


@pytest.fixture
def messages(inbox: Inbox) -> dict[str, Message]:
    d = inbox.district
    return {
        "east": inbox.arrive(d.street01_account, "东城花园门口的路灯坏了，请尽快修复。", who="甲"),
        "west": inbox.arrive(d.street02_account, "西城的井盖松了。", who="乙"),
        "vague": inbox.arrive(d.main_account, "有个事情想反映一下。", who="丙"),
    }


def test_the_list_is_scoped_and_filtered(inbox: Inbox, messages: dict[str, Message]) -> None:
    d = inbox.district
    mine = _client(d.operator).get("/api/messages").json()
    assert {m["id"] for m in mine["items"]} == {messages["east"].pk}
    everything = _client(d.office_admin).get("/api/messages").json()
    assert everything["count"] == 3
    triage = _client(d.office_admin).get("/api/messages?state=triage").json()
    assert [m["id"] for m in triage["items"]] == [messages["vague"].pk]
    by_unit = _client(d.office_admin).get(f"/api/messages?unit={d.street02.pk}").json()
    assert [m["id"] for m in by_unit["items"]] == [messages["west"].pk]
    assert _client(d.office_admin).get("/api/messages?sla_state=overdue").json()["count"] == 0
    assert _client(d.office_admin).get("/api/messages?kind=praise").json()["count"] == 0
    assert _client(d.office_admin).get("/api/messages?sla_state=soon").status_code == 422


def test_a_message_says_what_it_is_with_its_confidences_and_deadlines(
    inbox: Inbox, messages: dict[str, Message]
) -> None:
    body = _client(inbox.district.operator).get(f"/api/messages/{messages['east'].pk}").json()
    assert body["unit"] == {"value": "street01", "confidence": 1.0}
    assert body["routed_by"] == "place" and body["kind"]["value"] in {
        "complaint",
        "inquiry",
        "suggestion",
        "praise",
        "other",
    }
    assert 0 <= body["topic"]["confidence"] <= 1 and body["topic"]["value"] == "城乡建设"
    assert body["sla"]["first_response_due_at"] and body["sla"]["resolution_due_at"]
    assert body["sla"]["state"] in {"on_time", "near", "overdue"} and body["replies"] == []
    assert (
        _client(inbox.district.neighbour).get(f"/api/messages/{messages['east'].pk}").status_code
        == 404
    )


def test_routing_through_the_api(inbox: Inbox, messages: dict[str, Message]) -> None:
    d = inbox.district
    vague = messages["vague"]
    refused = _post(
        _client(d.operator),
        f"/api/messages/{vague.pk}/route",
        {"unit_id": d.street01.pk, "reason": "x"},
    )
    assert refused.status_code in {403, 404}
    events = Event.objects.count()
    done = _post(
        _client(d.office_admin), f"/api/messages/{vague.pk}/route", {"unit_id": d.street01.pk}
    )
    assert done.status_code == 200 and done.json()["state"] == "open"
    assert done.json()["unit"]["value"] == "street01" and Event.objects.count() > events
    # Passing it on needs a reason (422), and a unit that exists (422); nothing changes.
    operator = _client(d.operator)
    events = Event.objects.count()
    route = f"/api/messages/{vague.pk}/route"
    no_reason = _post(operator, route, {"unit_id": d.street02.pk})
    assert no_reason.status_code == 422 and no_reason.json()["errors"][0]["field"] == "reason"
    assert _post(operator, route, {"unit_id": 999999, "reason": "x"}).status_code == 422
    assert _post(operator, route, {"reason": "x"}).status_code == 422
    assert Event.objects.count() == events and RoutingLabel.objects.count() == 1
    assert Message.objects.get(pk=vague.pk).unit == d.street01


def test_replying_and_approving_through_the_api(inbox: Inbox, messages: dict[str, Message]) -> None:
    d = inbox.district
    east = messages["east"]
    created = _post(
        _client(d.operator), f"/api/messages/{east.pk}/replies", {"text": "您好，已通知维修。"}
    )
    assert created.status_code == 201 and created.json()["state"] == "submitted"
    reply_id = created.json()["id"]
    assert _post(_client(d.operator), f"/api/replies/{reply_id}/approve").status_code == 403
    assert _post(_client(d.neighbour), f"/api/replies/{reply_id}/approve").status_code == 404
    assert Reply.objects.get(pk=reply_id).state == "submitted"
    approved = _post(_client(d.leader), f"/api/replies/{reply_id}/approve", {"version": 1})
    assert approved.status_code == 200 and approved.json()["state"] == "publishing"
    again = _post(_client(d.leader), f"/api/replies/{reply_id}/approve")
    assert again.status_code == 409
    run_outbox(Reply.objects.get(pk=reply_id))
    body = _client(d.operator).get(f"/api/messages/{east.pk}").json()
    assert body["state"] == "answered" and body["replies"][0]["state"] == "published"
    assert body["sla"]["first_response_at"] is not None


def test_a_reply_that_breaks_a_rule_is_refused_with_its_field(
    inbox: Inbox, messages: dict[str, Message]
) -> None:
    d = inbox.district
    too_long = _post(
        _client(d.operator), f"/api/messages/{messages['east'].pk}/replies", {"text": "长" * 600}
    )
    assert too_long.status_code == 422 and too_long.json()["errors"][0]["field"] == "text"
    empty = _post(_client(d.operator), f"/api/messages/{messages['east'].pk}/replies", {"text": ""})
    assert empty.status_code == 422
    to_triage = _post(
        _client(d.office_admin), f"/api/messages/{messages['vague'].pk}/replies", {"text": "您好"}
    )
    assert to_triage.status_code == 409
    assert not Reply.objects.exists()


def test_without_a_token_nothing_is_read(messages: dict[str, Message]) -> None:
    assert Client().get("/api/messages").status_code == 401
