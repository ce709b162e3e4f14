"""Moving posts through review (R5.1); writing them is in `editing.py`.

The allowed moves are POST_TRANSITIONS below; every move goes through
`audit.workflow.transition` on a row locked in the caller's transaction, and what follows
(notifications, the publishing task) starts on commit.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govmatrix.audit.context import current_ip
from govmatrix.audit.services import event_record
from govmatrix.audit.workflow import transition
from govmatrix.core.errors import InvalidTransition, NotFound, ValidationFailed
from govmatrix.core.types import Actor, as_user
from govmatrix.matrix.models import Account
from govmatrix.org.permissions import require, scope_for
from govmatrix.publishing import rules
from govmatrix.publishing.models import (
    Post,
    PostStatus,
    Review,
    ReviewDecision,
)
from govmatrix.publishing.selectors.office import content_check
from govmatrix.publishing.services import notices

logger = logging.getLogger(__name__)

S = PostStatus
POST_TRANSITIONS: dict[str, set[str]] = {
    S.DRAFT: {S.SUBMITTED},
    S.SUBMITTED: {S.APPROVED, S.RETURNED, S.DRAFT},
    S.RETURNED: {S.SUBMITTED, S.DRAFT},
    S.APPROVED: {S.SCHEDULED, S.DRAFT},
    S.SCHEDULED: {S.PUBLISHING, S.DRAFT},
    S.PUBLISHING: {S.PUBLISHED, S.FAILED},
    S.PUBLISHED: set(),
    S.FAILED: {S.SCHEDULED, S.DRAFT},
}


def locked_post(actor: Actor | None, post_id: int) -> Post:
    post = (
        Post.objects.select_for_update(of=("self",))
        .select_related("account", "account__unit", "author")
        .filter(pk=post_id)
        .first()
    )
    if post is None or (actor is not None and not rules.can_view_post(scope_for(actor), post)):
        raise NotFound(_("稿件不存在。"))
    return post


def move(
    post: Post,
    *,
    to: str,
    actor: Actor | None,
    verb: str,
    also_update: Sequence[str] = (),
    note: str = "",
    data: dict[str, Any] | None = None,
) -> str:
    return transition(
        post,
        to=to,
        allowed=POST_TRANSITIONS,
        actor=actor,
        verb=verb,
        unit_id=post.account.unit_id,
        also_update=also_update,
        note=note,
        data={"version": post.version, **(data or {})},
    )


def start_publishing_task(post_id: int) -> None:
    """Publish now rather than at the next minute's sweep; a queue that is down only delays it."""
    from huey.contrib.djhuey import HUEY

    from govmatrix.publishing.tasks import publish_post

    try:
        publish_post(post_id)
    except Exception:
        if HUEY.immediate:
            raise
        logger.exception("could not queue publishing of post %s; the periodic task will", post_id)


def _close_open_review(
    post: Post, *, actor: Actor, decision: str, comment: str = ""
) -> Review | None:
    review = Review.objects.select_for_update().filter(post=post, decision="").first()
    if review is None:
        return None
    review.decision = decision
    review.decided_by = as_user(actor)
    review.decided_at = timezone.now()
    review.comment = comment
    review.save(update_fields=["decision", "decided_by", "decided_at", "comment"])
    return review


def back_to_draft(post: Post, *, actor: Actor, note: str, also_update: Sequence[str] = ()) -> None:
    if post.status == PostStatus.SUBMITTED:
        _close_open_review(post, actor=actor, decision=ReviewDecision.WITHDRAWN, comment=note)
    move(
        post,
        to=PostStatus.DRAFT,
        actor=actor,
        verb="post.reopened",
        note=note,
        also_update=also_update,
    )


# --- review ----------------------------------------------------------------------------------
@transaction.atomic
def post_submit(*, actor: Actor, post_id: int) -> Post:
    """Send the post to the approver, with the content check's hits."""
    post = locked_post(actor, post_id)
    require(rules.can_draft(scope_for(actor), post.account), _("您只能提交本单位的稿件。"))
    errors = {
        name: problem
        for name, problem in (
            ("account", rules.account_problem(post.account)),
            ("text", rules.text_problem(post.text, post.account)),
        )
        if problem
    }
    if errors and S.SUBMITTED in POST_TRANSITIONS[post.status]:
        raise ValidationFailed(errors)
    hits = [hit.as_dict() for hit in content_check(post.text)]
    move(
        post, to=PostStatus.SUBMITTED, actor=actor, verb="post.submitted", data={"hits": len(hits)}
    )
    Review.objects.create(
        post=post,
        version=post.version,
        text=post.text,
        submitted_by=rules.acting_user(actor),
        submitted_at=timezone.now(),
        check_hits=hits,
    )
    transaction.on_commit(lambda: notices.notify_submitted(post, actor.pk))
    return post


@transaction.atomic
def post_withdraw(*, actor: Actor, post_id: int) -> Post:
    """The author takes a submitted post back before the leader decides."""
    post = locked_post(actor, post_id)
    require(rules.can_draft(scope_for(actor), post.account), _("您只能撤回本单位的稿件。"))
    move(post, to=PostStatus.DRAFT, actor=actor, verb="post.withdrawn")
    _close_open_review(post, actor=actor, decision=ReviewDecision.WITHDRAWN)
    return post


def _require_approver(actor: Actor, post: Post) -> None:
    require(rules.can_approve_post(scope_for(actor), post), rules.approval_refusal(post))


