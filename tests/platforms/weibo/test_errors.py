"""Weibo's documented error codes become the typed errors (platform-apis.md §1.5)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from govmatrix.platforms.base import (
    AuthExpired,
    Capability,
    ConnectorError,
    ContentRejected,
    Duplicate,
    Forbidden,
    InvalidRequest,
    NotFoundOnPlatform,
    PlatformDown,
    RateLimited,
    Unsupported,
)
from govmatrix.platforms.weibo.errors import ERROR_CODES, error_for, seconds_to_next_hour

DOCUMENTED: dict[type[ConnectorError], list[int]] = {
    PlatformDown: [10001, 10002, 10003, 10009, 10010, 10011, 21331],
    Forbidden: [10004, 10005, 10013, 20022, 20031, 20102, 20203, 21321],
    Unsupported: [10014, 10020, 10021],
    InvalidRequest: [
        10006,
        10008,
        10016,
        10017,
        10018,
        20005,
        20006,
        20007,
        20008,
        20103,
        20109,
        20204,
        21320,
        21322,
        21323,
        21324,
        21325,
        21326,
        21328,
        21329,
    ],
    RateLimited: [10022, 10023, 10024, 20016],
    NotFoundOnPlatform: [20003, 20101, 20201],
    ContentRejected: [20012, 20013, 20018, 20020, 20021, 20104, 20202],
    Duplicate: [20017, 20019, 20111],
    AuthExpired: [21301, 21314, 21315, 21316, 21317, 21318, 21319, 21327, 21330, 21332],
}


@pytest.mark.parametrize(
    ("code", "kind"), [(code, kind) for kind, codes in DOCUMENTED.items() for code in codes]
)
def test_each_documented_code_becomes_its_typed_error(
    code: int, kind: type[ConnectorError]
) -> None:
    error = error_for(code, "平台说明", http_status=400, capability=Capability.PUBLISH)
    assert type(error) is kind
    assert error.platform == "weibo" and error.code == str(code) and error.http_status == 400
    if kind is not Unsupported:
        assert "平台说明" in error.message and str(code) in error.message


def test_the_table_holds_exactly_the_documented_codes() -> None:
    assert set(ERROR_CODES) == {code for codes in DOCUMENTED.values() for code in codes}


def test_a_rate_limit_says_when_to_try_again_at_the_next_hour() -> None:
    error = error_for(
        10023, "User requests out of rate limit!", http_status=403, capability=Capability.REPLY
    )
    assert isinstance(error, RateLimited) and error.retryable
    assert 60 < (error.retry_after or 0) <= 3660
    assert seconds_to_next_hour(datetime(2026, 5, 1, 9, 59, 30, tzinfo=UTC)) == 90


def test_missing_permission_is_unsupported_for_the_call_that_needed_it() -> None:
    error = error_for(
        10014, "Insufficient app permissions!", http_status=403, capability=Capability.REPOST
    )
    assert isinstance(error, Unsupported) and error.capability == Capability.REPOST
    assert "10014" in error.instead and "手工" in error.instead


def test_an_unknown_code_is_an_invalid_request_and_a_bare_5xx_is_a_platform_failure() -> None:
    assert (
        type(error_for(29999, "新错误", http_status=400, capability=Capability.PUBLISH))
        is InvalidRequest
    )
    assert (
        type(error_for(None, "HTTP 503", http_status=503, capability=Capability.PUBLISH))
        is PlatformDown
    )
    assert error_for(
        10001, "System error", http_status=500, capability=Capability.PUBLISH
    ).retryable
