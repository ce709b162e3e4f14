"""An incident (突发事件), declared by the office, and what its main account says (应对口径)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from govmatrix.core.models import TimeStampedModel
from govmatrix.matrix.models import Account, Platform
from govmatrix.org.models import Person, Unit


class EmergencySettings(models.Model):
    """The office's settings for incidents: one row. Clocks count wall-clock hours."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    first_info_hours = models.PositiveSmallIntegerField(
        _("首次发布权威信息时限（小时）"), default=5
    )
    full_release_hours = models.PositiveSmallIntegerField(
        _("详细发布或新闻发布会时限（小时）"), default=24
    )
    repost_minutes = models.PositiveSmallIntegerField(_("转发时限（分钟）"), default=30)
    reminder_minutes = models.PositiveSmallIntegerField(_("到期前提醒（分钟）"), default=10)
    document_prefix = models.CharField(_("文号前缀"), max_length=20, default="区发布应急")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("突发事件设置")
        verbose_name_plural = _("突发事件设置")
        constraints = [
            models.CheckConstraint(condition=Q(id=1), name="emergency_settings_single_row"),
            models.CheckConstraint(
                condition=Q(first_info_hours__gte=1)
                & Q(first_info_hours__lte=F("full_release_hours"))
                & Q(full_release_hours__lte=168),
                name="emergency_settings_clock_hours",
            ),
            models.CheckConstraint(
                condition=Q(repost_minutes__gte=5) & Q(repost_minutes__lte=1440),
                name="emergency_settings_repost_minutes",
            ),
            models.CheckConstraint(
                condition=Q(reminder_minutes__gte=1) & Q(reminder_minutes__lt=F("repost_minutes")),
                name="emergency_settings_reminder_before_deadline",
            ),
        ]

    def __str__(self) -> str:
        return str(self._meta.verbose_name)


class IncidentLevel(models.TextChoices):
    I = "I", _("I 级（特别重大）")  # noqa: E741 - the levels are named I–IV
    II = "II", _("II 级（重大）")
    III = "III", _("III 级（较大）")
    IV = "IV", _("IV 级（一般）")


class IncidentStatus(models.TextChoices):
    ACTIVE = "active", _("处置中")
    STOOD_DOWN = "stood_down", _("已结束")


