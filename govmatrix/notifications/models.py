from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """An in-app message to one person: what happened, and the link to act on it."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    verb = models.CharField(_("类别"), max_length=64)
    text = models.CharField(_("内容"), max_length=300)
    link = models.CharField(_("链接"), max_length=300, blank=True)
    unit_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.text
