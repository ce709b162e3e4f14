"""The publishing API: token-authenticated, scoped like the pages; refusals change nothing."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from govmatrix.api.services import api_token_create
from govmatrix.audit.models import Event
from govmatrix.publishing.models import Post, Review
from tests.conftest import District
from tests.publishing.conftest import FakeConnector

Capture = Callable[..., Any]


def _client(user: Any) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {api_token_create(user=user)}")


def _post(client: Client, path: str, body: dict[str, Any] | None = None) -> Any:
    return client.post(path, data=json.dumps(body or {}), content_type="application/json")


def _create(district: District, **overrides: Any) -> dict[str, Any]:
    body = {
        "account_id": district.street01_account.pk,
        "text": "东城街道本周末开展义诊活动。",
        "topics": ["healthcare"],
        "important": True,
        **overrides,
    }
    response = _post(_client(district.operator), "/api/posts", body)
    assert response.status_code == 201, response.content
    return dict(response.json())


def test_the_whole_flow_through_the_api(
    district: District, platform: FakeConnector, django_capture_on_commit_callbacks: Capture
) -> None:
    created = _create(district)
    assert created["status"] == "draft" and created["topics"] == ["healthcare"] and created["id"]
    assert created["public_url"] is None and created["report_item"] is None
    operator, leader = _client(district.operator), _client(district.leader)
    submitted = _post(operator, f"/api/posts/{created['id']}/submit").json()
    assert submitted["status"] == "submitted"
    with django_capture_on_commit_callbacks(execute=True):
        approved = _post(leader, f"/api/posts/{created['id']}/approve", {"comment": "同意"})
    assert approved.status_code == 200, approved.content
    read = operator.get(f"/api/posts/{created['id']}").json()
    assert read["status"] == "published"
    assert read["public_url"] == "http://fake.example/sfq_street01/1"
    assert read["report_item"]["state"] == "new" and read["report_item"]["important"] is True
    assert read["approved_by"] == "leader"
    listed = operator.get(
        f"/api/posts?status=published&account_id={district.street01_account.pk}"
    ).json()
    assert [p["id"] for p in listed["items"]] == [created["id"]]
    assert operator.get("/api/posts?status=draft").json()["count"] == 0


def test_approve_without_a_body_works(district: District, platform: FakeConnector) -> None:
    created = _create(district)
    _post(_client(district.operator), f"/api/posts/{created['id']}/submit")
    response = _client(district.leader).generic(
        "POST", f"/api/posts/{created['id']}/approve"
    )  # no body at all
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "scheduled"


@pytest.mark.parametrize(
    ("who", "setup", "path", "body", "status"),
    [
        ("operator", "submitted", "approve", {}, 403),
        ("charge", "submitted", "approve", {}, 403),
        ("leader", "draft", "approve", {}, 409),
        ("leader", "submitted", "return", {"comment": ""}, 422),
        ("operator", "submitted", "return", {"comment": "改"}, 403),
        ("leader", "draft", "return", {"comment": "改"}, 409),
        ("neighbour", "submitted", "approve", {}, 404),
        ("operator", "submitted", "submit", {}, 409),
    ],
)
def test_a_refused_move_answers_with_a_message_and_changes_nothing(
    district: District,
    platform: FakeConnector,
    who: str,
    setup: str,
    path: str,
    body: dict[str, Any],
    status: int,
) -> None:
    created = _create(district)
    if setup == "submitted":
        _post(_client(district.operator), f"/api/posts/{created['id']}/submit")
    client = _client(getattr(district, who))
    before = (
        Event.objects.count(),
        Review.objects.count(),
        Post.objects.get(pk=created["id"]).status,
    )
    response = _post(client, f"/api/posts/{created['id']}/{path}", body)
    assert response.status_code == status, response.content
    assert response.json()["detail"]
    assert (
        Event.objects.count(),
        Review.objects.count(),
        Post.objects.get(pk=created["id"]).status,
    ) == before


def test_bad_input_names_the_field(district: District, platform: FakeConnector) -> None:
    client = _client(district.operator)
    unknown_topic = _post(
        client,
        "/api/posts",
        {"account_id": district.street01_account.pk, "text": "x", "topics": ["nope"]},
    )
    assert unknown_topic.status_code == 422
    assert unknown_topic.json()["errors"][0]["field"] == "topics"
    too_long = _post(
        client, "/api/posts", {"account_id": district.street01_account.pk, "text": "字" * 141}
    )
    assert too_long.status_code == 422 and too_long.json()["errors"][0]["field"] == "text"
    other_street = _post(
        client, "/api/posts", {"account_id": district.street02_account.pk, "text": "x"}
    )
    assert (
        other_street.status_code == 422 and other_street.json()["errors"][0]["field"] == "account"
    )
    assert not Post.objects.exists()


def test_posts_are_scoped_like_the_pages(district: District, platform: FakeConnector) -> None:
    created = _create(district)
    assert _client(district.neighbour).get(f"/api/posts/{created['id']}").status_code == 404
    assert _client(district.neighbour).get("/api/posts").json()["count"] == 0
    assert _client(district.office_inspector).get("/api/posts").json()["count"] == 1
    assert Client().get("/api/posts").status_code == 401


def test_a_time_without_a_zone_is_read_in_shanghai(
    district: District, platform: FakeConnector
) -> None:
    created = _create(district, scheduled_at="2099-01-02T09:30:00")
    assert created["scheduled_at"].startswith(
        "2099-01-02T01:30:00"
    )  # 09:30 in Shanghai is 01:30 UTC
