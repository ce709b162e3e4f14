"""Repost orders (转发任务, R6.2): one-click reposts through the outbox, a link recorded by
hand where no connector can repost, exemptions with a reason, and the outbox's outcome.

The allowed moves are ORDER_TRANSITIONS; a repost on its way is not a state but the order's
`requested_at` (an open order in flight), so an automatic slice of thousands of orders is one
bulk update rather than thousands of moves — the move to `reposted` comes with each proof.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from govmatrix.audit.context import current_ip
from govmatrix.audit.services import event_record
from govmatrix.audit.workflow import transition
from govmatrix.core.errors import InvalidTransition, NotFound, ValidationFailed
from govmatrix.core.types import Actor, as_user
from govmatrix.emergency import rules
from govmatrix.emergency.models import (
    AutoRepost,
    ProofKind,
    RepostOrder,
    RepostOrderState,
    Statement,
)
from govmatrix.emergency.services import notices
from govmatrix.matrix.models import Account, AccountKind
from govmatrix.org.permissions import require, scope_for
from govmatrix.platforms.base import Capability
from govmatrix.platforms.models import OutboxKind, OutboxOperation
from govmatrix.platforms.registry import platform_capabilities
from govmatrix.platforms.services import OutcomeHandler, outbox_enqueue

logger = logging.getLogger(__name__)

SUBJECT_TYPE = "emergency.repostorder"
R = RepostOrderState
ORDER_TRANSITIONS: dict[str, set[str]] = {
    R.OPEN: {R.REPOSTED, R.EXEMPTED},
    R.REPOSTED: set(),
    R.EXEMPTED: {R.OPEN},
}


def order_key(order: RepostOrder) -> str:
    return f"{SUBJECT_TYPE}:{order.pk}:a{order.attempts}"


def reposted_post(order: RepostOrder, statement: Statement) -> Any:
    """The post the order reposts: its platform's copy, or the statement's own post."""
    return order.copy.post if order.copy is not None else statement.post


def one_click_possible(order: RepostOrder, statement: Statement) -> bool:
    """A connector reposts only a post of the same platform."""
    post = reposted_post(order, statement)
    return bool(post.external_id) and order.account.platform == post.account.platform


def repost_comment_for(order: RepostOrder, statement: Statement) -> str | None:
    """The approved repost comment, where the platform lets a repost carry one: a Mastodon
    boost cannot, and the order is the repost itself, so there it goes without the comment."""
    if not statement.repost_comment:
        return None
    if Capability.REPOST_WITH_COMMENT not in platform_capabilities(order.account.platform):
        return None
    return statement.repost_comment


def start_repost(
    order: RepostOrder, statement: Statement, *, actor: Actor | None, moment: datetime
) -> OutboxOperation:
    """Put the repost call in the outbox (inside the caller's transaction; it saves the order)."""
    order.attempts += 1
    order.requested_at = moment
    order.requested_by = as_user(actor) if actor is not None else None
    order.last_error = ""
    return outbox_enqueue(
        account=order.account,
        kind=OutboxKind.REPOST,
        payload={
            "post_id": reposted_post(order, statement).external_id,
            "comment": repost_comment_for(order, statement),
        },
        idempotency_key=order_key(order),
        subject=order,
        operator=actor,
        # An automatic repost was approved with the statement: it carries the address the
        # commander approved from (Weibo takes the approver's real IP with every call).
        operator_ip=current_ip.get() if actor is not None else statement.post.approved_ip,
    )


def locked_order(actor: Actor, order_id: int) -> RepostOrder:
    order = (
        RepostOrder.objects.select_for_update(of=("self",))
        .select_related(
            "account",
            "copy__post__account",
            "statement__post__account",
            "statement__incident__commander",
        )
        .filter(pk=order_id)
        .first()
    )
    if order is None:
        raise NotFound(_("转发任务不存在。"))
    from govmatrix.emergency.selectors.orders import can_see_order

    if not can_see_order(scope_for(actor), order):
        raise NotFound(_("转发任务不存在。"))
    return order


def _require_open(order: RepostOrder) -> None:
    if order.state != R.OPEN:
        raise InvalidTransition(
            _("该转发任务已「%(state)s」，不能再处理。") % {"state": order.get_state_display()}
        )
    if order.in_flight:
        raise InvalidTransition(_("转发正在进行，请稍候查看结果。"))


def _move(order: RepostOrder, *, to: str, actor: Actor | None, verb: str, **kwargs: Any) -> None:
    transition(
        order,
        to=to,
        allowed=ORDER_TRANSITIONS,
        actor=actor,
        verb=verb,
        unit_id=order.unit_id,
        field="state",
        **kwargs,
    )


def _latency(order: RepostOrder, at: datetime) -> int:
    """Seconds from the publication of the post the order reposts (a copy's, on its platform)."""
    published = order.release.published_at or at
    return max(0, int((at - published).total_seconds()))


PROOF_FIELDS = ["reposted_at", "latency_seconds", "repost_external_id", "repost_url", "proof"]


# --- what people do --------------------------------------------------------------------------
@transaction.atomic
def repost_order_repost(*, actor: Actor, order_id: int) -> RepostOrder:
    """One click: the connector reposts the statement with the approved comment."""
    order = locked_order(actor, order_id)
    require(
        rules.can_repost(scope_for(actor), order), _("只有本单位的运维人员和管理办公室可以转发。")
    )
    _require_open(order)
    statement = order.statement
    if not one_click_possible(order, statement):
        raise InvalidTransition(
            _(
                "「%(account)s」所在的平台没有主账号发布这条口径，不能一键转发："
                "请在平台上转发主账号的微博后回填链接。"
            )
            % {"account": order.account.display_name}
        )
    operation = start_repost(order, statement, actor=actor, moment=timezone.now())
    order.save(update_fields=["attempts", "requested_at", "requested_by", "last_error"])
    event_record(
        actor=actor,
        verb="repost_order.requested",
        obj=order,
        unit_id=order.unit_id,
        data={"attempt": order.attempts, "operation": operation.pk},
    )
    return order


def _check_url(url: str) -> str:
    url = url.strip()
    if not url or len(url) > 500 or not url.startswith(("https://", "http://", "/")):
        raise ValidationFailed({"url": _("请填写转发微博的链接（以 https:// 开头）。")})
    return url


@transaction.atomic
def repost_order_record(
    *,
    actor: Actor,
    order_id: int,
    url: str,
    external_id: str = "",
    reposted_at: datetime | None = None,
) -> RepostOrder:
    """The operator reposted on the platform itself and gives the link as proof."""
    order = locked_order(actor, order_id)
    require(
        rules.can_repost(scope_for(actor), order), _("只有本单位的运维人员和管理办公室可以登记。")
    )
    _require_open(order)
    order.repost_url = _check_url(url)
    now = timezone.now()
    at = reposted_at or now
    published = order.release.published_at
    if timezone.is_naive(at) or at > now or (published is not None and at < published):
        raise ValidationFailed({"reposted_at": _("转发时间须在主账号发布之后、现在之前。")})
    order.reposted_at = at
    order.latency_seconds = _latency(order, at)
    order.repost_external_id = external_id.strip()[:100]
    order.proof = ProofKind.MANUAL
    order.recorded_by = as_user(actor)
    _move(
        order,
        to=R.REPOSTED,
        actor=actor,
        verb="repost_order.recorded",
        also_update=[*PROOF_FIELDS, "recorded_by"],
        data={"url": order.repost_url, "reposted_at": at, "latency": order.latency_seconds},
    )
    return order


@transaction.atomic
def repost_order_exempt(*, actor: Actor, order_id: int, reason: str) -> RepostOrder:
    """The office exempts one account from one order, and says why."""
    order = locked_order(actor, order_id)
    require(rules.can_exempt(scope_for(actor)), _("只有管理办公室可以免除转发任务。"))
    if not reason.strip():
        raise ValidationFailed({"reason": _("请写明免除理由。")})
    _require_open(order)
    order.exempted_at = timezone.now()
    order.exempted_by = as_user(actor)
    order.exemption_reason = reason.strip()[:200]
    _move(
        order,
        to=R.EXEMPTED,
        actor=actor,
        verb="repost_order.exempted",
        also_update=["exempted_at", "exempted_by", "exemption_reason"],
        note=order.exemption_reason,
    )
    return order


@transaction.atomic
def repost_order_reopen(*, actor: Actor, order_id: int, note: str = "") -> RepostOrder:
    """Withdraw an exemption given by mistake: the order is open again, with its deadline."""
    order = locked_order(actor, order_id)
    require(rules.can_exempt(scope_for(actor)), _("只有管理办公室可以撤销免除。"))
    reason = order.exemption_reason
    order.exempted_at, order.exempted_by, order.exemption_reason = None, None, ""
    _move(
        order,
        to=R.OPEN,
        actor=actor,
        verb="repost_order.reopened",
        also_update=["exempted_at", "exempted_by", "exemption_reason"],
        note=note.strip(),
        data={"exemption_reason": reason},
    )
    return order


@transaction.atomic
def auto_repost_set(*, actor: Actor, account_id: int, enabled: bool) -> AutoRepost:
    """A unit's leaders let its account repost every statement automatically (or stop it)."""
    account = Account.objects.filter(pk=account_id, kind=AccountKind.SUB).first()
    if account is None or not scope_for(actor).can_view_unit(account.unit_id):
        raise NotFound(_("子账号不存在。"))
    require(
        rules.can_set_auto_repost(scope_for(actor), account),
        _("只有本单位的领导或管理办公室可以设置自动转发。"),
    )
    row = AutoRepost.objects.select_for_update().filter(account=account).first()
    if row is not None and row.enabled == enabled:
        return row
    user = rules.acting_user(actor)
    if row is None:
        row = AutoRepost.objects.create(
            account=account, enabled=enabled, changed_by=user, changed_at=timezone.now()
        )
    else:
        row.enabled, row.changed_by, row.changed_at = enabled, user, timezone.now()
        row.save(update_fields=["enabled", "changed_by", "changed_at"])
    event_record(
        actor=actor,
        verb="auto_repost.enabled" if enabled else "auto_repost.disabled",
        obj=row,
        unit_id=account.unit_id,
        data={"account": account.pk},
    )
    return row


# --- the outbox's outcome, inside its transaction ---------------------------------------------
def _order_for(operation: OutboxOperation) -> RepostOrder | None:
    order = (
        RepostOrder.objects.select_for_update(of=("self",))
        .select_related("account", "statement", "copy")
        .filter(pk=int(operation.subject_id))
        .first()
    )
    if order is None or not order.in_flight or operation.idempotency_key != order_key(order):
        logger.warning("outbox operation %s is not the current repost of its order", operation.pk)
        return None
    return order


def _created_at(value: Any) -> datetime:
    parsed = parse_datetime(value) if isinstance(value, str) else None
    if parsed is None:
        return timezone.now()
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)


