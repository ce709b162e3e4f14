"""Every write of the manual platforms: a task opened for a call the connector hands over, the
link an operator pastes back and the check of the live page, the operator's confirmation when
the page cannot be read, the office's acceptance of a different text, and giving a task up.

Each step is one audit event. A finished task finishes its outbox operation in the same
transaction (`outbox_complete_manually` / `outbox_abandon`), so the subject's handler — the
publishing app's for a post — records the publication with the link, or its failure.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from govmatrix.audit.services import event_record
from govmatrix.audit.workflow import transition
from govmatrix.core.errors import InvalidTransition, NotFound, ValidationFailed
from govmatrix.core.types import Actor, as_user
from govmatrix.matrix.models import Account
from govmatrix.notifications.services import notify, office_users, users_with_role
from govmatrix.org.permissions import UNIT_EDITOR_ROLES, require, scope_for
from govmatrix.platforms.base import InvalidRequest
from govmatrix.platforms.manual import checking, rules
from govmatrix.platforms.manual.models import (
    ACTIVE_STATES,
    CheckOutcome,
    Completion,
    ManualTask,
    TaskState,
)
from govmatrix.platforms.manual.selectors import task_get
from govmatrix.platforms.models import OutboxOperation
from govmatrix.platforms.services import outbox_abandon, outbox_complete_manually

logger = logging.getLogger(__name__)

S = TaskState
TASK_TRANSITIONS: dict[str, set[str]] = {
    S.OPEN: {S.DONE, S.MISMATCH, S.UNVERIFIED, S.ABANDONED},
    # Another link may be pasted after a difference or an unreadable page.
    S.MISMATCH: {S.DONE, S.MISMATCH, S.UNVERIFIED, S.ABANDONED},
    S.UNVERIFIED: {S.DONE, S.MISMATCH, S.UNVERIFIED, S.ABANDONED},
    S.DONE: set(),
    S.ABANDONED: set(),
}
_CHECK_FIELDS = [
    "url",
    "submitted_by",
    "submitted_at",
    "check_outcome",
    "check_detail",
    "live_text",
    "similarity",
    "checked_at",
]
_DONE_FIELDS = ["completion", "completed_by", "completed_at", "reason"]


def _task_url(task: ManualTask) -> str:
    return reverse("manual:task", args=[task.pk])


def _editors(account: Account) -> list[User]:
    """The account's operators, or — when it has none with a login — its unit's editors."""
    operators = [p.user for p in account.operators.select_related("user") if p.user and p.is_active]
    return list(operators or users_with_role(unit_id=account.unit_id, roles=UNIT_EDITOR_ROLES))


# --- opened by the connector (a worker; no person acts) -----------------------------------------
def manual_task_open(
    *,
    platform: str,
    handle: str,
    idempotency_key: str,
    kind: str,
    text: str,
    target: str = "",
    images: int = 0,
) -> ManualTask:
    """The task for one platform call, opened once per idempotency key (a repeated call — a
    retry, a second worker — finds the same task). Its account is the outbox operation's."""
    existing = ManualTask.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return existing
    operation = (
        OutboxOperation.objects.select_related("account")
        .filter(idempotency_key=idempotency_key)
        .first()
    )
    account = (
        operation.account
        if operation is not None
        else Account.objects.filter(platform=platform, handle=handle).first()
    )
    if account is None:
        raise InvalidRequest(
            _("台账中没有「%(handle)s」这个账号。") % {"handle": handle}, platform=platform
        )
    with transaction.atomic():
        task, created = ManualTask.objects.get_or_create(
            idempotency_key=idempotency_key,
            defaults={
                "operation": operation,
                "account": account,
                "kind": kind,
                "text": text,
                "target": target[:500],
                "images": images,
            },
        )
        if created:
            event_record(
                actor=None,
                actor_name="worker",
                verb="manual_task.opened",
                obj=task,
                unit_id=account.unit_id,
                to_state=task.state,
                data={
                    "kind": kind,
                    "operation": operation.pk if operation else None,
                    "account": account.pk,
                    "platform": account.platform,
                },
            )
            notify(
                recipients=_editors(account),
                verb="manual_task.opened",
                text=_("请在「%(platform)s」上手工发布「%(account)s」已审定的内容，并回填链接。")
                % {"platform": account.get_platform_display(), "account": account.display_name},
                link=_task_url(task),
                unit_id=account.unit_id,
            )
    return task


