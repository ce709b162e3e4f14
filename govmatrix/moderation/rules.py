"""Who may do what in moderation, and the allowed moves of its two workflow objects.

Decisions (see README.md beside this file):

* a comment is flagged by the screening (the worker) or by a person: the office, or a unit
  editor (leader or operator) of the unit whose account received it;
* the unit involved files the written application (its leaders and operators; the office may
  file for it); everything after that — returning an application, escalating to the city,
  running an action on the platform, recording the outcome — is the office's;
* inspection findings are answered by the inspected unit's editors and verified, sent back or
  dismissed by the office; the office runs the inspection and keeps the typo list and the
  lexicon;
* the office's inspectors see everything and change nothing; a unit's people see their unit's.
"""

from __future__ import annotations

from govmatrix.moderation.models import CaseOutcome, CaseState, FindingStatus
from govmatrix.org.permissions import UNIT_EDITOR_ROLES, Scope
from govmatrix.platforms.base import Capability, ModerationAction

C = CaseState
CASE_TRANSITIONS: dict[str, set[str]] = {
    C.FLAGGED: {C.APPLICATION_FILED, C.CLOSED},
    C.APPLICATION_FILED: {C.FLAGGED, C.ESCALATED, C.CLOSED},  # → flagged: returned to the unit
    C.ESCALATED: {C.CLOSED},
    C.CLOSED: set(),
}

# The outcomes that may close a case from each state. Before the unit's application the office
# can only find that there is nothing to act on; a comment is removed only on an application.
OC = CaseOutcome
OUTCOMES_FROM: dict[str, set[str]] = {
    C.FLAGGED: {OC.RETAINED, OC.REJECTED},
    C.APPLICATION_FILED: {OC.DELETED, OC.HIDDEN, OC.RETAINED, OC.REJECTED},
    C.ESCALATED: {OC.DELETED, OC.HIDDEN, OC.RETAINED, OC.REJECTED},
    C.CLOSED: set(),
}

F = FindingStatus
FINDING_TRANSITIONS: dict[str, set[str]] = {
    F.OPEN: {F.RECTIFIED, F.DISMISSED, F.CLEARED},
    F.RECTIFIED: {F.VERIFIED, F.OPEN, F.DISMISSED},  # → open: the office finds it not done
    F.VERIFIED: set(),
    F.DISMISSED: set(),
    F.CLEARED: set(),
}

# What each moderation action needs the platform to declare.
ACTION_CAPABILITY: dict[str, Capability] = {
    ModerationAction.DELETE: Capability.DELETE_COMMENT,
    ModerationAction.HIDE: Capability.HIDE_COMMENT,
    ModerationAction.REPORT: Capability.REPORT,
    ModerationAction.BLOCK_AUTHOR: Capability.BLOCK_AUTHOR,
}
# What the connector may do instead when the platform cannot do what was asked: never more
# than was approved (hiding instead of deleting, reporting instead of either).
ACTION_FALLBACK: dict[str, list[str]] = {
    ModerationAction.DELETE: [ModerationAction.HIDE, ModerationAction.REPORT],
    ModerationAction.HIDE: [ModerationAction.REPORT],
    ModerationAction.REPORT: [],
    ModerationAction.BLOCK_AUTHOR: [],
}


def is_office(scope: Scope) -> bool:
    return scope.is_office_admin


def is_unit_editor(scope: Scope, unit_id: int | None) -> bool:
    return scope.has_role(unit_id, UNIT_EDITOR_ROLES)


def can_flag(scope: Scope, unit_ids: set[int | None]) -> bool:
    """The office, or an editor of a unit the comment concerns (its account's, its router's)."""
    return scope.is_office_admin or any(is_unit_editor(scope, u) for u in unit_ids)


def can_file_application(scope: Scope, unit_id: int) -> bool:
    return scope.is_office_admin or is_unit_editor(scope, unit_id)


def can_answer_finding(scope: Scope, unit_id: int) -> bool:
    return is_unit_editor(scope, unit_id)


def may_see_moderation(scope: Scope) -> bool:
    return scope.user_id is not None and (scope.sees_all or bool(scope.roles))
