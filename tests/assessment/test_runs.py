"""The quarterly run's workflow: every allowed and every refused move, freezing, failures."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import timedelta
from typing import Any

import pytest
from django.db import DatabaseError, transaction
from django.utils import timezone

from govmatrix.assessment.models import AssessmentRun, RunAccountResult, RunStatus
from govmatrix.assessment.providers import (
    MetricContext,
    MetricProvider,
    Value,
    register_provider,
    unregister_provider,
)
from govmatrix.assessment.rules import RUN_TRANSITIONS
from govmatrix.assessment.selectors.runs import previous_run, rank_changes
from govmatrix.assessment.services.notices import run_notice_update
from govmatrix.assessment.services.runs import (
    run_compute,
    run_create,
    run_discard,
    run_freeze,
    run_publish,
    run_recompute,
    run_sweep,
)
from govmatrix.audit.models import Event
from govmatrix.core.errors import InvalidTransition, NotAllowed, ValidationFailed
from govmatrix.notifications.models import Notification
from tests.assessment.conftest import inspect_all, seed_quarter
from tests.conftest import District

S = RunStatus
ACTIONS: dict[str, tuple[Callable[..., Any], str]] = {
    "freeze": (run_freeze, S.FROZEN),
    "publish": (run_publish, S.PUBLISHED),
    "recompute": (run_recompute, S.QUEUED),
    "discard": (run_discard, S.DISCARDED),
}


class Broken(MetricProvider):
    key = "broken"
    metrics = frozenset({"harm_cases"})

    def compute(self, ctx: MetricContext) -> Mapping[int, Mapping[str, Value]]:
        raise RuntimeError("来源数据库不可用")


def _run_in(district: District, state: str, quarter: str = "2026Q2") -> AssessmentRun:
    actor = district.office_admin
    run = run_create(actor=actor, quarter=quarter, scheme="four_dimensions")
    if state == S.QUEUED:
        return run
    if state == S.DISCARDED:
        return run_discard(actor=actor, run_id=run.pk)
    if state == S.FAILED:
        register_provider(Broken())
        try:
            run_compute(run_id=run.pk)
        finally:
            unregister_provider("broken")
    elif state == S.COMPUTING:
        AssessmentRun.objects.filter(pk=run.pk).update(status=S.COMPUTING)
    else:
        run_compute(run_id=run.pk)
    if state in (S.FROZEN, S.PUBLISHED):
        run_freeze(actor=actor, run_id=run.pk)
    if state == S.PUBLISHED:
        run_publish(actor=actor, run_id=run.pk)
    run.refresh_from_db()
    assert run.status == state, run.error
    return run


STATES = [S.QUEUED, S.COMPUTING, S.COMPUTED, S.FAILED, S.FROZEN, S.PUBLISHED, S.DISCARDED]
CASES = [(state, action) for state in STATES for action in ACTIONS]


@pytest.mark.parametrize(("state", "action"), CASES)
def test_every_move_of_a_run_is_allowed_or_refused_by_the_table(
    quarter_data: District, after_quarter: None, state: str, action: str
) -> None:
    run = _run_in(quarter_data, state)
    service, target = ACTIONS[action]
    allowed = target in RUN_TRANSITIONS[state] and state != S.COMPUTING
    events = Event.objects.count()
    if allowed:
        service(actor=quarter_data.office_admin, run_id=run.pk)
        run.refresh_from_db()
        # recompute queues the run; the (immediate) worker computes it again after commit
        assert run.status == target
        assert Event.objects.filter(object_id=str(run.pk), to_state=target).exists()
    else:
        with pytest.raises(InvalidTransition):
            service(actor=quarter_data.office_admin, run_id=run.pk)
        run.refresh_from_db()
        assert run.status == state
        assert Event.objects.count() == events


def test_a_computed_run_holds_scores_ranks_and_the_result_snapshot(
    quarter_data: District, computed_run: AssessmentRun
) -> None:
    run = computed_run
    assert run.account_count == 3 and run.scored_count == 3
    rows = list(RunAccountResult.objects.filter(run=run).order_by("position"))
    assert rows[0].account_id == quarter_data.main_account.pk
    assert [r.rank for r in rows] == [1, 2, 3]
    assert run.result["scheme"]["hash"] == run.scheme_version.content_hash
    assert run.metrics[str(quarter_data.main_account.pk)]["followers"] == 50000
    assert "messages_received" not in run.metrics[str(quarter_data.main_account.pk)]  # no data
    assert (
        Notification.objects.filter(verb="assessment_run.computed").exists() is False
    )  # on commit


def test_a_frozen_run_cannot_be_changed_even_in_the_database(
    quarter_data: District, computed_run: AssessmentRun
) -> None:
    run = run_freeze(actor=quarter_data.office_admin, run_id=computed_run.pk)
    for change in (
        lambda: AssessmentRun.objects.filter(pk=run.pk).update(result={"forged": True}),
        lambda: AssessmentRun.objects.filter(pk=run.pk).update(status=S.COMPUTED),
        lambda: AssessmentRun.objects.filter(pk=run.pk).update(scheme_name="other"),
        lambda: RunAccountResult.objects.filter(run=run).update(total=100.0),
    ):
        with pytest.raises(DatabaseError), transaction.atomic():
            change()
    run.refresh_from_db()
    assert run.status == S.FROZEN and "forged" not in run.result
    # the notice's words may still be edited until it is published
    run_notice_update(actor=quarter_data.office_admin, run_id=run.pk, summary="改写的总体情况")
    run_publish(actor=quarter_data.office_admin, run_id=run.pk)
    with pytest.raises(DatabaseError), transaction.atomic():
        AssessmentRun.objects.filter(pk=run.pk).update(published_at=timezone.now())
    with pytest.raises(InvalidTransition):
        run_notice_update(actor=quarter_data.office_admin, run_id=run.pk, summary="再改")


def test_publishing_tells_each_unit_whose_accounts_were_assessed(
    quarter_data: District, computed_run: AssessmentRun, django_capture_on_commit_callbacks: Any
) -> None:
    run_freeze(actor=quarter_data.office_admin, run_id=computed_run.pk)
    with django_capture_on_commit_callbacks(execute=True):
        run_publish(actor=quarter_data.office_admin, run_id=computed_run.pk)
    told = set(Notification.objects.filter(verb="assessment_run.published")
               .values_list("recipient__username", flat=True))  # fmt: skip
    assert {"operator", "leader", "charge", "neighbour"} <= told
    assert "office_admin" not in told


def test_a_failing_source_fails_the_run_with_its_message_and_it_can_be_computed_again(
    quarter_data: District, after_quarter: None
) -> None:
    run = _run_in(quarter_data, S.FAILED)
    assert "broken" in run.error and "来源数据库不可用" in run.error
    run_recompute(actor=quarter_data.office_admin, run_id=run.pk)
    run_compute(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == S.COMPUTED


def test_the_sweeper_requeues_a_run_whose_worker_died(
    quarter_data: District, after_quarter: None
) -> None:
    run = _run_in(quarter_data, S.COMPUTING)
    AssessmentRun.objects.filter(pk=run.pk).update(
        lease_until=timezone.now() - timedelta(minutes=1)
    )
    assert run_sweep() == 1
    run.refresh_from_db()
    assert run.status == S.COMPUTED  # requeued, then computed by the (immediate) worker


@pytest.mark.parametrize(
    ("quarter", "scheme", "field"),
    [("2026q2", "four_dimensions", "quarter"), ("2026Q4", "four_dimensions", "quarter"),
     ("2026Q2", "no_such_scheme", "scheme")],
)  # fmt: skip
def test_a_run_of_a_bad_quarter_or_scheme_is_refused_and_nothing_is_made(
    quarter_data: District, after_quarter: None, quarter: str, scheme: str, field: str
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        run_create(actor=quarter_data.office_admin, quarter=quarter, scheme=scheme)
    assert field in refused.value.errors
    assert not AssessmentRun.objects.exists()


def test_a_second_run_of_the_same_quarter_and_scheme_is_refused(
    quarter_data: District, computed_run: AssessmentRun
) -> None:
    with pytest.raises(InvalidTransition):
        run_create(actor=quarter_data.office_admin, quarter="2026Q2", scheme="four_dimensions")
    other = run_create(actor=quarter_data.office_admin, quarter="2026Q2", scheme="gsdata_bci")
    assert other.status == S.QUEUED


@pytest.mark.parametrize("user", ["office_inspector", "leader", "operator", "outsider"])
def test_only_the_office_runs_an_assessment(
    quarter_data: District, after_quarter: None, user: str
) -> None:
    with pytest.raises(NotAllowed):
        run_create(actor=getattr(quarter_data, user), quarter="2026Q2", scheme="four_dimensions")
    assert not AssessmentRun.objects.exists()


def test_rank_changes_compare_with_the_previous_quarters_final_run(
    quarter_data: District, after_quarter: None
) -> None:
    d = quarter_data
    seed_quarter(d.street02_account.pk, every=1, followers=90000, reposts=50, replies=9,
                 start=timezone.datetime(2026, 1, 1).date(),
                 end=timezone.datetime(2026, 3, 31).date())  # fmt: skip
    inspect_all(d, "2026Q1", timezone.datetime(2026, 3, 20).date())
    old = run_create(actor=d.office_admin, quarter="2026Q1", scheme="four_dimensions")
    run_compute(run_id=old.pk)
    run_freeze(actor=d.office_admin, run_id=old.pk)
    new = _run_in(d, S.COMPUTED)
    assert previous_run(new) == old
    changes = rank_changes(new, old)
    assert changes[d.street02_account.pk] == 1 - 3  # first in Q1 (the only one), third in Q2
