"""The connector of the built-in local platform (`platform = "local"`).

It acts on the platform's own tables through `local.services`, each call in its own short
transaction (the outbox calls it outside any transaction). Ids it hands out:

* a post: its number, e.g. "42" (`PublishedPost.id`, and `post_id` of interactions);
* a comment: "c<number>", a message (留言): "m<number>" (`Interaction.id`). A comment that
  mentions another account reaches both accounts' inboxes with the same id — once as a
  COMMENT (or DM) of the account it was written to, once as a MENTION of the other — as on
  Weibo.

`fetch_interactions` pages through one account's inbox in the order the platform received
it. The cursor is opaque to callers ("v1.<account>.<sequence>" today); `next_cursor` is never
None: pass it back next time to get what came after. A page shorter than `limit` means the
inbox is read to its end for now.

For the worker-kill test only: `LOCAL_PLATFORM_TEST_DELAY_MS` in the environment makes every
write (publish, repost, reply) sleep that many milliseconds, half before and half after its
transaction, so a test can kill a worker while a call is in flight. Leave it unset elsewhere.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import ClassVar, TypeVar

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from govmatrix.core.errors import DomainError, NotAllowed, NotFound, ValidationFailed
from govmatrix.matrix.models import Account, Platform
from govmatrix.platforms.base import (
    AccountMetrics,
    AccountRef,
    ActionContext,
    Author,
    Capability,
    ContentRejected,
    Forbidden,
    Interaction,
    InteractionKind,
    InvalidRequest,
    Limits,
    MediaFile,
    ModerationAction,
    ModerationResult,
    NotFoundOnPlatform,
    Page,
    PostMetrics,
    PublishedPost,
)
from govmatrix.platforms.local import selectors, services
from govmatrix.platforms.local.models import LocalComment, LocalInboxEntry, LocalMessage, LocalPost
from govmatrix.platforms.local.rules import (
    MAX_IMAGES,
    POST_MAX_CHARS,
    comment_ref,
    message_ref,
    parse_post_id,
)

PLATFORM = Platform.LOCAL.value
T = TypeVar("T")

_CAPABILITIES = frozenset(
    {
        Capability.PUBLISH,
        Capability.PUBLISH_IDEMPOTENT,
        Capability.REPOST,
        Capability.REPOST_WITH_COMMENT,
        Capability.DELETE_OWN_POST,
        Capability.READ_INBOX,
        Capability.READ_DMS,
        Capability.REPLY,
        Capability.DELETE_COMMENT,
        Capability.HIDE_COMMENT,
        Capability.BLOCK_AUTHOR,
        Capability.POST_METRICS,
        Capability.ACCOUNT_METRICS,
    }
)


@contextmanager
def _platform_errors() -> Iterator[None]:
    """The local platform's refusals, as the typed errors every connector raises."""
    try:
        yield
    except ValidationFailed as exc:
        raise ContentRejected(exc.message, platform=PLATFORM, code="content") from exc
    except NotFound as exc:
        raise NotFoundOnPlatform(exc.message, platform=PLATFORM, code="not_found") from exc
    except NotAllowed as exc:
        raise Forbidden(exc.message, platform=PLATFORM, code="forbidden") from exc
    except DomainError as exc:
        raise InvalidRequest(exc.message, platform=PLATFORM, code="invalid") from exc


def _test_delay() -> None:
    millis = os.environ.get("LOCAL_PLATFORM_TEST_DELAY_MS", "")
    if millis.isdigit() and int(millis) > 0:
        time.sleep(int(millis) / 2000)


def _slowed(call: Callable[[], T]) -> T:
    _test_delay()
    result = call()
    _test_delay()
    return result


def _account(ref: AccountRef) -> Account:
    if ref.platform != PLATFORM:
        raise InvalidRequest(
            _("账号 %(handle)s 不在本地平台上。") % {"handle": ref.handle}, platform=PLATFORM
        )
    account = Account.objects.filter(platform=PLATFORM, handle=ref.handle).first()
    if account is None:
        raise NotFoundOnPlatform(
            _("本地平台上没有账号 %(handle)s。") % {"handle": ref.handle},
            platform=PLATFORM,
            code="no_account",
        )
    return account


