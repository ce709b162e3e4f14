"""Every write of the local platform.

Two kinds of caller: the connector (official accounts publishing, replying and moderating
through the outbox, which records the audit events), and the public site (citizens
commenting, writing, liking and following; their submissions are the platform's own data,
not audit events).

Each write is one short transaction. It locks the `LocalAccountState` rows of every account
it touches (in id order, so two writers never wait on each other crosswise), raises their
`version` when their public pages change, and numbers the inbox entries it creates. Refusals
are `core.errors` (`ValidationFailed`, `NotFound`, `NotAllowed`, `DomainError`) with a
message for people; the connector turns them into the platform errors of `platforms.base`.
"""

from __future__ import annotations

import hashlib
import io
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image as PILImage

from govmatrix.core.errors import DomainError, NotAllowed, NotFound, ValidationFailed
from govmatrix.matrix.models import OPEN_STATUSES, Account, Platform
from govmatrix.platforms.base import ModerationAction
from govmatrix.platforms.local import selectors
from govmatrix.platforms.local.models import (
    InboxKind,
    LocalAccountState,
    LocalBlock,
    LocalComment,
    LocalFollow,
    LocalInboxEntry,
    LocalLike,
    LocalMessage,
    LocalPost,
    LocalPostImage,
    ModerationState,
)
from govmatrix.platforms.local.rules import (
    COMMENT_MAX_CHARS,
    COMMENT_PREFIX,
    IMAGE_TYPES,
    MAX_IMAGE_BYTES,
    MAX_IMAGES,
    MESSAGE_MAX_CHARS,
    NICKNAME_MAX_CHARS,
    POST_MAX_CHARS,
    clean_nickname,
    clean_text,
    parse_ref,
)


# --- shared steps -----------------------------------------------------------------------------
def _invalid(field: str, message: str) -> ValidationFailed:
    return ValidationFailed({field: message}, message=message)


def checked_text(text: str | None, *, field: str, label: str, limit: int) -> str:
    """The cleaned text, or ValidationFailed saying what is wrong with its length."""
    cleaned = clean_text(text or "")
    if not cleaned:
        raise _invalid(field, _("%(label)s不能为空。") % {"label": label})
    if len(cleaned) > limit:
        raise _invalid(
            field,
            _("%(label)s不能超过 %(limit)s 字（现为 %(count)s 字）。")
            % {"label": label, "limit": limit, "count": len(cleaned)},
        )
    return cleaned


def checked_nickname(nickname: str | None) -> str:
    cleaned = clean_nickname(nickname or "")
    if not cleaned:
        raise _invalid("nickname", _("请填写昵称。"))
    if len(cleaned) > NICKNAME_MAX_CHARS:
        raise _invalid("nickname", _("昵称不能超过 %(limit)s 字。") % {"limit": NICKNAME_MAX_CHARS})
    folded = cleaned.lstrip("@＠").casefold()
    for handle, name in selectors.local_accounts().values_list("handle", "display_name"):
        if folded in {handle.casefold(), name.lstrip("@＠").casefold()}:
            raise _invalid("nickname", _("昵称不能与政务账号重名，请换一个。"))
    return cleaned


def _writable(account: Account) -> None:
    if account.platform != Platform.LOCAL:
        raise NotAllowed(_("该账号不在本地平台上。"))
    if account.status not in OPEN_STATUSES:
        raise NotAllowed(_("该账号尚未开通或已关停，不能在本地平台发布。"))


def _lock(account_ids: Iterable[int]) -> dict[int, LocalAccountState]:
    """Lock (creating when missing) the state rows of the accounts, in id order."""
    ids = sorted(set(account_ids))
    LocalAccountState.objects.bulk_create(
        [LocalAccountState(account_id=pk) for pk in ids], ignore_conflicts=True
    )
    states = LocalAccountState.objects.select_for_update().filter(account_id__in=ids)
    return {state.account_id: state for state in states.order_by("account_id")}


def _bump(states: dict[int, LocalAccountState], account_ids: Iterable[int]) -> None:
    """The public pages of these accounts change with this transaction."""
    for pk in set(account_ids):
        state = states[pk]
        state.version += 1
        state.save(update_fields=["version", "inbox_seq"])


