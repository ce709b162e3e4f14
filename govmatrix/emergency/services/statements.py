"""Statements and rolling updates (应对口径、续报): posts of the main account (R6.1) that the
incident's on-site commander approves (R5.2), with the repost comment approved alongside.

A statement's text, review and publication are publishing's: these services write the post
through publishing's services and keep the statement's own parts (kind, repost comment,
deadline, targets) in step. Whatever of those changes after submission sends the post back
to draft, so the commander's approval always covers the comment the sub-accounts will use.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from govmatrix.audit.services import event_record
from govmatrix.core.errors import InvalidTransition, NotAllowed, NotFound, ValidationFailed
from govmatrix.core.types import Actor
from govmatrix.emergency import rules
from govmatrix.emergency.models import (
    IncidentStatus,
    Statement,
    StatementKind,
    SubAccountAllowance,
)
from govmatrix.emergency.selectors.settings import emergency_settings
from govmatrix.emergency.services import notices
from govmatrix.emergency.services.copies import statement_copies_create, statement_copy_published
from govmatrix.emergency.services.incidents import locked_incident
from govmatrix.matrix.models import OPEN_STATUSES, Account, AccountKind
from govmatrix.matrix.selectors import main_account
from govmatrix.org.permissions import require, scope_for
from govmatrix.publishing import rules as publishing_rules
from govmatrix.publishing import services as publishing
from govmatrix.publishing.models import PostStatus
from govmatrix.publishing.selectors.office import topic_list

MAX_COMMENT = 280
# The post's states in which the commander's approval (or a pending request for it) stands.
UNDER_REVIEW = (PostStatus.SUBMITTED, PostStatus.APPROVED, PostStatus.SCHEDULED, PostStatus.FAILED)
_UNSET: Any = object()


def _publishing_account(incident_id: int, account_id: int | None) -> Account:
    """R6.1: the main account publishes; a sub-account only with the office's allowance."""
    if account_id is None:
        account = main_account()
        if account is None:
            raise ValidationFailed({"account": _("台账中没有运行中的主账号。")})
        return account
    account = Account.objects.select_related("unit").filter(pk=account_id).first()
    if account is None:
        raise ValidationFailed({"account": _("账号不存在。")})
    if account.kind == AccountKind.MAIN:
        return account
    allowed = SubAccountAllowance.objects.filter(incident_id=incident_id, account=account).exists()
    if account.kind != AccountKind.SUB or not allowed:
        raise NotAllowed(
            _(
                "重大突发事件信息由主账号统一发布（R6.1），「%(account)s」不能发布本事件的信息。"
                "如确需该子账号发布，请管理办公室先在事件页给予许可并写明理由。"
            )
            % {"account": account.display_name}
        )
    return account


def _targets(account_ids: Sequence[int] | None, errors: dict[str, str]) -> list[Account]:
    if account_ids is None:
        return []
    accounts = list(
        Account.objects.filter(
            pk__in=set(account_ids), kind=AccountKind.SUB, status__in=OPEN_STATUSES
        )
    )
    if not account_ids or len(accounts) != len(set(account_ids)):
        errors["targets"] = _("请选择运行中的子账号作为转发范围。")
    return accounts


def _check_repost(comment: str, minutes: int, errors: dict[str, str]) -> None:
    if len(comment) > MAX_COMMENT:
        errors["repost_comment"] = _("转发评论不能超过 %(n)d 字。") % {"n": MAX_COMMENT}
    if not 5 <= minutes <= 1440:
        errors["repost_minutes"] = _("转发时限须在 5 到 1440 分钟之间。")


def locked_statement(actor: Actor, statement_id: int) -> Statement:
    statement = (
        Statement.objects.select_for_update(of=("self",))
        .select_related("incident", "post", "post__account")
        .filter(pk=statement_id)
        .first()
    )
    if statement is None:
        raise NotFound(_("应对口径不存在。"))
    locked_incident(actor, statement.incident_id)  # visibility, and one writer per incident
    return statement


