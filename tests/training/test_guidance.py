"""Guidance notices (R7.1): issued to units, confirmed by their people, reminders to the rest."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from govmatrix.audit.models import Event
from govmatrix.core.errors import InvalidTransition, NotAllowed, ValidationFailed
from govmatrix.notifications.models import Notification
from govmatrix.training.models import GuidanceNotice, GuidanceRead
from govmatrix.training.selectors import notice_list, notice_receipts, unread_notices
from govmatrix.training.services.guidance import (
    guidance_notice_confirm_read,
    guidance_notice_create,
    guidance_notice_issue,
    guidance_notice_remind,
    guidance_notice_withdraw,
)
from tests.conftest import District


@pytest.fixture
def notice(district: District, django_capture_on_commit_callbacks: Any) -> GuidanceNotice:
    notice = guidance_notice_create(
        actor=district.office_admin, title="关于规范留言答复的指导意见", body="请按时答复。",
        unit_ids=[district.street01.pk, district.street02.pk, district.dept01.pk],
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        guidance_notice_issue(actor=district.office_admin, notice_id=notice.pk)
    return notice


def test_issuing_a_notice_tells_the_people_of_each_unit(
    district: District, notice: GuidanceNotice
) -> None:
    told = set(Notification.objects.filter(verb="guidance.issued")
               .values_list("recipient__username", flat=True))  # fmt: skip
    assert told == {"leader", "charge", "operator", "neighbour"}
    assert list(unread_notices(user=district.operator)) == [notice]
    assert Event.objects.filter(verb="guidance.issued", object_id=str(notice.pk)).exists()


def test_a_read_receipt_records_who_read_when_and_lists_the_unread_units(
    district: District, notice: GuidanceNotice
) -> None:
    guidance_notice_confirm_read(actor=district.operator, notice_id=notice.pk)
    guidance_notice_confirm_read(actor=district.operator, notice_id=notice.pk)  # once is enough
    receipts = {r.unit.code: r for r in notice_receipts(user=district.office_admin, notice=notice)}
    assert receipts["street01"].read and receipts["street01"].reads[0].user == district.operator
    assert receipts["street01"].reads[0].read_at is not None
    assert [code for code, r in receipts.items() if not r.read] == ["dept01", "street02"]
    assert GuidanceRead.objects.count() == 1
    assert list(unread_notices(user=district.operator)) == []


def test_a_reminder_goes_only_to_the_units_that_have_not_confirmed(
    district: District, notice: GuidanceNotice, django_capture_on_commit_callbacks: Any
) -> None:
    guidance_notice_confirm_read(actor=district.leader, notice_id=notice.pk)
    with django_capture_on_commit_callbacks(execute=True):
        assert guidance_notice_remind(actor=district.office_admin, notice_id=notice.pk) == 2
    reminded = set(Notification.objects.filter(verb="guidance.reminded")
                   .values_list("recipient__username", flat=True))  # fmt: skip
    assert reminded == {"neighbour"}  # dept01 has nobody with a login in this district
    notice.refresh_from_db()
    assert notice.reminders == 1 and notice.reminded_at is not None


def test_only_the_people_of_an_addressed_unit_confirm_and_only_while_it_is_issued(
    district: District, notice: GuidanceNotice
) -> None:
    with pytest.raises(NotAllowed):
        guidance_notice_confirm_read(actor=district.outsider, notice_id=notice.pk)
    with pytest.raises(NotAllowed):
        guidance_notice_remind(actor=district.operator, notice_id=notice.pk)
    guidance_notice_withdraw(actor=district.office_admin, notice_id=notice.pk)
    with pytest.raises(InvalidTransition):
        guidance_notice_confirm_read(actor=district.neighbour, notice_id=notice.pk)
    with pytest.raises(InvalidTransition):
        guidance_notice_issue(actor=district.office_admin, notice_id=notice.pk)


def test_a_unit_sees_only_issued_notices_sent_to_it(
    district: District, notice: GuidanceNotice
) -> None:
    draft = guidance_notice_create(actor=district.office_admin, title="草稿", body="未下发",
                                   unit_ids=[district.street01.pk])  # fmt: skip
    assert list(notice_list(user=district.operator)) == [notice]
    assert set(notice_list(user=district.office_admin)) == {notice, draft}
    media_people = notice_list(user=district.outsider)
    assert list(media_people) == []


def test_a_notice_without_title_body_or_units_is_refused(district: District) -> None:
    with pytest.raises(ValidationFailed) as refused:
        guidance_notice_create(actor=district.office_admin, title=" ", body="", unit_ids=[])
    assert set(refused.value.errors) == {"title", "body", "units"}
    assert not GuidanceNotice.objects.exists()


def test_confirming_on_the_page(district: District, notice: GuidanceNotice) -> None:
    client = Client()
    client.force_login(district.neighbour)
    page = client.get(reverse("training:notice", args=[notice.pk]))
    assert "已阅知，签收" in page.content.decode()
    client.post(reverse("training:notice_action", args=[notice.pk, "read"]))
    assert GuidanceRead.objects.filter(user=district.neighbour, unit=district.street02).exists()
    office = Client()
    office.force_login(district.office_admin)
    assert "未签收" in office.get(reverse("training:notice", args=[notice.pk])).content.decode()
