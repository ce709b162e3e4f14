"""Counting failures in a window, kept in the shared cache (Redis past one machine)."""

from __future__ import annotations

import hashlib

from django.core.cache import cache


class FailureThrottle:
    def __init__(self, name: str, *, limit: int, window_seconds: int) -> None:
        self.name = name
        self.limit = limit
        self.window_seconds = window_seconds

    def _key(self, subject: str) -> str:
        digest = hashlib.sha256(subject.lower().encode("utf-8")).hexdigest()[:32]
        return f"throttle:{self.name}:{digest}"

    def failures(self, subject: str) -> int:
        return int(cache.get(self._key(subject), 0))

    def is_blocked(self, subject: str) -> bool:
        return self.failures(subject) >= self.limit

    def record_failure(self, subject: str) -> int:
        key = self._key(subject)
        if cache.add(key, 1, self.window_seconds):
            return 1
        try:
            return cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, self.window_seconds)
            return 1

    def reset(self, subject: str) -> None:
        cache.delete(self._key(subject))
