"""What needs the user now (待办): each app registers a provider; the dashboard shows them first."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest
from django.utils.functional import Promise


@dataclass(frozen=True)
class TodoItem:
    label: str | Promise
    count: int
    url: str
    # "overdue", "near" or "on_time": red, amber, green — always with words beside the colour.
    state: str = "on_time"
    detail: str | Promise = ""
    order: int = 100


_PROVIDERS: list[Callable[[HttpRequest], list[TodoItem]]] = []

_URGENCY = {"overdue": 0, "near": 1, "on_time": 2}


def register_todo(provider: Callable[[HttpRequest], list[TodoItem]]) -> None:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def todos_for(request: HttpRequest) -> list[TodoItem]:
    items = [item for provider in _PROVIDERS for item in provider(request) if item.count]
    return sorted(items, key=lambda item: (_URGENCY.get(item.state, 3), item.order))
