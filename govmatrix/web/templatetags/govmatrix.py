from __future__ import annotations

from typing import Any

from django import template
from django.http import QueryDict
from django.utils.html import format_html

register = template.Library()


@register.simple_tag(takes_context=True)
def query_with(context: dict[str, Any], **changes: Any) -> str:
    """The current query string with some parameters replaced (None or "" removes one)."""
    request = context["request"]
    query: QueryDict = request.GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            query.pop(key, None)
        else:
            query[key] = str(value)
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


_STATE_CLASSES = {
    # registry statuses
    "planned": "secondary",
    "active": "success",
    "dormant": "warning",
    "closed": "dark",
    # progress and deadline states
    "met": "success",
    "on_track": "primary",
    "on_time": "success",
    "near": "warning",
    "overdue": "danger",
    # workflow states shared by several apps (the text beside the colour names the state)
    "draft": "secondary",
    "submitted": "primary",
    "returned": "warning",
    "approved": "info",
    "scheduled": "info",
    "publishing": "primary",
    "published": "success",
    "failed": "danger",
    "pending": "warning",
    "waiting": "warning",
    "running": "primary",
    "succeeded": "success",
    "cancelled": "secondary",
    "queued": "secondary",
    "computing": "primary",
    "computed": "info",
    "frozen": "primary",
    "discarded": "secondary",
    "open": "warning",
    "rectifying": "warning",
    "rectified": "info",
    "verified": "success",
    "acknowledged": "success",
    "stood_down": "secondary",
}


@register.simple_tag
def state_badge(state: str, label: Any) -> str:
    """A coloured badge whose text always says the state: the colour never stands alone."""
    return format_html(
        '<span class="badge text-bg-{} state-{}">{}</span>',
        _STATE_CLASSES.get(state, "secondary"),
        state,
        label,
    )


@register.filter
def get_item(mapping: dict[Any, Any], key: Any) -> Any:
    return mapping.get(key, 0) if mapping else 0


@register.filter
def bootstrap(field: Any) -> str:
    """Render a form field's widget with the Bootstrap class that suits it."""
    widget = field.field.widget
    input_type = getattr(widget, "input_type", "")
    if input_type in {"checkbox", "radio"}:
        css = "form-check-input"
    elif widget.__class__.__name__ in {"Select", "SelectMultiple"}:
        css = "form-select"
    elif widget.__class__.__name__ == "CheckboxSelectMultiple":
        return field.as_widget()
    else:
        css = "form-control"
    if field.errors:
        css += " is-invalid"
    return field.as_widget(attrs={"class": css})


@register.filter
def widget_kind(field: Any) -> str:
    widget = field.field.widget
    if widget.__class__.__name__ == "CheckboxSelectMultiple":
        return "multi_check"
    if getattr(widget, "input_type", "") == "checkbox":
        return "check"
    return "other"


@register.filter
def verb_label(verb: str) -> str:
    from govmatrix.audit.verbs import verb_label as label

    return label(verb)
