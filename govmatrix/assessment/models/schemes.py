"""Scoring schemes held as data, versioned: an edit adds a version, it never changes one."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class SchemeVersion(models.Model):
    """One version of a scheme: the engine's JSON, validated, with its content hash.

    Rows are written once. `is_current` marks the version new runs use; a run keeps the version
    it was computed with (PROTECT), so a frozen result can always be explained.
    """

    name = models.CharField(_("方案代码"), max_length=64)
    number = models.PositiveIntegerField(_("版本号"))
    version_label = models.CharField(_("方案版本"), max_length=32)
    title_zh = models.CharField(_("方案名称"), max_length=200)
    definition = models.JSONField(_("方案内容"))
    content_hash = models.CharField(_("内容哈希"), max_length=64, db_index=True)
    is_current = models.BooleanField(_("当前版本"), default=True)
    note = models.CharField(_("修改说明"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("创建人"),
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        ordering = ["name", "-number"]
        verbose_name = _("考核方案版本")
        verbose_name_plural = _("考核方案版本")
        constraints = [
            models.UniqueConstraint(fields=["name", "number"], name="assessment_scheme_number"),
            models.UniqueConstraint(
                fields=["name"], condition=Q(is_current=True), name="assessment_scheme_one_current"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title_zh} v{self.number}"