@transaction.atomic
def post_approve(
    *, actor: Actor, post_id: int, comment: str = "", version: int | None = None
) -> Post:
    """The principal leader approves; the post is then scheduled (for now, if no time was set).

    `version` is the version the approver read: if the post changed since, nothing happens.
    """
    post = locked_post(actor, post_id)
    _require_approver(actor, post)
    if version is not None and version != post.version:
        raise InvalidTransition(_("稿件在您阅读后被修改过，请重新查看后再审核。"))
    review = Review.objects.select_for_update().filter(post=post, decision="").first()
    if review is None and post.status == PostStatus.SUBMITTED:
        raise InvalidTransition(_("这篇稿件没有待审核的提交。"))
    now = timezone.now()
    self_approval = review is not None and actor.pk in {post.author_id, review.submitted_by_id}
    post.approved_text = post.text
    post.approved_version = post.version
    post.approved_by = as_user(actor)
    post.approved_at = now
    post.approved_ip = current_ip.get()
    move(
        post,
        to=PostStatus.APPROVED,
        actor=actor,
        verb="post.approved",
        also_update=[
            "approved_text",
            "approved_version",
            "approved_by",
            "approved_at",
            "approved_ip",
        ],
        note=comment.strip(),
        data={"self_approval": self_approval, "hits": len(review.check_hits) if review else 0},
    )
    assert review is not None
    review.decision = ReviewDecision.APPROVED
    review.decided_by = as_user(actor)
    review.decided_at = now
    review.comment = comment.strip()
    review.self_approval = self_approval
    review.save(update_fields=["decision", "decided_by", "decided_at", "comment", "self_approval"])
    if post.scheduled_at is None or post.scheduled_at < now:
        post.scheduled_at = now
    move(
        post,
        to=PostStatus.SCHEDULED,
        actor=actor,
        verb="post.scheduled",
        also_update=["scheduled_at"],
        data={"scheduled_at": post.scheduled_at},
    )
    transaction.on_commit(lambda: notices.notify_approved(post, actor.pk))
    if post.scheduled_at <= now:
        transaction.on_commit(lambda: start_publishing_task(post.pk))
    return post


@transaction.atomic
def post_return(*, actor: Actor, post_id: int, comment: str) -> Post:
    """The principal leader sends the post back to its author with comments."""
    post = locked_post(actor, post_id)
    _require_approver(actor, post)
    if not comment.strip():
        raise ValidationFailed({"comment": _("退回时请写明修改意见。")})
    move(post, to=PostStatus.RETURNED, actor=actor, verb="post.returned", note=comment.strip())
    _close_open_review(post, actor=actor, decision=ReviewDecision.RETURNED, comment=comment.strip())
    transaction.on_commit(lambda: notices.notify_returned(post, comment.strip(), actor.pk))
    return post


@transaction.atomic
def post_back_to_draft(*, actor: Actor, post_id: int, note: str = "") -> Post:
    """Take a returned, approved, scheduled or failed post back to draft (it needs approval again)."""
    post = locked_post(actor, post_id)
    scope = scope_for(actor)
    require(
        rules.can_draft(scope, post.account) or rules.can_approve_post(scope, post),
        _("您不能处理这篇稿件。"),
    )
    back_to_draft(post, actor=actor, note=note.strip())
    return post


@transaction.atomic
def post_retry(*, actor: Actor, post_id: int) -> Post:
    """Publish a failed post again, now (its approval still stands: the text did not change)."""
    post = locked_post(actor, post_id)
    scope = scope_for(actor)
    require(
        rules.can_draft(scope, post.account) or rules.can_approve_post(scope, post),
        _("您不能处理这篇稿件。"),
    )
    post.scheduled_at = timezone.now()
    move(
        post, to=PostStatus.SCHEDULED, actor=actor, verb="post.retry", also_update=["scheduled_at"]
    )
    transaction.on_commit(lambda: start_publishing_task(post.pk))
    return post


def post_copy(*, actor: Actor | None, post_id: int, account_id: int, note: str = "") -> Post:
    """Publish an approved post's text on another account too, under the same approval (an
    incident's statement, approved once by the commander, goes out from the main account of
    every platform). The copy is scheduled for now and published like any post; its approval
    is its source's, written down in the event, and nobody is asked again.

    Runs inside the caller's transaction (also the outbox's, when the source has just been
    published) and never refuses a copy for its text: what the platform refuses is recorded
    as the copy's failure, where the office sees it and may retry."""
    source = Post.objects.select_related("approved_by").get(pk=post_id)
    if source.approved_by_id is None or source.approved_version != source.version:
        raise InvalidTransition(_("只有审核通过的稿件才能由其他账号同步发布。"))
    account = Account.objects.select_related("unit").get(pk=account_id)
    now = timezone.now()
    text = source.approved_text or source.text
    copy = Post.objects.create(
        account=account,
        author=source.author,
        text=text,
        important=source.important,
        status=PostStatus.SCHEDULED,
        scheduled_at=now,
        approved_text=text,
        approved_version=1,
        approved_by=source.approved_by,
        approved_at=source.approved_at,
        approved_ip=source.approved_ip,
    )
    copy.topics.set(source.topics.all())
    approval = (
        Review.objects.filter(post=source, decision=ReviewDecision.APPROVED)
        .order_by("-decided_at", "-pk")
        .first()
    )
    event_record(
        actor=actor,
        actor_name="" if actor is not None else "system",
        verb="post.copied",
        obj=copy,
        unit_id=account.unit_id,
        to_state=copy.status,
        note=note,
        data={
            "account": account.pk,
            "text": text,
            "source": source.pk,
            # The approval the copy carries: the source's, by whom and when.
            "approval": {
                "post": source.pk,
                "version": source.approved_version,
                "review": approval.pk if approval else None,
                "approved_by": source.approved_by_id,
                "approved_at": source.approved_at,
            },
        },
    )
    transaction.on_commit(lambda: start_publishing_task(copy.pk))
    return copy
