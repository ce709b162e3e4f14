"""Reads of the local platform: what the public pages show and what the connector returns.

The public site has no logins: everything here is what any visitor may see, except
`message_by_receipt` (only the holder of the private link) and `inbox_after` (the connector,
for the account it acts as).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Count, F, IntegerField, Max, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from govmatrix.matrix.models import (
    OFFICIAL_KINDS,
    OPEN_STATUSES,
    Account,
    AccountKind,
    AccountStatus,
    Platform,
)
from govmatrix.platforms.local.models import (
    LocalComment,
    LocalFollow,
    LocalInboxEntry,
    LocalLike,
    LocalMessage,
    LocalPost,
    LocalPostImage,
    ModerationState,
)
from govmatrix.platforms.local.rules import MAX_MENTIONS


def local_accounts() -> QuerySet[Account]:
    """Accounts that exist on the local platform now (open: active or dormant)."""
    return Account.objects.filter(platform=Platform.LOCAL, status__in=OPEN_STATUSES)


def _with_version(accounts: QuerySet[Account]) -> QuerySet[Account]:
    return accounts.annotate(page_version=Coalesce(F("local_state__version"), 0))


def public_account(handle: str) -> Account | None:
    """The account behind /p/<handle>/, with `page_version` for its cache keys."""
    return _with_version(local_accounts().filter(handle=handle)).first()


@dataclass(frozen=True)
class IndexVersion:
    accounts: int
    versions: int
    updated: datetime | None

    @property
    def key(self) -> str:
        stamp = self.updated.timestamp() if self.updated else 0
        return f"{self.accounts}.{self.versions}.{stamp}"


def index_version() -> IndexVersion:
    """Changes whenever the index page could: an account added, edited, posting or followed."""
    row = local_accounts().aggregate(
        accounts=Count("id"),
        versions=Coalesce(Sum("local_state__version"), 0),
        updated=Max("updated_at"),
    )
    return IndexVersion(row["accounts"], row["versions"], row["updated"])


def _count(rows: QuerySet[Any], *, per: str) -> Coalesce:
    """A correlated COUNT of `rows` (filtered on OuterRef("pk")), grouped by the `per` column."""
    counted = rows.order_by().values(per).annotate(n=Count("id")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def index_accounts() -> list[Account]:
    """The district's active official accounts: the main account first, then by unit."""
    live_posts = LocalPost.objects.filter(account=OuterRef("pk"), deleted_at__isnull=True)
    accounts = local_accounts().filter(status=AccountStatus.ACTIVE, kind__in=OFFICIAL_KINDS)
    rows = accounts.select_related("unit").annotate(
        post_count=_count(live_posts, per="account"),
        follower_count=_count(LocalFollow.objects.filter(account=OuterRef("pk")), per="account"),
        last_posted_at=Subquery(live_posts.order_by("-created_at").values("created_at")[:1]),
    )
    return sorted(rows, key=lambda a: (a.kind != AccountKind.MAIN, a.unit.sort_order, a.handle))


def _counted(posts: QuerySet[LocalPost]) -> QuerySet[LocalPost]:
    """Posts with their public counts: reposts, visible comments and likes."""
    reposts = LocalPost.objects.filter(repost_of=OuterRef("pk"), deleted_at__isnull=True)
    comments = LocalComment.objects.filter(post=OuterRef("pk"), state=ModerationState.VISIBLE)
    return posts.annotate(
        repost_count=_count(reposts, per="repost_of"),
        comment_count=_count(comments, per="post"),
        like_count=_count(LocalLike.objects.filter(post=OuterRef("pk")), per="post"),
    )


def account_posts(account: Account) -> QuerySet[LocalPost]:
    """The account's posts and reposts, newest first, with the reposted original at hand."""
    posts = LocalPost.objects.filter(account=account, deleted_at__isnull=True)
    return (
        _counted(posts)
        .select_related("account", "repost_of__account", "in_reply_to__account")
        .prefetch_related("images", "repost_of__images")
        .order_by("-created_at", "-id")
    )


def public_post(account: Account, post_id: int) -> LocalPost | None:
    return (
        _counted(LocalPost.objects.filter(account=account, pk=post_id, deleted_at__isnull=True))
        .select_related("account", "repost_of__account", "in_reply_to__account")
        .prefetch_related("images", "repost_of__images")
        .first()
    )


def public_image(image_id: int) -> LocalPostImage | None:
    """An image of a live post of an open account: what the public may fetch."""
    return (
        LocalPostImage.objects.select_related("post__account")
        .filter(
            pk=image_id,
            post__deleted_at__isnull=True,
            post__account__platform=Platform.LOCAL,
            post__account__status__in=OPEN_STATUSES,
        )
        .first()
    )


