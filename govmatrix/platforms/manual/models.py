"""A manual task: a platform call the manual connector hands to a person.

One task per outbox operation (by its idempotency key). The operator posts the approved text
on the platform, pastes the link back, and GovMatrix reads the page: the text matches and the
task is done, or it differs (the office may accept it with a reason), or the page cannot be
read (the operator confirms it by hand). Every step is an audit event; the row keeps the latest
state of each so the pages can show it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from govmatrix.matrix.models import Account
from govmatrix.platforms.manual.rules import external_id_for
from govmatrix.platforms.models import OutboxKind, OutboxOperation


class TaskState(models.TextChoices):
    OPEN = "open", _("待手工发布")
    MISMATCH = "mismatch", _("内容不一致")
    UNVERIFIED = "unverified", _("无法自动核对")
    DONE = "done", _("已完成")
    ABANDONED = "abandoned", _("已放弃")


# The states in which a person still has to act.
ACTIVE_STATES = (TaskState.OPEN, TaskState.MISMATCH, TaskState.UNVERIFIED)


class CheckOutcome(models.TextChoices):
    MATCH = "match", _("与审定文本一致")
    MISMATCH = "mismatch", _("与审定文本不一致")
    UNREADABLE = "unreadable", _("无法读取页面")


class Completion(models.TextChoices):
    VERIFIED = "verified", _("系统核对一致")
    CONFIRMED = "confirmed", _("运维人员确认")
    OVERRIDDEN = "overridden", _("管理办公室认可")


class ManualTask(models.Model):
    idempotency_key = models.CharField(max_length=100, unique=True)
    operation = models.OneToOneField(
        OutboxOperation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="manual_task",
        verbose_name=_("平台调用"),
    )
    account = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="manual_tasks", verbose_name=_("账号")
    )
    kind = models.CharField(_("操作"), max_length=16, choices=OutboxKind.choices)
    # What the operator posts: the approved text (a repost's comment, a reply's text).
    text = models.TextField(_("审定文本"), blank=True)
    # A repost: the original post's id or link; a reply: the interaction it answers.
    target = models.CharField(_("对象"), max_length=500, blank=True)
    images = models.PositiveIntegerField(_("图片数"), default=0)
    state = models.CharField(
        _("状态"),
        max_length=16,
        choices=TaskState.choices,
        default=TaskState.OPEN,
        db_index=True,
    )
    # The link the operator pasted, and what reading it found.
    url = models.CharField(_("链接"), max_length=500, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("回填人"),
    )
    submitted_at = models.DateTimeField(_("回填时间"), null=True, blank=True)
    check_outcome = models.CharField(
        _("核对结果"), max_length=16, choices=CheckOutcome.choices, blank=True
    )
    # Why the page could not be read, in words for people.
    check_detail = models.TextField(_("核对说明"), blank=True)
    # The run of the live page most like the approved text, and how alike (mismatch).
    live_text = models.TextField(_("页面文字"), blank=True)
    similarity = models.FloatField(null=True, blank=True)
    checked_at = models.DateTimeField(_("核对时间"), null=True, blank=True)
    # How it ended.
    completion = models.CharField(
        _("完成方式"), max_length=16, choices=Completion.choices, blank=True
    )
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("完成人"),
    )
    completed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    # The office's reason for accepting a difference, the operator's note on a confirmation,
    # or why the task was given up.
    reason = models.TextField(_("理由"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("手工发布任务")
        verbose_name_plural = _("手工发布任务")
        indexes = [models.Index(fields=["state", "account"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.account} · {self.get_state_display()}"

    @property
    def active(self) -> bool:
        return self.state in ACTIVE_STATES

    @property
    def external_id(self) -> str:
        """The published item's id, as the outbox's result gives it to the subject."""
        return external_id_for(self.url)
