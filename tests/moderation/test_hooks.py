"""Where moderation plugs into other apps: an incident's timeline shows the cases flagged on its
accounts while it lasted; the assessment measures harmful-comment cases; the sweeper reports a
case whose report was lost; the classifier alone flags abusive comments."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from govmatrix.assessment.providers import MetricContext
from govmatrix.assessment.providers.registry import AccountInfo
from govmatrix.assessment.scoring import Quarter
from govmatrix.moderation import screening, services
from govmatrix.moderation.hooks import _provider, incident_cases
from govmatrix.moderation.models import HarmCase
from tests.moderation.conftest import Board, reload


def test_an_incident_timeline_shows_the_cases_on_its_accounts(board: Board) -> None:
    timeline = pytest.importorskip("govmatrix.emergency.timeline")
    case = board.flag()
    window = timeline.IncidentWindow(
        id=1, title="暴雨", declared_at=timezone.now() - timedelta(hours=1), ends_at=None,
        unit_ids=(board.district.street01.pk,), account_ids=(board.district.street01_account.pk,),
    )  # fmt: skip
    entries = list(incident_cases(window, board.district.office_admin))
    assert [e.link for e in entries] == [f"/moderation/{case.pk}/"]
    assert entries[0].kind == "有害跟帖" and "停水停电" in entries[0].text
    assert list(incident_cases(window, board.district.neighbour)) == []  # what the reader may see
    later = timeline.IncidentWindow(**{**window.__dict__, "declared_at": timezone.now()})
    assert list(incident_cases(later, board.district.office_admin)) == []


def test_the_assessment_counts_cases_and_report_hours_where_comments_are_read(board: Board) -> None:
    case = board.flag()
    quarter = Quarter.containing(timezone.localdate())
    accounts = tuple(
        AccountInfo(
            id=a.pk, unit_id=a.unit_id, platform=a.platform, handle=a.handle, name=a.display_name
        )
        for a in (board.district.street01_account, board.district.street02_account)
    )
    values: Any = _provider().compute(
        MetricContext(quarter=quarter, check_date=timezone.localdate(), accounts=accounts)
    )
    street01, street02 = (values[a.id] for a in accounts)
    assert street01["harm_cases"] == 1 and street02["harm_cases"] == 0
    hours = (reload(case).reported_at - case.flagged_at).total_seconds() / 3600
    assert street01["median_harm_case_report_hours"] == round(hours, 4)
    assert street02["median_harm_case_report_hours"] is None


def test_the_sweeper_reports_a_case_whose_report_was_lost(board: Board, time_machine: Any) -> None:
    case = board.flag()
    HarmCase.objects.filter(pk=case.pk).update(reported_at=None)
    assert services.harm_cases_report_pending() == 0  # still within its grace
    time_machine.move_to(timezone.now() + timedelta(minutes=5))
    assert services.harm_cases_report_pending() == 1
    assert reload(case).reported_at is not None
    assert services.harm_cases_report_pending() == 0


@pytest.mark.django_db
def test_the_classifier_alone_flags_comment_length_abuse_at_the_engines_threshold() -> None:
    assert screening.verdict("你说的不对", classifier_score=0.96).categories == ("abuse",)
    assert not screening.verdict("你说的不对", classifier_score=0.94).flagged
    long_text = "我们小区" * 60
    assert not screening.verdict(long_text, classifier_score=0.99).flagged
    assert screening.verdict(long_text, classifier_score=0.996).flagged
