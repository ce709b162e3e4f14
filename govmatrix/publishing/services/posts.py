"""Writing posts and moving them through review (R3.1, R5.1).

The allowed moves are POST_TRANSITIONS below; every move goes through
`audit.workflow.transition` on a row locked in the caller's transaction, and what follows
(notifications, the publishing task) starts on commit.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any, TypedDict, Unpack

from django.core.files.base import ContentFile
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
    EDITABLE_STATES,
    Post,
    PostImage,
    PostStatus,
    Review,
    ReviewDecision,
    Topic,
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

# A chosen time may lie this far in the past (the form was open for a while): it means "now".
SCHEDULE_SLACK = timedelta(minutes=5)

ImageUpload = tuple[str, bytes]  # (file name as uploaded, content)


def locked_post(actor: Actor | None, post_id: int) -> Post:
    post = (
        Post.objects.select_for_update(of=("self",))
        .select_related("account", "account__unit", "author")
        .filter(pk=post_id)
        .first()
    )
    if post is None or (
        actor is not None and not scope_for(actor).can_view_unit(post.account.unit_id)
    ):
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


# --- checks shared by create and update ------------------------------------------------------
def _topics(topic_ids: Sequence[int], errors: dict[str, str]) -> list[Topic]:
    wanted = set(topic_ids)
    topics = list(Topic.objects.filter(pk__in=wanted, is_active=True))
    if len(topics) != len(wanted):
        errors["topics"] = _("主题不存在或已停用。")
    return topics


def _check_schedule(scheduled_at: datetime | None, errors: dict[str, str]) -> None:
    if scheduled_at is None:
        return
    if timezone.is_naive(scheduled_at):
        errors["scheduled_at"] = _("发布时间须带时区。")
    elif scheduled_at < timezone.now() - SCHEDULE_SLACK:
        errors["scheduled_at"] = _("发布时间不能早于现在。")


def _check_images(
    post_images: int, uploads: Sequence[ImageUpload], errors: dict[str, str]
) -> list[rules.CheckedImage]:
    checked = []
    for name, content in uploads:
        try:
            checked.append(rules.check_image(name, content))
        except ValueError as exc:
            errors["images"] = str(exc)
            return []
    if post_images + len(checked) > rules.MAX_IMAGES:
        errors["images"] = _("最多 %(n)d 张图片。") % {"n": rules.MAX_IMAGES}
    return checked


def _attach_images(post: Post, images: Sequence[rules.CheckedImage]) -> None:
    start = post.images.count()
    for index, image in enumerate(images):
        record = PostImage(
            post=post,
            token=secrets.token_hex(8),
            extension=image.extension,
            content_type=image.content_type,
            size=len(image.content),
            width=image.width,
            height=image.height,
            original_name=image.original_name,
            sort_order=start + index,
        )
        record.file.save("image", ContentFile(image.content), save=False)
        record.save()


# --- create and edit -----------------------------------------------------------------------
@transaction.atomic
def post_create(
    *,
    actor: Actor,
    account_id: int,
    text: str,
    topic_ids: Sequence[int] = (),
    important: bool = False,
    scheduled_at: datetime | None = None,
    images: Sequence[ImageUpload] = (),
    repost_of_id: int | None = None,
) -> Post:
    scope = scope_for(actor)
    account = Account.objects.select_related("unit").filter(pk=account_id).first()
    if account is None or not scope.can_view_unit(account.unit_id):
        raise ValidationFailed({"account": _("账号不存在。")})
    require(rules.can_draft(scope, account), _("您只能为本单位的账号撰写稿件。"))
    errors: dict[str, str] = {}
    if problem := rules.account_problem(account):
        errors["account"] = problem
    if problem := rules.text_problem(text, account):
        errors["text"] = problem
    topics = _topics(topic_ids, errors)
    _check_schedule(scheduled_at, errors)
    checked = _check_images(0, images, errors)
    if errors:
        raise ValidationFailed(errors)
    post = Post.objects.create(
        account=account,
        author=rules.acting_user(actor),
        text=text.strip(),
        important=important,
        scheduled_at=scheduled_at,
        repost_of_id=repost_of_id,
    )
    post.topics.set(topics)
    _attach_images(post, checked)
    event_record(
        actor=actor,
        verb="post.created",
        obj=post,
        unit_id=account.unit_id,
        to_state=post.status,
        data={
            "account": account.pk,
            "text": post.text,
            "topics": sorted(t.code for t in topics),
            "important": important,
            "scheduled_at": scheduled_at,
            "images": len(checked),
            "repost_of": repost_of_id,
        },
    )
    return post


class PostChanges(TypedDict, total=False):
    text: str
    topic_ids: Sequence[int]
    important: bool
    scheduled_at: datetime | None
    add_images: Sequence[ImageUpload]
    remove_image_ids: Sequence[int]


@transaction.atomic
def post_update(*, actor: Actor, post_id: int, **changes: Unpack[PostChanges]) -> Post:
    """Change a post. Any change to a post past draft sends it back to draft (R5.1)."""
    post = locked_post(actor, post_id)
    require(rules.can_draft(scope_for(actor), post.account), _("您只能修改本单位的稿件。"))
    if post.status not in EDITABLE_STATES:
        raise InvalidTransition(_("发布中或已发布的稿件不能修改。"))
    errors: dict[str, str] = {}
    diff: dict[str, list[Any]] = {}
    if "text" in changes and changes["text"].strip() != post.text:
        if problem := rules.text_problem(changes["text"], post.account):
            errors["text"] = problem
        diff["text"] = [post.text, changes["text"].strip()]
    if "important" in changes and changes["important"] != post.important:
        diff["important"] = [post.important, changes["important"]]
    if "scheduled_at" in changes and changes["scheduled_at"] != post.scheduled_at:
        _check_schedule(changes["scheduled_at"], errors)
        diff["scheduled_at"] = [post.scheduled_at, changes["scheduled_at"]]
    new_topics = None
    if "topic_ids" in changes:
        old_codes = sorted(post.topics.values_list("code", flat=True))
        new_topics = _topics(changes["topic_ids"], errors)
        if sorted(t.code for t in new_topics) != old_codes:
            diff["topics"] = [old_codes, sorted(t.code for t in new_topics)]
    removed = list(post.images.filter(pk__in=changes.get("remove_image_ids", ())))
    remaining = post.images.count() - len(removed)
    added = _check_images(remaining, changes.get("add_images", ()), errors)
    if errors:
        raise ValidationFailed(errors)
    if removed or added:
        diff["images"] = [[i.pk for i in removed], len(added)]
    if not diff:
        return post
    if "text" in diff or "images" in diff:
        post.version += 1
    for name in ("text", "important", "scheduled_at"):
        if name in diff:
            setattr(post, name, diff[name][1])
    event_record(
        actor=actor,
        verb="post.updated",
        obj=post,
        unit_id=post.account.unit_id,
        data={"version": post.version, "changes": diff},
    )
    fields = ["text", "important", "scheduled_at", "version"]
    if post.status == PostStatus.DRAFT:
        post.save(update_fields=[*fields, "updated_at"])
    else:
        # One save with the move: a changed version is never left in an approved state.
        _back_to_draft(post, actor=actor, note=_("稿件被修改，须重新审核。"), also_update=fields)
    if new_topics is not None and "topics" in diff:
        post.topics.set(new_topics)
    for image in removed:
        image.file.delete(save=False)
        image.delete()
    _attach_images(post, added)
    return post


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


def _back_to_draft(post: Post, *, actor: Actor, note: str, also_update: Sequence[str] = ()) -> None:
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
    require(
        rules.can_approve(scope_for(actor), post.account),
        _("只有本单位的主要领导可以审核本单位的稿件（主账号的稿件由管理办公室审核）。"),
    )


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
        rules.can_draft(scope, post.account) or rules.can_approve(scope, post.account),
        _("您不能处理这篇稿件。"),
    )
    _back_to_draft(post, actor=actor, note=note.strip())
    return post


@transaction.atomic
def post_retry(*, actor: Actor, post_id: int) -> Post:
    """Publish a failed post again, now (its approval still stands: the text did not change)."""
    post = locked_post(actor, post_id)
    scope = scope_for(actor)
    require(
        rules.can_draft(scope, post.account) or rules.can_approve(scope, post.account),
        _("您不能处理这篇稿件。"),
    )
    post.scheduled_at = timezone.now()
    move(
        post, to=PostStatus.SCHEDULED, actor=actor, verb="post.retry", also_update=["scheduled_at"]
    )
    transaction.on_commit(lambda: start_publishing_task(post.pk))
    return post
