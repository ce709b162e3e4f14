from __future__ import annotations

from typing import Any

from django import template

from govmatrix.notifications.selectors import unread_count

register = template.Library()


@register.inclusion_tag("notifications/_bell.html")
def bell_for(user: Any) -> dict[str, Any]:
    return {"unread": unread_count(user=user)}
