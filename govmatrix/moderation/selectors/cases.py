"""Reads of harmful-comment cases, already scoped to what the user may see."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from govmatrix.audit.models import Event
from govmatrix.audit.selectors import event_history_of
from govmatrix.core.errors import NotFound
from govmatrix.core.types import Actor
from govmatrix.moderation import evidence
from govmatrix.moderation.models import (
    OPEN_CASE_STATES,
    ActionState,
    CaseAction,
    CaseDocument,
    CaseState,
    HarmCase,
)
from govmatrix.org.permissions import UNIT_EDITOR_ROLES, scope_for


@dataclass(frozen=True)
class CaseFilter:
    state: str = ""  # a state, or "open"
    unit_id: int | None = None
    account_id: int | None = None
    category: str = ""
    source: str = ""
    outcome: str = ""
    q: str = ""
    flagged_from: datetime | None = None
    flagged_until: datetime | None = None


def visible_cases(user: Actor) -> QuerySet[HarmCase]:
    rows = HarmCase.objects.select_related("account", "unit", "flagged_by")
    visible = scope_for(user).visible_unit_ids
    if visible is None:
        return rows
    return rows.filter(unit_id__in=visible)


def case_list(*, user: Actor, filters: CaseFilter | None = None) -> QuerySet[HarmCase]:
    f = filters or CaseFilter()
    rows = visible_cases(user)
    if f.state == "open":
        rows = rows.filter(state__in=list(OPEN_CASE_STATES))
    elif f.state:
        rows = rows.filter(state=f.state)
    if f.unit_id:
        rows = rows.filter(unit_id=f.unit_id)
    if f.account_id:
        rows = rows.filter(account_id=f.account_id)
    if f.category:
        rows = rows.filter(category=f.category)
    if f.source:
        rows = rows.filter(flag_source=f.source)
    if f.outcome:
        rows = rows.filter(outcome=f.outcome)
    if f.flagged_from:
        rows = rows.filter(flagged_at__gte=f.flagged_from)
    if f.flagged_until:
        rows = rows.filter(flagged_at__lt=f.flagged_until)
    if q := f.q.strip():
        condition = (
            Q(comment_text__icontains=q) | Q(author_name__icontains=q) | Q(reason__icontains=q)
        )
        if q.isdigit():
            condition |= Q(pk=int(q))
        rows = rows.filter(condition)
    return rows.order_by("-flagged_at", "-id")


def case_get(*, user: Actor, case_id: int) -> HarmCase:
    case = visible_cases(user).filter(pk=case_id).first()
    if case is None:
        raise NotFound(_("案件不存在。"))
    return case


def case_for_message(*, user: Actor, message_id: int) -> HarmCase | None:
    return visible_cases(user).filter(source_message_id=message_id).first()


def case_documents(case: HarmCase) -> QuerySet[CaseDocument]:
    return case.documents.order_by("kind", "-version").defer("content")


def case_actions(case: HarmCase) -> QuerySet[CaseAction]:
    return case.actions.select_related("approved_by").order_by("approved_at", "id")


def pending_action(case: HarmCase) -> CaseAction | None:
    return case.actions.filter(state=ActionState.PENDING).first()


def case_history(case: HarmCase) -> QuerySet[Event]:
    return event_history_of(case)


def evidence_check(case: HarmCase) -> evidence.Check:
    columns = evidence.Evidence(
        platform=case.platform,
        comment_id=case.comment_id,
        account=_frozen_account(case),
        post_id=case.post_id,
        author_id=case.author_id,
        author_name=case.author_name,
        text=case.comment_text,
        url=case.comment_url,
        time=case.comment_at,
        flagged_at=case.flagged_at,
    )
    return evidence.verify(
        canonical=case.evidence_canonical, stored_hash=case.evidence_sha256, columns=columns
    )


def _frozen_account(case: HarmCase) -> str:
    """The account's handle as frozen (a handle renamed later must not break the check)."""
    try:
        return str(json.loads(case.evidence_canonical).get("account", ""))
    except ValueError:
        return ""


# --- what needs whom ---------------------------------------------------------------------------
def cases_new_for_office(*, user: Actor) -> QuerySet[HarmCase]:
    """Reported cases the office has not acted on yet (no application filed)."""
    return visible_cases(user).filter(state=CaseState.FLAGGED)


def cases_to_escalate(*, user: Actor) -> QuerySet[HarmCase]:
    return visible_cases(user).filter(state=CaseState.APPLICATION_FILED)


def cases_awaiting_outcome(*, user: Actor) -> QuerySet[HarmCase]:
    return visible_cases(user).filter(state=CaseState.ESCALATED)


def applications_to_file(*, user: Actor) -> QuerySet[HarmCase]:
    """Cases of the user's own units waiting for their written application."""
    scope = scope_for(user)
    units = [unit for unit, role in scope.roles if role in UNIT_EDITOR_ROLES]
    return HarmCase.objects.filter(state=CaseState.FLAGGED, unit_id__in=units)