# --- what people do ---------------------------------------------------------------------------
def _locked(actor: Actor, task_id: int) -> ManualTask:
    task = (
        ManualTask.objects.select_for_update(of=("self",))
        .select_related("account", "account__unit")
        .filter(pk=task_id)
        .first()
    )
    if task is None or not rules.can_view(scope_for(actor), task):
        raise NotFound(_("手工发布任务不存在。"))
    return task


def _require_worker(actor: Actor, task: ManualTask) -> None:
    require(
        rules.can_work(scope_for(actor), task),
        _("只有该账号所在单位的运维人员、领导和管理办公室可以处理手工发布任务。"),
    )


def _require_active(task: ManualTask, *states: str) -> None:
    if task.state not in (states or ACTIVE_STATES):
        raise InvalidTransition(
            _("该任务当前为「%(state)s」，不能这样处理。") % {"state": task.get_state_display()}
        )


def _move(task: ManualTask, *, to: str, actor: Actor, verb: str, **kwargs: Any) -> None:
    transition(
        task,
        to=to,
        allowed=TASK_TRANSITIONS,
        actor=actor,
        verb=verb,
        unit_id=task.account.unit_id,
        field="state",
        **kwargs,
    )


def _required(text: str, message: str) -> str:
    if not text.strip():
        raise ValidationFailed({"reason": message})
    return text.strip()


@dataclass(frozen=True)
class LinkCheck:
    outcome: str
    detail: str = ""
    excerpt: str = ""
    similarity: float | None = None


def link_check(text: str, url: str) -> LinkCheck:
    """Read the page and compare (network; call it outside any transaction)."""
    if not checking.normalise(text):
        return LinkCheck(
            CheckOutcome.UNREADABLE,
            _("这次操作没有文字（例如未附言的转发），无法比对：请确认链接指向本账号的这条内容。"),
        )
    try:
        page = checking.fetch_text(
            url,
            timeout=rules.fetch_timeout(),
            max_bytes=rules.fetch_max_bytes(),
            allow_private=rules.allow_private_addresses(),
        )
    except checking.RefusedAddress as exc:
        raise ValidationFailed({"url": exc.reason}) from exc
    except checking.Unreadable as exc:
        return LinkCheck(CheckOutcome.UNREADABLE, exc.reason)
    if not checking.readable(page):
        return LinkCheck(
            CheckOutcome.UNREADABLE,
            _("页面上没有可读的文字（可能需要登录，或内容由页面脚本生成）。"),
        )
    comparison = checking.compare(text, page)
    if comparison.matches:
        return LinkCheck(CheckOutcome.MATCH, similarity=1.0)
    return LinkCheck(
        CheckOutcome.MISMATCH,
        _("页面上的文字与审定文本不一致。"),
        excerpt=comparison.excerpt[:10000],
        similarity=comparison.similarity,
    )


