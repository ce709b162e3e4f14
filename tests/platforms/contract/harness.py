"""What the contract suite needs from each platform: a connector, two of our accounts on it,
ways for citizens to write to them, and a way to make the platform produce each typed error.

An error a platform can never produce is a reason string instead of an arrangement; its test
is skipped with that reason, so the suite says plainly what each platform does not do.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import count
from typing import Any

from govmatrix.platforms.base import AccountRef, ActionContext, Connector

_keys = count(1)

# An arrangement sets the platform up and returns the call that must fail.
Arrange = Callable[[], Callable[[], Any]]


@dataclass
class Harness:
    name: str
    connector: Connector
    main: AccountRef
    sub: AccountRef
    citizen_comment: Callable[[str, str], None]
    foreign_post: Callable[[], str]
    citizen_mention: Callable[[str], None] | None = None
    citizen_dm: Callable[[str], None] | None = None
    errors: dict[str, Arrange | str] = field(default_factory=dict)
    # Weibo refuses the same text twice; every test writes texts of its own.
    run: int = field(default_factory=lambda: next(_keys))

    def ctx(self, key: str | None = None, *, ip: str | None = "203.0.113.9") -> ActionContext:
        return ActionContext(
            operator_id="1", operator_ip=ip, idempotency_key=key or f"{self.name}-{next(_keys)}"
        )

    def text(self, words: str) -> str:
        return f"{words}（{self.run}-{next(_keys)}）"
