"""mastodon-mock on loopback, reset before each test."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import count
from typing import Any

import pytest
from mastodon import Mastodon
from mastodon_mock.testing import MockServer

from govmatrix.platforms.base import AccountRef, ActionContext, Credentials
from govmatrix.platforms.mastodon.connector import MastodonConnector
from tests.platforms.contract.servers import (
    SHORT_TIMEOUT_SECONDS,
    TIMEOUT_SECONDS,
    mastodon_client,
    mastodon_mock,
    mastodon_reset,
    mastodon_settings,
)

_keys = count(1)


@pytest.fixture(scope="session")
def mastodon_server() -> Iterator[MockServer]:
    with mastodon_mock() as server:
        yield server


@pytest.fixture
def mock(mastodon_server: MockServer, settings: Any) -> MockServer:
    mastodon_reset(mastodon_server)
    mastodon_settings(settings, mastodon_server)
    return mastodon_server


@pytest.fixture
def masto(mock: MockServer) -> MastodonConnector:
    return MastodonConnector(default_base=mock.base_url, timeout=TIMEOUT_SECONDS)


@pytest.fixture
def impatient(mock: MockServer) -> MastodonConnector:
    """Giving up after SHORT_TIMEOUT_SECONDS: for the tests of timeouts."""
    return MastodonConnector(default_base=mock.base_url, timeout=SHORT_TIMEOUT_SECONDS)


def ref(mock: MockServer, username: str = "sfq_main") -> AccountRef:
    me = mastodon_client(mock, username).account_verify_credentials()
    return AccountRef(
        platform="mastodon",
        handle=username,
        external_id=str(me["id"]),
        credentials=Credentials(
            access_token=f"{username}_token", extra={"api_base": mock.base_url}
        ),
    )


def citizen(mock: MockServer, username: str = "citizen_wang") -> Mastodon:
    return mastodon_client(mock, username)


def ctx(key: str | None = None) -> ActionContext:
    return ActionContext(
        operator_id="1", operator_ip=None, idempotency_key=key or f"md-{next(_keys)}"
    )
