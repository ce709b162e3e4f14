"""The Weibo simulator on loopback, reset before each test, and the settings pointing at it."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import count
from typing import Any

import httpx
import pytest
from django.core.cache import cache

from govmatrix.platforms.base import AccountRef, ActionContext, Credentials
from govmatrix.platforms.weibo.connector import WeiboConnector
from govmatrix.platforms.weibo.simulator.server import SimulatorServer
from tests.platforms.contract.servers import (
    HTTP,
    SAFE_LINK,
    SHORT_TIMEOUT_SECONDS,
    TIMEOUT_SECONDS,
    weibo_settings,
    weibo_simulator,
)

_keys = count(1)


@pytest.fixture(scope="session")
def weibo_server() -> Iterator[SimulatorServer]:
    with weibo_simulator() as server:
        yield server


@pytest.fixture
def sim(weibo_server: SimulatorServer, settings: Any) -> SimulatorServer:
    weibo_server.reset()
    weibo_settings(settings, weibo_server)
    cache.clear()
    return weibo_server


def bare(sim: SimulatorServer, timeout: float = TIMEOUT_SECONDS) -> WeiboConnector:
    """A bare connector (no hourly budget, no health recording) against the simulator."""
    return WeiboConnector(
        base_url=sim.base_url,
        app_key=sim.config.app_key,
        app_secret=sim.config.app_secret,
        safe_link=SAFE_LINK,
        timeout=timeout,
        pushed=lambda uid, after, limit: [],
    )


@pytest.fixture
def weibo(sim: SimulatorServer) -> WeiboConnector:
    return bare(sim)


@pytest.fixture
def impatient(sim: SimulatorServer) -> WeiboConnector:
    """The same, giving up after SHORT_TIMEOUT_SECONDS: for the tests of timeouts."""
    return bare(sim, SHORT_TIMEOUT_SECONDS)


def token(sim: SimulatorServer, screen_name: str, ttl: int | None = None) -> AccountRef:
    issued = sim.control("POST", "tokens", {"screen_name": screen_name, "ttl": ttl})
    return AccountRef(
        platform="weibo",
        handle=screen_name,
        external_id=issued["uid"],
        credentials=Credentials(access_token=issued["access_token"]),
    )


def ctx(key: str | None = None, ip: str | None = "203.0.113.9") -> ActionContext:
    return ActionContext(
        operator_id="1", operator_ip=ip, idempotency_key=key or f"wb-{next(_keys)}"
    )


def api(
    sim: SimulatorServer, method: str, resource: str, ref: AccountRef | None = None, **params: Any
) -> httpx.Response:
    """A raw call to the simulator's API, as a third-party client would make it."""
    headers = (
        {"Authorization": f"OAuth2 {ref.credentials.access_token}"}
        if ref and ref.credentials
        else {}
    )
    url = f"{sim.base_url}/2/{resource}.json"
    if method == "GET":
        return HTTP.get(url, params=params, headers=headers)
    return HTTP.post(url, data=params, headers=headers)


def citizen_comment(
    sim: SimulatorServer, status_id: str, text: str, who: str = "热心市民小王", **extra: Any
) -> dict[str, Any]:
    return sim.control(
        "POST", "comments", {"screen_name": who, "status_id": status_id, "text": text, **extra}
    )


def citizen_post(sim: SimulatorServer, text: str, who: str = "东城居民老李") -> dict[str, Any]:
    return sim.control("POST", "posts", {"screen_name": who, "text": text})


def fault(sim: SimulatorServer, **rule: Any) -> None:
    sim.control("POST", "faults", rule)
