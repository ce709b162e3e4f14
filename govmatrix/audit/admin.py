from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from govmatrix.audit.models import Event


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = [
        "seq",
        "created_at",
        "actor_name",
        "verb",
        "object_label",
        "from_state",
        "to_state",
    ]
    list_filter = ["verb", "object_type"]
    search_fields = ["object_label", "note", "actor_name"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
