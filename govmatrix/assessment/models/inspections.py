"""Inspections (检查, R1.4): plans over a sample of accounts, checklists, findings, rectification."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from govmatrix.core.models import TimeStampedModel
from govmatrix.matrix.models import Account
from govmatrix.org.models import Unit


class FindingMetric(models.TextChoices):
    """Which metric of the scheme a finding under a checklist item feeds (every one also counts
    as an inspection finding)."""

    GENERAL = "inspection_findings", _("一般问题（计入检查发现问题数）")
    SERIOUS_WORDING = "serious_wording_errors", _("严重表述错误（单项否决）")
    SECRET_LEAK = "secret_leaks", _("泄露国家秘密（单项否决）")
    ILLEGAL_CONTENT = "illegal_content", _("违法有害内容（单项否决）")
    NEGATIVE_OPINION = "serious_negative_opinion", _("引发严重负面舆情（单项否决）")
    FAKE_FOLLOWERS = "fake_followers_or_forced_likes", _("购买粉丝或强制点赞（单项否决）")


class Severity(models.TextChoices):
    MINOR = "minor", _("一般")
    MAJOR = "major", _("较重")
    SERIOUS = "serious", _("严重")


class ChecklistItem(TimeStampedModel):
    code = models.SlugField(_("代码"), max_length=40, unique=True)
    label = models.CharField(_("检查项"), max_length=100)
    description = models.TextField(_("检查要点"), blank=True)
    metric = models.CharField(
        _("计入"), max_length=40, choices=FindingMetric.choices, default=FindingMetric.GENERAL
    )
    default_severity = models.CharField(
        _("默认严重程度"), max_length=16, choices=Severity.choices, default=Severity.MINOR
    )
    rectify_working_days = models.PositiveSmallIntegerField(
        _("整改时限（工作日）"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    is_active = models.BooleanField(_("在用"), default=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("检查项")
        verbose_name_plural = _("检查项")

    def __str__(self) -> str:
        return self.label


class Sampling(models.TextChoices):
    ALL = "all", _("全部账号")
    RANDOM = "random", _("随机抽查")


class PlanStatus(models.TextChoices):
    PLANNED = "planned", _("计划中")
    IN_PROGRESS = "in_progress", _("检查中")
    COMPLETED = "completed", _("已完成")
    CANCELLED = "cancelled", _("已取消")


class InspectionPlan(TimeStampedModel):
    title = models.CharField(_("名称"), max_length=200)
    quarter = models.CharField(_("季度"), max_length=6, db_index=True)
    check_date = models.DateField(_("检查时点"))
    sampling = models.CharField(_("范围"), max_length=16, choices=Sampling.choices)
    sample_percent = models.PositiveSmallIntegerField(
        _("抽查比例（%）"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    seed = models.BigIntegerField(_("随机种子"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=PlanStatus.choices, default=PlanStatus.PLANNED
    )
    note = models.TextField(_("说明"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-check_date", "-id"]
        verbose_name = _("检查计划")
        verbose_name_plural = _("检查计划")

    def __str__(self) -> str:
        return self.title


class InspectionTarget(models.Model):
    """An account the plan covers; `checked_at` is set when the inspector has looked at it."""

    plan = models.ForeignKey(InspectionPlan, on_delete=models.CASCADE, related_name="targets")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    checked_at = models.DateTimeField(_("检查时间"), null=True, blank=True)
    note = models.CharField(_("检查记录"), max_length=300, blank=True)

    class Meta:
        ordering = ["plan", "unit__sort_order", "account__handle"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "account"], name="assessment_target_once")
        ]

    def __str__(self) -> str:
        return f"{self.plan_id}/{self.account_id}"


class FindingStatus(models.TextChoices):
    OPEN = "open", _("待整改")
    RECTIFYING = "rectifying", _("整改中")
    RECTIFIED = "rectified", _("已整改待核验")
    VERIFIED = "verified", _("已核验")
    WITHDRAWN = "withdrawn", _("已撤销")


class FindingSource(models.TextChoices):
    MANUAL = "manual", _("人工检查")
    CONTENT_INSPECTION = "content_inspection", _("内容巡检")


class Finding(TimeStampedModel):
    plan = models.ForeignKey(
        InspectionPlan, on_delete=models.PROTECT, null=True, blank=True, related_name="findings"
    )
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey(
        ChecklistItem, on_delete=models.PROTECT, related_name="findings", verbose_name=_("检查项")
    )
    severity = models.CharField(_("严重程度"), max_length=16, choices=Severity.choices)
    description = models.TextField(_("问题描述"))
    evidence_url = models.CharField(_("证据链接"), max_length=500, blank=True)
    found_on = models.DateField(_("发现日期"))
    rectify_due = models.DateField(_("整改期限"))
    status = models.CharField(
        _("状态"), max_length=16, choices=FindingStatus.choices, default=FindingStatus.OPEN
    )
    unit_response = models.TextField(_("单位整改情况"), blank=True)
    responded_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    verified_at = models.DateTimeField(_("核验时间"), null=True, blank=True)
    review_note = models.TextField(_("核验意见"), blank=True)
    # Where the finding came from: a person's inspection, or (when the moderation app exists) its
    # automated content inspection, named by `source_ref` (e.g. "moderation.contentfinding:12").
    source = models.CharField(
        _("来源"), max_length=24, choices=FindingSource.choices, default=FindingSource.MANUAL
    )
    source_ref = models.CharField(_("来源编号"), max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-found_on", "-id"]
        verbose_name = _("检查发现")
        verbose_name_plural = _("检查发现")
        constraints = [
            models.UniqueConstraint(
                fields=["source_ref"], condition=~Q(source_ref=""), name="assessment_finding_ref"
            )
        ]
        indexes = [models.Index(fields=["account", "found_on"]), models.Index(fields=["status"])]

    def __str__(self) -> str:
        return f"{self.account} · {self.item}"
