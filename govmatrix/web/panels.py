"""Panels on the dashboard, registered by each app: a template and the context it needs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

from govmatrix.org.permissions import Scope


@dataclass(frozen=True)
class Panel:
    key: str
    template: str
    context: Callable[[HttpRequest], dict[str, Any]]
    order: int = 100
    visible: Callable[[Scope], bool] = lambda scope: True


_PANELS: dict[str, Panel] = {}


def register_panel(panel: Panel) -> None:
    _PANELS[panel.key] = panel


def panels_for(request: HttpRequest, scope: Scope) -> list[dict[str, Any]]:
    return [
        {"key": panel.key, "template": panel.template, "context": panel.context(request)}
        for panel in sorted(_PANELS.values(), key=lambda p: p.order)
        if panel.visible(scope)
    ]
