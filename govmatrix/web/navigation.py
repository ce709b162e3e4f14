"""The sidebar: each app registers its sections; a section shows only to those who may use it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise

from govmatrix.org.permissions import Scope


@dataclass(frozen=True)
class Section:
    key: str
    label: str | Promise
    url_name: str
    icon: str
    order: int
    visible: Callable[[Scope], bool] = lambda scope: scope.user_id is not None
    # A count of what needs the user now (待办), shown beside the label; None shows nothing.
    badge: Callable[[HttpRequest], int | None] | None = None


_SECTIONS: dict[str, Section] = {}


def register_section(section: Section) -> None:
    _SECTIONS[section.key] = section


def sections_for(request: HttpRequest, scope: Scope) -> list[dict[str, object]]:
    items: list[dict[str, object]] = []
    for section in sorted(_SECTIONS.values(), key=lambda s: s.order):
        if not section.visible(scope):
            continue
        url = reverse(section.url_name)
        items.append(
            {
                "key": section.key,
                "label": section.label,
                "url": url,
                "icon": section.icon,
                "active": request.path == url or (url != "/" and request.path.startswith(url)),
                "badge": section.badge(request) if section.badge else None,
            }
        )
    return items
