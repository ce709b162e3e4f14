"""Daily metric snapshots of each account, collected through the platform connectors.

`AccountSnapshot` holds what one collection learned about one account on one day; a second
collection of the same day updates the row (one row per account and day, a database constraint).
`PostObservation` holds each post the account published with the reposts, comments and likes it
had received when it was last observed. A column left empty (NULL) means "could not be read":
no data, never zero.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from govmatrix.matrix.models import Account


class SnapshotSource(models.TextChoices):
    CONNECTOR = "connector", _("平台接口")
    DEMO = "demo", _("演示数据")


class AccountSnapshot(models.Model):
    account = models.ForeignKey(
        Account, on_delete=models.CASCADE, related_name="+", verbose_name=_("账号")
    )
    day = models.DateField(_("日期"))
    followers = models.PositiveIntegerField(_("粉丝数"), null=True, blank=True)
    following = models.PositiveIntegerField(_("关注数"), null=True, blank=True)
    posts_count = models.PositiveIntegerField(_("平台显示的微博总数"), null=True, blank=True)
    posts_published = models.PositiveIntegerField(_("当日发博数"), null=True, blank=True)
    posts_original = models.PositiveIntegerField(_("当日原创数"), null=True, blank=True)
    replies_sent = models.PositiveIntegerField(_("当日主动回复数"), null=True, blank=True)
    interaction_enabled = models.BooleanField(_("互动功能可用"), null=True, blank=True)
    source = models.CharField(_("来源"), max_length=16, choices=SnapshotSource.choices)
    note = models.CharField(_("未能读取"), max_length=300, blank=True)
    collected_at = models.DateTimeField(_("采集时间"))

    class Meta:
        ordering = ["-day", "account_id"]
        verbose_name = _("每日数据快照")
        verbose_name_plural = _("每日数据快照")
        constraints = [
            models.UniqueConstraint(fields=["account", "day"], name="assessment_snapshot_per_day")
        ]
        indexes = [models.Index(fields=["day"])]

    def __str__(self) -> str:
        return f"{self.account_id} {self.day}"


class PostObservation(models.Model):
    account = models.ForeignKey(
        Account, on_delete=models.CASCADE, related_name="+", verbose_name=_("账号")
    )
    post_id = models.CharField(_("平台微博编号"), max_length=100)
    published_at = models.DateTimeField(_("发布时间"))
    # The local day of `published_at` (settings.TIME_ZONE), kept so that counting the days an
    # account posted on is a plain indexed query on every database.
    published_on = models.DateField(_("发布日期"))
    is_original = models.BooleanField(_("原创"), default=True)
    url = models.CharField(_("链接"), max_length=500, blank=True)
    reposts = models.PositiveIntegerField(_("转发数"), null=True, blank=True)
    comments = models.PositiveIntegerField(_("评论数"), null=True, blank=True)
    likes = models.PositiveIntegerField(_("点赞数"), null=True, blank=True)
    observed_on = models.DateField(_("最近观测日期"))
    source = models.CharField(_("来源"), max_length=16, choices=SnapshotSource.choices)

    class Meta:
        ordering = ["-published_at"]
        verbose_name = _("微博观测")
        verbose_name_plural = _("微博观测")
        constraints = [
            models.UniqueConstraint(fields=["account", "post_id"], name="assessment_post_once")
        ]
        indexes = [models.Index(fields=["account", "published_on"])]

    def __str__(self) -> str:
        return f"{self.account_id}/{self.post_id}"
