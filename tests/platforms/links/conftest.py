"""Both platform doubles for the linking tests, and a logged-in browser per role."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from mastodon_mock.testing import MockServer

from govmatrix.platforms.weibo.simulator.server import SimulatorServer
from tests.conftest import District
from tests.factories import PASSWORD, AccountFactory
from tests.platforms.contract.servers import (
    mastodon_mock,
    mastodon_reset,
    mastodon_settings,
    weibo_settings,
    weibo_simulator,
)


@pytest.fixture(scope="session")
def links_weibo() -> Iterator[SimulatorServer]:
    with weibo_simulator() as server:
        yield server


@pytest.fixture(scope="session")
def links_mastodon() -> Iterator[MockServer]:
    with mastodon_mock() as server:
        yield server


@pytest.fixture
def sim(links_weibo: SimulatorServer, settings: Any) -> SimulatorServer:
    links_weibo.reset()
    weibo_settings(settings, links_weibo)
    cache.clear()
    return links_weibo


@pytest.fixture
def mock(links_mastodon: MockServer, settings: Any) -> MockServer:
    mastodon_reset(links_mastodon)
    mastodon_settings(settings, links_mastodon)
    return links_mastodon


def browser(user: Any) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def weibo_account(district: District) -> Any:
    account = AccountFactory(
        unit=district.street01, platform="weibo", handle="示范区发布", display_name="示范区发布"
    )
    account.operators.add(district.operator.person)
    return account


@pytest.fixture
def mastodon_account(district: District) -> Any:
    account = AccountFactory(
        unit=district.street01,
        platform="mastodon",
        handle="sfq_main",
        display_name="示范区发布（Mastodon）",
    )
    account.operators.add(district.operator.person)
    return account