@transaction.atomic
def statement_create(
    *,
    actor: Actor,
    incident_id: int,
    text: str,
    kind: str = "",
    repost_comment: str = "",
    repost_minutes: int | None = None,
    order_reposts: bool = True,
    target_account_ids: Sequence[int] | None = None,
    account_id: int | None = None,
) -> Statement:
    """Draft the incident's next statement as a post of the main account."""
    incident = locked_incident(actor, incident_id)
    if incident.status != IncidentStatus.ACTIVE:
        raise InvalidTransition(_("事件已结束，不能再发布应对口径。"))
    account = _publishing_account(incident.pk, account_id)
    if account.kind == AccountKind.MAIN:
        require(rules.can_declare(scope_for(actor)), _("主账号的应对口径由管理办公室撰写。"))
    has_first = incident.statements.filter(kind=StatementKind.FIRST).exists()
    kind = kind or (StatementKind.UPDATE if has_first else StatementKind.FIRST)
    errors: dict[str, str] = {}
    if kind not in StatementKind.values:
        errors["kind"] = _("请选择类别。")
    elif kind == StatementKind.FIRST and has_first:
        errors["kind"] = _("本事件已有首发权威信息，后续请发布续报或详细发布。")
    minutes = repost_minutes or emergency_settings().repost_minutes
    comment = repost_comment.strip()
    _check_repost(comment, minutes, errors)
    targets = _targets(target_account_ids, errors)
    if errors:
        raise ValidationFailed(errors)
    topics = list(
        topic_list(active_only=True).filter(code="emergency").values_list("pk", flat=True)
    )
    post = publishing.post_create(
        actor=actor, account_id=account.pk, text=text, topic_ids=topics, important=True
    )
    last = incident.statements.aggregate(n=Max("sequence"))["n"] or 0
    by_main = account.kind == AccountKind.MAIN
    statement = Statement.objects.create(
        incident=incident,
        post=post,
        kind=kind,
        sequence=last + 1,
        repost_comment=comment,
        repost_minutes=minutes,
        order_reposts=order_reposts and by_main,
        target_all=target_account_ids is None,
        created_by=rules.acting_user(actor),
    )
    statement.targets.set(targets)
    event_record(
        actor=actor,
        verb="statement.created",
        obj=statement,
        unit_id=account.unit_id,
        data={
            "incident": incident.pk,
            "post": post.pk,
            "kind": kind,
            "repost_comment": comment,
            "repost_minutes": minutes,
            "targets": "all" if statement.target_all else sorted(a.pk for a in targets),
        },
    )
    return statement


@transaction.atomic
def statement_update(
    *,
    actor: Actor,
    statement_id: int,
    text: str = _UNSET,
    repost_comment: str = _UNSET,
    repost_minutes: int = _UNSET,
    target_account_ids: Sequence[int] | None = _UNSET,
    order_reposts: bool = _UNSET,
) -> Statement:
    """Change a statement before it is published; a change after submission needs approval again."""
    statement = locked_statement(actor, statement_id)
    post = statement.post
    require(
        publishing_rules.can_draft(scope_for(actor), post.account), _("您不能修改这条应对口径。")
    )
    if post.status in (PostStatus.PUBLISHING, PostStatus.PUBLISHED):
        raise InvalidTransition(_("已发布的应对口径不能修改；如有新情况，请发布续报。"))
    errors: dict[str, str] = {}
    diff: dict[str, list[Any]] = {}
    comment = statement.repost_comment if repost_comment is _UNSET else repost_comment.strip()
    minutes = statement.repost_minutes if repost_minutes is _UNSET else repost_minutes
    _check_repost(comment, minutes, errors)
    targets = None
    if target_account_ids is not _UNSET:
        targets = _targets(target_account_ids, errors)
    if errors:
        raise ValidationFailed(errors)
    for name, value in (
        ("repost_comment", comment),
        ("repost_minutes", minutes),
        ("order_reposts", statement.order_reposts if order_reposts is _UNSET else order_reposts),
    ):
        if getattr(statement, name) != value:
            diff[name] = [getattr(statement, name), value]
            setattr(statement, name, value)
    if targets is not None:
        old = (
            "all"
            if statement.target_all
            else sorted(statement.targets.values_list("pk", flat=True))
        )
        new = "all" if target_account_ids is None else sorted(a.pk for a in targets)
        if old != new:
            diff["targets"] = [old, new]
            statement.target_all = target_account_ids is None
            statement.targets.set(targets)
    if diff:
        statement.save(
            update_fields=[*(k for k in diff if k != "targets"), "target_all", "updated_at"]
        )
        event_record(
            actor=actor,
            verb="statement.updated",
            obj=statement,
            unit_id=post.account.unit_id,
            data={"changes": diff},
        )
    if text is not _UNSET and text.strip() != post.text:
        post = publishing.post_update(actor=actor, post_id=post.pk, text=text)
    elif diff and post.status in UNDER_REVIEW:
        # The commander approves the comment and the reach with the text: ask again.
        publishing.post_back_to_draft(
            actor=actor, post_id=post.pk, note=_("转发评论、时限或范围已修改，须重新审核。")
        )
    return statement