def _deliver(
    states: dict[int, LocalAccountState],
    account_id: int,
    kind: str,
    *,
    comment: LocalComment | None = None,
    message: LocalMessage | None = None,
) -> None:
    """Put the comment or message into the account's inbox under its next sequence number."""
    state = states[account_id]
    state.inbox_seq += 1
    state.save(update_fields=["inbox_seq"])
    item = comment or message
    assert item is not None
    LocalInboxEntry.objects.create(
        account_id=account_id,
        seq=state.inbox_seq,
        kind=kind,
        comment=comment,
        message=message,
        created_at=item.created_at,
    )


def _not_blocked(account_id: int, visitor_hash: str) -> None:
    if LocalBlock.objects.filter(account_id=account_id, visitor_hash=visitor_hash).exists():
        raise NotAllowed(_("该账号已限制您评论和留言。"))


def _key_reused() -> DomainError:
    return DomainError(_("这个幂等键已用于另一项操作，不能用于本次请求。"))


# --- posts (the connector) --------------------------------------------------------------------
def _root(post: LocalPost) -> LocalPost:
    """A repost of a repost reposts the original, as on Weibo."""
    return post.repost_of if post.repost_of_id and post.repost_of else post


def _create_post(
    *,
    account: Account,
    idempotency_key: str,
    text: str,
    repost_of: LocalPost | None = None,
    in_reply_to: LocalPost | None = None,
    images: Sequence[_CheckedImage] = (),
    at: datetime | None = None,
) -> LocalPost:
    touched = {account.pk} | ({repost_of.account_id} if repost_of else set())

    def keyed() -> LocalPost | None:
        existing = LocalPost.objects.filter(idempotency_key=idempotency_key).first()
        if existing is None:
            return None
        same = existing.account_id == account.pk and existing.repost_of_id == (
            repost_of.pk if repost_of else None
        )
        if not same:
            raise _key_reused()
        return existing

    try:
        with transaction.atomic():
            states = _lock(touched)
            if existing := keyed():
                return existing
            _writable(account)
            post = LocalPost.objects.create(
                account=account,
                text=text,
                repost_of=repost_of,
                in_reply_to=in_reply_to,
                idempotency_key=idempotency_key,
                created_at=at or timezone.now(),
            )
            for position, image in enumerate(images, start=1):
                stored = LocalPostImage(
                    post=post,
                    position=position,
                    extension=image.extension,
                    content_type=image.content_type,
                    width=image.width,
                    height=image.height,
                )
                # A file written for a transaction that then rolls back stays behind unused;
                # the row that would point at it does not exist, so nothing shows it.
                stored.file.save(
                    f"{position}.{image.extension}", ContentFile(image.content), save=True
                )
            _bump(states, touched)
            return post
    except IntegrityError:
        # The same key committed by a concurrent call (a worker whose lease ran out).
        if existing := keyed():
            return existing
        raise


@dataclass(frozen=True)
class ImageUpload:
    content_type: str
    content: bytes


@dataclass(frozen=True)
class _CheckedImage:
    extension: str
    content_type: str
    content: bytes
    width: int
    height: int


def _checked_images(images: Sequence[ImageUpload]) -> list[_CheckedImage]:
    if len(images) > MAX_IMAGES:
        raise ValidationFailed({"media": _("一条微博最多 %(n)d 张图片。") % {"n": MAX_IMAGES}})
    checked = []
    for index, image in enumerate(images, start=1):
        extension = IMAGE_TYPES.get(image.content_type)
        if extension is None or len(image.content) > MAX_IMAGE_BYTES:
            raise ValidationFailed(
                {
                    "media": _("第 %(n)d 张图片须是 5 MB 以内的 JPEG、PNG、GIF 或 WebP。")
                    % {"n": index}
                }
            )
        try:
            with PILImage.open(io.BytesIO(image.content)) as opened:
                opened.verify()
            with PILImage.open(io.BytesIO(image.content)) as opened:
                width, height = opened.size
        except (OSError, SyntaxError) as exc:
            raise ValidationFailed({"media": _("第 %(n)d 张图片已损坏。") % {"n": index}}) from exc
        checked.append(_CheckedImage(extension, image.content_type, image.content, width, height))
    return checked


