"""Fault injection for the simulator, after mastodon-mock's `/_mock/faults`.

A rule matches a method and a path (shell-style wildcards) and then, for its next `count`
requests (for ever when `count` is None), answers with a Weibo error code, a bare HTTP status,
a malformed body or a delay. With `after` set, the request is carried out first and only its
answer is lost or late — a write that took effect although the client never heard so.
"""

from __future__ import annotations

import asyncio
import fnmatch
import itertools
import threading
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

SYSTEM_ERRORS = frozenset({10001, 10002, 10003, 10009, 10010, 10011})
MESSAGES = {
    10001: "System error",
    10002: "Service unavailable",
    10003: "Remote service error",
    10009: "Too many pending tasks, system is busy",
    10022: "IP requests out of rate limit!",
    10023: "User requests out of rate limit!",
    10024: "User requests for (%s) out of rate limit!",
    20016: "Out of limit!",
    20032: "Update success, while server slow now, please wait 1-2 minutes",
    21327: "expired_token",
}


@dataclass
class FaultRule:
    id: str
    path: str = "*"
    methods: list[str] | None = None
    error_code: int | None = None
    http_status: int | None = None
    message: str = ""
    delay_ms: int = 0
    malformed: bool = False
    after: bool = False
    count: int | None = 1

    def matches(self, method: str, path: str) -> bool:
        if self.methods and method.upper() not in {m.upper() for m in self.methods}:
            return False
        return fnmatch.fnmatch(path, self.path)

    def answer(self, path: str) -> Response | None:
        if self.error_code is not None:
            status = self.http_status or (500 if self.error_code in SYSTEM_ERRORS else 400)
            message = self.message or MESSAGES.get(self.error_code, "Simulated error")
            if "%s" in message:
                message = message % path.removeprefix("/2/").removesuffix(".json")
            return JSONResponse(
                {"request": path, "error_code": self.error_code, "error": message},
                status_code=status,
            )
        if self.malformed:
            return Response('{"created_at": "Tue', media_type="application/json", status_code=200)
        if self.http_status is not None:
            return Response(
                self.message or "<html><body>Bad Gateway</body></html>",
                media_type="text/html",
                status_code=self.http_status,
            )
        return None


class FaultStore:
    def __init__(self) -> None:
        self._rules: list[FaultRule] = []
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    def add(self, spec: dict[str, Any]) -> FaultRule:
        fields = {
            k: v for k, v in spec.items() if k in FaultRule.__dataclass_fields__ and k != "id"
        }
        with self._lock:
            rule = FaultRule(id=f"f{next(self._ids)}", **fields)
            self._rules.append(rule)
            return rule

    def clear(self) -> None:
        with self._lock:
            self._rules.clear()

    def list(self) -> list[dict[str, Any]]:
        with self._lock:
            return [asdict(rule) for rule in self._rules]

    def take(self, method: str, path: str) -> FaultRule | None:
        with self._lock:
            for rule in self._rules:
                if rule.matches(method, path):
                    if rule.count is not None:
                        rule.count -= 1
                        if rule.count <= 0:
                            self._rules.remove(rule)
                    return rule
            return None


async def apply(
    store: FaultStore, request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    path = request.url.path
    if path.startswith("/_sim"):
        return await call_next(request)
    rule = store.take(request.method, path)
    if rule is None:
        return await call_next(request)
    if not rule.after:
        await asyncio.sleep(rule.delay_ms / 1000)
        return rule.answer(path) or await call_next(request)
    response = await call_next(request)
    await asyncio.sleep(rule.delay_ms / 1000)
    return rule.answer(path) or response
