"""The built-in local platform: a small public microblog inside GovMatrix.

Official accounts (the registry's `matrix.Account` rows on platform "local") post and repost;
citizens comment with a nickname, send private messages (留言), like posts and follow
accounts. Nothing here stores a visitor's IP address: a visitor is known only by a salted hash
of it (`visitor.visitor_hash`), enough to de-duplicate likes and follows, count submissions
and block an author.

Every interaction addressed to an account (a comment on its posts, a message to it, a mention
of it) gets one `LocalInboxEntry` with a per-account sequence number, handed out under a lock
on the account's `LocalAccountState` row: the numbers rise in commit order, so a reader that
asks for "everything after n" never skips an entry that commits late.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govmatrix.matrix.models import Account


class ModerationState(models.TextChoices):
    VISIBLE = "visible", _("正常显示")
    HIDDEN = "hidden", _("已隐藏")
    DELETED = "deleted", _("已删除")


class LocalAccountState(models.Model):
    """Per-account counters; its row is the lock that orders the account's inbox."""

    account = models.OneToOneField(
        Account, on_delete=models.CASCADE, primary_key=True, related_name="local_state"
    )
    # Rises whenever something the account's public pages show changes: the cache key of
    # those pages includes it, so a change is never served stale.
    version = models.PositiveBigIntegerField(default=0)
    # The last sequence number given to one of the account's inbox entries.
    inbox_seq = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("本地平台账号状态")
        verbose_name_plural = _("本地平台账号状态")

    def __str__(self) -> str:
        return f"{self.account_id} v{self.version}"


class LocalPost(models.Model):
    account = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="local_posts", verbose_name=_("账号")
    )
    # For a repost: the repost comment, empty when the account reposted without one.
    text = models.TextField(_("内容"), blank=True)
    repost_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reposts",
        verbose_name=_("转发自"),
    )
    # A rolling follow-up (续报) threaded on an earlier post.
    in_reply_to = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="follow_ups",
        verbose_name=_("续报于"),
    )
    # The outbox's key: a second call with the same key returns this post instead of a new one.
    idempotency_key = models.CharField(max_length=100, unique=True)
    created_at = models.DateTimeField(_("发布时间"), default=timezone.now)
    deleted_at = models.DateTimeField(_("删除时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("本地平台微博")
        verbose_name_plural = _("本地平台微博")
        indexes = [models.Index(fields=["account", "-created_at", "-id"])]

    def __str__(self) -> str:
        return f"{self.account_id}#{self.pk}"

    @property
    def is_repost(self) -> bool:
        return self.repost_of_id is not None

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


def local_image_path(instance: LocalPostImage, filename: str) -> str:
    return f"local/{instance.post.account_id}/{instance.post_id}/{instance.position}.{instance.extension}"


class LocalPostImage(models.Model):
    """An image published with a post; the public site serves it from `local:image`."""

    post = models.ForeignKey(LocalPost, on_delete=models.CASCADE, related_name="images")
    position = models.PositiveSmallIntegerField()
    file = models.FileField(upload_to=local_image_path, max_length=200)
    extension = models.CharField(max_length=8)
    content_type = models.CharField(max_length=32)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["post", "position"], name="local_post_image_position")
        ]
        verbose_name = _("本地平台配图")
        verbose_name_plural = _("本地平台配图")

    def __str__(self) -> str:
        return self.file.name or ""