def post_publish(
    *,
    account: Account,
    text: str,
    idempotency_key: str,
    in_reply_to_id: int | None = None,
    images: Sequence[ImageUpload] = (),
    at: datetime | None = None,
) -> LocalPost:
    """Publish a post; the same key again returns the same post (one row, however often)."""
    cleaned = checked_text(text, field="text", label=_("微博内容"), limit=POST_MAX_CHARS)
    checked_images = _checked_images(images)
    in_reply_to = None
    if in_reply_to_id is not None:
        in_reply_to = LocalPost.objects.filter(pk=in_reply_to_id, deleted_at__isnull=True).first()
        if in_reply_to is None:
            raise NotFound(_("要续报的微博不存在或已删除。"))
    return _create_post(
        account=account,
        idempotency_key=idempotency_key,
        text=cleaned,
        in_reply_to=in_reply_to,
        images=checked_images,
        at=at,
    )


def post_repost(
    *,
    account: Account,
    original_id: int,
    comment: str | None,
    idempotency_key: str,
    at: datetime | None = None,
) -> LocalPost:
    """Repost a post (with an optional comment); the same key again returns the same repost."""
    text = ""
    if comment and clean_text(comment):
        text = checked_text(comment, field="comment", label=_("转发评论"), limit=POST_MAX_CHARS)
    original = (
        LocalPost.objects.select_related("repost_of", "account")
        .filter(pk=original_id, deleted_at__isnull=True)
        .first()
    )
    if original is None:
        raise NotFound(_("要转发的微博不存在或已删除。"))
    root = _root(original)
    if root.is_deleted or root.account.status not in OPEN_STATUSES:
        raise NotFound(_("原微博已删除，不能转发。"))
    return _create_post(
        account=account, idempotency_key=idempotency_key, text=text, repost_of=root, at=at
    )


def post_delete(*, account: Account, post_id: int) -> LocalPost:
    """Delete the account's own post (kept for the record, gone from every page). Idempotent."""
    post = LocalPost.objects.filter(pk=post_id).first()
    if post is None:
        raise NotFound(_("微博不存在。"))
    if post.account_id != account.pk:
        raise NotAllowed(_("只能删除本账号发布的微博。"))
    # Pages that show this post: the account's own, and those of accounts that reposted it.
    touched = {account.pk}
    touched |= set(LocalPost.objects.filter(repost_of=post).values_list("account_id", flat=True))
    touched |= set(LocalPost.objects.filter(in_reply_to=post).values_list("account_id", flat=True))
    with transaction.atomic():
        states = _lock(touched)
        post = LocalPost.objects.get(pk=post_id)
        if post.deleted_at is None:
            post.deleted_at = timezone.now()
            post.save(update_fields=["deleted_at"])
            _bump(states, touched)
        return post


# --- citizens (the public site) ---------------------------------------------------------------
def comment_submit(
    *,
    post: LocalPost,
    nickname: str,
    text: str,
    visitor_hash: str,
    parent_id: int | None = None,
    at: datetime | None = None,
) -> LocalComment:
    """A citizen's comment, saved in one transaction; "@account" in it reaches that account."""
    nickname = checked_nickname(nickname)
    text = checked_text(text, field="text", label=_("评论"), limit=COMMENT_MAX_CHARS)
    mentioned = selectors.mentioned_accounts(text, exclude_id=post.account_id)
    with transaction.atomic():
        states = _lock([post.account_id, *(a.pk for a in mentioned)])
        live = (
            LocalPost.objects.select_related("account")
            .filter(pk=post.pk, deleted_at__isnull=True, account__status__in=OPEN_STATUSES)
            .first()
        )
        if live is None:
            raise NotFound(_("微博不存在或已删除。"))
        _not_blocked(live.account_id, visitor_hash)
        parent = None
        if parent_id is not None:
            parent = LocalComment.objects.filter(pk=parent_id, post=live).first()
            if parent is None or not parent.is_visible:
                raise _invalid("parent", _("要回复的评论不存在或已被隐藏。"))
        comment = LocalComment.objects.create(
            post=live,
            parent=parent,
            nickname=nickname,
            text=text,
            visitor_hash=visitor_hash,
            created_at=at or timezone.now(),
        )
        _deliver(states, live.account_id, InboxKind.COMMENT, comment=comment)
        for account in mentioned:
            _deliver(states, account.pk, InboxKind.MENTION, comment=comment)
        _bump(states, [live.account_id])
        return comment


