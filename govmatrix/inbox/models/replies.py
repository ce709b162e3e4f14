"""Replies to citizens, their review by the unit's principal leader (R5.1), and the wording
library (口径库) they are drafted from."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from govmatrix.core.models import TimeStampedModel
from govmatrix.inbox.models.messages import Message, MessageTopic
from govmatrix.org.models import Unit


class ReplyState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待审核")
    RETURNED = "returned", _("已退回")
    PUBLISHING = "publishing", _("发布中")
    PUBLISHED = "published", _("已发布")
    FAILED = "failed", _("发布失败")


# The states whose text carries the approval of the responsible unit's principal leader.
APPROVED_REPLY_STATES = (ReplyState.PUBLISHING, ReplyState.PUBLISHED, ReplyState.FAILED)


class Wording(TimeStampedModel):
    """An approved wording (答复口径): approved phrasing a reply may start from."""

    title = models.CharField(_("标题"), max_length=100)
    text = models.TextField(_("口径"))
    topic = models.ForeignKey(
        MessageTopic,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("主题"),
    )
    # None: a district-wide wording (the office's); else the unit's own.
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("单位"),
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("审定人"),
    )
    is_active = models.BooleanField(_("在用"), default=True)
    search_text = models.TextField(blank=True)
    times_used = models.PositiveIntegerField(_("使用次数"), default=0)

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("答复口径")
        verbose_name_plural = _("答复口径")

    def __str__(self) -> str:
        return self.title


class Reply(TimeStampedModel):
    message = models.ForeignKey(
        Message, on_delete=models.PROTECT, related_name="replies", verbose_name=_("留言")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("撰写人"),
    )
    text = models.TextField(_("答复"))
    wording = models.ForeignKey(
        Wording,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replies",
        verbose_name=_("所用口径"),
    )
    # The wording's text when it was chosen: the approver sees what was changed from it.
    wording_text = models.TextField(blank=True)
    # Close the message once this reply is published; otherwise it stays open for follow-ups.
    closes = models.BooleanField(_("发布后办结"), default=False)
    state = models.CharField(
        _("状态"), max_length=12, choices=ReplyState.choices, default=ReplyState.DRAFT
    )
    version = models.PositiveIntegerField(default=1)
    approved_text = models.TextField(blank=True)
    approved_version = models.PositiveIntegerField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("审核人"),
    )
    approved_at = models.DateTimeField(_("通过时间"), null=True, blank=True)
    approved_ip = models.GenericIPAddressField(null=True, blank=True)
    publish_round = models.PositiveIntegerField(default=0)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    external_id = models.CharField(_("平台编号"), max_length=100, blank=True)
    public_url = models.CharField(_("公开链接"), max_length=500, blank=True)
    failure_message = models.TextField(_("平台返回"), blank=True)
    # Set when the reply points a citizen to a rumour rebuttal.
    rebuttal = models.ForeignKey(
        "inbox.Rebuttal",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replies",
    )

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("答复")
        verbose_name_plural = _("答复")
        indexes = [models.Index(fields=["state", "message"], name="inbox_reply_state")]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="inbox_reply_has_text"),
            # R5.1: nothing goes to the platform in a version no leader approved.
            models.CheckConstraint(
                condition=~Q(state__in=[str(s) for s in APPROVED_REPLY_STATES])
                | (Q(approved_by__isnull=False) & Q(approved_version=F("version"))),
                name="inbox_reply_approved_version",
            ),
            models.CheckConstraint(
                condition=~Q(state=ReplyState.PUBLISHED) | Q(published_at__isnull=False),
                name="inbox_reply_published_has_time",
            ),
        ]

    def __str__(self) -> str:
        flat = " ".join(self.text.split())
        return f"{self.message_id} · {flat[:30]}"


class ReviewDecision(models.TextChoices):
    APPROVED = "approved", _("通过")
    RETURNED = "returned", _("退回修改")
    WITHDRAWN = "withdrawn", _("撤回")


class ReplyReview(models.Model):
    """One submission of one version of a reply to the leader, with its content check.

    The time between `submitted_at` and `decided_at` is time spent waiting for the leader,
    shown apart from the time spent waiting for staff.
    """

    reply = models.ForeignKey(Reply, on_delete=models.CASCADE, related_name="reviews")
    version = models.PositiveIntegerField()
    text = models.TextField()
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField()
    check_hits = models.JSONField(default=list, blank=True)
    decision = models.CharField(max_length=12, choices=ReviewDecision.choices, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("答复审核")
        verbose_name_plural = _("答复审核")
        constraints = [
            models.UniqueConstraint(
                fields=["reply"], condition=Q(decision=""), name="inbox_review_one_open"
            ),
            models.CheckConstraint(
                condition=(Q(decision="") & Q(decided_at__isnull=True))
                | (~Q(decision="") & Q(decided_at__isnull=False)),
                name="inbox_review_decided_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reply_id} v{self.version}"
