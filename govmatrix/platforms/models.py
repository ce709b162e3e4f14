"""The outbox: every intended platform call is one row, executed by a worker, never lost."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from govmatrix.matrix.models import Account


class OutboxKind(models.TextChoices):
    PUBLISH = "publish", _("发布")
    REPOST = "repost", _("转发")
    REPLY = "reply", _("回复")
    DELETE_POST = "delete_post", _("删除微博")
    MODERATE = "moderate", _("处置评论")


class OutboxState(models.TextChoices):
    PENDING = "pending", _("等待执行")
    RUNNING = "running", _("执行中")
    # The platform leaves the call to a person (the manual platforms): no retry, no lease, never
    # swept, until `services.outbox_complete_manually` or `outbox_abandon` finishes it.
    WAITING = "waiting", _("等待人工完成")
    SUCCEEDED = "succeeded", _("成功")
    FAILED = "failed", _("失败")
    CANCELLED = "cancelled", _("已取消")


class OutboxOperation(models.Model):
    kind = models.CharField(_("操作"), max_length=16, choices=OutboxKind.choices)
    account = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="outbox", verbose_name=_("账号")
    )
    payload = models.JSONField(_("内容"), default=dict)
    # The same key on a second attempt lets the platform (or our reconciliation) see a repeat.
    idempotency_key = models.CharField(max_length=100, unique=True)
    state = models.CharField(
        _("状态"), max_length=16, choices=OutboxState.choices, default=OutboxState.PENDING
    )
    attempts = models.PositiveIntegerField(_("已尝试次数"), default=0)
    max_attempts = models.PositiveIntegerField(default=8)
    next_attempt_at = models.DateTimeField(_("下次执行"), db_index=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    last_error_code = models.CharField(max_length=32, blank=True)
    last_error_message = models.TextField(_("平台返回"), blank=True)
    result = models.JSONField(default=dict, blank=True)
    # What the call is for, e.g. ("publishing.post", 42): its handler hears the outcome.
    subject_type = models.CharField(max_length=64, blank=True)
    subject_id = models.CharField(max_length=64, blank=True)
    operator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    operator_ip = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("平台调用")
        verbose_name_plural = _("平台调用")
        indexes = [
            models.Index(fields=["state", "next_attempt_at"]),
            models.Index(fields=["subject_type", "subject_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.account} · {self.get_state_display()}"
