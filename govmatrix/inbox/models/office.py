"""The office's settings for the inbox, the sync's own record per account, trained routers,
rumour rebuttals and opinion-trend alerts."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from govmatrix.inbox.models.messages import Message, MessageKind
from govmatrix.matrix.models import Account


class SlaTarget(models.Model):
    """First-response and resolution targets of one kind of message, in working time."""

    kind = models.CharField(_("类型"), max_length=12, choices=MessageKind.choices, unique=True)
    ack_hours = models.DecimalField(
        _("首次答复（工作小时）"),
        max_digits=5,
        decimal_places=1,
        default=Decimal("4"),
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("200"))],
    )
    resolve_days = models.DecimalField(
        _("办结（工作日）"),
        max_digits=4,
        decimal_places=1,
        default=Decimal("5"),
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("60"))],
    )
    ack_warn_hours = models.DecimalField(
        _("首次答复提前提醒（工作小时）"),
        max_digits=4,
        decimal_places=1,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    resolve_warn_days = models.DecimalField(
        _("办结提前提醒（工作日）"),
        max_digits=4,
        decimal_places=1,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("答复时限")
        verbose_name_plural = _("答复时限")
        constraints = [
            models.CheckConstraint(
                condition=Q(ack_warn_hours__lt=models.F("ack_hours")),
                name="inbox_sla_ack_warning_before_deadline",
            ),
            models.CheckConstraint(
                condition=Q(resolve_warn_days__lt=models.F("resolve_days")),
                name="inbox_sla_resolve_warning_before_deadline",
            ),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class InboxSettings(models.Model):
    """The office's settings for the inbox: one row (the defaults until it saves one)."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    triage_threshold = models.DecimalField(
        _("分办置信度下限"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.60"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
        help_text=_("低于此值的留言进入管理办公室的待分办队列。"),
    )
    followup_days = models.DecimalField(
        _("跟进提醒（工作日）"),
        max_digits=4,
        decimal_places=1,
        default=Decimal("2"),
        validators=[MinValueValidator(Decimal("0.5"))],
        help_text=_("答复后事项仍未办结的，隔多久提醒经办人续报。"),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("留言设置")
        verbose_name_plural = _("留言设置")
        constraints = [models.CheckConstraint(condition=Q(id=1), name="inbox_settings_one_row")]

    def __str__(self) -> str:
        return str(self._meta.verbose_name)


class SyncState(models.Model):
    """Where the inbox sync of one account stands: its cursor, who holds it, how it went.

    The cursor moves only in the transaction that stores the batch it was read with, so a
    worker that dies mid-batch leaves the cursor where the stored messages end. `lease_token`
    is the claim: only its holder may store a batch; an expired lease can be taken over.
    """

    account = models.OneToOneField(
        Account, on_delete=models.CASCADE, primary_key=True, related_name="inbox_sync"
    )
    cursor = models.TextField(blank=True)
    lease_token = models.CharField(max_length=32, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(_("最近一次成功同步"), null=True, blank=True)
    last_error_at = models.DateTimeField(_("最近一次出错"), null=True, blank=True)
    last_error = models.TextField(_("平台返回"), blank=True)
    retry_after = models.DateTimeField(_("限流至"), null=True, blank=True)
    messages_stored = models.PositiveBigIntegerField(_("已同步留言"), default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("留言同步")
        verbose_name_plural = _("留言同步")

    def __str__(self) -> str:
        return f"{self.account_id} @ {self.cursor}"


class RouterTarget(models.TextChoices):
    TOPIC = "topic", _("主题")
    UNIT = "unit", _("责任单位")


class RouterModel(models.Model):
    """A router the district trained on its own messages (`manage.py textintel_train`)."""

    target = models.CharField(_("预测"), max_length=8, choices=RouterTarget.choices)
    version = models.PositiveIntegerField(_("版本"))
    path = models.CharField(_("文件"), max_length=300)
    trained_at = models.DateTimeField(_("训练时间"), auto_now_add=True)
    n_train = models.PositiveIntegerField(_("训练留言数"))
    labels = models.JSONField(default=list)
    metrics = models.JSONField(default=dict, blank=True)
    is_active = models.BooleanField(_("在用"), default=True)

    class Meta:
        ordering = ["target", "-version"]
        verbose_name = _("分办模型")
        verbose_name_plural = _("分办模型")
        constraints = [
            models.UniqueConstraint(fields=["target", "version"], name="inbox_router_version"),
            models.UniqueConstraint(
                fields=["target"], condition=Q(is_active=True), name="inbox_router_one_active"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.target} v{self.version}"


class Rebuttal(models.Model):
    """A clarification post (辟谣) drafted from messages, and the messages it answers (R3.3).

    The post goes through publishing's review; once it is published, each linked message gets a
    reply pointing to it, approved like any reply.
    """

    post = models.OneToOneField(
        "publishing.Post", on_delete=models.PROTECT, related_name="+", verbose_name=_("澄清稿件")
    )
    messages = models.ManyToManyField(Message, related_name="rebuttals", verbose_name=_("留言"))
    reply_text = models.TextField(_("回复网民的文字"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    replies_drafted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("辟谣")
        verbose_name_plural = _("辟谣")

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"


class TrendDimension(models.TextChoices):
    TOPIC = "topic", _("主题")
    PLACE = "place", _("地点")
    PHRASE = "phrase", _("词语")


class TrendAlert(models.Model):
    """A spike the office was told about: one per item, window and day."""

    dimension = models.CharField(max_length=8, choices=TrendDimension.choices)
    key = models.CharField(max_length=100)
    window = models.CharField(max_length=4)  # "24h" or "7d"
    day = models.DateField()
    count = models.PositiveIntegerField()
    expected = models.FloatField()
    score = models.FloatField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("舆情预警")
        verbose_name_plural = _("舆情预警")
        constraints = [
            models.UniqueConstraint(
                fields=["dimension", "key", "window", "day"], name="inbox_trend_alert_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.window}"
