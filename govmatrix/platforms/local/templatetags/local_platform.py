from __future__ import annotations

from django import template
from django.conf import settings

register = template.Library()


@register.filter
def avatar_text(display_name: str) -> str:
    """Two characters for an account's round badge: "示范区东城街道" → "东城"."""
    name = display_name.lstrip("@＠")
    for prefix in (settings.DISTRICT_NAME, settings.DISTRICT_NAME[:2], "区"):
        if prefix and name.startswith(prefix) and len(name) > len(prefix) + 1:
            name = name[len(prefix) :]
            break
    return name[:2]
