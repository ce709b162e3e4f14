"""Reads of posts, already scoped to what the user may see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Min, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from govmatrix.core.errors import NotFound
from govmatrix.core.types import Actor
from govmatrix.matrix.models import OPEN_STATUSES, Account, AccountKind
from govmatrix.org.models import Role
from govmatrix.org.permissions import UNIT_EDITOR_ROLES, Scope, scope_for
from govmatrix.platforms.models import OutboxOperation
from govmatrix.publishing.models import Post, PostStatus, Review
from govmatrix.publishing.rules import (
    PUBLISHING_KINDS,
    authorities_approvable_q,
    can_approve_post,
    can_draft,
    governed_q,
)

SUBJECT_TYPE = "publishing.post"


@dataclass(frozen=True)
class PostFilter:
    unit_id: int | None = None
    account_id: int | None = None
    status: str = ""
    topic_id: int | None = None
    important: bool | None = None
    mine: bool = False
    q: str = ""
    published_on: date | None = None
    scheduled_until: date | None = None
    since: date | None = None
    until: date | None = None


def _visible_posts(user: Actor) -> QuerySet[Post]:
    posts = Post.objects.select_related("account", "account__unit", "author", "approved_by")
    scope = scope_for(user)
    visible = scope.visible_unit_ids
    if visible is None:
        return posts
    # Also the posts another approval authority lets the user decide on (e.g. a commander's).
    return posts.filter(Q(account__unit_id__in=visible) | authorities_approvable_q(scope))


def post_list(*, user: Actor, filters: PostFilter | None = None) -> QuerySet[Post]:
    posts = _visible_posts(user)
    f = filters or PostFilter()
    if f.unit_id:
        posts = posts.filter(account__unit_id=f.unit_id)
    if f.account_id:
        posts = posts.filter(account_id=f.account_id)
    if f.status:
        posts = posts.filter(status=f.status)
    if f.topic_id:
        posts = posts.filter(topics__id=f.topic_id)
    if f.important is not None:
        posts = posts.filter(important=f.important)
    if f.mine:
        posts = posts.filter(author_id=user.pk)
    if f.q:
        posts = posts.filter(
            Q(text__icontains=f.q)
            | Q(account__display_name__icontains=f.q)
            | Q(account__unit__name__icontains=f.q)
        )
    if f.published_on:
        posts = posts.filter(published_at__date=f.published_on)
    if f.scheduled_until:
        posts = posts.filter(scheduled_at__date__lte=f.scheduled_until)
    if f.since:
        posts = posts.filter(created_at__date__gte=f.since)
    if f.until:
        posts = posts.filter(created_at__date__lte=f.until)
    return posts.prefetch_related("topics").distinct()


def post_get(*, user: Actor, post_id: int) -> Post:
    post = _visible_posts(user).filter(pk=post_id).prefetch_related("topics", "images").first()
    if post is None:
        raise NotFound(_("稿件不存在。"))
    return post


def open_review(post: Post) -> Review | None:
    return post.reviews.filter(decision="").select_related("submitted_by").first()


def review_history(post: Post) -> QuerySet[Review]:
    return post.reviews.select_related("submitted_by", "decided_by").order_by("-submitted_at")


def last_returned_review(post: Post) -> Review | None:
    return post.reviews.filter(decision="returned").order_by("-decided_at").first()


def publish_operation(post: Post) -> OutboxOperation | None:
    """The latest platform call made for the post (its state says whether a retry is pending)."""
    return (
        OutboxOperation.objects.filter(subject_type=SUBJECT_TYPE, subject_id=str(post.pk))
        .order_by("-created_at", "-id")
        .first()
    )


def draftable_accounts(*, user: Actor) -> QuerySet[Account]:
    """Open official accounts the user may write posts for."""
    scope = scope_for(user)
    accounts = Account.objects.select_related("unit").filter(
        kind__in=PUBLISHING_KINDS, status__in=OPEN_STATUSES
    )
    return accounts if scope.is_office_admin else accounts.filter(unit_id__in=_editor_units(scope))


def _editor_units(scope: Scope) -> list[int]:
    return [unit_id for unit_id, role in scope.roles if role in UNIT_EDITOR_ROLES]


def _approvable_q(scope: Scope) -> Q:
    units = [unit_id for unit_id, role in scope.roles if role == Role.PRINCIPAL_LEADER]
    condition = Q(account__unit_id__in=units)
    if scope.is_office_admin:
        condition |= Q(account__kind=AccountKind.MAIN)
    # Posts governed by another authority are decided by it alone.
    return (condition & ~governed_q()) | authorities_approvable_q(scope)


def approvals_waiting(*, user: Actor) -> QuerySet[Post]:
    """Posts waiting for this user's approval, oldest submission first."""
    scope = scope_for(user)
    if scope.user_id is None:
        return Post.objects.none()
    return (
        Post.objects.select_related("account", "account__unit", "author")
        .filter(_approvable_q(scope), status=PostStatus.SUBMITTED)
        .annotate(submitted_at=Min("reviews__submitted_at", filter=Q(reviews__decision="")))
        .order_by("submitted_at", "id")
    )


def may_approve_anything(scope: Scope) -> bool:
    if scope.is_office_admin or any(role == Role.PRINCIPAL_LEADER for _u, role in scope.roles):
        return True
    return (
        scope.user_id is not None and Post.objects.filter(authorities_approvable_q(scope)).exists()
    )


def returned_to_me(*, user: Actor) -> QuerySet[Post]:
    return (
        Post.objects.select_related("account")
        .filter(author_id=user.pk, status=PostStatus.RETURNED)
        .order_by("updated_at")
    )


def failed_posts(*, user: Actor) -> QuerySet[Post]:
    """Failed posts the user can act on (retry or edit)."""
    scope = scope_for(user)
    posts = _visible_posts(user).filter(status=PostStatus.FAILED)
    return (
        posts if scope.is_office_admin else posts.filter(account__unit_id__in=_editor_units(scope))
    )


def actions_for(*, user: Actor, post: Post) -> dict[str, bool]:
    """What the user may do to the post in its current state (the services check again)."""
    scope = scope_for(user)
    drafts = can_draft(scope, post.account)
    approves = can_approve_post(scope, post)
    s = post.status
    return {
        "edit": drafts
        and s in {"draft", "submitted", "returned", "approved", "scheduled", "failed"},
        "submit": drafts and s in {"draft", "returned"},
        "withdraw": drafts and s == "submitted",
        "review": approves and s == "submitted",
        "back_to_draft": (drafts or approves)
        and s in {"returned", "approved", "scheduled", "failed"},
        "retry": (drafts or approves) and s == "failed",
    }


def due_post_ids(
    *, now: datetime | None = None, limit: int = 200, only: Q | None = None
) -> list[int]:
    moment = now or timezone.now()
    due = Post.objects.filter(status=PostStatus.SCHEDULED, scheduled_at__lte=moment)
    if only is not None:
        due = due.filter(only)
    return list(due.order_by("scheduled_at", "id").values_list("pk", flat=True)[:limit])
