"""Each official account's link to its platform: sealed credentials and sync health (ADR 0002),
the apps GovMatrix registered on Mastodon instances, and direct messages platforms pushed to us.

Secrets are stored only inside `sealed` fields (Fernet tokens, see `crypto`). Nothing else
here is secret, so the expiry, the health and the platform's error messages can be queried,
shown and logged freely.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from govmatrix.matrix.models import Account, Platform


class LinkMethod(models.TextChoices):
    OAUTH = "oauth", _("平台授权（OAuth）")
    TOKEN = "token", _("填入访问令牌")


class PlatformLink(models.Model):
    account = models.OneToOneField(
        Account, on_delete=models.CASCADE, related_name="platform_link", verbose_name=_("账号")
    )
    platform = models.CharField(_("平台"), max_length=16, choices=Platform.choices)
    external_id = models.CharField(_("平台用户编号"), max_length=64)
    external_handle = models.CharField(_("平台上的名称"), max_length=100, blank=True)
    api_base = models.URLField(_("接口地址"), blank=True)
    method = models.CharField(_("接入方式"), max_length=8, choices=LinkMethod.choices)
    scopes = models.CharField(_("授权范围"), max_length=200, blank=True)
    # The credentials (token, refresh token, extras) as one Fernet token: never shown anywhere.
    sealed = models.TextField(editable=False)
    token_expires_at = models.DateTimeField(_("授权到期"), null=True, blank=True)
    linked_at = models.DateTimeField(_("接入时间"), auto_now_add=True)
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # --- sync health ---
    last_success_at = models.DateTimeField(_("最近一次成功调用"), null=True, blank=True)
    last_sync_at = models.DateTimeField(_("最近一次成功同步"), null=True, blank=True)
    last_error_at = models.DateTimeField(_("最近一次出错"), null=True, blank=True)
    last_error_kind = models.CharField(max_length=32, blank=True)
    last_error_code = models.CharField(max_length=32, blank=True)
    last_error_message = models.TextField(_("平台返回"), blank=True)
    last_error_operation = models.CharField(max_length=32, blank=True)
    rate_limited_until = models.DateTimeField(_("限流至"), null=True, blank=True)
    auth_failed_at = models.DateTimeField(_("授权失效于"), null=True, blank=True)
    # What the operators were last told about the authorisation: "", "expiring" or "expired".
    expiry_notice = models.CharField(max_length=16, blank=True)
    # Where the inbox sync left off (the connector's opaque cursor).
    interactions_cursor = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("平台接入")
        verbose_name_plural = _("平台接入")
        constraints = [
            models.UniqueConstraint(
                fields=["platform", "external_id"], name="platform_links_one_link_per_platform_user"
            )
        ]
        indexes = [models.Index(fields=["platform", "token_expires_at"])]

    def __str__(self) -> str:
        return f"{self.account} · {self.get_platform_display()} · {self.external_handle or self.external_id}"

    def __repr__(self) -> str:
        return f"<PlatformLink {self.pk} account={self.account_id} platform={self.platform}>"


class MastodonApp(models.Model):
    """The OAuth app GovMatrix registered on one Mastodon instance for one callback URL."""

    api_base = models.URLField(_("实例地址"))
    redirect_uri = models.URLField(max_length=300)
    client_id = models.CharField(max_length=200)
    sealed_secret = models.TextField(editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Mastodon 应用")
        verbose_name_plural = _("Mastodon 应用")
        constraints = [
            models.UniqueConstraint(
                fields=["api_base", "redirect_uri"], name="platform_links_one_app_per_instance"
            )
        ]

    def __str__(self) -> str:
        return self.api_base

    def __repr__(self) -> str:
        return f"<MastodonApp {self.pk} {self.api_base}>"


class PushedInteraction(models.Model):
    """A message a platform pushed to our webhook, kept until the inbox sync reads it.

    Its primary key is its place in arrival order: the connector's cursor counts in it.
    """

    platform = models.CharField(_("平台"), max_length=16, choices=Platform.choices)
    external_id = models.CharField(_("平台编号"), max_length=64)
    receiver_id = models.CharField(_("接收账号的平台编号"), max_length=64, db_index=True)
    account = models.ForeignKey(
        Account,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="pushed_interactions",
        verbose_name=_("账号"),
    )
    kind = models.CharField(max_length=16, default="dm")
    message_type = models.CharField(max_length=16, blank=True)
    sender_id = models.CharField(max_length=64)
    sender_name = models.CharField(max_length=100, blank=True)
    text = models.TextField(blank=True)
    created_at = models.DateTimeField(_("发送时间"))
    received_at = models.DateTimeField(_("收到时间"), auto_now_add=True)
    raw = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("推送的私信")
        verbose_name_plural = _("推送的私信")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["platform", "external_id"], name="platform_links_pushed_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_platform_display()} · {self.sender_name or self.sender_id}"
