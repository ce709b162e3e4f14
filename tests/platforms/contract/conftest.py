"""The contract suite's platforms: local (when its connector exists), Mastodon against
mastodon-mock, Weibo against the in-repo simulator. Each test runs once per platform."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from mastodon_mock.testing import MockServer

from govmatrix.platforms.weibo.simulator.server import SimulatorServer
from tests.conftest import District
from tests.platforms.contract import platforms
from tests.platforms.contract.harness import Harness
from tests.platforms.contract.servers import mastodon_mock, weibo_simulator

PLATFORMS = ["local", "mastodon", "weibo"]
LOCAL_READY = importlib.util.find_spec("govmatrix.platforms.local.connector") is not None


@pytest.fixture(scope="session")
def contract_mastodon() -> Iterator[MockServer]:
    with mastodon_mock() as server:
        yield server


@pytest.fixture(scope="session")
def contract_weibo() -> Iterator[SimulatorServer]:
    with weibo_simulator() as server:
        yield server


@pytest.fixture(params=PLATFORMS)
def harness(request: pytest.FixtureRequest, district: District, settings: Any) -> Iterator[Harness]:
    cache.clear()
    name = request.param
    if name == "local":
        if not LOCAL_READY:
            pytest.skip(
                "the local platform's connector (govmatrix.platforms.local.connector) is not written yet"
            )
        yield platforms.local(district)
    elif name == "mastodon":
        yield platforms.mastodon(district, request.getfixturevalue("contract_mastodon"), settings)
    else:
        yield platforms.weibo(district, request.getfixturevalue("contract_weibo"), settings)
    cache.clear()
