"""The two platform doubles the tests serve on loopback: mastodon-mock and our Weibo simulator.

Both run in a thread of the test process on a port the system picks, one per test session
(per conftest that asks for them), reset before each test, and stop with the session.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
from mastodon import Mastodon
from mastodon_mock.config import SeedAccount, SeedConfig
from mastodon_mock.testing import MockServer

from govmatrix.platforms.weibo.simulator.server import SimulatorServer
from govmatrix.platforms.weibo.simulator.world import SimConfig

# Calls get a patient timeout, so a loaded machine does not make them fail; a test of a timeout
# uses a connector with the short one against an answer delayed by SLOW_MS.
TIMEOUT_SECONDS = 10.0
SHORT_TIMEOUT_SECONDS = 0.5
SLOW_MS = 1200
SAFE_LINK = "https://www.sfq.gov.cn/"
# One pooled client for the tests' own calls: a new httpx client costs a TLS context each time.
HTTP = httpx.Client(timeout=10)

MASTODON_SEED = SeedConfig(
    accounts=[
        SeedAccount(username="sfq_main", display_name="示范区发布", access_token="sfq_main_token"),
        SeedAccount(
            username="sfq_street01",
            display_name="示范区东城街道",
            access_token="sfq_street01_token",
        ),
        SeedAccount(
            username="citizen_wang", display_name="市民小王", access_token="citizen_wang_token"
        ),
        SeedAccount(
            username="citizen_li", display_name="居民老李", access_token="citizen_li_token"
        ),
    ]
)
WEIBO_CONFIG = SimConfig(
    safe_domain="www.sfq.gov.cn",
    users=[
        {"screen_name": "示范区发布", "verified": True, "followers_count": 1000},
        {"screen_name": "示范区东城街道", "verified": True, "followers_count": 100},
        {"screen_name": "热心市民小王"},
        {"screen_name": "东城居民老李"},
    ],
)


@contextmanager
def mastodon_mock() -> Iterator[MockServer]:
    server = MockServer(seed=MASTODON_SEED, shutdown_timeout=1.0)
    with server:
        yield server


def mastodon_reset(server: MockServer) -> None:
    HTTP.post(f"{server.base_url}/api/v1/_mock/reset").raise_for_status()


def mastodon_fault(
    server: MockServer, *, path: str, methods: list[str], count: int = 1, **effect: Any
) -> None:
    rule = {"match": {"path": path, "methods": methods}, "effect": effect, "count": count}
    HTTP.post(f"{server.base_url}/api/v1/_mock/faults", json=rule).raise_for_status()


def mastodon_client(server: MockServer, username: str) -> Mastodon:
    return Mastodon(
        access_token=f"{username}_token", api_base_url=server.base_url, ratelimit_method="throw"
    )


@contextmanager
def weibo_simulator() -> Iterator[SimulatorServer]:
    with SimulatorServer(SimConfig(**vars(WEIBO_CONFIG))) as server:
        yield server


def weibo_settings(settings: Any, sim: SimulatorServer) -> None:
    settings.WEIBO_API_BASE = sim.base_url
    settings.WEIBO_APP_KEY = sim.config.app_key
    settings.WEIBO_APP_SECRET = sim.config.app_secret
    settings.WEIBO_SAFE_LINK = SAFE_LINK
    settings.PLATFORM_TIMEOUT_SECONDS = TIMEOUT_SECONDS


def mastodon_settings(settings: Any, server: MockServer) -> None:
    settings.MASTODON_API_BASE = server.base_url
    settings.MASTODON_INSTANCES = [server.base_url]
    settings.PLATFORM_TIMEOUT_SECONDS = TIMEOUT_SECONDS
