"""The emergency API: declare, write, submit and approve statements, list repost orders with
their state, repost — scoped like the pages; a refused move answers 403/404/409/422 and
changes nothing."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from govmatrix.api.services import api_token_create
from govmatrix.audit.models import Event
from govmatrix.emergency.models import Incident, RepostOrder, Statement
from tests.conftest import District
from tests.emergency.flow import COMMENT, STATEMENT
from tests.publishing.conftest import FakeConnector

Capture = Any


def _client(user: Any) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {api_token_create(user=user)}")


def _post(client: Client, path: str, body: dict[str, Any] | None = None) -> Any:
    return client.post(path, data=json.dumps(body or {}), content_type="application/json")


def _declare(district: District, commander: Any, **overrides: Any) -> Any:
    body = {
        "title": "南湖街道燃气管道泄漏",
        "level": "III",
        "commander_id": commander.person.pk,
        "unit_ids": [district.street01.pk],
        **overrides,
    }
    return _post(_client(district.office_admin), "/api/emergency/incidents", body)


def test_the_whole_flow_through_the_api(
    district: District,
    platform: FakeConnector,
    commander: Any,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    declared = _declare(district, commander)
    assert declared.status_code == 201, declared.content
    incident = declared.json()
    assert incident["status"] == "active" and incident["commander"] == "赵振华"
    assert [c["key"] for c in incident["clocks"]] == ["first_info", "full_release"]
    assert incident["clocks"][0]["state"] == "on_time"
    office, boss, operator = (
        _client(district.office_admin),
        _client(commander),
        _client(district.operator),
    )
    created = _post(
        office,
        f"/api/emergency/incidents/{incident['id']}/statements",
        {"text": STATEMENT, "repost_comment": COMMENT, "repost_minutes": 20},
    )
    assert created.status_code == 201, created.content
    statement = created.json()
    assert statement["kind"] == "first" and statement["status"] == "draft"
    assert statement["account_id"] == district.main_account.pk
    submitted = _post(office, f"/api/emergency/statements/{statement['id']}/submit").json()
    assert submitted["status"] == "submitted"
    with django_capture_on_commit_callbacks(execute=True):
        approved = _post(
            boss,
            f"/api/emergency/statements/{statement['id']}/approve",
            {"comment": "同意", "version": submitted["version"]},
        )
    assert approved.status_code == 200, approved.content
    assert approved.json()["approved_by"] == "commander"
    published = boss.get(f"/api/emergency/statements/{statement['id']}").json()
    assert published["status"] == "published" and published["orders_count"] == 2

    orders = operator.get(f"/api/emergency/repost-orders?incident_id={incident['id']}").json()
    assert orders["count"] == 1  # an operator sees their own unit's order only
    mine = orders["items"][0]
    assert mine["account"] == "示范区东城街道" and mine["state"] == "open"
    assert mine["situation"] == "on_time" and mine["situation_text"].startswith("待转发")
    with django_capture_on_commit_callbacks(execute=True):
        reposted = _post(operator, f"/api/emergency/repost-orders/{mine['id']}/repost")
    assert reposted.status_code == 200, reposted.content
    assert reposted.json()["in_flight"]  # the answer comes before the worker's call
    body = operator.get(f"/api/emergency/repost-orders/{mine['id']}").json()
    assert body["state"] == "reposted" and body["repost_url"] and body["latency_seconds"] >= 0
    assert body["situation_text"] == "已按时转发"
    everything = office.get(
        f"/api/emergency/repost-orders?statement_id={statement['id']}&state=reposted"
    ).json()
    assert [o["id"] for o in everything["items"]] == [mine["id"]]
    assert boss.get("/api/emergency/repost-orders").json()["count"] == 2  # the commander sees all


@pytest.mark.parametrize("who", ["operator", "leader", "office_inspector"])
def test_only_the_office_declares_through_the_api(
    district: District, commander: Any, who: str
) -> None:
    body = {"title": "x", "level": "III", "commander_id": commander.person.pk}
    response = _post(_client(getattr(district, who)), "/api/emergency/incidents", body)
    assert response.status_code == 403
    assert not Incident.objects.exists()


def test_bad_input_gets_422_naming_the_fields_and_changes_nothing(
    district: District, commander: Any
) -> None:
    response = _declare(district, commander, level="V", title="")
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert {"level", "title"} <= fields
    no_login = _declare(district, commander, commander_id=district.outsider.pk + 999)
    assert no_login.status_code == 422
    assert not Incident.objects.exists()


def test_the_office_may_not_approve_a_statement_and_a_draft_cannot_be_approved(
    district: District, platform: FakeConnector, commander: Any
) -> None:
    incident = _declare(district, commander).json()
    office = _client(district.office_admin)
    statement = _post(
        office, f"/api/emergency/incidents/{incident['id']}/statements", {"text": STATEMENT}
    ).json()
    events = Event.objects.count()
    draft_approval = _post(
        _client(commander), f"/api/emergency/statements/{statement['id']}/approve"
    )
    assert draft_approval.status_code == 409
    _post(office, f"/api/emergency/statements/{statement['id']}/submit")
    events = Event.objects.count()
    refused = _post(office, f"/api/emergency/statements/{statement['id']}/approve")
    assert refused.status_code == 403 and "现场最高领导" in refused.json()["detail"]
    assert Event.objects.count() == events
    assert Statement.objects.get().post.status == "submitted"


def test_a_sub_account_statement_is_refused_with_403_and_a_clear_message(
    district: District, platform: FakeConnector, commander: Any
) -> None:
    incident = _declare(district, commander).json()
    response = _post(
        _client(district.operator),
        f"/api/emergency/incidents/{incident['id']}/statements",
        {"text": STATEMENT, "account_id": district.street01_account.pk},
    )
    assert response.status_code == 403 and "主账号统一发布" in response.json()["detail"]
    assert not Statement.objects.exists()


def test_reposting_twice_gets_409_and_another_unit_gets_404(
    district: District,
    platform: FakeConnector,
    commander: Any,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    from tests.emergency.flow import published

    incident = Incident.objects.get(pk=_declare(district, commander).json()["id"])
    statement = published(district, incident, commander, django_capture_on_commit_callbacks)
    order = RepostOrder.objects.get(statement=statement, account=district.street01_account)
    operator = _client(district.operator)
    with django_capture_on_commit_callbacks(execute=True):
        assert _post(operator, f"/api/emergency/repost-orders/{order.pk}/repost").status_code == 200
    again = _post(operator, f"/api/emergency/repost-orders/{order.pk}/repost")
    assert again.status_code == 409
    other = _post(_client(district.neighbour), f"/api/emergency/repost-orders/{order.pk}/repost")
    assert other.status_code == 404
    exempt = _post(
        _client(district.operator),
        f"/api/emergency/repost-orders/{order.pk}/exempt",
        {"reason": "x"},
    )
    assert exempt.status_code in (403, 409)
    assert RepostOrder.objects.get(pk=order.pk).state == "reposted"


def test_the_api_needs_a_login(district: District) -> None:
    assert Client().get("/api/emergency/incidents").status_code == 401
