"""Every assessment page answers, for the office and (where allowed) for a unit."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from govmatrix.assessment.models import AssessmentRun, ChecklistItem, InspectionPlan, SchemeVersion
from govmatrix.assessment.services.inspections import finding_create
from govmatrix.assessment.services.runs import run_freeze, run_publish
from govmatrix.audit.services import event_record
from tests.conftest import District


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_office_sees_every_assessment_page(
    quarter_data: District, computed_run: AssessmentRun
) -> None:
    d, run = quarter_data, computed_run
    plan = InspectionPlan.objects.get()
    item = plan.targets.first()
    assert item is not None
    finding = finding_create(
        actor=d.office_admin,
        plan_id=plan.pk,
        account_id=item.account_id,
        item_id=ChecklistItem.objects.get(code="wording").pk,
        description="错别字",
    )
    client = _client(d.office_admin)
    scheme = SchemeVersion.objects.get(name="four_dimensions", is_current=True)
    account = d.street01_account.pk
    urls = [
        reverse("assessment:runs"),
        reverse("assessment:run", args=[run.pk]),
        reverse("assessment:run_progress", args=[run.pk]),
        reverse("assessment:run_account", args=[run.pk, account]),
        reverse("assessment:run_evidence", args=[run.pk, account, "reposts_received"]),
        reverse("assessment:run_evidence", args=[run.pk, account, "followers"]),
        reverse("assessment:run_evidence", args=[run.pk, account, "messages_received"]),
        reverse(
            "assessment:run_evidence", args=[run.pk, item.account_id, "serious_wording_errors"]
        ),
        reverse("assessment:run_notice", args=[run.pk]),
        reverse("assessment:compare"),
        reverse("assessment:schemes"),
        reverse("assessment:scheme", args=[scheme.pk]),
        reverse("assessment:scheme_edit", args=[scheme.pk]),
        reverse("assessment:scheme_new"),
        reverse("assessment:metrics"),
        reverse("assessment:plans"),
        reverse("assessment:plan_create"),
        reverse("assessment:plan", args=[plan.pk]),
        reverse("assessment:checklist"),
        reverse("assessment:checklist_new"),
        reverse("assessment:findings"),
        reverse("assessment:finding", args=[finding.pk]),
        "/",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)


@pytest.mark.parametrize("user", ["operator", "leader", "neighbour"])
def test_a_unit_sees_a_run_only_once_it_is_published(
    quarter_data: District, computed_run: AssessmentRun, user: str
) -> None:
    d, run = quarter_data, computed_run
    client = _client(getattr(d, user))
    assert client.get(reverse("assessment:run", args=[run.pk])).status_code == 404
    run_freeze(actor=d.office_admin, run_id=run.pk)
    assert client.get(reverse("assessment:run", args=[run.pk])).status_code == 404
    run_publish(actor=d.office_admin, run_id=run.pk)
    page = client.get(reverse("assessment:run", args=[run.pk]))
    assert page.status_code == 200
    own = d.street01_account if user != "neighbour" else d.street02_account
    other = d.street02_account if user != "neighbour" else d.street01_account
    assert own.display_name in page.content.decode()
    assert other.display_name not in page.content.decode()
    assert client.get(reverse("assessment:run_account", args=[run.pk, own.pk])).status_code == 200
    assert client.get(reverse("assessment:run_account", args=[run.pk, other.pk])).status_code == 404
    assert client.get(reverse("assessment:run_docx", args=[run.pk])).status_code == 200
    assert client.get(reverse("assessment:run_xlsx", args=[run.pk])).status_code == 403


def test_the_run_page_speaks_english_when_the_user_chose_it(
    quarter_data: District, computed_run: AssessmentRun
) -> None:
    client = _client(quarter_data.office_admin)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("assessment:run", args=[computed_run.pk])).content.decode()
    assert "Account ranking" in page and "Reviewed: freeze the result" in page
    assert "账号排名" not in page


def test_a_metric_without_a_source_drills_down_to_the_event_rows_for_the_office(
    quarter_data: District, computed_run: AssessmentRun, time_machine: Any
) -> None:
    time_machine.move_to(timezone.make_aware(datetime(2026, 6, 10, 10)))
    with transaction.atomic():
        event_record(actor=None, actor_name="system", verb="message.received",
                     unit_id=quarter_data.street01.pk, note="网民咨询招生政策")  # fmt: skip
    time_machine.move_to(timezone.make_aware(datetime(2026, 7, 15, 9)))
    url = reverse("assessment:run_evidence",
                  args=[computed_run.pk, quarter_data.street01_account.pk, "messages_received"])  # fmt: skip
    page = _client(quarter_data.office_admin).get(url).content.decode()
    assert "本季度本单位的相关事件" in page and "网民咨询招生政策" in page
    run_freeze(actor=quarter_data.office_admin, run_id=computed_run.pk)
    run_publish(actor=quarter_data.office_admin, run_id=computed_run.pk)
    unit_page = _client(quarter_data.operator).get(url).content.decode()
    assert "网民咨询招生政策" not in unit_page  # the event log is the office's
