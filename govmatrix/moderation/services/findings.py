"""Rectifying inspection findings: the unit reports what it did, the office verifies it, sends it
back, or dismisses a finding that was wrong. Where the finding counts in the assessment, the
linked assessment finding is moved the same way in the same transaction (when its own state
allows the move: someone may have answered it on the assessment's page already)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govmatrix.audit.workflow import transition
from govmatrix.core.errors import InvalidTransition, NotFound, ValidationFailed
from govmatrix.core.types import Actor
from govmatrix.moderation import rules
from govmatrix.moderation.models import ContentFinding, FindingRule, FindingStatus
from govmatrix.moderation.services.cases import acting_user
from govmatrix.org.permissions import require, scope_for


def _locked(actor: Actor, finding_id: int) -> ContentFinding:
    finding = ContentFinding.objects.select_for_update().filter(pk=finding_id).first()
    if finding is None or not scope_for(actor).can_view_unit(finding.unit_id):
        raise NotFound(_("巡检发现不存在。"))
    return finding


def _sync_assessment(finding: ContentFinding, wanted: str, call: Callable[[int], Any]) -> None:
    """Move the linked assessment finding to `wanted` if its table allows it from where it is."""
    if finding.assessment_finding_id is None:
        return
    from govmatrix.assessment.models import Finding
    from govmatrix.assessment.rules import FINDING_TRANSITIONS

    current = (
        Finding.objects.filter(pk=finding.assessment_finding_id)
        .values_list("status", flat=True)
        .first()
    )
    if current is not None and wanted in FINDING_TRANSITIONS.get(current, set()):
        call(finding.assessment_finding_id)


def _move(
    actor: Actor, finding: ContentFinding, to: str, verb: str, note: str, also: list[str]
) -> ContentFinding:
    transition(finding, to=to, allowed=rules.FINDING_TRANSITIONS, actor=actor, verb=verb,
               unit_id=finding.unit_id, field="status", also_update=also,
               note=note[:1000], data={"account": finding.account_id, "rule": finding.rule})  # fmt: skip
    return finding


@transaction.atomic
def content_finding_report_rectified(
    *, actor: Actor, finding_id: int, response: str
) -> ContentFinding:
    from govmatrix.assessment.services.inspections import finding_report_rectified

    user = acting_user(actor)
    finding = _locked(actor, finding_id)
    require(
        rules.can_answer_finding(scope_for(actor), finding.unit_id),
        _("只有被检查单位可以答复整改。"),
    )
    if finding.rule == FindingRule.DORMANT_WARNING:
        raise InvalidTransition(_("这是提醒：账号恢复发布后会自动消除。"))
    if not response.strip():
        raise ValidationFailed({"response": _("请填写整改情况。")})
    finding.response, finding.responded_at, finding.responded_by = (
        response.strip(),
        timezone.now(),
        user,
    )
    _move(actor, finding, FindingStatus.RECTIFIED, "content_finding.rectified", finding.response,
          ["response", "responded_at", "responded_by"])  # fmt: skip
    _sync_assessment(finding, "rectified", lambda pk: finding_report_rectified(
        actor=actor, finding_id=pk, response=finding.response))  # fmt: skip
    return finding


def _office_move(actor: Actor, finding_id: int, to: str, verb: str, note: str) -> ContentFinding:
    user = acting_user(actor)
    finding = _locked(actor, finding_id)
    require(rules.is_office(scope_for(actor)), _("只有管理办公室可以核验整改。"))
    finding.review_note, finding.reviewed_at, finding.reviewed_by = (
        note.strip(),
        timezone.now(),
        user,
    )
    return _move(actor, finding, to, verb, finding.review_note,
                 ["review_note", "reviewed_at", "reviewed_by"])  # fmt: skip


@transaction.atomic
def content_finding_verify(*, actor: Actor, finding_id: int, note: str = "") -> ContentFinding:
    from govmatrix.assessment.services.inspections import finding_verify

    finding = _office_move(
        actor, finding_id, FindingStatus.VERIFIED, "content_finding.verified", note
    )
    _sync_assessment(
        finding, "verified", lambda pk: finding_verify(actor=actor, finding_id=pk, note=note)
    )
    return finding


@transaction.atomic
def content_finding_reject(*, actor: Actor, finding_id: int, note: str) -> ContentFinding:
    from govmatrix.assessment.services.inspections import finding_reject

    if not note.strip():
        raise ValidationFailed({"note": _("请说明整改不到位之处。")})
    finding = _office_move(actor, finding_id, FindingStatus.OPEN, "content_finding.rejected", note)
    _sync_assessment(
        finding, "rectifying", lambda pk: finding_reject(actor=actor, finding_id=pk, note=note)
    )
    return finding


@transaction.atomic
def content_finding_dismiss(*, actor: Actor, finding_id: int, note: str) -> ContentFinding:
    """The office withdraws a finding that was wrong (the assessment's one is withdrawn too)."""
    from govmatrix.assessment.services.inspections import finding_withdraw

    if not note.strip():
        raise ValidationFailed({"note": _("请说明撤销原因。")})
    finding = _office_move(
        actor, finding_id, FindingStatus.DISMISSED, "content_finding.dismissed", note
    )
    _sync_assessment(
        finding, "withdrawn", lambda pk: finding_withdraw(actor=actor, finding_id=pk, note=note)
    )
    return finding
