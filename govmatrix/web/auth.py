"""Signing in and out, with throttling of failed attempts and every attempt in the event log."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from govmatrix.audit.context import client_ip
from govmatrix.audit.services import event_record
from govmatrix.core.throttle import FailureThrottle


def _throttles() -> tuple[FailureThrottle, FailureThrottle]:
    window = settings.LOGIN_THROTTLE_WINDOW_SECONDS
    limit = settings.LOGIN_THROTTLE_MAX_FAILURES
    # Per name, so one account cannot be guessed at; per address, so many names cannot be either.
    return (
        FailureThrottle("login-user", limit=limit, window_seconds=window),
        FailureThrottle("login-ip", limit=limit * 4, window_seconds=window),
    )


class ThrottledLoginForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("用户名或密码不正确。"),
        "throttled": _("登录失败次数过多，请 %(minutes)d 分钟后再试。"),
    }

    def clean(self) -> dict[str, Any]:
        request: HttpRequest | None = self.request
        username = (self.cleaned_data.get("username") or "").strip()
        address = (client_ip(request) if request else None) or "unknown"
        by_user, by_ip = _throttles()
        if by_user.is_blocked(username) or by_ip.is_blocked(address):
            raise forms.ValidationError(
                self.error_messages["throttled"],
                code="throttled",
                params={"minutes": max(1, settings.LOGIN_THROTTLE_WINDOW_SECONDS // 60)},
            )
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            by_user.record_failure(username)
            by_ip.record_failure(address)
            with transaction.atomic():
                event_record(actor=None, actor_name=username[:150], verb="auth.login_failed")
            raise
        by_user.reset(username)
        return cleaned
