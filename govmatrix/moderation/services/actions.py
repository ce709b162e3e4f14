"""Running an action on the comment through the platform's connector, after the office approved
it, and recording what the platform really did.

The action goes through the outbox (`kind="moderate"`), so it is retried, never doubled and
recorded like every platform call. What comes back is the connector's `ModerationResult`: the
local platform hides or deletes; Weibo can only delete a comment under the account's own post;
Mastodon can only report (or block the author). The case keeps the requested action, the
fallbacks it allowed, and the action the platform applied — or why none was.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govmatrix.audit.context import current_ip
from govmatrix.audit.services import event_record
from govmatrix.core.errors import InvalidTransition, ValidationFailed
from govmatrix.core.types import Actor
from govmatrix.moderation import rules
from govmatrix.moderation.models import ActionState, CaseAction, CaseState, HarmCase
from govmatrix.moderation.services.cases import acting_user, locked_case
from govmatrix.moderation.services.notices import notify_case
from govmatrix.org.permissions import require, scope_for
from govmatrix.platforms.base import Capability
from govmatrix.platforms.models import OutboxKind, OutboxOperation
from govmatrix.platforms.registry import platform_capabilities
from govmatrix.platforms.services import OutcomeHandler, outbox_enqueue

SUBJECT_TYPE = "moderation.caseaction"
ACTIONABLE = (CaseState.APPLICATION_FILED, CaseState.ESCALATED)


def plan(action: str, capabilities: frozenset[Capability]) -> list[str] | None:
    """[action, *fallbacks] the platform can try, or None when it can do none of them."""
    chain = [action, *rules.ACTION_FALLBACK.get(action, [])]
    possible = [a for a in chain if rules.ACTION_CAPABILITY[a] in capabilities]
    return possible or None


def available_actions(case: HarmCase) -> dict[str, list[str]]:
    """{action: what the platform would do, in order} for each action the office may request."""
    capabilities = platform_capabilities(case.platform)
    offered: dict[str, list[str]] = {}
    for action in rules.ACTION_CAPABILITY:
        if (steps := plan(action, capabilities)) is not None:
            offered[action] = steps
    return offered


@transaction.atomic
def harm_case_action_run(
    *, actor: Actor, case_id: int, action: str, reason: str = ""
) -> CaseAction:
    """The office approves an action and runs it through the connector (on commit)."""
    user = acting_user(actor)
    case = locked_case(actor, case_id)
    require(rules.is_office(scope_for(actor)), _("只有管理办公室可以批准并执行平台处置。"))
    if case.state not in ACTIONABLE:
        raise InvalidTransition(
            _("当前状态为「%(s)s」：单位提交书面申请后、办结之前才能执行平台处置。")
            % {"s": case.get_state_display()}
        )
    if action not in rules.ACTION_CAPABILITY:
        raise ValidationFailed({"action": _("请选择处置方式。")})
    steps = plan(action, platform_capabilities(case.platform))
    if steps is None:
        raise InvalidTransition(_("该平台不支持此处置方式，请在平台上手工处理后登记结果。"))
    if CaseAction.objects.filter(case=case, state=ActionState.PENDING).exists():
        raise InvalidTransition(_("上一次平台处置尚未完成。"))
    row = CaseAction.objects.create(
        case=case,
        requested=steps[0],
        fallback=steps[1:],
        reason=reason.strip()[:500] or case.reason[:500],
        approved_by=user,
        approved_at=timezone.now(),
    )
    operation = outbox_enqueue(
        account=case.account,
        kind=OutboxKind.MODERATE,
        payload={
            "interaction_id": case.comment_id,
            "action": steps[0],
            "reason": row.reason,
            "fallback": steps[1:],
        },
        idempotency_key=f"moderation:case:{case.pk}:action:{row.pk}",
        subject=row,
        operator=actor,
        operator_ip=current_ip.get(),
    )
    row.operation_id = operation.pk
    row.save(update_fields=["operation_id"])
    event_record(
        actor=actor,
        verb="harm_case.action_requested",
        obj=case,
        unit_id=case.unit_id,
        note=row.reason,
        data={
            "account": case.account_id,
            "action": action,
            "steps": steps,
            "operation": operation.pk,
        },
    )
    return row


def _finish(operation: OutboxOperation, *, state: str, applied: str, ref: str, note: str) -> None:
    """Inside the outbox's transaction: record what the platform did on the action and case."""
    row = (
        CaseAction.objects.select_for_update()
        .select_related("case")
        .filter(pk=int(operation.subject_id or 0))
        .first()
    )
    if row is None or row.state != ActionState.PENDING:
        return
    row.state, row.applied, row.platform_ref = state, applied, ref[:200]
    row.note, row.finished_at = note, timezone.now()
    row.save(update_fields=["state", "applied", "platform_ref", "note", "finished_at"])
    verb = "harm_case.action_failed" if state == ActionState.FAILED else "harm_case.action_applied"
    event_record(
        actor=None,
        actor_name="worker",
        verb=verb,
        obj=row.case,
        unit_id=row.case.unit_id,
        note=note[:500],
        data={
            "account": row.case.account_id,
            "requested": row.requested,
            "applied": applied or None,
            "platform_ref": ref,
            "operation": operation.pk,
        },
    )
    case_id = row.case_id
    transaction.on_commit(lambda: notify_case(case_id, verb))


def _on_success(operation: OutboxOperation) -> None:
    result = operation.result or {}
    applied = str(result.get("applied") or "")
    _finish(
        operation,
        state=ActionState.APPLIED if applied else ActionState.NOT_APPLIED,
        applied=applied,
        ref=str(result.get("platform_ref") or ""),
        note=str(result.get("note") or ""),
    )


def _on_failure(operation: OutboxOperation) -> None:
    _finish(
        operation,
        state=ActionState.FAILED,
        applied="",
        ref="",
        note=operation.last_error_message or operation.last_error_code,
    )


def _on_retry(operation: OutboxOperation) -> None:
    CaseAction.objects.filter(pk=int(operation.subject_id or 0), state=ActionState.PENDING).update(
        note=_("平台暂时不可用（%(e)s），将自动重试。") % {"e": operation.last_error_message[:200]}
    )


OUTCOME_HANDLER = OutcomeHandler(on_success=_on_success, on_failure=_on_failure, on_retry=_on_retry)
