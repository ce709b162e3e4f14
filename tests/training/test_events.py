"""Training classes, joint meetings and online exchanges (R7.2): audience by level and unit,
invitations, attendance, materials, a record per person, and the training indicator."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from govmatrix.api.services import api_token_create
from govmatrix.assessment.compute import quarter_context
from govmatrix.assessment.providers import compute_metrics
from govmatrix.assessment.scoring import Quarter
from govmatrix.core.errors import InvalidTransition, NotAllowed, ValidationFailed
from govmatrix.notifications.models import Notification
from govmatrix.training.models import Attendance, Invitation, Material, TrainingEvent
from govmatrix.training.provider import TrainingProvider
from govmatrix.training.selectors import event_list, person_record
from govmatrix.training.services.events import (
    attendance_record,
    material_upload,
    training_event_cancel,
    training_event_create,
    training_event_invite,
    training_event_mark_held,
)
from tests.conftest import District

START = timezone.make_aware(datetime(2026, 5, 12, 9, 0))


@pytest.fixture
def event(district: District) -> TrainingEvent:
    return training_event_create(
        actor=district.office_admin, kind="training_class", title="运维人员业务培训班",
        content="审核制度、答复口径、转发要求", starts_at=START, ends_at=START + timedelta(hours=3),
        location="第一会议室", levels=["operator", "leader_in_charge"],
        unit_ids=[district.street01.pk, district.street02.pk],
    )  # fmt: skip


def test_invitations_go_to_the_levels_and_units_planned(
    district: District, event: TrainingEvent, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        assert training_event_invite(actor=district.office_admin, event_id=event.pk) == 3
    invited = {(i.person.name, i.level) for i in Invitation.objects.select_related("person")}
    assert invited == {
        ("operator", "operator"),
        ("charge", "leader_in_charge"),
        ("neighbour", "operator"),
    }  # the principal leader is not in this audience
    told = set(Notification.objects.filter(verb="training.invited")
               .values_list("recipient__username", flat=True))  # fmt: skip
    assert told == {"operator", "charge", "neighbour"}


def test_attendance_is_recorded_for_invited_people_and_makes_each_persons_record(
    district: District, event: TrainingEvent
) -> None:
    with pytest.raises(InvalidTransition):  # not invited yet
        attendance_record(actor=district.office_admin, event_id=event.pk, statuses={})
    training_event_invite(actor=district.office_admin, event_id=event.pk)
    operator, neighbour = district.person(district.operator), district.person(district.neighbour)
    leader = district.person(district.leader)
    with pytest.raises(ValidationFailed):
        attendance_record(actor=district.office_admin, event_id=event.pk,
                          statuses={leader.pk: "attended"})  # fmt: skip
    attendance_record(actor=district.office_admin, event_id=event.pk,
                      statuses={operator.pk: "attended", neighbour.pk: "excused"})  # fmt: skip
    attendance_record(actor=district.office_admin, event_id=event.pk,
                      statuses={neighbour.pk: "absent"})  # fmt: skip
    assert Attendance.objects.get(person=neighbour).status == "absent"
    _person, records = person_record(user=district.leader, person_id=operator.pk)
    assert [(r.event.title, r.status) for r in records] == [("运维人员业务培训班", "attended")]
    with pytest.raises(Exception):  # noqa: B017 - NotFound: another street's person
        person_record(user=district.operator, person_id=neighbour.pk)


def test_an_event_moves_only_as_its_table_allows(district: District, event: TrainingEvent,
                                                 time_machine: Any) -> None:  # fmt: skip
    time_machine.move_to(START - timedelta(days=1))
    with pytest.raises(InvalidTransition):
        training_event_mark_held(actor=district.office_admin, event_id=event.pk)  # planned
    training_event_invite(actor=district.office_admin, event_id=event.pk)
    with pytest.raises(InvalidTransition):
        training_event_mark_held(actor=district.office_admin, event_id=event.pk)  # not begun
    time_machine.move_to(START + timedelta(hours=4))
    training_event_mark_held(actor=district.office_admin, event_id=event.pk)
    with pytest.raises(InvalidTransition):
        training_event_cancel(actor=district.office_admin, event_id=event.pk)
    with pytest.raises(NotAllowed):
        training_event_invite(actor=district.operator, event_id=event.pk)


def test_an_event_needs_content_an_audience_and_a_sensible_time(district: District) -> None:
    with pytest.raises(ValidationFailed) as refused:
        training_event_create(actor=district.office_admin, kind="party", title="", content="",
                              starts_at=START, ends_at=START, levels=["mayor"], unit_ids=[])  # fmt: skip
    assert set(refused.value.errors) == {"kind", "title", "content", "ends_at", "levels", "units"}


@pytest.mark.parametrize(
    ("name", "content", "ok"),
    [("讲义.pdf", b"%PDF-1.7 ...", True), ("课件.pptx", b"PK\x03\x04rest", True),
     ("名单.txt", "张三\n李四".encode(), True), ("病毒.exe", b"MZ...", False),
     ("伪装.pdf", b"MZ\x90\x00", False), ("空.pdf", b"", False)],
)  # fmt: skip
def test_materials_are_checked_before_they_are_kept(
    district: District, event: TrainingEvent, settings: Any, tmp_path: Any,
    name: str, content: bytes, ok: bool,
) -> None:  # fmt: skip
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile(name, content)
    if ok:
        material = material_upload(actor=district.office_admin, event_id=event.pk, title="",
                                   upload=upload)  # fmt: skip
        assert material.size == len(content) and len(material.sha256) == 64
        assert material.file.read() == content
    else:
        with pytest.raises(ValidationFailed):
            material_upload(actor=district.office_admin, event_id=event.pk, title="", upload=upload)
        assert not Material.objects.exists()


def test_a_material_is_downloaded_by_the_invited_units_only(
    district: District, event: TrainingEvent, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    material = material_upload(actor=district.office_admin, event_id=event.pk, title="讲义",
                               upload=SimpleUploadedFile("讲义.pdf", b"%PDF-1.4 x"))  # fmt: skip
    invited, other = Client(), Client()
    invited.force_login(district.operator)
    other.force_login(district.outsider)
    response = invited.get(reverse("training:material", args=[material.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 x"
    assert other.get(reverse("training:material", args=[material.pk])).status_code == 404


def test_the_training_indicator_counts_held_events_per_unit(
    district: District, event: TrainingEvent
) -> None:
    training_event_invite(actor=district.office_admin, event_id=event.pk)
    attendance_record(actor=district.office_admin, event_id=event.pk,
                      statuses={district.person(district.operator).pk: "attended",
                                district.person(district.neighbour).pk: "absent"})  # fmt: skip
    ctx = quarter_context(Quarter.parse("2026Q2"), date(2026, 6, 30))

    def figures() -> dict[int, tuple[Any, Any]]:
        values, _ = compute_metrics(ctx, providers=[TrainingProvider()])
        return {k: (v["training_expected"], v["training_attended"]) for k, v in values.items()}

    assert figures()[district.street01_account.pk] == (0, 0)  # not held yet: nothing expected
    training_event_mark_held(actor=district.office_admin, event_id=event.pk)
    now = figures()
    assert now[district.street01_account.pk] == (1, 1)
    assert now[district.street02_account.pk] == (1, 0)
    assert now[district.main_account.pk] == (0, 0)  # → the ratio reads no data, not 0 %


def test_units_see_the_events_they_are_invited_to_and_the_api_says_the_same(
    district: District, event: TrainingEvent
) -> None:
    other = training_event_create(
        actor=district.office_admin, kind="joint_meeting", title="联席会议", content="部署",
        starts_at=START, ends_at=START + timedelta(hours=1), levels=["principal_leader"],
        unit_ids=[district.dept01.pk],
    )  # fmt: skip
    assert list(event_list(user=district.operator)) == [event]
    assert set(event_list(user=district.office_inspector)) == {event, other}
    api = Client(HTTP_AUTHORIZATION=f"Bearer {api_token_create(user=district.operator)}")
    body = api.get("/api/training/events").json()
    assert body["count"] == 1
    item = body["items"][0]
    assert (item["kind"], item["levels"], item["status"]) == (
        "training_class", ["leader_in_charge", "operator"], "planned")  # fmt: skip
    assert item["unit_ids"] == sorted([district.street01.pk, district.street02.pk])
    office = Client(HTTP_AUTHORIZATION=f"Bearer {api_token_create(user=district.office_admin)}")
    assert office.get("/api/training/events?kind=joint_meeting").json()["count"] == 1
    bad = office.get("/api/training/events?kind=party")
    assert bad.status_code == 422 and json.loads(bad.content)["detail"]
