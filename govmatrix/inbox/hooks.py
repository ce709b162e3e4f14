"""Where other apps plug into the inbox; each registers in its own AppConfig.ready.

* `register_stored_hook(hook)`: `hook(message_ids)` runs after a batch of newly stored messages
  has committed (moderation screens them and opens harmful-comment cases at once). A hook that
  fails is logged and does not disturb the sync; the app must not rely on it alone.
* `set_harm_screen_provider(provider)`: the harm lexicon's screen the classification uses
  instead of the shipped one (moderation: the shipped lexicon with the office's edits). The
  provider is asked on every scan, so it decides when to rebuild.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from django.db import transaction

_STORED_HOOKS: list[Callable[[list[int]], None]] = []
_SCREEN_PROVIDER: list[Callable[[], Any]] = []


def register_stored_hook(hook: Callable[[list[int]], None]) -> None:
    if hook not in _STORED_HOOKS:
        _STORED_HOOKS.append(hook)


def messages_stored(ids: list[int]) -> None:
    """Inside the storing transaction: run the hooks once it has committed."""
    for hook in _STORED_HOOKS:
        transaction.on_commit(partial(hook, list(ids)), robust=True)


def set_harm_screen_provider(provider: Callable[[], Any] | None) -> None:
    _SCREEN_PROVIDER[:] = [provider] if provider is not None else []


class _ProvidedScreen:
    def __init__(self, provider: Callable[[], Any]) -> None:
        self.provider = provider

    def scan(self, text: str) -> Any:
        return self.provider().scan(text)


def harm_screen() -> Any | None:
    """The registered screen (as an object with `scan`), or None for the shipped one."""
    return _ProvidedScreen(_SCREEN_PROVIDER[0]) if _SCREEN_PROVIDER else None
