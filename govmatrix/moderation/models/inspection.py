"""Content inspection (R1.4): the runs over every account's published posts, what they found,
and the office's list of common typos.

A finding is unique per (rule, subject): a post's findings are keyed by the post, a dormant
account's by the account and the day of its last post, so running the inspection again updates
what it found before instead of adding it twice, and a new spell of silence is a new finding.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from govmatrix.core.models import TimeStampedModel
from govmatrix.matrix.models import Account
from govmatrix.org.models import Unit


class TypoPair(TimeStampedModel):
    wrong = models.CharField(_("错误写法"), max_length=40, unique=True)
    correct = models.CharField(_("正确写法"), max_length=40)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    is_active = models.BooleanField(_("在用"), default=True)

    class Meta:
        ordering = ["wrong"]
        verbose_name = _("常见错别字")
        verbose_name_plural = _("常见错别字")
        constraints = [
            models.CheckConstraint(
                condition=~Q(wrong=models.F("correct")), name="moderation_typo_differs"
            )
        ]

    def __str__(self) -> str:
        return f"{self.wrong} → {self.correct}"


class RunTrigger(models.TextChoices):
    SCHEDULED = "scheduled", _("定时巡检")
    MANUAL = "manual", _("手动巡检")


class RunState(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("巡检中")
    FINISHED = "finished", _("已完成")
    FAILED = "failed", _("失败")


OPEN_RUN_STATES = (RunState.QUEUED, RunState.RUNNING)


class InspectionRun(models.Model):
    trigger = models.CharField(_("方式"), max_length=12, choices=RunTrigger.choices)
    state = models.CharField(
        _("状态"), max_length=12, choices=RunState.choices, default=RunState.QUEUED
    )
    # One open run at a time (the unique constraint below reads this constant column).
    slot = models.CharField(max_length=16, default="content", editable=False)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("发起时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    stats = models.JSONField(_("统计"), default=dict, blank=True)
    error = models.TextField(_("错误"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("内容巡检")
        verbose_name_plural = _("内容巡检")
        constraints = [
            models.UniqueConstraint(
                fields=["slot"],
                condition=Q(state__in=["queued", "running"]),
                name="moderation_one_open_inspection",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_trigger_display()} #{self.pk}"


class FindingRule(models.TextChoices):
    SENSITIVE = "sensitive", _("敏感词")
    BANNED = "banned", _("禁用表述")
    LEADER = "leader", _("领导姓名职务")
    TYPO = "typo", _("错别字")
    BROKEN_LINK = "broken_link", _("失效链接")
    DORMANT = "dormant", _("长期不更新")
    DORMANT_WARNING = "dormant_warning", _("即将长期不更新")


POST_RULES = (
    FindingRule.SENSITIVE,
    FindingRule.BANNED,
    FindingRule.LEADER,
    FindingRule.TYPO,
    FindingRule.BROKEN_LINK,
)


class FindingSeverity(models.TextChoices):
    WARNING = "warning", _("提醒")
    MINOR = "minor", _("一般")
    MAJOR = "major", _("较重")
    SERIOUS = "serious", _("严重")


class FindingStatus(models.TextChoices):
    OPEN = "open", _("待整改")
    RECTIFIED = "rectified", _("已整改待核验")
    VERIFIED = "verified", _("已核验")
    DISMISSED = "dismissed", _("已撤销")
    CLEARED = "cleared", _("已消除")


OPEN_FINDING_STATUSES = (FindingStatus.OPEN, FindingStatus.RECTIFIED)


class ContentFinding(TimeStampedModel):
    rule = models.CharField(_("检查项"), max_length=20, choices=FindingRule.choices)
    subject_key = models.CharField(max_length=80)
    account = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="+", verbose_name=_("账号")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("单位")
    )
    post_id = models.BigIntegerField(_("稿件"), null=True, blank=True)
    post_url = models.CharField(_("链接"), max_length=500, blank=True)
    post_excerpt = models.CharField(_("摘要"), max_length=200, blank=True)
    severity = models.CharField(_("严重程度"), max_length=12, choices=FindingSeverity.choices)
    description = models.TextField(_("问题描述"))
    details = models.JSONField(default=dict, blank=True)
    found_on = models.DateField(_("发现日期"))
    first_run = models.ForeignKey(
        InspectionRun, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    last_run = models.ForeignKey(
        InspectionRun, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    last_seen_at = models.DateTimeField(_("最近发现"))
    rectify_due = models.DateField(_("整改期限"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=12, choices=FindingStatus.choices, default=FindingStatus.OPEN
    )
    response = models.TextField(_("整改情况"), blank=True)
    responded_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    review_note = models.TextField(_("核验意见"), blank=True)
    reviewed_at = models.DateTimeField(_("核验时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The assessment's inspection finding that counts this one (assessment.Finding.source_ref
    # is "moderation.contentfinding:<id>").
    assessment_finding_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-found_on", "-id"]
        verbose_name = _("巡检发现")
        verbose_name_plural = _("巡检发现")
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "subject_key"], name="moderation_finding_once_per_subject"
            )
        ]
        indexes = [
            models.Index(fields=["unit", "status"], name="moderation_finding_unit"),
            models.Index(fields=["status", "rectify_due"], name="moderation_finding_due"),
        ]

    def __str__(self) -> str:
        return f"{self.account} · {self.get_rule_display()}"

    @property
    def source_ref(self) -> str:
        return f"moderation.contentfinding:{self.pk}"
