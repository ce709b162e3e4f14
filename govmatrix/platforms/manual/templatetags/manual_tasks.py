"""`{% manual_task_card post %}`: a post's manual task, on the post page (nothing if none)."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from govmatrix.platforms.manual.selectors import task_of_subject

register = template.Library()


@register.simple_tag(takes_context=True)
def manual_task_card(context: template.Context, subject: Any) -> SafeString:
    request = context.get("request")
    if request is None or subject is None or subject.pk is None:
        return mark_safe("")
    subject_type = f"{subject._meta.app_label}.{subject._meta.model_name}"
    task = task_of_subject(user=request.user, subject_type=subject_type, subject_id=subject.pk)
    if task is None:
        return mark_safe("")
    from govmatrix.platforms.manual.views import task_context

    card = task_context(request, task)
    card["next"] = request.get_full_path()
    return mark_safe(  # noqa: S308 - a template rendered with autoescaping
        render_to_string("manual_platform/_task_card.html", card, request=request)
    )


_URGENCY = {
    "open": "near",
    "unverified": "near",
    "mismatch": "overdue",
    "done": "on_time",
    "abandoned": "overdue",
}


@register.filter
def task_urgency(state: str) -> str:
    """The badge colour of a task's state (the words always say it too)."""
    return _URGENCY.get(state, "secondary")
