"""Inspections (R1.4): plans and samples, findings with working-day deadlines, rectification,
and the findings feeding the quarter's metrics and veto items."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from govmatrix.assessment.models import (
    ChecklistItem,
    Finding,
    FindingStatus,
    InspectionPlan,
    PlanStatus,
)
from govmatrix.assessment.rules import FINDING_TRANSITIONS
from govmatrix.assessment.selectors.inspections import finding_list
from govmatrix.assessment.services import inspections as s
from govmatrix.assessment.services.runs import run_compute, run_create
from govmatrix.audit.models import Event
from govmatrix.core.errors import InvalidTransition, NotAllowed, ValidationFailed
from govmatrix.matrix.models import Account
from tests.conftest import District
from tests.factories import AccountFactory

QUARTER = "2026Q2"


@pytest.fixture
def plan(district: District) -> InspectionPlan:
    s.checklist_seed_defaults(actor=district.office_admin)
    plan = s.inspection_plan_create(actor=district.office_admin, title="二季度检查",
                                    quarter=QUARTER, check_date=date(2026, 6, 10),
                                    sampling="all")  # fmt: skip
    s.inspection_plan_start(actor=district.office_admin, plan_id=plan.pk)
    return plan


def _finding(district: District, plan: InspectionPlan, code: str = "wrong_words",
             account: Account | None = None, found_on: date = date(2026, 6, 10)) -> Finding:  # fmt: skip
    return s.finding_create(
        actor=district.office_admin, plan_id=plan.pk,
        account_id=(account or district.street01_account).pk,
        item_id=ChecklistItem.objects.get(code=code).pk, description="发现问题",
        found_on=found_on,
    )  # fmt: skip


def test_a_plan_of_all_accounts_covers_every_official_account(
    district: District, plan: InspectionPlan
) -> None:
    handles = set(plan.targets.values_list("account__handle", flat=True))
    assert handles == {"main_fabu", "sfq_street01", "sfq_street02"}


def test_a_random_sample_records_its_seed_and_draws_the_same_accounts_again(
    district: District,
) -> None:
    for n in range(17):
        AccountFactory(unit=district.dept01, handle=f"dept_extra_{n}")
    first = s.inspection_plan_create(actor=district.office_admin, title="抽查A", quarter=QUARTER,
                                     check_date=date(2026, 5, 1), sampling="random",
                                     sample_percent=25, seed=20260501)  # fmt: skip
    again = s.inspection_plan_create(actor=district.office_admin, title="抽查B", quarter=QUARTER,
                                     check_date=date(2026, 5, 1), sampling="random",
                                     sample_percent=25, seed=20260501)  # fmt: skip
    drawn = sorted(first.targets.values_list("account_id", flat=True))
    assert len(drawn) == 5  # 25 % of 20 accounts
    assert drawn == sorted(again.targets.values_list("account_id", flat=True))
    unseeded = s.inspection_plan_create(actor=district.office_admin, title="抽查C",
                                        quarter=QUARTER, check_date=date(2026, 5, 1),
                                        sampling="random", sample_percent=25)  # fmt: skip
    assert unseeded.seed is not None
    event = Event.objects.get(verb="inspection_plan.created", object_id=str(unseeded.pk))
    assert event.data["seed"] == unseeded.seed and event.data["population"] == 20


def test_a_findings_deadline_counts_working_days_over_the_holidays(
    district: District, plan: InspectionPlan
) -> None:
    # Found on 25 September 2026 (Mid-Autumn Festival). The National Day holiday (1-7 October)
    # does not count, and Saturday 10 October is an adjusted working day: the 10th working day
    # after is 15 October (28, 29, 30 Sept; 8, 9, 10, 12, 13, 14, 15 Oct).
    finding = _finding(district, plan, found_on=date(2026, 9, 25))
    assert finding.rectify_due == date(2026, 10, 15)


def test_a_unit_sees_and_answers_its_own_findings_only(
    district: District, plan: InspectionPlan
) -> None:
    own = _finding(district, plan)
    other = _finding(district, plan, account=district.street02_account)
    assert list(finding_list(user=district.operator)) == [own]
    assert set(finding_list(user=district.office_inspector)) == {own, other}
    s.finding_start_rectifying(actor=district.operator, finding_id=own.pk, response="正在更正")
    with pytest.raises(NotAllowed):
        s.finding_report_rectified(actor=district.neighbour, finding_id=own.pk, response="代答")
    with pytest.raises(NotAllowed):
        s.finding_verify(actor=district.operator, finding_id=own.pk)
    s.finding_report_rectified(actor=district.operator, finding_id=own.pk, response="已更正")
    s.finding_reject(actor=district.office_admin, finding_id=own.pk, note="链接仍失效")
    s.finding_report_rectified(actor=district.operator, finding_id=own.pk, response="已修复链接")
    s.finding_verify(actor=district.office_admin, finding_id=own.pk, note="已核验")
    own.refresh_from_db()
    assert (own.status, own.unit_response) == (FindingStatus.VERIFIED, "已修复链接")
    verbs = list(Event.objects.filter(object_type="assessment.finding", object_id=str(own.pk))
                 .order_by("seq").values_list("verb", flat=True))  # fmt: skip
    assert verbs == ["finding.created", "finding.rectifying", "finding.rectified",
                     "finding.rejected", "finding.rectified", "finding.verified"]  # fmt: skip


MOVES = {
    FindingStatus.RECTIFYING: lambda d, f: s.finding_start_rectifying(actor=d.operator, finding_id=f, response="整改"),
    FindingStatus.RECTIFIED: lambda d, f: s.finding_report_rectified(actor=d.operator, finding_id=f, response="完成"),
    FindingStatus.VERIFIED: lambda d, f: s.finding_verify(actor=d.office_admin, finding_id=f),
    FindingStatus.WITHDRAWN: lambda d, f: s.finding_withdraw(actor=d.office_admin, finding_id=f, note="误报"),
}  # fmt: skip
PATHS = {
    FindingStatus.OPEN: [],
    FindingStatus.RECTIFYING: [FindingStatus.RECTIFYING],
    FindingStatus.RECTIFIED: [FindingStatus.RECTIFIED],
    FindingStatus.VERIFIED: [FindingStatus.RECTIFIED, FindingStatus.VERIFIED],
    FindingStatus.WITHDRAWN: [FindingStatus.WITHDRAWN],
}


@pytest.mark.parametrize("state", list(PATHS))
@pytest.mark.parametrize("to", list(MOVES))
def test_every_move_of_a_finding_follows_the_table(
    district: District, plan: InspectionPlan, state: str, to: str
) -> None:
    finding = _finding(district, plan)
    for step in PATHS[state]:
        MOVES[step](district, finding.pk)
    if to in FINDING_TRANSITIONS[state]:
        MOVES[to](district, finding.pk)
        finding.refresh_from_db()
        assert finding.status == to
    else:
        with pytest.raises(InvalidTransition):
            MOVES[to](district, finding.pk)
        finding.refresh_from_db()
        assert finding.status == state


def test_findings_are_recorded_only_while_the_plan_is_in_progress_and_on_its_accounts(
    district: District, plan: InspectionPlan
) -> None:
    outside = AccountFactory(unit=district.dept01, handle="not_sampled", status="planned")
    with pytest.raises(ValidationFailed):
        _finding(district, plan, account=outside)
    s.inspection_plan_complete(actor=district.office_admin, plan_id=plan.pk)
    assert InspectionPlan.objects.get(pk=plan.pk).status == PlanStatus.COMPLETED
    with pytest.raises(InvalidTransition):
        _finding(district, plan)
    with pytest.raises(InvalidTransition):
        s.inspection_plan_start(actor=district.office_admin, plan_id=plan.pk)


def test_a_serious_wording_error_feeds_the_veto_and_the_finding_count(
    district: District, plan: InspectionPlan, after_quarter: None
) -> None:
    from tests.assessment.conftest import seed_quarter

    for account in (district.main_account, district.street01_account, district.street02_account):
        seed_quarter(account.pk, every=1)
    _finding(district, plan, code="wording")
    _finding(district, plan, code="wrong_words")
    withdrawn = _finding(district, plan, code="wording", account=district.street02_account)
    s.finding_withdraw(actor=district.office_admin, finding_id=withdrawn.pk, note="误报")
    run = run_create(actor=district.office_admin, quarter=QUARTER, scheme="four_dimensions")
    run_compute(run_id=run.pk)
    run.refresh_from_db()
    street01 = run.metrics[str(district.street01_account.pk)]
    assert (street01["inspection_findings"], street01["serious_wording_errors"]) == (2, 1)
    assert run.metrics[str(district.street02_account.pk)]["serious_wording_errors"] == 0
    row = run.account_rows.get(account=district.street01_account)
    assert row.vetoed and "serious_wording_error" in row.vetoes and row.total <= 59


def test_the_content_inspection_hook_records_a_finding_once_per_source(
    district: District, plan: InspectionPlan
) -> None:
    kwargs = {"source_ref": "moderation.contentfinding:12", "account_id": district.street01_account.pk,
              "item_code": "illegal", "description": "评论区链接指向违法内容",
              "found_on": date(2026, 6, 12)}  # fmt: skip
    first = s.finding_record_automated(**kwargs)  # type: ignore[arg-type]
    again = s.finding_record_automated(**kwargs)  # type: ignore[arg-type]
    assert first == again and first.plan is None and first.source == "content_inspection"
    assert Finding.objects.count() == 1


def test_the_checklist_is_edited_by_the_office_only(district: District) -> None:
    item = s.checklist_item_create(actor=district.office_admin, code="links", label="链接失效",
                                   metric="inspection_findings")  # fmt: skip
    s.checklist_item_update(actor=district.office_admin, item_id=item.pk, is_active=False)
    assert not ChecklistItem.objects.get(pk=item.pk).is_active
    with pytest.raises(NotAllowed):
        s.checklist_item_update(actor=district.operator, item_id=item.pk, label="改")


def test_a_unit_answers_a_finding_on_its_page(district: District, plan: InspectionPlan) -> None:
    finding = _finding(district, plan)
    client = Client()
    client.force_login(district.operator)
    page = client.get(reverse("assessment:finding", args=[finding.pk]))
    assert "已整改，请核验" in page.content.decode()
    client.post(reverse("assessment:finding_action", args=[finding.pk, "rectified"]),
                {"text": "已删除错误微博并重新发布"})  # fmt: skip
    finding.refresh_from_db()
    assert finding.status == FindingStatus.RECTIFIED
    neighbour = Client()
    neighbour.force_login(district.neighbour)
    assert neighbour.get(reverse("assessment:finding", args=[finding.pk])).status_code == 404