def repost_succeeded(operation: OutboxOperation) -> None:
    order = _order_for(operation)
    if order is None:
        return
    result = operation.result or {}
    at = _created_at(result.get("created_at"))
    order.reposted_at = at
    order.latency_seconds = _latency(order, at)
    order.repost_external_id = str(result.get("id") or "")[:100]
    order.repost_url = str(result.get("url") or "")[:500]
    order.proof = ProofKind.CONNECTOR
    order.requested_at = None
    _move(
        order,
        to=R.REPOSTED,
        actor=None,
        verb="repost_order.reposted",
        also_update=[*PROOF_FIELDS, "requested_at"],
        data={
            "operation": operation.pk,
            "external_id": order.repost_external_id,
            "url": order.repost_url,
            "latency": order.latency_seconds,
            "auto": order.requested_by_id is None,
        },
    )


def _platform_refused(operation: OutboxOperation, *, final: bool) -> RepostOrder | None:
    """Keep the platform's words on the order; a final refusal ends the call in flight."""
    order = _order_for(operation)
    if order is None:
        return None
    order.last_error = operation.last_error_message or operation.last_error_code
    if final:
        order.requested_at = None
    order.save(update_fields=["last_error", "requested_at"])
    event_record(
        actor=None,
        actor_name="worker",
        verb="repost_order.failed" if final else "repost_order.retrying",
        obj=order,
        unit_id=order.unit_id,
        note=order.last_error,
        data={
            "operation": operation.pk,
            "code": operation.last_error_code,
            "next_attempt_at": None if final else operation.next_attempt_at,
        },
    )
    return order


def repost_failed(operation: OutboxOperation) -> None:
    order = _platform_refused(operation, final=True)
    if order is not None:
        transaction.on_commit(lambda: notices.notify_repost_failed(order))


def repost_retrying(operation: OutboxOperation) -> None:
    _platform_refused(operation, final=False)


OUTCOME_HANDLER = OutcomeHandler(
    on_success=repost_succeeded, on_failure=repost_failed, on_retry=repost_retrying
)
