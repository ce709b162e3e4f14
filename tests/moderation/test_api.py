"""The moderation API: token-authenticated, scoped like the pages; a refused move answers 403 or
409 and changes nothing."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from govmatrix.api.services import api_token_create
from govmatrix.audit.models import Event
from govmatrix.moderation.models import CaseDocument, HarmCase
from tests.moderation.conftest import RUMOUR, Board, reload


def _client(user: Any) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {api_token_create(user=user)}")


def _post(client: Client, path: str, body: dict[str, Any] | None = None) -> Any:
    return client.post(path, data=json.dumps(body or {}), content_type="application/json")


def test_a_case_goes_from_flag_to_outcome_through_the_api(board: Board) -> None:
    message = board.arrive(RUMOUR)
    operator, office = _client(board.district.operator), _client(board.district.office_admin)
    with board.commit(execute=True):
        flagged = _post(operator, "/api/moderation/cases",
                        {"message_id": message.pk, "category": "social_stability", "reason": "造谣"})  # fmt: skip
    assert flagged.status_code == 201, flagged.content
    case = flagged.json()
    assert case["state"] == "flagged" and case["evidence"]["intact"] is True
    assert case["evidence"]["sha256"] == case["evidence_sha256"]
    assert HarmCase.objects.get(pk=case["id"]).reported_at is not None  # once the flag committed
    filed = _post(operator, f"/api/moderation/cases/{case['id']}/application",
                  {"reason": "编造停水谣言", "contact": "李四"})  # fmt: skip
    assert filed.status_code == 200, filed.content
    assert filed.json()["state"] == "application_filed"
    assert filed.json()["documents"][0]["kind"] == "application"
    escalated = _post(office, f"/api/moderation/cases/{case['id']}/escalate",
                      {"copy_to": "市委网信办"})  # fmt: skip
    assert escalated.json()["state"] == "escalated"
    assert escalated.json()["recipients"] == ["市委宣传部", "市委网信办"]
    closed = _post(office, f"/api/moderation/cases/{case['id']}/outcome", {"outcome": "deleted"})
    assert closed.json()["state"] == "closed" and closed.json()["outcome"] == "deleted"
    download = office.get(closed.json()["documents"][0]["download_url"])
    assert download.status_code == 302  # the download is a page: a browser session, not a token
    listed = operator.get("/api/moderation/cases?state=closed").json()
    assert [c["id"] for c in listed["items"]] == [case["id"]]


def test_refused_moves_answer_403_or_409_and_change_nothing(board: Board) -> None:
    case = board.flag()
    operator, office = _client(board.district.operator), _client(board.district.office_admin)
    inspector = _client(board.district.office_inspector)
    events = Event.objects.count()
    assert _post(office, f"/api/moderation/cases/{case.pk}/escalate").status_code == 409
    assert _post(operator, f"/api/moderation/cases/{case.pk}/outcome",
                 {"outcome": "retained", "note": "x"}).status_code == 403  # fmt: skip
    wrong = _post(office, f"/api/moderation/cases/{case.pk}/outcome", {"outcome": "deleted"})
    assert wrong.status_code == 409 and "不能登记" in wrong.json()["detail"]
    assert _post(inspector, f"/api/moderation/cases/{case.pk}/application").status_code == 403
    again = _post(office, "/api/moderation/cases",
                  {"message_id": case.source_message_id, "category": "abuse", "reason": "x"})  # fmt: skip
    assert again.status_code == 409
    assert reload(case).state == "flagged" and Event.objects.count() == events
    assert CaseDocument.objects.count() == 0


def test_bad_input_is_422_naming_the_field(board: Board) -> None:
    message = board.arrive(RUMOUR)
    response = _post(_client(board.district.office_admin), "/api/moderation/cases",
                     {"message_id": message.pk, "category": "nonsense", "reason": "x"})  # fmt: skip
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "category"
    assert not HarmCase.objects.filter(source_message_id=message.pk).exists()


def test_cases_are_scoped_like_the_pages(board: Board) -> None:
    case = board.flag()
    assert (
        _client(board.district.neighbour).get(f"/api/moderation/cases/{case.pk}").status_code == 404
    )
    assert _client(board.district.neighbour).get("/api/moderation/cases").json()["count"] == 0
    assert (
        _client(board.district.office_inspector).get("/api/moderation/cases").json()["count"] == 1
    )
    assert Client().get("/api/moderation/cases").status_code == 401
