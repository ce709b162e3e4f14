"""Who may do what in the assessment, and the allowed moves of each workflow object.

Decision (documented in docs/assessment-metrics.md): the office (office admins) runs, freezes
and publishes assessments, edits schemes and checklists and records findings; the office's
inspectors see everything and change nothing. A unit's people see a run only once it is
published, and then only their own accounts and unit (score, rank among all, veto items, the
rows behind each score) plus the published notice, which is circulated to every unit anyway.
Units see their own inspection findings as soon as they are recorded, and answer them.
"""

from __future__ import annotations

from govmatrix.assessment.models import FindingStatus, PlanStatus, RunStatus
from govmatrix.org.permissions import UNIT_EDITOR_ROLES, Scope

R = RunStatus
RUN_TRANSITIONS: dict[str, set[str]] = {
    R.QUEUED: {R.COMPUTING, R.DISCARDED},
    R.COMPUTING: {R.COMPUTED, R.FAILED, R.QUEUED},  # → queued: the sweeper, after a dead worker
    R.COMPUTED: {R.QUEUED, R.FROZEN, R.DISCARDED},  # → queued: compute again with newer data
    R.FAILED: {R.QUEUED, R.DISCARDED},
    R.FROZEN: {R.PUBLISHED},
    R.PUBLISHED: set(),
    R.DISCARDED: set(),
}

P = PlanStatus
PLAN_TRANSITIONS: dict[str, set[str]] = {
    P.PLANNED: {P.IN_PROGRESS, P.CANCELLED},
    P.IN_PROGRESS: {P.COMPLETED},
    P.COMPLETED: set(),
    P.CANCELLED: set(),
}

F = FindingStatus
FINDING_TRANSITIONS: dict[str, set[str]] = {
    F.OPEN: {F.RECTIFYING, F.RECTIFIED, F.WITHDRAWN},
    F.RECTIFYING: {F.RECTIFIED, F.WITHDRAWN},
    F.RECTIFIED: {F.VERIFIED, F.RECTIFYING},  # → rectifying: the office finds it not done
    F.VERIFIED: set(),
    F.WITHDRAWN: set(),
}
OPEN_FINDING_STATUSES = (F.OPEN, F.RECTIFYING)


def can_manage(scope: Scope) -> bool:
    """Runs, schemes, checklists, plans and findings belong to the office."""
    return scope.is_office_admin


def can_view_run(scope: Scope, status: str) -> bool:
    if scope.sees_all:
        return True
    return status == RunStatus.PUBLISHED and bool(scope.unit_ids)


def can_answer_finding(scope: Scope, unit_id: int) -> bool:
    return scope.has_role(unit_id, UNIT_EDITOR_ROLES)
