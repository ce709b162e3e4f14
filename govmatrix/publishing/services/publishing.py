"""Publishing approved posts through the outbox, and hearing the outcome.

A due scheduled post is claimed by a conditional UPDATE (only the worker whose UPDATE still
finds it scheduled goes on; the row lock it takes makes every other worker wait and then find
nothing), moved to `publishing` and given one outbox operation — all in one transaction. The
operation's key is stable for the post's version and publishing round, so a repeated task,
a second worker or a restarted one never makes a second operation. The outbox calls the
handlers below with the outcome, inside its own transaction.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from govmatrix.platforms.models import OutboxKind, OutboxOperation
from govmatrix.platforms.services import OutcomeHandler, outbox_enqueue
from govmatrix.publishing import rules
from govmatrix.publishing.models import Post, PostStatus
from govmatrix.publishing.selectors.office import is_paused
from govmatrix.publishing.selectors.posts import SUBJECT_TYPE, due_post_ids
from govmatrix.publishing.services import notices
from govmatrix.publishing.services.posts import move
from govmatrix.publishing.services.reports import report_item_create

logger = logging.getLogger(__name__)

# Other apps hear of every published post, inside the transaction that publishes it.
PublishedCallback = Callable[[Post], None]
_PUBLISHED_CALLBACKS: list[PublishedCallback] = []


def register_published_callback(callback: PublishedCallback) -> None:
    """`callback(post)` runs in the transaction that marks the post published; it may write
    (and start its own side effects with `on_commit`). An error in it undoes the record of the
    publication: the call stays claimed until its lease runs out and the sweeper records it
    again. So it must return quietly for a post it does not care about."""
    if callback not in _PUBLISHED_CALLBACKS:
        _PUBLISHED_CALLBACKS.append(callback)


def _held_by_pause(post_id: int) -> bool:
    """While the office has paused scheduled publishing, only exempt posts go out."""
    if not is_paused():
        return False
    return not Post.objects.filter(rules.pause_exempt_q(), pk=post_id).exists()


def idempotency_key(post: Post) -> str:
    return f"{SUBJECT_TYPE}:{post.pk}:v{post.version}:r{post.publish_round}"


def _payload(post: Post) -> tuple[str, dict[str, Any]]:
    original = post.repost_of
    if (
        original is not None
        and original.external_id
        and original.account.platform == post.account.platform
    ):
        return OutboxKind.REPOST, {"post_id": original.external_id, "comment": post.text}
    media = [
        {"name": image.file.name, "content_type": image.content_type} for image in post.images.all()
    ]
    return OutboxKind.PUBLISH, {"text": post.text, "media": media}


def post_publish(*, post_id: int, now: datetime | None = None) -> bool:
    """Start publishing one due post; False if it is not due, is someone else's, or all is paused."""
    moment = now or timezone.now()
    with transaction.atomic():
        if _held_by_pause(post_id):
            return False
        claimed = Post.objects.filter(
            pk=post_id, status=PostStatus.SCHEDULED, scheduled_at__lte=moment
        ).update(publishing_since=moment)
        if claimed != 1:
            return False
        post = (
            Post.objects.select_for_update(of=("self",))
            .select_related("account", "account__unit", "approved_by", "repost_of__account")
            .get(pk=post_id)
        )
        post.publish_round += 1
        kind, payload = _payload(post)
        move(
            post,
            to=PostStatus.PUBLISHING,
            actor=None,
            verb="post.publishing",
            also_update=["publish_round", "publishing_since"],
            data={"round": post.publish_round, "kind": kind},
        )
        outbox_enqueue(
            account=post.account,
            kind=kind,
            payload=payload,
            idempotency_key=idempotency_key(post),
            subject=post,
            operator=post.approved_by,
            operator_ip=post.approved_ip,
        )
    return True


def posts_publish_due(*, now: datetime | None = None, limit: int = 200) -> int:
    """Publish every scheduled post whose time has come (while paused, only those exempt from
    the pause); returns how many."""
    only = rules.pause_exempt_q() if is_paused() else None
    started = 0
    for post_id in due_post_ids(now=now, limit=limit, only=only):
        if post_publish(post_id=post_id, now=now):
            started += 1
    return started


# --- outcomes, called by the outbox inside its transaction -----------------------------------
def _post_for(operation: OutboxOperation) -> Post | None:
    post = (
        Post.objects.select_for_update(of=("self",))
        .select_related("account", "account__unit", "author")
        .filter(pk=int(operation.subject_id))
        .first()
    )
    if post is None or post.status != PostStatus.PUBLISHING:
        return None
    if operation.idempotency_key != idempotency_key(post):
        logger.warning(
            "outbox operation %s is not the current round of post %s", operation.pk, post.pk
        )
        return None
    return post


def _published_at(value: Any) -> datetime:
    parsed = parse_datetime(value) if isinstance(value, str) else None
    if parsed is None:
        return timezone.now()
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)


def post_publish_succeeded(operation: OutboxOperation) -> None:
    post = _post_for(operation)
    if post is None:
        return
    result = operation.result or {}
    post.external_id = str(result.get("id") or "")[:100]
    post.public_url = str(result.get("url") or "")[:500]
    post.published_at = _published_at(result.get("created_at"))
    post.failure_message = ""
    move(
        post,
        to=PostStatus.PUBLISHED,
        actor=None,
        verb="post.published",
        also_update=["external_id", "public_url", "published_at", "failure_message"],
        data={
            "operation": operation.pk,
            "external_id": post.external_id,
            "url": post.public_url,
            "duplicate": bool(result.get("duplicate")),
        },
    )
    # R3.2: reported to the office at the moment it is published, in the same transaction.
    report_item_create(post=post)
    for callback in _PUBLISHED_CALLBACKS:
        callback(post)
    transaction.on_commit(lambda: notices.notify_published(post))


def post_publish_failed(operation: OutboxOperation) -> None:
    post = _post_for(operation)
    if post is None:
        return
    post.failure_message = operation.last_error_message or operation.last_error_code
    move(
        post,
        to=PostStatus.FAILED,
        actor=None,
        verb="post.failed",
        also_update=["failure_message"],
        note=post.failure_message,
        data={"operation": operation.pk, "code": operation.last_error_code},
    )
    transaction.on_commit(lambda: notices.notify_failed(post))


OUTCOME_HANDLER = OutcomeHandler(on_success=post_publish_succeeded, on_failure=post_publish_failed)
