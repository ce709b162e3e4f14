"""Quarterly assessment runs and their frozen results.

A run is computed in the background, reviewed, frozen and published. Once frozen its scheme
version, metric values and result snapshot never change: the services refuse it, and database
triggers (migration 0003) refuse an UPDATE of those columns or of its result rows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from govmatrix.assessment.models.schemes import SchemeVersion
from govmatrix.core.models import TimeStampedModel
from govmatrix.matrix.models import Account
from govmatrix.org.models import Unit

if TYPE_CHECKING:  # django-stubs-ext is a development tool, not installed to run
    from django_stubs_ext import StrOrPromise


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("等待计算")
    COMPUTING = "computing", _("计算中")
    COMPUTED = "computed", _("待审核")
    FAILED = "failed", _("计算失败")
    FROZEN = "frozen", _("已冻结")
    PUBLISHED = "published", _("已发布")
    DISCARDED = "discarded", _("已作废")


OPEN_RUN_STATUSES = (RunStatus.QUEUED, RunStatus.COMPUTING, RunStatus.COMPUTED, RunStatus.FAILED)
FINAL_RUN_STATUSES = (RunStatus.FROZEN, RunStatus.PUBLISHED)


def _user_fk(label: StrOrPromise) -> models.ForeignKey:
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=label,
    )


class AssessmentRun(TimeStampedModel):
    quarter = models.CharField(_("季度"), max_length=6, db_index=True)
    scheme_version = models.ForeignKey(
        SchemeVersion, on_delete=models.PROTECT, related_name="runs", verbose_name=_("考核方案")
    )
    scheme_name = models.CharField(_("方案代码"), max_length=64)
    status = models.CharField(
        _("状态"), max_length=16, choices=RunStatus.choices, default=RunStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("进度"), default=0)
    progress_note = models.CharField(_("进度说明"), max_length=200, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    error = models.TextField(_("错误"), blank=True)
    check_date = models.DateField(_("检查时点"), null=True, blank=True)
    metrics = models.JSONField(_("数据项"), null=True, blank=True)
    sources = models.JSONField(_("数据来源"), null=True, blank=True)
    result = models.JSONField(_("结果快照"), null=True, blank=True)
    result_hash = models.CharField(_("结果哈希"), max_length=64, blank=True)
    account_count = models.PositiveIntegerField(_("参评账号"), null=True, blank=True)
    scored_count = models.PositiveIntegerField(_("有得分账号"), null=True, blank=True)
    vetoed_count = models.PositiveIntegerField(_("单项否决账号"), null=True, blank=True)
    created_by = _user_fk(_("发起人"))
    computed_at = models.DateTimeField(_("计算完成"), null=True, blank=True)
    frozen_at = models.DateTimeField(_("冻结时间"), null=True, blank=True)
    frozen_by = _user_fk(_("冻结人"))
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_by = _user_fk(_("发布人"))

    class Meta:
        ordering = ["-quarter", "-id"]
        verbose_name = _("季度考核")
        verbose_name_plural = _("季度考核")
        constraints = [
            models.UniqueConstraint(
                fields=["quarter", "scheme_name"],
                condition=Q(status__in=["frozen", "published"]),
                name="assessment_run_one_final",
            ),
            models.UniqueConstraint(
                fields=["quarter", "scheme_name"],
                condition=Q(status__in=["queued", "computing", "computed", "failed"]),
                name="assessment_run_one_open",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quarter} · {self.scheme_version.title_zh}"

    @property
    def is_final(self) -> bool:
        return self.status in FINAL_RUN_STATUSES


class RunAccountResult(models.Model):
    run = models.ForeignKey(AssessmentRun, on_delete=models.CASCADE, related_name="account_rows")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    account_name = models.CharField(_("账号"), max_length=100)
    unit_name = models.CharField(_("单位"), max_length=100)
    position = models.PositiveIntegerField(_("顺序"))
    rank = models.PositiveIntegerField(_("排名"), null=True, blank=True)
    total = models.FloatField(_("得分"), null=True, blank=True)
    score_before_veto = models.FloatField(_("否决前得分"), null=True, blank=True)
    vetoed = models.BooleanField(_("单项否决"), default=False)
    vetoes = models.JSONField(_("否决项"), default=list)
    vetoes_unevaluated = models.JSONField(_("未能检查的否决项"), default=list)
    missing = models.JSONField(_("无数据指标"), default=list)
    coverage = models.FloatField(_("数据覆盖"))
    dimensions = models.JSONField(_("维度得分"), default=dict)

    class Meta:
        ordering = ["run", "position"]
        constraints = [
            models.UniqueConstraint(fields=["run", "account"], name="assessment_result_once")
        ]

    def __str__(self) -> str:
        return f"{self.run_id} {self.account_name} {self.rank}"


class RunUnitResult(models.Model):
    run = models.ForeignKey(AssessmentRun, on_delete=models.CASCADE, related_name="unit_rows")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    unit_name = models.CharField(_("单位"), max_length=100)
    position = models.PositiveIntegerField(_("顺序"))
    rank = models.PositiveIntegerField(_("排名"), null=True, blank=True)
    score = models.FloatField(_("得分"), null=True, blank=True)
    accounts = models.PositiveIntegerField(_("账号数"))
    scored_accounts = models.PositiveIntegerField(_("有得分账号数"))
    vetoed_accounts = models.PositiveIntegerField(_("否决账号数"))

    class Meta:
        ordering = ["run", "position"]
        constraints = [
            models.UniqueConstraint(fields=["run", "unit"], name="assessment_unit_result_once")
        ]

    def __str__(self) -> str:
        return f"{self.run_id} {self.unit_name} {self.rank}"


class RunNotice(TimeStampedModel):
    """The words of the quarterly notice (通报): editable until the run is published."""

    run = models.OneToOneField(AssessmentRun, on_delete=models.CASCADE, related_name="notice")
    number = models.CharField(_("文号"), max_length=100)
    issuer = models.CharField(_("发文机关"), max_length=100)
    issued_on = models.DateField(_("成文日期"))
    addressees = models.CharField(_("主送"), max_length=200)
    summary = models.TextField(_("总体情况"), blank=True)
    good_practice = models.TextField(_("好的做法"), blank=True)
    problems = models.TextField(_("存在的问题"), blank=True)
    requirements = models.TextField(_("整改要求"), blank=True)
    copy_to = models.CharField(_("抄送"), max_length=300, blank=True)
    updated_by = _user_fk(_("修改人"))

    class Meta:
        verbose_name = _("季度通报")
        verbose_name_plural = _("季度通报")

    def __str__(self) -> str:
        return self.number