class Incident(TimeStampedModel):
    year = models.PositiveSmallIntegerField(_("年度"))
    sequence = models.PositiveIntegerField(_("序号"))
    title = models.CharField(_("事件名称"), max_length=100)
    level = models.CharField(_("级别"), max_length=4, choices=IncidentLevel.choices)
    summary = models.TextField(_("事件概况"), blank=True)
    commander = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="commanded_incidents",
        verbose_name=_("现场最高领导"),
    )
    units = models.ManyToManyField(
        Unit, blank=True, related_name="emergency_incidents", verbose_name=_("涉事单位")
    )
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=IncidentStatus.choices,
        default=IncidentStatus.ACTIVE,
        db_index=True,
    )
    declared_at = models.DateTimeField(_("宣布时间"))
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # The clocks, fixed at declaration from the settings of that moment (wall-clock hours).
    first_info_due_at = models.DateTimeField(_("首次发布时限"))
    full_release_due_at = models.DateTimeField(_("详细发布时限"))
    first_info_at = models.DateTimeField(_("首次发布时间"), null=True, blank=True)
    full_release_at = models.DateTimeField(_("详细发布时间"), null=True, blank=True)
    press_conference_at = models.DateTimeField(_("新闻发布会时间"), null=True, blank=True)
    press_conference_note = models.CharField(_("新闻发布会说明"), max_length=200, blank=True)
    stood_down_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    stood_down_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    stand_down_note = models.CharField(_("结束说明"), max_length=200, blank=True)

    class Meta:
        ordering = ["-declared_at", "-id"]
        verbose_name = _("突发事件")
        verbose_name_plural = _("突发事件")
        constraints = [
            models.UniqueConstraint(fields=["year", "sequence"], name="emergency_incident_number"),
            models.CheckConstraint(
                condition=Q(first_info_due_at__gt=F("declared_at"))
                & Q(full_release_due_at__gte=F("first_info_due_at")),
                name="emergency_incident_clocks_after_declaration",
            ),
            models.CheckConstraint(
                condition=(Q(status="active") & Q(stood_down_at__isnull=True))
                | (Q(status="stood_down") & Q(stood_down_at__gte=F("declared_at"))),
                name="emergency_incident_stood_down_has_time",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_active(self) -> bool:
        return self.status == IncidentStatus.ACTIVE


class StatementKind(models.TextChoices):
    FIRST = "first", _("首发权威信息")
    UPDATE = "update", _("续报")
    FULL = "full", _("详细发布")


class Statement(TimeStampedModel):
    """One post of the incident: the first statement, a rolling update (续报) or the fuller
    release. Its text, review and publication are the post's (publishing); the incident's
    on-site commander approves it, and the repost comment with it."""

    incident = models.ForeignKey(
        Incident, on_delete=models.PROTECT, related_name="statements", verbose_name=_("突发事件")
    )
    post = models.OneToOneField(
        "publishing.Post",
        on_delete=models.PROTECT,
        related_name="emergency_statement",
        verbose_name=_("稿件"),
    )
    kind = models.CharField(_("类别"), max_length=8, choices=StatementKind.choices)
    sequence = models.PositiveSmallIntegerField(_("序号"))
    repost_comment = models.CharField(_("转发评论"), max_length=280, blank=True)
    order_reposts = models.BooleanField(_("发布后下达转发任务"), default=True)
    repost_minutes = models.PositiveSmallIntegerField(_("转发时限（分钟）"), default=30)
    target_all = models.BooleanField(_("全部子账号转发"), default=True)
    targets = models.ManyToManyField(
        Account, blank=True, related_name="+", verbose_name=_("指定转发账号")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    fanned_out_at = models.DateTimeField(_("下达转发任务时间"), null=True, blank=True)
    orders_count = models.PositiveIntegerField(_("转发任务数"), default=0)
    # The last slice of automatic reposts: the minute sweep re-drives only a stalled chain.
    auto_sliced_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["incident", "sequence"]
        verbose_name = _("应对口径")
        verbose_name_plural = _("应对口径")
        constraints = [
            models.UniqueConstraint(
                fields=["incident", "sequence"], name="emergency_statement_sequence"
            ),
            models.UniqueConstraint(
                fields=["incident"], condition=Q(kind="first"), name="emergency_statement_one_first"
            ),
            models.CheckConstraint(
                condition=Q(repost_minutes__gte=5) & Q(repost_minutes__lte=1440),
                name="emergency_statement_repost_minutes",
            ),
            models.CheckConstraint(
                condition=Q(fanned_out_at__isnull=True) | Q(published_at__isnull=False),
                name="emergency_statement_orders_after_publication",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.incident} · {self.label}"

    @property
    def label(self) -> str:
        if self.kind == StatementKind.UPDATE:
            return str(_("续报（第 %(n)d 次发布）") % {"n": self.sequence})
        return str(self.get_kind_display())


class StatementCopy(TimeStampedModel):
    """The statement as the main account of another platform publishes it (a copy): the same
    text under the commander's one approval of the statement, published through the outbox
    like the statement's own post. The sub-accounts on the copy's platform repost the copy —
    through their connector — instead of the statement's post on another platform."""

    statement = models.ForeignKey(
        Statement, on_delete=models.PROTECT, related_name="copies", verbose_name=_("应对口径")
    )
    post = models.OneToOneField(
        "publishing.Post",
        on_delete=models.PROTECT,
        related_name="emergency_copy",
        verbose_name=_("稿件"),
    )
    platform = models.CharField(_("平台"), max_length=16, choices=Platform.choices)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    fanned_out_at = models.DateTimeField(_("下达转发任务时间"), null=True, blank=True)
    orders_count = models.PositiveIntegerField(_("转发任务数"), default=0)

    class Meta:
        ordering = ["statement", "platform"]
        verbose_name = _("应对口径副本")
        verbose_name_plural = _("应对口径副本")
        constraints = [
            models.UniqueConstraint(
                fields=["statement", "platform"], name="emergency_copy_one_per_platform"
            ),
            models.CheckConstraint(
                condition=Q(fanned_out_at__isnull=True) | Q(published_at__isnull=False),
                name="emergency_copy_orders_after_publication",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.statement} · {self.get_platform_display()}"


class SubAccountAllowance(models.Model):
    """The office lets one sub-account publish on the incident (R6.1 otherwise refuses it)."""

    incident = models.ForeignKey(
        Incident, on_delete=models.PROTECT, related_name="allowances", verbose_name=_("突发事件")
    )
    account = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="+", verbose_name=_("子账号")
    )
    reason = models.CharField(_("许可理由"), max_length=200)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField(_("许可时间"))

    class Meta:
        ordering = ["granted_at", "id"]
        verbose_name = _("子账号发布许可")
        verbose_name_plural = _("子账号发布许可")
        constraints = [
            models.UniqueConstraint(
                fields=["incident", "account"], name="emergency_allowance_once"
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="emergency_allowance_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.incident} · {self.account}"