def message_submit(
    *, account: Account, nickname: str, text: str, visitor_hash: str, at: datetime | None = None
) -> tuple[LocalMessage, str]:
    """A citizen's private message (留言); returns it and the secret of the citizen's private link."""
    nickname = checked_nickname(nickname)
    text = checked_text(text, field="text", label=_("留言"), limit=MESSAGE_MAX_CHARS)
    mentioned = selectors.mentioned_accounts(text, exclude_id=account.pk)
    token = secrets.token_urlsafe(24)
    with transaction.atomic():
        states = _lock([account.pk, *(a.pk for a in mentioned)])
        if not selectors.local_accounts().filter(pk=account.pk).exists():
            raise NotFound(_("账号不存在。"))
        _not_blocked(account.pk, visitor_hash)
        message = LocalMessage.objects.create(
            account=account,
            nickname=nickname,
            text=text,
            visitor_hash=visitor_hash,
            receipt_hash=hashlib.sha256(token.encode("utf-8")).hexdigest(),
            created_at=at or timezone.now(),
        )
        _deliver(states, account.pk, InboxKind.DM, message=message)
        for other in mentioned:
            _deliver(states, other.pk, InboxKind.MENTION, message=message)
        return message, token


def post_like(*, post: LocalPost, visitor_hash: str) -> bool:
    """Like a post; a visitor's second like changes nothing. True when the like is new."""
    with transaction.atomic():
        states = _lock([post.account_id])
        if not LocalPost.objects.filter(pk=post.pk, deleted_at__isnull=True).exists():
            raise NotFound(_("微博不存在或已删除。"))
        _like, created = LocalLike.objects.get_or_create(post=post, visitor_hash=visitor_hash)
        if created:
            _bump(states, [post.account_id])
        return created


def account_follow(*, account: Account, visitor_hash: str) -> bool:
    """Follow an account; following again changes nothing. True when the follow is new."""
    with transaction.atomic():
        states = _lock([account.pk])
        _follow, created = LocalFollow.objects.get_or_create(
            account=account, visitor_hash=visitor_hash
        )
        if created:
            _bump(states, [account.pk])
        return created


# --- official replies and moderation (the connector) -----------------------------------------
def _item(interaction_id: str) -> LocalComment | LocalMessage:
    parsed = parse_ref(interaction_id)
    item: LocalComment | LocalMessage | None = None
    if parsed and parsed[0] == COMMENT_PREFIX:
        item = LocalComment.objects.select_related("post").filter(pk=parsed[1]).first()
    elif parsed:
        item = LocalMessage.objects.filter(pk=parsed[1]).first()
    if item is None:
        raise NotFound(_("评论或留言不存在：%(id)s") % {"id": interaction_id})
    return item


def _owner_id(item: LocalComment | LocalMessage) -> int:
    """The account the comment or message belongs to: the post's account, or the addressee."""
    return item.post.account_id if isinstance(item, LocalComment) else item.account_id


def _addressed(account: Account, item: LocalComment | LocalMessage) -> bool:
    if _owner_id(item) == account.pk:
        return True
    if isinstance(item, LocalComment):
        return selectors.is_addressed_to(account, comment_id=item.pk)
    return selectors.is_addressed_to(account, message_id=item.pk)


def interaction_reply(
    *,
    account: Account,
    interaction_id: str,
    text: str,
    idempotency_key: str,
    at: datetime | None = None,
) -> LocalComment | LocalMessage:
    """The account's official reply under a comment, or its answer to a message (留言).

    The same key again returns the same reply. The account may answer what reached its inbox:
    comments on its posts, messages to it, and comments or messages that mention it.
    """
    target = _item(interaction_id)
    is_comment = isinstance(target, LocalComment)
    model: type[LocalComment] | type[LocalMessage] = LocalComment if is_comment else LocalMessage
    cleaned = checked_text(
        text,
        field="text",
        label=_("回复"),
        limit=COMMENT_MAX_CHARS if is_comment else MESSAGE_MAX_CHARS,
    )
    owner_id = _owner_id(target)

    def keyed() -> LocalComment | LocalMessage | None:
        existing = model.objects.filter(idempotency_key=idempotency_key).first()
        if existing is None:
            return None
        if existing.official_account_id != account.pk or existing.parent_id != target.pk:
            raise _key_reused()
        return existing

    try:
        with transaction.atomic():
            states = _lock([account.pk, owner_id])
            if existing := keyed():
                return existing
            _writable(account)
            if not _addressed(account, target):
                raise NotAllowed(_("这条评论或留言不是发给本账号的，不能回复。"))
            if target.is_official:
                raise NotAllowed(_("不能回复官方账号自己的回复。"))
            if not target.is_visible:
                raise _invalid("interaction_id", _("这条评论或留言已被隐藏或删除，不能回复。"))
            reply: LocalComment | LocalMessage
            if isinstance(target, LocalComment):
                if target.post.is_deleted:
                    raise NotFound(_("微博已删除，不能回复其下的评论。"))
                reply = LocalComment.objects.create(
                    post=target.post,
                    parent=target,
                    official_account=account,
                    text=cleaned,
                    idempotency_key=idempotency_key,
                    created_at=at or timezone.now(),
                )
                if owner_id != account.pk:
                    _deliver(states, owner_id, InboxKind.COMMENT, comment=reply)
                _bump(states, [owner_id])
            else:
                reply = LocalMessage.objects.create(
                    account_id=owner_id,
                    parent=target,
                    official_account=account,
                    text=cleaned,
                    idempotency_key=idempotency_key,
                    created_at=at or timezone.now(),
                )
            return reply
    except IntegrityError:
        if existing := keyed():
            return existing
        raise


