"""Writing posts: create one, change one. A change to a post past draft sends it back to
draft (R5.1: every version that is published was approved), in the same save."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any, TypedDict, Unpack

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govmatrix.audit.services import event_record
from govmatrix.core.errors import InvalidTransition, ValidationFailed
from govmatrix.core.types import Actor
from govmatrix.matrix.models import Account
from govmatrix.org.permissions import require, scope_for
from govmatrix.publishing import rules
from govmatrix.publishing.models import EDITABLE_STATES, Post, PostImage, PostStatus, Topic
from govmatrix.publishing.services.posts import back_to_draft, locked_post

# A chosen time may lie this far in the past (the form was open for a while): it means "now".
SCHEDULE_SLACK = timedelta(minutes=5)

ImageUpload = tuple[str, bytes]  # (file name as uploaded, content)


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
    post_images: int, uploads: Sequence[ImageUpload], errors: dict[str, str], account: Account
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
    elif checked and (problem := rules.images_problem(post_images + len(checked), account)):
        errors["images"] = problem
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
    checked = _check_images(0, images, errors, account)
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
    added = _check_images(remaining, changes.get("add_images", ()), errors, post.account)
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
        back_to_draft(post, actor=actor, note=_("稿件被修改，须重新审核。"), also_update=fields)
    if new_topics is not None and "topics" in diff:
        post.topics.set(new_topics)
    for image in removed:
        image.file.delete(save=False)
        image.delete()
    _attach_images(post, added)
    return post
