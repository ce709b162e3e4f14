"""The organisation behind the matrix: units, their people and roles, budgets and group targets."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from govmatrix.core.models import TimeStampedModel

unit_code_validator = RegexValidator(
    r"^[a-z][a-z0-9_]{1,31}$",
    _("单位代码须以小写字母开头，只含小写字母、数字和下划线，2–32 个字符。"),
)


class UnitKind(models.TextChoices):
    OFFICE = "office", _("管理办公室")
    DISTRICT_GOVERNMENT = "district_government", _("区政府")
    NEWS_OFFICE = "news_office", _("新闻办")
    STREET_TOWN = "street_town", _("街镇")
    DEPARTMENT = "department", _("职能部门")
    NEWS_MEDIA = "news_media", _("新闻媒体")


class Unit(TimeStampedModel):
    name = models.CharField(_("名称"), max_length=100)
    code = models.CharField(_("代码"), max_length=32, unique=True, validators=[unit_code_validator])
    kind = models.CharField(_("类型"), max_length=32, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("上级单位"),
    )
    is_active = models.BooleanField(_("在用"), default=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        constraints = [
            models.UniqueConstraint(
                fields=["kind"], condition=Q(kind="office"), name="org_unit_single_office"
            ),
            models.UniqueConstraint(fields=["name"], name="org_unit_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    OFFICE_ADMIN = "office_admin", _("管理办公室工作人员")
    PRINCIPAL_LEADER = "principal_leader", _("主要领导")
    LEADER_IN_CHARGE = "leader_in_charge", _("分管领导")
    OPERATOR = "operator", _("运维人员")
    INSPECTOR = "inspector", _("检查/只读")


class Staffing(models.TextChoices):
    DEDICATED = "dedicated", _("专职")
    PART_TIME = "part_time", _("兼职")


class Person(TimeStampedModel):
    name = models.CharField(_("姓名"), max_length=50)
    title = models.CharField(_("职务"), max_length=100, blank=True)
    phone = models.CharField(_("电话"), max_length=30, blank=True)
    email = models.EmailField(_("邮箱"), blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="person",
        verbose_name=_("登录账号"),
    )
    is_active = models.BooleanField(_("在职"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("人员")
        verbose_name_plural = _("人员")

    def __str__(self) -> str:
        return self.name


class Membership(TimeStampedModel):
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("人员")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("单位")
    )
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices)
    staffing = models.CharField(_("专兼职"), max_length=16, choices=Staffing.choices, blank=True)
    started_on = models.DateField(_("任职日期"))
    ended_on = models.DateField(_("离任日期"), null=True, blank=True)

    class Meta:
        ordering = ["unit__sort_order", "unit__code", "role", "person__name"]
        verbose_name = _("任职")
        verbose_name_plural = _("任职")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "unit", "role"],
                condition=Q(ended_on__isnull=True),
                name="org_membership_one_active_role",
            ),
            models.UniqueConstraint(
                fields=["unit"],
                condition=Q(role="principal_leader", ended_on__isnull=True),
                name="org_membership_one_principal_leader",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.get_role_display()} · {self.person}"

    @property
    def is_active(self) -> bool:
        return self.ended_on is None


class BudgetLine(TimeStampedModel):
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="budget_lines", verbose_name=_("单位")
    )
    year = models.PositiveIntegerField(_("年度"), validators=[MinValueValidator(2000)])
    amount = models.DecimalField(
        _("预算金额（元）"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    purpose = models.CharField(_("用途"), max_length=200)
    note = models.TextField(_("备注"), blank=True)

    class Meta:
        ordering = ["-year", "unit__sort_order", "unit__code", "purpose"]
        verbose_name = _("预算")
        verbose_name_plural = _("预算")

    def __str__(self) -> str:
        return f"{self.unit} {self.year} {self.purpose}"


class SpendingEntry(TimeStampedModel):
    budget_line = models.ForeignKey(
        BudgetLine, on_delete=models.PROTECT, related_name="spending", verbose_name=_("预算")
    )
    spent_on = models.DateField(_("日期"))
    amount = models.DecimalField(
        _("金额（元）"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    description = models.CharField(_("事由"), max_length=200)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("登记人"),
    )

    class Meta:
        ordering = ["-spent_on", "-id"]
        verbose_name = _("支出")
        verbose_name_plural = _("支出")

    def __str__(self) -> str:
        return f"{self.spent_on} {self.description} {self.amount}"


class TargetScope(models.TextChoices):
    ALL_MEMBERS = "all_members", _("微博群全部成员账号（主账号与子账号）")
    STREETS_AND_DEPARTMENTS = "streets_and_departments", _("各街镇、各职能部门的政务微博")


class GroupTarget(TimeStampedModel):
    name = models.CharField(_("名称"), max_length=100)
    deadline = models.DateField(_("截止日期"))
    min_accounts = models.PositiveIntegerField(_("最少账号数"), validators=[MinValueValidator(1)])
    scope = models.CharField(
        _("统计范围"), max_length=32, choices=TargetScope.choices, default=TargetScope.ALL_MEMBERS
    )
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        ordering = ["deadline", "id"]
        verbose_name = _("建设目标")
        verbose_name_plural = _("建设目标")

    def __str__(self) -> str:
        return self.name
