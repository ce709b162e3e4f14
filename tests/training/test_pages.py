"""Every guidance and training page answers, for the office and for a unit's operator."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from govmatrix.training.models import Attendance
from govmatrix.training.services.board import board_thread_create
from govmatrix.training.services.events import (
    material_upload,
    training_event_create,
    training_event_invite,
)
from govmatrix.training.services.guidance import guidance_notice_create, guidance_notice_issue
from tests.conftest import District


@pytest.mark.parametrize("user", ["office_admin", "operator"])
def test_every_training_page_answers(
    district: District, user: str, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    office = district.office_admin
    notice = guidance_notice_create(actor=office, title="指导", body="正文",
                                    unit_ids=[district.street01.pk])  # fmt: skip
    guidance_notice_issue(actor=office, notice_id=notice.pk)
    thread = board_thread_create(actor=district.operator, title="问题", body="内容")
    start = timezone.make_aware(datetime(2026, 5, 12, 9))
    event = training_event_create(actor=office, kind="online_exchange", title="网上交流",
                                  content="答疑", starts_at=start, ends_at=start + timedelta(hours=1),
                                  levels=["operator"], unit_ids=[district.street01.pk])  # fmt: skip
    training_event_invite(actor=office, event_id=event.pk)
    material_upload(actor=office, event_id=event.pk, title="讲义",
                    upload=SimpleUploadedFile("a.txt", "讲义".encode()))  # fmt: skip
    client = Client()
    client.force_login(getattr(district, user))
    person = district.person(district.operator)
    for url in [
        reverse("training:notices"), reverse("training:notice", args=[notice.pk]),
        reverse("training:board"), reverse("training:thread", args=[thread.pk]),
        reverse("training:events"), reverse("training:event", args=[event.pk]),
        reverse("training:person", args=[person.pk]), reverse("training:events") + "?export=xlsx",
    ]:  # fmt: skip
        assert client.get(url).status_code == 200, url
    if user == "office_admin":
        for url in (reverse("training:notice_create"), reverse("training:event_create")):
            assert client.get(url).status_code == 200, url
        client.post(reverse("training:event", args=[event.pk]),
                    {"form": "attendance", f"person_{person.pk}": "attended"})  # fmt: skip
        assert Attendance.objects.get(person=person).status == "attended"
    else:
        assert client.get(reverse("training:event_create")).status_code == 403