def _post_id(post_id: str) -> int:
    number = parse_post_id(str(post_id))
    if number is None:
        raise NotFoundOnPlatform(
            _("微博编号无效：%(id)s") % {"id": post_id}, platform=PLATFORM, code="not_found"
        )
    return number


def post_url(post: LocalPost) -> str:
    return reverse("local:post", kwargs={"handle": post.account.handle, "post_id": post.pk})


def _published(post: LocalPost, account: Account) -> PublishedPost:
    post.account = account
    return PublishedPost(
        platform=PLATFORM,
        id=str(post.pk),
        account_handle=account.handle,
        text=post.text,
        url=post_url(post),
        created_at=post.created_at,
        repost_of_id=str(post.repost_of_id) if post.repost_of_id else None,
        in_reply_to_id=str(post.in_reply_to_id) if post.in_reply_to_id else None,
        raw={"deleted": post.is_deleted},
    )


def _author(item: LocalComment | LocalMessage) -> Author:
    if item.official_account is not None:
        official = item.official_account
        return Author(
            platform_user_id=f"account:{official.handle}",
            handle=official.handle,
            display_name=official.display_name,
        )
    # Citizens have no login: the pseudonym of their address tells one from another.
    return Author(
        platform_user_id=f"visitor:{item.visitor_hash[:16]}",
        handle=item.nickname,
        display_name=item.nickname,
    )


def interaction_of(
    item: LocalComment | LocalMessage, *, kind: InteractionKind, account: Account
) -> Interaction:
    """The comment or message as an interaction addressed to `account`."""
    raw = {"state": item.state, "official": item.is_official}
    if isinstance(item, LocalComment):
        return Interaction(
            platform=PLATFORM,
            id=comment_ref(item.pk),
            kind=kind,
            account_handle=account.handle,
            post_id=str(item.post_id),
            parent_id=comment_ref(item.parent_id) if item.parent_id else None,
            author=_author(item),
            text=item.text,
            created_at=item.created_at,
            url=f"{post_url(item.post)}#{comment_ref(item.pk)}",
            raw=raw,
        )
    return Interaction(
        platform=PLATFORM,
        id=message_ref(item.pk),
        kind=kind,
        account_handle=account.handle,
        post_id=None,
        parent_id=message_ref(item.parent_id) if item.parent_id else None,
        author=_author(item),
        text=item.text,
        created_at=item.created_at,
        url=None,  # a message is private: only its author's private link shows it
        raw=raw,
    )


def _entry_interaction(entry: LocalInboxEntry, account: Account) -> Interaction:
    kind = InteractionKind(entry.kind)
    item = entry.comment or entry.message
    assert item is not None
    return interaction_of(item, kind=kind, account=account)


_CURSOR_VERSION = "v1"


def _cursor(account: Account, seq: int) -> str:
    return f"{_CURSOR_VERSION}.{account.pk}.{seq}"


def _parse_cursor(account: Account, cursor: str | None) -> int:
    if not cursor:
        return 0
    parts = cursor.split(".")
    if (
        len(parts) != 3
        or parts[0] != _CURSOR_VERSION
        or not all(p.isascii() and p.isdigit() for p in parts[1:])
    ):
        raise InvalidRequest(
            _("无法识别的游标：%(cursor)s") % {"cursor": cursor}, platform=PLATFORM
        )
    if int(parts[1]) != account.pk:
        raise InvalidRequest(_("该游标属于另一个账号。"), platform=PLATFORM)
    return int(parts[2])