def manual_task_submit_link(*, actor: Actor, task_id: int, url: str) -> ManualTask:
    """The operator posted on the platform and pastes the link: GovMatrix reads the page. The
    same text finishes the task; a different one waits for another link or the office; an
    unreadable page waits for the operator's confirmation."""
    url = url.strip()
    task = task_get(user=actor, task_id=task_id)  # permission and state before any fetch
    _require_worker(actor, task)
    _require_active(task)
    if problem := rules.link_problem(url, task.account.platform):
        raise ValidationFailed({"url": problem})
    check = link_check(task.text, url)
    with transaction.atomic():
        task = _locked(actor, task_id)
        _require_worker(actor, task)
        _require_active(task)
        now = timezone.now()
        task.url, task.submitted_by, task.submitted_at = url, as_user(actor), now
        task.check_outcome, task.check_detail = check.outcome, check.detail
        task.live_text, task.similarity, task.checked_at = check.excerpt, check.similarity, now
        data = {"url": url, "outcome": check.outcome, "similarity": check.similarity}
        if check.outcome == CheckOutcome.MATCH:
            _finish(
                task,
                actor=actor,
                completion=Completion.VERIFIED,
                verb="manual_task.verified",
                also_update=_CHECK_FIELDS,
                data=data,
            )
        elif check.outcome == CheckOutcome.MISMATCH:
            _move(
                task,
                to=S.MISMATCH,
                actor=actor,
                verb="manual_task.mismatch",
                also_update=_CHECK_FIELDS,
                note=check.detail,
                data=data,
            )
            notify(
                recipients=office_users(),
                verb="manual_task.mismatch",
                text=_(
                    "「%(account)s」手工发布的内容与审定文本不一致，等待运维人员更正或管理办公室认定。"
                )
                % {"account": task.account.display_name},
                link=_task_url(task),
                unit_id=task.account.unit_id,
            )
        else:
            _move(
                task,
                to=S.UNVERIFIED,
                actor=actor,
                verb="manual_task.unreadable",
                also_update=_CHECK_FIELDS,
                note=check.detail,
                data=data,
            )
    return task


@transaction.atomic
def manual_task_confirm(*, actor: Actor, task_id: int, note: str = "") -> ManualTask:
    """The page could not be read: the operator checked it by hand and confirms that the live
    text is the approved one. Recorded: who, when, and why the system could not check it."""
    task = _locked(actor, task_id)
    _require_worker(actor, task)
    _require_active(task, S.UNVERIFIED)
    task.reason = note.strip()
    _finish(
        task,
        actor=actor,
        completion=Completion.CONFIRMED,
        verb="manual_task.confirmed",
        note=task.check_detail,
        data={"url": task.url, "unreadable_because": task.check_detail, "note": task.reason},
    )
    return task


@transaction.atomic
def manual_task_override(*, actor: Actor, task_id: int, reason: str) -> ManualTask:
    """The office accepts a publication whose live text differs (or could not be read)."""
    task = _locked(actor, task_id)
    require(
        rules.can_override(scope_for(actor)),
        _("只有管理办公室可以认可与审定文本不一致的发布。"),
    )
    _require_active(task, S.MISMATCH, S.UNVERIFIED)
    task.reason = _required(reason, _("请写明认可的理由。"))
    _finish(
        task,
        actor=actor,
        completion=Completion.OVERRIDDEN,
        verb="manual_task.overridden",
        note=task.reason,
        data={"url": task.url, "outcome": task.check_outcome, "similarity": task.similarity},
    )
    return task


@transaction.atomic
def manual_task_abandon(*, actor: Actor, task_id: int, reason: str) -> ManualTask:
    """Nobody will publish it by hand: the task and its platform call fail with the reason
    (a post then shows as failed, and may be published again)."""
    task = _locked(actor, task_id)
    _require_worker(actor, task)
    _require_active(task)
    task.reason = _required(reason, _("请写明放弃的原因。"))
    _move(
        task,
        to=S.ABANDONED,
        actor=actor,
        verb="manual_task.abandoned",
        also_update=["reason"],
        note=task.reason,
    )
    if task.operation_id is not None:
        outbox_abandon(
            operation_id=task.operation_id,
            actor=actor,
            reason=_("手工发布已放弃：%(reason)s") % {"reason": task.reason},
        )
    return task


def _finish(
    task: ManualTask,
    *,
    actor: Actor,
    completion: str,
    verb: str,
    also_update: list[str] | None = None,
    note: str = "",
    data: dict[str, Any] | None = None,
) -> None:
    now = timezone.now()
    task.completion, task.completed_by, task.completed_at = completion, as_user(actor), now
    _move(
        task,
        to=S.DONE,
        actor=actor,
        verb=verb,
        also_update=[*(also_update or []), *_DONE_FIELDS],
        note=note,
        data={**(data or {}), "completion": completion},
    )
    if task.operation_id is not None:
        outbox_complete_manually(
            operation_id=task.operation_id,
            actor=actor,
            result={
                "id": task.external_id,
                "url": task.url,
                "created_at": (task.submitted_at or now).isoformat(),
                "manual": completion,
            },
            note=str(Completion(completion).label),
        )
