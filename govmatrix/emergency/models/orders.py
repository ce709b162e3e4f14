"""Repost orders (转发任务, R6.2): one per statement and sub-account, with a deadline and proof."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from govmatrix.emergency.models.incidents import Statement, StatementCopy
from govmatrix.matrix.models import Account
from govmatrix.org.models import Unit


class RepostOrderState(models.TextChoices):
    OPEN = "open", _("待转发")
    REPOSTED = "reposted", _("已转发")
    EXEMPTED = "exempted", _("已免除")


class ProofKind(models.TextChoices):
    CONNECTOR = "connector", _("平台接口返回")
    MANUAL = "manual", _("运维人员回填")


class RepostOrder(models.Model):
    statement = models.ForeignKey(
        Statement, on_delete=models.PROTECT, related_name="orders", verbose_name=_("应对口径")
    )
    # The copy the order reposts, on the account's platform; none: the statement's own post.
    copy = models.ForeignKey(
        StatementCopy,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="orders",
        verbose_name=_("转发的副本"),
    )
    account = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="+", verbose_name=_("子账号")
    )
    # The account's unit when the order was made: whose people answer for it.
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("单位")
    )
    state = models.CharField(
        _("状态"), max_length=16, choices=RepostOrderState.choices, default=RepostOrderState.OPEN
    )
    created_at = models.DateTimeField(_("下达时间"))
    due_at = models.DateTimeField(_("转发时限"))
    # The account opted in to repost automatically when the order was made.
    auto = models.BooleanField(_("自动转发"), default=False)
    # A repost call is on its way (one-click or automatic) since this moment.
    requested_at = models.DateTimeField(_("发起转发时间"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    attempts = models.PositiveSmallIntegerField(_("发起次数"), default=0)
    last_error = models.TextField(_("平台返回"), blank=True)
    reposted_at = models.DateTimeField(_("转发时间"), null=True, blank=True)
    latency_seconds = models.PositiveIntegerField(_("用时（秒）"), null=True, blank=True)
    repost_external_id = models.CharField(_("转发微博编号"), max_length=100, blank=True)
    repost_url = models.CharField(_("转发链接"), max_length=500, blank=True)
    proof = models.CharField(_("凭证来源"), max_length=16, choices=ProofKind.choices, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reminded_at = models.DateTimeField(_("提醒时间"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("超时上报时间"), null=True, blank=True)
    exempted_at = models.DateTimeField(_("免除时间"), null=True, blank=True)
    exempted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    exemption_reason = models.CharField(_("免除理由"), max_length=200, blank=True)

    class Meta:
        ordering = ["due_at", "id"]
        verbose_name = _("转发任务")
        verbose_name_plural = _("转发任务")
        indexes = [
            models.Index(fields=["statement", "state"]),
            models.Index(fields=["state", "due_at"]),
            models.Index(fields=["unit", "state"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["statement", "account"], name="emergency_order_one_per_account"
            ),
            models.CheckConstraint(
                condition=Q(due_at__gt=F("created_at")), name="emergency_order_due_after_created"
            ),
            # The proof of a repost is the platform's id or link, and its time.
            models.CheckConstraint(
                condition=~Q(state="reposted")
                | (
                    Q(reposted_at__isnull=False)
                    & Q(latency_seconds__isnull=False)
                    & ~Q(proof="")
                    & (~Q(repost_url="") | ~Q(repost_external_id=""))
                ),
                name="emergency_order_reposted_has_proof",
            ),
            models.CheckConstraint(
                condition=~Q(state="exempted")
                | (~Q(exemption_reason="") & Q(exempted_at__isnull=False)),
                name="emergency_order_exemption_has_reason",
            ),
            # Nothing is in flight once the order is settled.
            models.CheckConstraint(
                condition=Q(state="open") | Q(requested_at__isnull=True),
                name="emergency_order_settled_not_in_flight",
            ),
        ]

    def __str__(self) -> str:
        # Read for every event of the order: no more than the order, its statement and account.
        return f"{self.account} · {self.statement.label}"

    @property
    def in_flight(self) -> bool:
        return self.state == RepostOrderState.OPEN and self.requested_at is not None

    @property
    def release(self) -> Statement | StatementCopy:
        """What the order reposts: its platform's copy of the statement, or the statement."""
        return self.copy if self.copy is not None else self.statement

    @property
    def reposted_post(self) -> Any:
        return self.release.post


class AutoRepost(models.Model):
    """A sub-account's standing choice to repost every statement automatically."""

    account = models.OneToOneField(
        Account, on_delete=models.PROTECT, related_name="+", verbose_name=_("子账号")
    )
    enabled = models.BooleanField(_("自动转发"), default=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(_("设置时间"))

    class Meta:
        verbose_name = _("自动转发设置")
        verbose_name_plural = _("自动转发设置")

    def __str__(self) -> str:
        return f"{self.account} · {self.enabled}"