class _Written(models.Model):
    """What comments and messages share: a citizen (nickname) or an official account wrote it,
    perhaps in answer to another; the platform may hide or delete it."""

    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replies",
        verbose_name=_("回复"),
    )
    nickname = models.CharField(_("昵称"), max_length=20, blank=True)
    # Set for an official reply; a citizen's has a nickname and a visitor pseudonym instead.
    official_account = models.ForeignKey(
        Account,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("官方账号"),
    )
    text = models.TextField(_("内容"))
    visitor_hash = models.CharField(max_length=64, blank=True)
    # An official reply's outbox key: the same key again returns the same reply.
    idempotency_key = models.CharField(max_length=100, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)
    state = models.CharField(
        _("状态"), max_length=8, choices=ModerationState.choices, default=ModerationState.VISIBLE
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderation_note = models.CharField(_("处置说明"), max_length=200, blank=True)

    class Meta:
        abstract = True
        ordering = ["created_at", "id"]

    @property
    def is_visible(self) -> bool:
        return self.state == ModerationState.VISIBLE

    @property
    def is_official(self) -> bool:
        return self.official_account_id is not None


class LocalComment(_Written):
    """A comment under a post: a citizen's (with a nickname) or an official reply (with an account)."""

    post = models.ForeignKey(
        LocalPost, on_delete=models.PROTECT, related_name="comments", verbose_name=_("微博")
    )

    class Meta(_Written.Meta):
        verbose_name = _("本地平台评论")
        verbose_name_plural = _("本地平台评论")
        indexes = [models.Index(fields=["post", "created_at", "id"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(official_account__isnull=False) | ~Q(nickname=""),
                name="local_comment_has_author",
            )
        ]

    def __str__(self) -> str:
        return f"c{self.pk}"


class LocalMessage(_Written):
    """A private message (留言) from a citizen to an account, or an official answer to one."""

    # The account the conversation is with: the citizen wrote to it.
    account = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="local_messages", verbose_name=_("账号")
    )
    # The citizen reads the answers through a private link; only the link's hash is kept.
    receipt_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)

    class Meta(_Written.Meta):
        verbose_name = _("本地平台留言")
        verbose_name_plural = _("本地平台留言")
        constraints = [
            models.CheckConstraint(
                condition=Q(official_account__isnull=False) | ~Q(nickname=""),
                name="local_message_has_author",
            )
        ]

    def __str__(self) -> str:
        return f"m{self.pk}"


class InboxKind(models.TextChoices):
    COMMENT = "comment", _("评论")
    DM = "dm", _("留言")
    MENTION = "mention", _("@提及")


class LocalInboxEntry(models.Model):
    """One interaction addressed to one account, numbered in the order its transaction committed."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="+")
    seq = models.PositiveBigIntegerField()
    kind = models.CharField(max_length=8, choices=InboxKind.choices)
    comment = models.ForeignKey(
        LocalComment, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    message = models.ForeignKey(
        LocalMessage, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["account", "seq"]
        verbose_name = _("本地平台收件")
        verbose_name_plural = _("本地平台收件")
        constraints = [
            models.UniqueConstraint(fields=["account", "seq"], name="local_inbox_unique_seq"),
            models.CheckConstraint(
                condition=Q(comment__isnull=False, message__isnull=True)
                | Q(comment__isnull=True, message__isnull=False),
                name="local_inbox_one_item",
            ),
            models.UniqueConstraint(
                fields=["account", "comment"],
                condition=Q(comment__isnull=False),
                name="local_inbox_comment_once",
            ),
            models.UniqueConstraint(
                fields=["account", "message"],
                condition=Q(message__isnull=False),
                name="local_inbox_message_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account_id}:{self.seq}"


class _VisitorMark(models.Model):
    """Something one visitor did once (liked, followed) or had done to them (blocked)."""

    visitor_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True


class LocalLike(_VisitorMark):
    post = models.ForeignKey(LocalPost, on_delete=models.CASCADE, related_name="likes")

    class Meta:
        verbose_name = _("点赞")
        verbose_name_plural = _("点赞")
        constraints = [
            models.UniqueConstraint(fields=["post", "visitor_hash"], name="local_like_once")
        ]

    def __str__(self) -> str:
        return f"like {self.post_id}"


class LocalFollow(_VisitorMark):
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="local_followers")

    class Meta:
        verbose_name = _("关注")
        verbose_name_plural = _("关注")
        constraints = [
            models.UniqueConstraint(fields=["account", "visitor_hash"], name="local_follow_once")
        ]

    def __str__(self) -> str:
        return f"follow {self.account_id}"


class LocalBlock(_VisitorMark):
    """A visitor the account blocked: they can no longer comment on its posts or write to it."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="local_blocks")
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("拉黑")
        verbose_name_plural = _("拉黑")
        constraints = [
            models.UniqueConstraint(fields=["account", "visitor_hash"], name="local_block_once")
        ]

    def __str__(self) -> str:
        return f"block {self.account_id}"
