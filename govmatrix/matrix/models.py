"""The registry (台账) of the matrix: every official account, its owners, lifecycle and linkages."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from govmatrix.core.models import TimeStampedModel
from govmatrix.org.models import Person, Unit


class Platform(models.TextChoices):
    LOCAL = "local", _("本地平台")
    WEIBO = "weibo", _("新浪微博")
    MASTODON = "mastodon", _("Mastodon")
    WECHAT = "wechat", _("微信公众号")
    DOUYIN = "douyin", _("抖音")
    OTHER = "other", _("其他平台")


class AccountKind(models.TextChoices):
    MAIN = "main", _("主账号")
    SUB = "sub", _("子账号")
    STAFF_PERSONAL = "staff_personal", _("个人微博")


OFFICIAL_KINDS = (AccountKind.MAIN, AccountKind.SUB)


class AccountStatus(models.TextChoices):
    PLANNED = "planned", _("筹建")
    ACTIVE = "active", _("运行")
    DORMANT = "dormant", _("休眠")
    CLOSED = "closed", _("关停")


OPEN_STATUSES = (AccountStatus.ACTIVE, AccountStatus.DORMANT)


class Account(TimeStampedModel):
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="accounts", verbose_name=_("单位")
    )
    platform = models.CharField(_("平台"), max_length=16, choices=Platform.choices)
    handle = models.CharField(_("账号"), max_length=64)
    display_name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(
        _("类型"), max_length=16, choices=AccountKind.choices, default=AccountKind.SUB
    )
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=AccountStatus.choices,
        default=AccountStatus.PLANNED,
        db_index=True,
    )
    planned_on = models.DateField(_("筹建日期"), null=True, blank=True)
    activated_on = models.DateField(_("开通日期"), null=True, blank=True)
    dormant_since = models.DateField(_("休眠日期"), null=True, blank=True)
    closed_on = models.DateField(_("关停日期"), null=True, blank=True)
    owner = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="personal_accounts",
        verbose_name=_("本人"),
        help_text=_("个人微博的开设人"),
    )
    operators = models.ManyToManyField(
        Person, blank=True, related_name="operated_accounts", verbose_name=_("运维人员")
    )
    profile_url = models.URLField(_("主页链接"), blank=True)
    description = models.TextField(_("简介"), blank=True)

    class Meta:
        ordering = ["unit__sort_order", "unit__code", "kind", "handle"]
        verbose_name = _("账号")
        verbose_name_plural = _("账号")
        constraints = [
            models.UniqueConstraint(
                fields=["platform", "handle"], name="matrix_account_unique_handle"
            ),
            # One main account per platform ("@区发布" on Weibo, on Mastodon, locally …).
            models.UniqueConstraint(
                fields=["platform"],
                condition=Q(kind="main") & ~Q(status="closed"),
                name="matrix_account_one_main_per_platform",
                violation_error_message=_("同一平台只能有一个在用的主账号。"),
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "status"]),
            models.Index(fields=["platform", "status"]),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def is_official(self) -> bool:
        return self.kind in OFFICIAL_KINDS


class LinkageKind(models.TextChoices):
    DEPARTMENT = "department", _("微博与实体工作部门联动")
    MEDIA = "media", _("微博与新闻媒体联动")
    DISTRICT_TOWN = "district_town", _("区镇政务微博联动")
    CIVILIAN = "civilian", _("政务微博与民间微博联动")


class Linkage(TimeStampedModel):
    """One of the four linkages of R2.2, from an official account to its partner."""

    account = models.ForeignKey(
        Account, on_delete=models.CASCADE, related_name="linkages", verbose_name=_("账号")
    )
    kind = models.CharField(_("联动类型"), max_length=16, choices=LinkageKind.choices)
    target_unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("联动单位"),
    )
    target_account = models.ForeignKey(
        Account,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="linked_from",
        verbose_name=_("联动账号"),
    )
    target_name = models.CharField(_("民间账号"), max_length=100, blank=True)
    target_url = models.URLField(_("民间账号链接"), blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        ordering = ["kind", "id"]
        verbose_name = _("联动")
        verbose_name_plural = _("联动")
        constraints = [
            models.CheckConstraint(
                condition=Q(target_unit__isnull=False)
                | Q(target_account__isnull=False)
                | ~Q(target_name=""),
                name="matrix_linkage_has_target",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account} ↔ {self.target_label}"

    @property
    def target_label(self) -> str:
        if self.target_account_id:
            return str(self.target_account)
        if self.target_unit_id:
            return str(self.target_unit)
        return self.target_name