@dataclass(frozen=True)
class ModerationOutcome:
    applied: ModerationAction | None
    ref: str | None
    note: str


def _set_state(item: LocalComment | LocalMessage, state: ModerationState, reason: str) -> bool:
    """Hide or delete; a deleted item stays deleted. True when the state changed."""
    if item.state == state or item.state == ModerationState.DELETED:
        return False
    item.state = state
    item.moderated_at = timezone.now()
    item.moderation_note = reason[:200]
    item.save(update_fields=["state", "moderated_at", "moderation_note"])
    return True


def interaction_moderate(
    *,
    account: Account,
    interaction_id: str,
    action: ModerationAction,
    reason: str,
    fallback: Sequence[ModerationAction] = (),
) -> ModerationOutcome:
    """Do the first of `action`, then `fallback`, that the local platform can really do.

    HIDE and DELETE work on comments under the account's own posts and on messages to it;
    BLOCK_AUTHOR stops the citizen from commenting on the account's posts and writing to it;
    REPORT has nobody to go to (this platform is run by GovMatrix itself). Nothing possible:
    the outcome's `applied` is None and its note says why.
    """
    item = _item(interaction_id)
    if not _addressed(account, item):
        raise NotAllowed(_("这条评论或留言不是发给本账号的，不能处置。"))
    owner_id = _owner_id(item)
    why_not: list[str] = []
    with transaction.atomic():
        states = _lock([owner_id])
        item.refresh_from_db()
        for candidate in [action, *fallback]:
            if candidate in (ModerationAction.HIDE, ModerationAction.DELETE):
                if owner_id != account.pk:
                    why_not.append(_("只能隐藏或删除本账号微博下的评论和发给本账号的留言"))
                    continue
                target = (
                    ModerationState.HIDDEN
                    if candidate == ModerationAction.HIDE
                    else ModerationState.DELETED
                )
                changed = _set_state(item, target, reason)
                if changed and isinstance(item, LocalComment):
                    _bump(states, [owner_id])
                note = (
                    (_("已隐藏，公众不再看到。") if changed else _("此前已隐藏。"))
                    if candidate == ModerationAction.HIDE
                    else (_("已删除，公众不再看到。") if changed else _("此前已删除。"))
                )
                if item.state == ModerationState.DELETED and candidate == ModerationAction.HIDE:
                    note = _("此前已删除。")
                return ModerationOutcome(candidate, interaction_id, note)
            if candidate == ModerationAction.BLOCK_AUTHOR:
                if item.is_official:
                    why_not.append(_("作者是官方账号，不能拉黑"))
                    continue
                block, created = LocalBlock.objects.get_or_create(
                    account=account,
                    visitor_hash=item.visitor_hash,
                    defaults={"reason": reason[:200]},
                )
                note = (
                    _("已拉黑作者：其不能再评论本账号的微博或给本账号留言。")
                    if created
                    else _("此前已拉黑该作者。")
                )
                return ModerationOutcome(ModerationAction.BLOCK_AUTHOR, f"b{block.pk}", note)
            if candidate == ModerationAction.REPORT:
                why_not.append(_("本地平台由本系统自行管理，没有可举报的平台方"))
    return ModerationOutcome(
        None, None, _("未执行任何处置：%(why)s。") % {"why": "；".join(why_not)}
    )
