"""Fixtures for the local platform: its connector, refs to the district's accounts, a clean cache."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import count

import pytest
from django.core.cache import cache

from govmatrix.platforms.base import AccountRef, ActionContext
from govmatrix.platforms.local.connector import LocalConnector
from govmatrix.platforms.registry import account_ref

_keys = count(1)


@pytest.fixture(autouse=True)
def fresh_cache() -> Iterator[None]:
    """Rate-limit counters, spent captchas and page fragments must not leak between tests."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def connector() -> LocalConnector:
    return LocalConnector()


def ref(account: object) -> AccountRef:
    return account_ref(account)  # type: ignore[arg-type]


def ctx(key: str | None = None) -> ActionContext:
    return ActionContext(
        operator_id="1", operator_ip="10.0.0.1", idempotency_key=key or f"test-{next(_keys)}"
    )
