"""The assessment API, scoped like the pages; refused moves answer 403/409/422 and change nothing."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from govmatrix.api.services import api_token_create
from govmatrix.assessment.models import AssessmentRun
from govmatrix.assessment.services.inspections import finding_create
from govmatrix.assessment.services.runs import run_compute, run_freeze, run_publish
from govmatrix.audit.models import Event
from tests.conftest import District


def _client(user: Any) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {api_token_create(user=user)}")


def _post(client: Client, path: str, body: dict[str, Any] | None = None) -> Any:
    return client.post(path, data=json.dumps(body or {}), content_type="application/json")


def test_the_office_starts_a_run_and_reads_every_accounts_scores_ranks_and_vetoes(
    quarter_data: District, after_quarter: None
) -> None:
    office = _client(quarter_data.office_admin)
    from govmatrix.assessment.models import ChecklistItem, InspectionPlan

    plan = InspectionPlan.objects.get()
    finding_create(actor=quarter_data.office_admin, plan_id=plan.pk,
                   account_id=quarter_data.street02_account.pk,
                   item_id=ChecklistItem.objects.get(code="wording").pk, description="严重错误")  # fmt: skip
    created = _post(
        office, "/api/assessment/runs", {"quarter": "2026Q2", "scheme": "four_dimensions"}
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["quarter"], body["scheme"], body["status"]) == (
        "2026Q2",
        "four_dimensions",
        "queued",
    )
    run_compute(run_id=body["id"])
    detail = office.get(f"/api/assessment/runs/{body['id']}").json()
    assert detail["status"] == "computed" and detail["scheme_version"] == 1
    by_account = {a["account_id"]: a for a in detail["accounts"]}
    assert by_account[quarter_data.main_account.pk]["rank"] == 1
    vetoed = by_account[quarter_data.street02_account.pk]
    assert vetoed["vetoed"] and vetoed["vetoes"] == [
        {"key": "serious_wording_error", "label": "严重表述错误",
         "rule": "serious_wording_errors > 0", "value": 1.0}]  # fmt: skip
    assert "messages_received" not in vetoed["dimensions"]
    assert {u["unit"] for u in detail["units"]} == {"区政府新闻办", "东城街道", "西城街道"}
    listed = office.get("/api/assessment/runs").json()
    assert listed["count"] == 1


def test_a_run_by_scheme_id_is_accepted(quarter_data: District, after_quarter: None) -> None:
    from govmatrix.assessment.models import SchemeVersion

    version = SchemeVersion.objects.get(name="gsdata_bci")
    created = _post(_client(quarter_data.office_admin), "/api/assessment/runs",
                    {"quarter": "2026Q2", "scheme": version.pk})  # fmt: skip
    assert created.status_code == 201 and created.json()["scheme"] == "gsdata_bci"


def test_refused_requests_answer_with_a_message_and_change_nothing(
    quarter_data: District, after_quarter: None
) -> None:
    office, operator = _client(quarter_data.office_admin), _client(quarter_data.operator)
    events = Event.objects.count()
    bad = _post(office, "/api/assessment/runs", {"quarter": "2026-Q2", "scheme": "four_dimensions"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "quarter"
    unknown = _post(office, "/api/assessment/runs", {"quarter": "2026Q2", "scheme": "nope"})
    assert unknown.status_code == 422 and unknown.json()["detail"]
    missing = _post(office, "/api/assessment/runs", {"scheme": "four_dimensions"})
    assert missing.status_code == 422
    forbidden = _post(operator, "/api/assessment/runs", {"quarter": "2026Q2"})
    assert forbidden.status_code == 403 and forbidden.json()["detail"]
    assert not AssessmentRun.objects.exists() and Event.objects.count() == events
    first = _post(office, "/api/assessment/runs", {"quarter": "2026Q2"}).json()
    again = _post(office, "/api/assessment/runs", {"quarter": "2026Q2"})
    assert again.status_code == 409 and again.json()["detail"]
    early = _post(office, f"/api/assessment/runs/{first['id']}/publish")
    assert early.status_code == 409
    assert AssessmentRun.objects.get().status == "queued"


def test_units_see_published_runs_only_and_their_own_accounts_in_them(
    quarter_data: District, after_quarter: None
) -> None:
    office = _client(quarter_data.office_admin)
    run_id = _post(office, "/api/assessment/runs", {"quarter": "2026Q2"}).json()["id"]
    run_compute(run_id=run_id)
    operator = _client(quarter_data.operator)
    assert operator.get("/api/assessment/runs").json()["count"] == 0
    assert operator.get(f"/api/assessment/runs/{run_id}").status_code == 404
    run_freeze(actor=quarter_data.office_admin, run_id=run_id)
    run_publish(actor=quarter_data.office_admin, run_id=run_id)
    detail = operator.get(f"/api/assessment/runs/{run_id}").json()
    assert [a["account"] for a in detail["accounts"]] == ["示范区东城街道"]
    assert detail["accounts"][0]["rank"] == 2  # its rank among every account
    assert [u["unit"] for u in detail["units"]] == ["东城街道"]
    moved = _post(operator, f"/api/assessment/runs/{run_id}/discard")
    assert moved.status_code == 403
