"""Writing to the outbox and executing it.

A platform call is made at most once per idempotency key as far as GovMatrix can see: a row
is claimed with a compare-and-set (so two workers never run it together), the call is made
outside any transaction, and its outcome is recorded — with the subject's own handler — in
one transaction. A worker killed at any point leaves the row claimed until its lease runs
out; the sweeper then runs it again with the same key, and the platform (or, for Weibo, our
reconciliation) recognises the repeat.

A platform without a usable write API (the manual connector) answers `WaitingForPerson`: the
row then waits — no retry, no lease, never swept — until a person has made the call by hand and
`outbox_complete_manually` records its result (the subject's handler hears it as any success),
or `outbox_abandon` gives it up (the handler hears a failure).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from govmatrix.audit.services import event_record
from govmatrix.core.errors import InvalidTransition
from govmatrix.core.types import Actor, as_user
from govmatrix.matrix.models import Account
from govmatrix.platforms.base import (
    ActionContext,
    ConnectorError,
    Duplicate,
    MediaFile,
    ModerationAction,
    RateLimited,
)
from govmatrix.platforms.models import OutboxKind, OutboxOperation, OutboxState
from govmatrix.platforms.registry import account_ref, connector_for

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class OutcomeHandler:
    on_success: Callable[[OutboxOperation], None]
    on_failure: Callable[[OutboxOperation], None]
    on_retry: Callable[[OutboxOperation], None] | None = None


_HANDLERS: dict[str, OutcomeHandler] = {}


def register_outcome_handler(subject_type: str, handler: OutcomeHandler) -> None:
    _HANDLERS[subject_type] = handler


class WaitingForPerson(Exception):
    """A connector's answer that a person makes this call on the platform (the manual
    platforms). The operation waits until `outbox_complete_manually` or `outbox_abandon`."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _lease() -> timedelta:
    return timedelta(seconds=settings.OUTBOX_LEASE_SECONDS)


def retry_delay(attempts: int, retry_after: float | None = None) -> timedelta:
    """30 s, 1 min, 2 min … up to an hour; a platform's own retry-after wins when longer."""
    backoff = min(30 * 2 ** max(0, attempts - 1), 3600)
    return timedelta(seconds=max(backoff, retry_after or 0))