def _open_for_review(actor: Actor, statement_id: int, *, deciding: bool = False) -> Statement:
    statement = locked_statement(actor, statement_id)
    if deciding:
        # Said plainly here: publishing would only say that the post is not theirs to see.
        post = statement.post
        require(
            publishing_rules.can_approve_post(scope_for(actor), post),
            publishing_rules.approval_refusal(post),
        )
    if statement.incident.status != IncidentStatus.ACTIVE:
        raise InvalidTransition(_("事件已结束，不能再审核应对口径。"))
    return statement


@transaction.atomic
def statement_submit(*, actor: Actor, statement_id: int) -> Statement:
    statement = _open_for_review(actor, statement_id)
    publishing.post_submit(actor=actor, post_id=statement.post_id)
    return statement


@transaction.atomic
def statement_approve(
    *, actor: Actor, statement_id: int, comment: str = "", version: int | None = None
) -> Statement:
    """The commander approves the text and the repost comment; the main account publishes at
    once, even while scheduled publishing is paused."""
    statement = _open_for_review(actor, statement_id, deciding=True)
    publishing.post_approve(
        actor=actor, post_id=statement.post_id, comment=comment, version=version
    )
    return statement


@transaction.atomic
def statement_return(*, actor: Actor, statement_id: int, comment: str) -> Statement:
    statement = _open_for_review(actor, statement_id, deciding=True)
    publishing.post_return(actor=actor, post_id=statement.post_id, comment=comment)
    return statement


# --- hearing that a post was published (publishing's callback, in its transaction) ------------
def statement_published(post: Any) -> None:
    """Record the publication on the statement and the incident's clocks, have the other
    platforms' main accounts publish it too, and start the fan-out; or record a copy's."""
    statement = (
        Statement.objects.select_for_update(of=("self",))
        .select_related("incident", "post__account")
        .filter(post_id=post.pk)
        .first()
    )
    if statement is None:
        statement_copy_published(post)
        return
    if statement.published_at is not None:
        return
    statement.published_at = post.published_at
    statement.save(update_fields=["published_at", "updated_at"])
    incident = statement.incident
    clocks = []
    if incident.first_info_at is None:
        incident.first_info_at = post.published_at
        clocks.append("first_info_at")
    if statement.kind == StatementKind.FULL and (
        incident.full_release_at is None or post.published_at < incident.full_release_at
    ):
        incident.full_release_at = post.published_at
        clocks.append("full_release_at")
    if clocks:
        incident.save(update_fields=[*clocks, "updated_at"])
    by_main = post.account.kind == AccountKind.MAIN
    event_record(
        actor=None,
        actor_name="system",
        verb="statement.published",
        obj=statement,
        unit_id=post.account.unit_id,
        data={
            "post": post.pk,
            "published_at": post.published_at,
            "external_id": post.external_id,
            "clocks_met": clocks,
            "orders": by_main and statement.order_reposts,
        },
    )
    # The main accounts of the other platforms publish it too, under the same approval.
    statement_copies_create(statement, post)
    transaction.on_commit(lambda: notices.notify_statement_published(statement))
    if by_main and statement.order_reposts:
        from govmatrix.emergency.services.fanout import start_fan_out

        transaction.on_commit(lambda: start_fan_out(statement.pk))