def post_of(account: Account, post_id: int) -> LocalPost | None:
    """A live post of the account, without counts (for writes)."""
    return LocalPost.objects.filter(account=account, pk=post_id, deleted_at__isnull=True).first()


@dataclass
class Thread:
    """A top-level comment and, flattened beneath it, every reply to it or to its replies."""

    comment: LocalComment
    replies: list[LocalComment] = field(default_factory=list)


def comment_threads(post: LocalPost) -> list[Thread]:
    """The post's comments as threads, oldest first.

    Hidden and deleted comments are left out; one that still has visible replies stays as a
    placeholder (its text is not shown), so the replies keep their context.
    """
    # Built in id order (a parent is always older than its replies), shown in time order.
    comments = list(
        LocalComment.objects.filter(post=post)
        .select_related("official_account", "parent__official_account")
        .order_by("id")
    )
    threads: dict[int, Thread] = {}
    root_of: dict[int, int] = {}
    for comment in comments:
        if comment.parent_id is None:
            threads[comment.pk] = Thread(comment)
            root_of[comment.pk] = comment.pk
        elif (root := root_of.get(comment.parent_id)) is not None:
            root_of[comment.pk] = root
            threads[root].replies.append(comment)
    shown = []
    for thread in threads.values():
        thread.replies = sorted(
            (r for r in thread.replies if r.is_visible), key=lambda r: (r.created_at, r.pk)
        )
        if thread.comment.is_visible or thread.replies:
            shown.append(thread)
    return sorted(shown, key=lambda t: (t.comment.created_at, t.comment.pk))


def message_by_receipt(token: str) -> LocalMessage | None:
    digest = hashlib.sha256(token.encode("utf-8")).hexdigest()
    return (
        LocalMessage.objects.filter(receipt_hash=digest, parent__isnull=True)
        .select_related("account")
        .first()
    )


def message_replies(message: LocalMessage) -> QuerySet[LocalMessage]:
    return (
        LocalMessage.objects.filter(parent=message, state=ModerationState.VISIBLE)
        .select_related("official_account")
        .order_by("created_at", "id")
    )


def inbox_after(account: Account, *, after_seq: int, limit: int) -> list[LocalInboxEntry]:
    """The account's inbox entries numbered after `after_seq`, in order."""
    return list(
        LocalInboxEntry.objects.filter(account=account, seq__gt=after_seq)
        .select_related(
            "comment__post__account",
            "comment__official_account",
            "message__account",
            "message__official_account",
        )
        .order_by("seq")[:limit]
    )


def is_addressed_to(
    account: Account, *, comment_id: int | None = None, message_id: int | None = None
) -> bool:
    """Whether the comment or message reached the account's inbox (on its post, to it, or @ it)."""
    entries = LocalInboxEntry.objects.filter(account=account)
    if comment_id is not None:
        return entries.filter(comment_id=comment_id).exists()
    return entries.filter(message_id=message_id).exists()


_HANDLE_CHAR = re.compile(r"[a-z0-9_]")


def mentioned_accounts(text: str, *, exclude_id: int | None = None) -> list[Account]:
    """Local accounts the text addresses with "@handle" or "@display name" (longest name wins)."""
    if "@" not in text and "＠" not in text:
        return []
    text = text.replace("＠", "@")
    names: list[tuple[str, Account, bool]] = []
    for account in local_accounts():
        names.append((account.handle, account, True))
        display = account.display_name.lstrip("@＠")
        if display:
            names.append((display, account, False))
    names.sort(key=lambda item: len(item[0]), reverse=True)
    found: dict[int, Account] = {}
    for position, char in enumerate(text):
        if char != "@":
            continue
        rest = text[position + 1 :]
        for name, account, is_handle in names:
            if not rest.startswith(name):
                continue
            after = rest[len(name) : len(name) + 1]
            if is_handle and after and _HANDLE_CHAR.match(after):
                continue
            if account.pk != exclude_id:
                found.setdefault(account.pk, account)
            break
        if len(found) >= MAX_MENTIONS:
            break
    return list(found.values())


def post_counts(post_ids: list[int]) -> list[LocalPost]:
    """Live posts among `post_ids`, with their counts (for metrics)."""
    return list(_counted(LocalPost.objects.filter(pk__in=post_ids, deleted_at__isnull=True)))


def follower_count(account: Account) -> int:
    return LocalFollow.objects.filter(account=account).count()


def live_post_count(account: Account) -> int:
    return LocalPost.objects.filter(account=account, deleted_at__isnull=True).count()


def visible_comments(post: LocalPost) -> QuerySet[LocalComment]:
    return LocalComment.objects.filter(post=post, state=ModerationState.VISIBLE)