def outbox_enqueue(
    *,
    account: Account,
    kind: str,
    payload: dict[str, Any],
    idempotency_key: str,
    subject: models.Model | None = None,
    operator: Actor | None = None,
    operator_ip: str | None = None,
    run_at: Any = None,
) -> OutboxOperation:
    """Record the intended call inside the caller's transaction; a worker runs it after commit."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("outbox_enqueue must run inside the transaction that decides the call.")
    operation, created = OutboxOperation.objects.get_or_create(
        idempotency_key=idempotency_key,
        defaults={
            "kind": kind,
            "account": account,
            "payload": payload,
            "next_attempt_at": run_at or timezone.now(),
            "subject_type": f"{subject._meta.app_label}.{subject._meta.model_name}"
            if subject
            else "",
            "subject_id": str(subject.pk) if subject else "",
            "operator": as_user(operator) if operator else None,
            "operator_ip": operator_ip,
        },
    )
    if created and run_at is None:
        transaction.on_commit(lambda: _enqueue_execution(operation.pk))
    return operation


def _enqueue_execution(operation_id: int, delay: float | None = None) -> None:
    from huey.contrib.djhuey import HUEY

    from govmatrix.platforms.tasks import execute_outbox_operation

    try:
        if delay:
            execute_outbox_operation.schedule(args=(operation_id,), delay=delay)
        else:
            execute_outbox_operation(operation_id)
    except Exception:
        if HUEY.immediate:
            raise
        # The row is committed: a queue that is down must not turn the caller's saved change
        # into an error page. The sweeper runs the operation when a worker gets to it.
        logger.exception(
            "could not queue outbox operation %s; the sweeper will run it", operation_id
        )


def _claim(operation_id: int) -> int | None:
    """Take the operation if it is due and nobody holds it; returns the number of this attempt.

    The attempt number is the claim's token: only the worker holding the latest claim may
    record a failure or a retry (see `_finish`).
    """
    now = timezone.now()
    runnable = Q(state=OutboxState.PENDING, next_attempt_at__lte=now) | Q(
        state=OutboxState.RUNNING, lease_until__lt=now
    )
    due = OutboxOperation.objects.filter(runnable, pk=operation_id)
    seen = due.values_list("attempts", flat=True).first()
    if seen is None:
        return None
    claimed = due.filter(attempts=seen).update(
        state=OutboxState.RUNNING, lease_until=now + _lease(), attempts=seen + 1
    )
    return seen + 1 if claimed == 1 else None


def _call_platform(operation: OutboxOperation) -> dict[str, Any]:
    connector = connector_for(operation.account.platform)
    account = account_ref(operation.account)
    ctx = ActionContext(
        operator_id=str(operation.operator_id or ""),
        operator_ip=operation.operator_ip,
        idempotency_key=operation.idempotency_key,
    )
    payload = operation.payload
    if operation.kind == OutboxKind.PUBLISH:
        post = connector.publish(
            account,
            payload["text"],
            ctx,
            media=_media(payload.get("media", [])),
            in_reply_to_id=payload.get("in_reply_to_id"),
        )
        return {"id": post.id, "url": post.url, "created_at": post.created_at.isoformat()}
    if operation.kind == OutboxKind.REPOST:
        post = connector.repost(account, payload["post_id"], ctx, comment=payload.get("comment"))
        return {"id": post.id, "url": post.url, "created_at": post.created_at.isoformat()}
    if operation.kind == OutboxKind.REPLY:
        reply = connector.reply(account, payload["interaction_id"], payload["text"], ctx)
        return {"id": reply.id, "url": reply.url, "created_at": reply.created_at.isoformat()}
    if operation.kind == OutboxKind.DELETE_POST:
        connector.delete_post(account, payload["post_id"], ctx)
        return {"deleted": payload["post_id"]}
    if operation.kind == OutboxKind.MODERATE:
        outcome = connector.moderate(
            account,
            payload["interaction_id"],
            ModerationAction(payload["action"]),
            ctx,
            reason=payload.get("reason", ""),
            fallback=[ModerationAction(a) for a in payload.get("fallback", [])],
        )
        return {
            "requested": outcome.requested.value,
            "applied": outcome.applied.value if outcome.applied else None,
            "platform_ref": outcome.platform_ref,
            "note": outcome.note,
        }
    raise ValueError(f"unknown outbox kind {operation.kind!r}")


def _media(entries: list[dict[str, str]]) -> list[MediaFile]:
    """The stored files a payload names (by storage name), read when the call is made."""
    files = []
    for entry in entries:
        with default_storage.open(entry["name"], "rb") as handle:
            files.append(
                MediaFile(
                    filename=entry["name"].rsplit("/", 1)[-1],
                    content_type=entry["content_type"],
                    content=handle.read(),
                )
            )
    return files


def outbox_execute(*, operation_id: int) -> str | None:
    """Run one operation if it is due and nobody else runs it; returns its state afterwards."""
    attempt = _claim(operation_id)
    if attempt is None:
        return None
    operation = OutboxOperation.objects.select_related("account").get(pk=operation_id)
    if attempt > operation.max_attempts:
        # Only a worker that died mid-call, again and again, gets here (retries stop at the
        # maximum): give up instead of letting one operation take workers down for ever.
        return _finish(
            operation_id,
            attempt=attempt,
            error=ConnectorError(
                f"工作进程执行该调用时多次中断（第 {attempt - 1} 次），已停止重试。"
            ),
            retryable=False,
        )
    try:
        result = _call_platform(operation)
    except WaitingForPerson as exc:
        return _wait(operation_id, attempt=attempt, note=exc.message)
    except Duplicate as exc:
        if exc.existing_id:
            duplicate = {"id": exc.existing_id, "url": None, "created_at": None, "duplicate": True}
            return _finish(operation_id, attempt=attempt, result=duplicate)
        return _finish(operation_id, attempt=attempt, error=exc)
    except ConnectorError as exc:
        return _finish(operation_id, attempt=attempt, error=exc)
    except Exception as exc:  # a bug or an unexpected library error: retry, and say so in the log
        logger.exception("outbox operation %s raised an unexpected error", operation_id)
        return _finish(
            operation_id,
            attempt=attempt,
            error=ConnectorError(f"{type(exc).__name__}: {exc}"),
            retryable=True,
        )
    return _finish(operation_id, attempt=attempt, result=result)


@transaction.atomic
def _finish(
    operation_id: int,
    *,
    attempt: int,
    result: dict[str, Any] | None = None,
    error: ConnectorError | None = None,
    retryable: bool | None = None,
) -> str:
    operation = (
        OutboxOperation.objects.select_for_update().select_related("account").get(pk=operation_id)
    )
    if operation.state not in (OutboxState.RUNNING, OutboxState.PENDING):
        # Finished already (another worker took over after our lease ran out): its record stands.
        return operation.state
    if error is not None and (
        operation.state != OutboxState.RUNNING or operation.attempts != attempt
    ):
        # Our lease ran out and another worker has claimed the call since: its outcome decides,
        # not our late failure. (A late success still counts: the call did happen.)
        return operation.state
    handler = _HANDLERS.get(operation.subject_type)
    now = timezone.now()
    operation.lease_until = None
    if error is None:
        operation.state = OutboxState.SUCCEEDED
        operation.result = result or {}
        operation.finished_at = now
        operation.save(update_fields=["state", "result", "finished_at", "lease_until"])
        _record(operation, "outbox.succeeded")
        if handler:
            handler.on_success(operation)
        return operation.state
    operation.last_error_code = (error.code or type(error).__name__)[:32]
    operation.last_error_message = error.message
    can_retry = error.retryable if retryable is None else retryable
    if can_retry and operation.attempts < operation.max_attempts:
        retry_after = error.retry_after if isinstance(error, RateLimited) else None
        delay = retry_delay(operation.attempts, retry_after)
        operation.state = OutboxState.PENDING
        operation.next_attempt_at = now + delay
        operation.save(
            update_fields=[
                "state",
                "next_attempt_at",
                "lease_until",
                "last_error_code",
                "last_error_message",
            ]
        )
        _record(operation, "outbox.retry_scheduled", note=error.message)
        if handler and handler.on_retry:
            handler.on_retry(operation)
        transaction.on_commit(lambda: _enqueue_execution(operation.pk, delay=delay.total_seconds()))
        return operation.state
    operation.state = OutboxState.FAILED
    operation.finished_at = now
    operation.save(
        update_fields=[
            "state",
            "finished_at",
            "lease_until",
            "last_error_code",
            "last_error_message",
        ]
    )
    _record(operation, "outbox.failed", note=error.message)
    if handler:
        handler.on_failure(operation)
    return operation.state


@transaction.atomic
def _wait(operation_id: int, *, attempt: int, note: str) -> str:
    operation = (
        OutboxOperation.objects.select_for_update().select_related("account").get(pk=operation_id)
    )
    if operation.state != OutboxState.RUNNING or operation.attempts != attempt:
        return operation.state  # another worker holds or finished it: its record stands
    operation.state = OutboxState.WAITING
    operation.lease_until = None
    operation.save(update_fields=["state", "lease_until"])
    _record(operation, "outbox.waiting", note=note)
    return operation.state


def _record(operation: OutboxOperation, verb: str, note: str = "") -> None:
    event_record(
        actor=None,
        actor_name="worker",
        verb=verb,
        obj=operation,
        unit_id=operation.account.unit_id,
        to_state=operation.state,
        note=note,
        data={
            "kind": operation.kind,
            "attempts": operation.attempts,
            "subject": f"{operation.subject_type}:{operation.subject_id}",
            "result": operation.result,
            "next_attempt_at": operation.next_attempt_at
            if operation.state == OutboxState.PENDING
            else None,
        },
    )


def outbox_due_ids(*, limit: int = 200) -> list[int]:
    now = timezone.now()
    due = Q(state=OutboxState.PENDING, next_attempt_at__lte=now) | Q(
        state=OutboxState.RUNNING, lease_until__lt=now
    )
    return list(
        OutboxOperation.objects.filter(due)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )


def outbox_sweep(*, limit: int = 200) -> int:
    """Run everything that is due, including calls whose worker died; returns how many ran."""
    ran = 0
    for operation_id in outbox_due_ids(limit=limit):
        if outbox_execute(operation_id=operation_id) is not None:
            ran += 1
    return ran


@transaction.atomic
def outbox_cancel(*, operation_id: int, actor: Actor, note: str = "") -> bool:
    """Cancel a call that has not started; a running one cannot be taken back."""
    operation = (
        OutboxOperation.objects.select_for_update().select_related("account").get(pk=operation_id)
    )
    if operation.state != OutboxState.PENDING:
        return False
    operation.state = OutboxState.CANCELLED
    operation.finished_at = timezone.now()
    operation.save(update_fields=["state", "finished_at"])
    event_record(
        actor=actor,
        verb="outbox.cancelled",
        obj=operation,
        unit_id=operation.account.unit_id,
        note=note,
    )
    return True


def _record_by_person(operation: OutboxOperation, actor: Actor, verb: str, note: str) -> None:
    event_record(
        actor=actor,
        verb=verb,
        obj=operation,
        unit_id=operation.account.unit_id,
        from_state=OutboxState.WAITING,
        to_state=operation.state,
        note=note,
        data={
            "kind": operation.kind,
            "subject": f"{operation.subject_type}:{operation.subject_id}",
            "result": operation.result,
        },
    )


def _waiting(operation_id: int) -> OutboxOperation:
    operation = (
        OutboxOperation.objects.select_for_update().select_related("account").get(pk=operation_id)
    )
    if operation.state != OutboxState.WAITING:
        raise InvalidTransition(
            _("该平台调用当前为「%(state)s」，不在等待人工完成。")
            % {"state": operation.get_state_display()}
        )
    return operation


@transaction.atomic
def outbox_complete_manually(
    *, operation_id: int, actor: Actor, result: dict[str, Any], note: str = ""
) -> OutboxOperation:
    """A person made a waiting call on the platform by hand: record `result` as the call's
    result and tell the subject's handler, as for any success. The caller (the manual
    platform's services) has checked that the actor may."""
    operation = _waiting(operation_id)
    operation.state = OutboxState.SUCCEEDED
    operation.result = result
    operation.finished_at = timezone.now()
    operation.save(update_fields=["state", "result", "finished_at"])
    _record_by_person(operation, actor, "outbox.completed_manually", note)
    if handler := _HANDLERS.get(operation.subject_type):
        handler.on_success(operation)
    return operation


@transaction.atomic
def outbox_abandon(*, operation_id: int, actor: Actor, reason: str) -> OutboxOperation:
    """Give up a waiting call (nobody will make it by hand): it fails with `reason`, and the
    subject's handler hears the failure."""
    operation = _waiting(operation_id)
    operation.state = OutboxState.FAILED
    operation.finished_at = timezone.now()
    operation.last_error_code = "abandoned"
    operation.last_error_message = reason
    operation.save(update_fields=["state", "finished_at", "last_error_code", "last_error_message"])
    _record_by_person(operation, actor, "outbox.abandoned", reason)
    if handler := _HANDLERS.get(operation.subject_type):
        handler.on_failure(operation)
    return operation
