from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from govmatrix.api.models import ApiToken
from govmatrix.api.services import api_token_create
from govmatrix.audit.models import Event
from govmatrix.matrix.models import Account
from tests.conftest import District


def _client(user: Any) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {api_token_create(user=user)}")


def _post(client: Client, path: str, body: dict[str, Any], method: str = "post") -> Any:
    return getattr(client, method)(path, data=json.dumps(body), content_type="application/json")


def test_the_openapi_document_is_published(district: District) -> None:
    response = Client().get("/api/openapi.json")
    assert response.status_code == 200
    assert "/api/accounts" in response.json()["paths"]


def test_a_request_without_a_token_is_refused(district: District) -> None:
    response = Client().get("/api/accounts")
    assert response.status_code == 401
    assert response.json()["detail"]


def test_a_wrong_or_revoked_token_is_refused(district: District) -> None:
    assert Client(HTTP_AUTHORIZATION="Bearer gm_nonsense").get("/api/accounts").status_code == 401
    client = _client(district.operator)
    ApiToken.objects.update(revoked_at="2026-01-01T00:00:00Z")
    assert client.get("/api/accounts").status_code == 401


def test_only_the_tokens_hash_is_stored(district: District) -> None:
    token = api_token_create(user=district.operator)
    record = ApiToken.objects.get()
    assert token not in (record.key_hash, record.prefix) and record.prefix == token[:8]


def test_the_api_token_command_prints_a_working_token(
    district: District, capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("api_token", "operator")
    token = capsys.readouterr().out.strip()
    response = Client(HTTP_AUTHORIZATION=f"Bearer {token}").get("/api/accounts")
    assert response.status_code == 200


def test_accounts_are_scoped_like_the_ui(district: District) -> None:
    handles = [a["handle"] for a in _client(district.operator).get("/api/accounts").json()["items"]]
    assert handles == ["sfq_street01"]
    assert (
        _client(district.operator).get(f"/api/accounts/{district.street02_account.pk}").status_code
        == 404
    )
    assert _client(district.office_admin).get("/api/accounts").json()["count"] == 3


def test_creating_an_account_through_the_api_is_audited(district: District) -> None:
    body = {
        "unit_id": district.street01.pk,
        "platform": "local",
        "handle": "dongcheng_api",
        "display_name": "东城接口",
    }
    response = _post(_client(district.operator), "/api/accounts", body)
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "planned"
    assert Event.objects.filter(verb="account.created", actor_id=district.operator.pk).exists()


def test_bad_input_names_the_field_and_changes_nothing(district: District) -> None:
    body = {
        "unit_id": district.street01.pk,
        "platform": "myspace",
        "handle": "",
        "display_name": "x",
    }
    response = _post(_client(district.operator), "/api/accounts", body)
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert {"platform", "handle"} <= fields
    assert Account.objects.count() == 3


def test_a_rule_violation_names_the_field_and_changes_nothing(district: District) -> None:
    body = {
        "unit_id": district.street01.pk,
        "platform": "local",
        "handle": "Not Valid",
        "display_name": "x",
    }
    response = _post(_client(district.operator), "/api/accounts", body)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "handle"
    assert Account.objects.count() == 3


def test_changing_another_units_account_is_not_found(district: District) -> None:
    response = _post(
        _client(district.operator),
        f"/api/accounts/{district.street02_account.pk}",
        {"display_name": "劫持"},
        method="patch",
    )
    assert response.status_code == 404
    district.street02_account.refresh_from_db()
    assert district.street02_account.display_name == "示范区西城街道"


def test_an_inspector_is_forbidden_to_change_what_they_can_see(district: District) -> None:
    response = _post(
        _client(district.inspector),
        f"/api/accounts/{district.street01_account.pk}",
        {"display_name": "改"},
        method="patch",
    )
    assert response.status_code == 403


def test_a_refused_status_move_answers_409(district: District) -> None:
    client = _client(district.operator)
    response = _post(
        client, f"/api/accounts/{district.street01_account.pk}/status", {"to": "planned"}
    )
    assert response.status_code == 409
    assert "不能" in response.json()["detail"]


def test_units_and_targets_are_office_writes(district: District) -> None:
    office = _client(district.office_admin)
    created = _post(
        office, "/api/units", {"name": "新华街道", "code": "street09", "kind": "street_town"}
    )
    assert created.status_code == 201
    target = _post(
        office,
        "/api/targets",
        {
            "name": "年底30个",
            "deadline": "2027-12-31",
            "min_accounts": 30,
            "scope": "streets_and_departments",
        },
    )
    assert target.status_code == 201
    assert target.json()["current"] == 2
    refused = _post(
        _client(district.leader),
        "/api/units",
        {"name": "自立门户", "code": "rogue", "kind": "department"},
    )
    assert refused.status_code == 403
    assert _client(district.leader).get("/api/targets").json() == []


def test_a_duplicate_unit_code_is_refused_with_the_field(district: District) -> None:
    response = _post(
        _client(district.office_admin),
        "/api/units",
        {"name": "另一个东城", "code": "street01", "kind": "street_town"},
    )
    assert response.status_code == 422
    assert "code" in {e["field"] for e in response.json()["errors"]}


def test_the_browser_session_needs_a_csrf_token_to_write(district: District) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(district.operator)
    assert client.get("/api/accounts").status_code == 200
    body = {
        "unit_id": district.street01.pk,
        "platform": "local",
        "handle": "csrf_less",
        "display_name": "x",
    }
    assert _post(client, "/api/accounts", body).status_code in {401, 403}
    assert not Account.objects.filter(handle="csrf_less").exists()
