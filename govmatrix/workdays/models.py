from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarDay(models.Model):
    """The office's entry for one date: a holiday on a weekday, or a working weekend day (调休)."""

    day = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(_("上班"))
    name = models.CharField(_("名称"), max_length=50, blank=True)

    class Meta:
        ordering = ["day"]
        verbose_name = _("节假日/调休")
        verbose_name_plural = _("节假日/调休")

    def __str__(self) -> str:
        return f"{self.day} {self.name}"


class CalendarYear(models.Model):
    """A year whose holidays and adjusted working days the office has entered completely."""

    year = models.PositiveIntegerField(_("年度"), unique=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("确认时间"), auto_now_add=True)

    class Meta:
        ordering = ["year"]
        verbose_name = _("年度工作日历")
        verbose_name_plural = _("年度工作日历")

    def __str__(self) -> str:
        return str(self.year)
