"""Every move of a case and of an inspection finding: the whole table walked through the real
services, each allowed move made and each refused one leaving everything as it was."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from govmatrix.audit.models import Event
from govmatrix.core.errors import DomainError, InvalidTransition, NotAllowed, NotFound
from govmatrix.moderation import rules, services
from govmatrix.moderation.models import CaseDocument, CaseState, HarmCase
from tests.moderation.conftest import Board, escalated, filed, reload

STATES = list(CaseState.values)
PAIRS = [(a, b) for a in STATES for b in STATES if a != b]


def _in_state(board: Board, state: str) -> HarmCase:
    if state == CaseState.FLAGGED:
        return board.flag()
    if state == CaseState.APPLICATION_FILED:
        return filed(board)
    if state == CaseState.ESCALATED:
        return escalated(board)
    case = board.flag()
    services.harm_case_close(
        actor=board.district.office_admin, case_id=case.pk, outcome="retained", note="不构成"
    )
    return reload(case)


def _mover(board: Board, to: str) -> Callable[[HarmCase], Any]:
    office, operator = board.district.office_admin, board.district.operator
    return {
        CaseState.FLAGGED: lambda c: services.harm_case_application_return(
            actor=office, case_id=c.pk, note="请补充理由"
        ),
        CaseState.APPLICATION_FILED: lambda c: services.harm_case_application_file(
            actor=operator, case_id=c.pk
        ),
        CaseState.ESCALATED: lambda c: services.harm_case_escalate(actor=office, case_id=c.pk),
        CaseState.CLOSED: lambda c: services.harm_case_close(
            actor=office, case_id=c.pk, outcome="rejected", note="市委宣传部未予支持"
        ),
    }[to]


def test_the_table_knows_every_state_and_only_those() -> None:
    assert set(rules.CASE_TRANSITIONS) == set(STATES)
    assert all(targets <= set(STATES) for targets in rules.CASE_TRANSITIONS.values())
    assert rules.CASE_TRANSITIONS[CaseState.CLOSED] == set()


@pytest.mark.parametrize(("start", "end"), PAIRS)
def test_each_move_of_a_case_is_made_or_refused_as_the_table_says(
    board: Board, start: str, end: str
) -> None:
    case = _in_state(board, start)
    events = Event.objects.count()
    documents = CaseDocument.objects.count()
    move = _mover(board, end)
    if end in rules.CASE_TRANSITIONS[start]:
        move(case)
        assert reload(case).state == end
        event = Event.objects.filter(object_id=str(case.pk), to_state=end).latest("seq")
        assert event.from_state == start
    else:
        with pytest.raises(InvalidTransition):
            move(case)
        assert reload(case).state == start
        assert Event.objects.count() == events
        assert CaseDocument.objects.count() == documents


@pytest.mark.parametrize("outcome", ["deleted", "hidden"])
def test_a_comment_is_only_removed_on_the_units_application(board: Board, outcome: str) -> None:
    case = board.flag()
    with pytest.raises(InvalidTransition):
        services.harm_case_close(
            actor=board.district.office_admin, case_id=case.pk, outcome=outcome
        )
    assert reload(case).state == CaseState.FLAGGED
    case = filed(board, case)
    services.harm_case_close(actor=board.district.office_admin, case_id=case.pk, outcome=outcome)
    case = reload(case)
    assert (case.state, case.outcome) == (CaseState.CLOSED, outcome)
    assert case.closed_by == board.district.office_admin and case.closed_at is not None


def test_keeping_a_comment_or_a_refused_request_needs_a_note(board: Board) -> None:
    case = board.flag()
    with pytest.raises(DomainError, match="理由"):
        services.harm_case_close(
            actor=board.district.office_admin, case_id=case.pk, outcome="retained"
        )
    assert reload(case).state == CaseState.FLAGGED


def test_every_step_is_timed(board: Board) -> None:
    case = escalated(board)
    services.harm_case_close(actor=board.district.office_admin, case_id=case.pk, outcome="deleted")
    case = reload(case)
    times = [case.flagged_at, case.reported_at, case.application_filed_at, case.escalated_at,
             case.closed_at]  # fmt: skip
    assert all(times) and times == sorted(times)
    verbs = list(Event.objects.filter(object_id=str(case.pk), object_type="moderation.harmcase")
                 .order_by("seq").values_list("verb", flat=True))  # fmt: skip
    assert verbs == ["harm_case.flagged", "harm_case.reported", "harm_case.application_filed",
                     "harm_case.escalated", "harm_case.closed"]  # fmt: skip


@pytest.mark.parametrize(
    ("who", "error"),
    [("office_inspector", NotAllowed), ("inspector", NotAllowed), ("neighbour", NotFound),
     ("outsider", NotFound)],
)  # fmt: skip
def test_people_outside_the_unit_or_read_only_cannot_file_the_application(
    board: Board, who: str, error: type[Exception]
) -> None:
    case = board.flag()
    with pytest.raises(error):
        services.harm_case_application_file(actor=getattr(board.district, who), case_id=case.pk)
    assert reload(case).state == CaseState.FLAGGED


@pytest.mark.parametrize("who", ["operator", "leader", "office_inspector"])
def test_only_the_office_escalates_records_outcomes_and_returns_applications(
    board: Board, who: str
) -> None:
    case = filed(board)
    actor = getattr(board.district, who)
    for call in (
        lambda: services.harm_case_escalate(actor=actor, case_id=case.pk),
        lambda: services.harm_case_close(actor=actor, case_id=case.pk, outcome="hidden"),
        lambda: services.harm_case_application_return(actor=actor, case_id=case.pk, note="x"),
        lambda: services.harm_case_action_run(actor=actor, case_id=case.pk, action="hide"),
    ):
        with pytest.raises(NotAllowed):
            call()
    assert reload(case).state == CaseState.APPLICATION_FILED


def test_the_leader_may_file_for_the_unit_and_the_office_for_any_unit(board: Board) -> None:
    case = board.flag()
    services.harm_case_application_file(actor=board.district.leader, case_id=case.pk)
    assert reload(case).state == CaseState.APPLICATION_FILED
    other = board.flag("狗官全是骗子，滚出去")
    services.harm_case_application_file(actor=board.district.office_admin, case_id=other.pk)
    assert reload(other).state == CaseState.APPLICATION_FILED
