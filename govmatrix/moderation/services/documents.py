"""The case's documents: the unit's written application (edited, then filed; every filed version
kept), the office returning it, and the office's escalation letter to the city propaganda
department with its recipients."""

from __future__ import annotations

import hashlib
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govmatrix.audit.services import event_record
from govmatrix.audit.workflow import transition
from govmatrix.core.errors import InvalidTransition, ValidationFailed
from govmatrix.core.types import Actor
from govmatrix.moderation import documents, rules
from govmatrix.moderation.models import CaseDocument, CaseState, DocumentKind, HarmCase
from govmatrix.moderation.selectors.documents import (
    application_draft,
    issuers,
    latest_document,
    letter_draft,
)
from govmatrix.moderation.services.cases import acting_user, locked_case
from govmatrix.moderation.services.notices import notify_case
from govmatrix.org.permissions import require, scope_for

REQUIRED = ("number", "title", "addressee", "body")


def _merged(
    current: dict[str, str], changes: dict[str, Any], names: tuple[str, ...]
) -> dict[str, str]:
    given = {k: v for k, v in changes.items() if k in names and v is not None}
    merged = {**current, **documents.clean_fields(given, tuple(given))}
    errors = {name: _("不能为空。") for name in REQUIRED if not merged.get(name)}
    if errors:
        raise ValidationFailed(errors)
    return merged


def _diff(before: dict[str, str], after: dict[str, str]) -> dict[str, list[str]]:
    return {k: [before.get(k, ""), v] for k, v in after.items() if before.get(k, "") != v}


def _store(
    case: HarmCase, kind: str, fields: dict[str, str], content: bytes, actor: Actor
) -> CaseDocument:
    version = case.documents.filter(kind=kind).count() + 1
    return CaseDocument.objects.create(
        case=case,
        kind=kind,
        version=version,
        number=fields["number"][:60],
        fields=fields,
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        created_by=acting_user(actor),
    )


# --- the written application (书面申请) -------------------------------------------------------
def _unit_side(actor: Actor, case: HarmCase) -> None:
    require(
        rules.can_file_application(scope_for(actor), case.unit_id),
        _("只有涉事单位的领导、运维人员（或管理办公室）可以提交书面申请。"),
    )
    if case.state != CaseState.FLAGGED:
        raise InvalidTransition(
            _("当前状态为「%(s)s」，书面申请不能再修改。") % {"s": case.get_state_display()}
        )


@transaction.atomic
def harm_case_application_update(*, actor: Actor, case_id: int, **fields: Any) -> dict[str, str]:
    """Save the application's words (before filing); the docx is generated from them."""
    acting_user(actor)
    case = locked_case(actor, case_id)
    _unit_side(actor, case)
    before = application_draft(case, actor=actor)
    after = _merged(before, fields, documents.APPLICATION_FIELDS)
    if changes := _diff(before, after):
        case.application_draft = after
        case.save(update_fields=["application_draft", "updated_at"])
        event_record(actor=actor, verb="harm_case.application_edited", obj=case,
                     unit_id=case.unit_id, data={"changes": changes})  # fmt: skip
    return after


@transaction.atomic
def harm_case_application_file(*, actor: Actor, case_id: int, **fields: Any) -> CaseDocument:
    """File the application: the docx is generated from the words as they stand and kept for
    good (every filed version is kept); the office is told at once."""
    acting_user(actor)
    case = locked_case(actor, case_id)
    _unit_side(actor, case)
    final = _merged(application_draft(case, actor=actor), fields, documents.APPLICATION_FIELDS)
    content = documents.application_docx(case, final, day=timezone.localdate())
    document = _store(case, DocumentKind.APPLICATION, final, content, actor)
    case.application_draft = final
    case.application_filed_at = timezone.now()
    transition(
        case, to=CaseState.APPLICATION_FILED, allowed=rules.CASE_TRANSITIONS, actor=actor,
        verb="harm_case.application_filed", unit_id=case.unit_id, field="state",
        also_update=["application_draft", "application_filed_at"],
        data={"account": case.account_id, "version": document.version, "number": document.number,
              "sha256": document.sha256},
    )  # fmt: skip
    transaction.on_commit(lambda: notify_case(case.pk, "harm_case.application_filed"))
    return document


@transaction.atomic
def harm_case_application_return(*, actor: Actor, case_id: int, note: str) -> HarmCase:
    """The office sends the application back to the unit to be changed and filed again."""
    acting_user(actor)
    case = locked_case(actor, case_id)
    require(rules.is_office(scope_for(actor)), _("只有管理办公室可以退回书面申请。"))
    if not note.strip():
        raise ValidationFailed({"note": _("请说明需要修改之处。")})
    transition(case, to=CaseState.FLAGGED, allowed=rules.CASE_TRANSITIONS, actor=actor,
               verb="harm_case.application_returned", unit_id=case.unit_id, field="state",
               note=note.strip()[:1000])  # fmt: skip
    transaction.on_commit(lambda: notify_case(case.pk, "harm_case.application_returned"))
    return case


# --- the escalation letter (报请函) -----------------------------------------------------------
def _office_side(actor: Actor, case: HarmCase) -> None:
    require(rules.is_office(scope_for(actor)), _("只有管理办公室可以报请市委宣传部。"))
    if case.state != CaseState.APPLICATION_FILED:
        raise InvalidTransition(
            _("当前状态为「%(s)s」：单位提交书面申请后才能报请。") % {"s": case.get_state_display()}
        )


@transaction.atomic
def harm_case_letter_update(*, actor: Actor, case_id: int, **fields: Any) -> dict[str, str]:
    acting_user(actor)
    case = locked_case(actor, case_id)
    _office_side(actor, case)
    before = letter_draft(case, actor=actor)
    after = _merged(before, fields, documents.LETTER_FIELDS)
    if changes := _diff(before, after):
        case.letter_draft = after
        case.save(update_fields=["letter_draft", "updated_at"])
        event_record(actor=actor, verb="harm_case.letter_edited", obj=case,
                     unit_id=case.unit_id, data={"changes": changes})  # fmt: skip
    return after


@transaction.atomic
def harm_case_escalate(*, actor: Actor, case_id: int, **fields: Any) -> CaseDocument:
    """The office escalates to the city propaganda department and the higher authorities: the
    letter is generated and kept, and its recipients are recorded on the case."""
    acting_user(actor)
    case = locked_case(actor, case_id)
    _office_side(actor, case)
    final = _merged(letter_draft(case, actor=actor), fields, documents.LETTER_FIELDS)
    recipients = documents.recipients_of(final)
    if not recipients:
        raise ValidationFailed({"addressee": _("请填写报请对象。")})
    application = latest_document(case, DocumentKind.APPLICATION)
    content = documents.letter_docx(
        case, final, issuers=issuers(), application=application, day=timezone.localdate()
    )
    document = _store(case, DocumentKind.LETTER, final, content, actor)
    case.letter_draft, case.recipients = final, recipients
    case.escalated_at = timezone.now()
    transition(
        case, to=CaseState.ESCALATED, allowed=rules.CASE_TRANSITIONS, actor=actor,
        verb="harm_case.escalated", unit_id=case.unit_id, field="state",
        also_update=["letter_draft", "recipients", "escalated_at"],
        data={"account": case.account_id, "recipients": recipients, "number": document.number,
              "sha256": document.sha256},
    )  # fmt: skip
    transaction.on_commit(lambda: notify_case(case.pk, "harm_case.escalated"))
    return document
