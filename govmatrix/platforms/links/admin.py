"""Read-only admin pages: no sealed credential is a field of any of them."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from govmatrix.platforms.links.models import MastodonApp, PlatformLink, PushedInteraction


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        hidden = set(self.exclude or ())
        return [f.name for f in self.model._meta.fields if f.name not in hidden]


@admin.register(PlatformLink)
class PlatformLinkAdmin(_ReadOnly):
    list_display = [
        "account",
        "platform",
        "external_handle",
        "token_expires_at",
        "last_success_at",
        "last_error_at",
    ]
    list_filter = ["platform"]
    exclude = ["sealed", "interactions_cursor"]


@admin.register(MastodonApp)
class MastodonAppAdmin(_ReadOnly):
    list_display = ["api_base", "redirect_uri", "created_at"]
    exclude = ["sealed_secret", "client_id"]


@admin.register(PushedInteraction)
class PushedInteractionAdmin(_ReadOnly):
    list_display = ["platform", "account", "sender_name", "created_at", "received_at"]
    list_filter = ["platform"]