class LocalConnector:
    platform: ClassVar[str] = PLATFORM

    def capabilities(self) -> frozenset[Capability]:
        return _CAPABILITIES

    def limits(self) -> Limits:
        # Comments and official replies: 500 characters; messages (留言) and answers: 1,000.
        return Limits(max_chars=POST_MAX_CHARS, max_images=MAX_IMAGES)

    # --- publishing ---------------------------------------------------------------------------
    def publish(
        self,
        account: AccountRef,
        text: str,
        ctx: ActionContext,
        *,
        media: Sequence[MediaFile] = (),
        in_reply_to_id: str | None = None,
    ) -> PublishedPost:
        owner = _account(account)
        images = [
            services.ImageUpload(content_type=m.content_type, content=m.content) for m in media
        ]
        reply_to = _post_id(in_reply_to_id) if in_reply_to_id else None
        with _platform_errors():
            post = _slowed(
                lambda: services.post_publish(
                    account=owner,
                    text=text,
                    idempotency_key=ctx.idempotency_key,
                    in_reply_to_id=reply_to,
                    images=images,
                )
            )
        return _published(post, owner)

    def repost(
        self, account: AccountRef, post_id: str, ctx: ActionContext, *, comment: str | None = None
    ) -> PublishedPost:
        owner = _account(account)
        original = _post_id(post_id)
        with _platform_errors():
            post = _slowed(
                lambda: services.post_repost(
                    account=owner,
                    original_id=original,
                    comment=comment,
                    idempotency_key=ctx.idempotency_key,
                )
            )
        return _published(post, owner)

    def delete_post(self, account: AccountRef, post_id: str, ctx: ActionContext) -> None:
        owner = _account(account)
        number = _post_id(post_id)
        with _platform_errors():
            services.post_delete(account=owner, post_id=number)

    # --- answering and moderating -------------------------------------------------------------
    def reply(
        self, account: AccountRef, interaction_id: str, text: str, ctx: ActionContext
    ) -> Interaction:
        owner = _account(account)
        with _platform_errors():
            reply = _slowed(
                lambda: services.interaction_reply(
                    account=owner,
                    interaction_id=interaction_id,
                    text=text,
                    idempotency_key=ctx.idempotency_key,
                )
            )
        kind = InteractionKind.COMMENT if isinstance(reply, LocalComment) else InteractionKind.DM
        return interaction_of(reply, kind=kind, account=owner)

    def fetch_interactions(
        self, account: AccountRef, *, since_cursor: str | None, limit: int = 50
    ) -> Page[Interaction]:
        owner = _account(account)
        after = _parse_cursor(owner, since_cursor)
        entries = selectors.inbox_after(owner, after_seq=after, limit=max(1, min(limit, 500)))
        items = [_entry_interaction(entry, owner) for entry in entries]
        last = entries[-1].seq if entries else after
        return Page(items=items, next_cursor=_cursor(owner, last))

    def moderate(
        self,
        account: AccountRef,
        interaction_id: str,
        action: ModerationAction,
        ctx: ActionContext,
        *,
        reason: str,
        fallback: Sequence[ModerationAction] = (),
    ) -> ModerationResult:
        owner = _account(account)
        with _platform_errors():
            outcome = services.interaction_moderate(
                account=owner,
                interaction_id=interaction_id,
                action=action,
                reason=reason,
                fallback=fallback,
            )
        return ModerationResult(
            requested=action, applied=outcome.applied, platform_ref=outcome.ref, note=outcome.note
        )

    # --- metrics ------------------------------------------------------------------------------
    def post_metrics(self, account: AccountRef, post_ids: Sequence[str]) -> dict[str, PostMetrics]:
        """Counts of the live posts among `post_ids`; unknown and deleted ids are left out."""
        _account(account)
        numbers = [n for n in (parse_post_id(str(p)) for p in post_ids) if n is not None]
        now = timezone.now()
        return {
            str(post.pk): PostMetrics(
                post_id=str(post.pk),
                reposts=post.repost_count,  # type: ignore[attr-defined]
                comments=post.comment_count,  # type: ignore[attr-defined]
                likes=post.like_count,  # type: ignore[attr-defined]
                fetched_at=now,
            )
            for post in selectors.post_counts(numbers)
        }

    def account_metrics(self, account: AccountRef) -> AccountMetrics:
        owner = _account(account)
        return AccountMetrics(
            handle=owner.handle,
            followers=selectors.follower_count(owner),
            following=0,  # accounts do not follow anyone on the local platform
            posts=selectors.live_post_count(owner),
            fetched_at=timezone.now(),
        )
