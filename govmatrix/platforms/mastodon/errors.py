"""Every Mastodon.py exception as one of the typed errors of `platforms.base`.

Mastodon.py raises `MastodonAPIError(message, status, reason, error)` for an HTTP error, with
subclasses for 401, 404 and 5xx; `MastodonRatelimitError` for a 429 (we build the client with
`ratelimit_method="throw"`, so it never sleeps); `MastodonNetworkError` when no answer came
(a refused connection or a read timeout). None of them leaves the connector.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Any

import requests
from mastodon import (
    MastodonAPIError,
    MastodonError,
    MastodonIllegalArgumentError,
    MastodonNetworkError,
    MastodonNotFoundError,
    MastodonRatelimitError,
    MastodonServerError,
    MastodonUnauthorizedError,
    MastodonVersionError,
)

from govmatrix.platforms.base import (
    AuthExpired,
    Capability,
    ConnectorError,
    ContentRejected,
    Forbidden,
    InvalidRequest,
    NotFoundOnPlatform,
    PlatformDown,
    RateLimited,
    Unsupported,
)

PLATFORM = "mastodon"


class HeaderCapture:
    """The headers of the last answer, taken from the requests session Mastodon.py uses."""

    def __init__(self) -> None:
        self.headers: Mapping[str, str] = {}

    def hook(self, response: requests.Response, *args: object, **kwargs: object) -> None:
        self.headers = response.headers

    def retry_after(self, now: float | None = None) -> float | None:
        """Seconds until the limit resets: `Retry-After`, else `X-RateLimit-Reset`.

        Mastodon sends the reset as an ISO-8601 time, mastodon-mock as epoch seconds
        (platform-apis.md §3.4): both are read.
        """
        now = time.time() if now is None else now
        retry = self.headers.get("Retry-After", "").strip()
        if retry.isdigit():
            return float(retry)
        if retry:
            try:
                return max(0.0, parsedate_to_datetime(retry).timestamp() - now)
            except (TypeError, ValueError):
                pass
        reset = self.headers.get("X-RateLimit-Reset", "").strip()
        if not reset:
            return None
        try:
            moment = (
                float(reset)
                if reset.replace(".", "", 1).isdigit()
                else datetime.fromisoformat(reset).timestamp()
            )
        except (ValueError, OverflowError):
            return None
        return max(0.0, moment - now)


def _status(exc: MastodonAPIError) -> int | None:
    return exc.args[1] if len(exc.args) > 1 and isinstance(exc.args[1], int) else None


def _message(exc: MastodonError) -> str:
    if isinstance(exc, MastodonAPIError) and len(exc.args) > 3 and exc.args[3]:
        return str(exc.args[3])
    return str(exc.args[0]) if exc.args else type(exc).__name__


def translate(
    exc: MastodonError | requests.RequestException,
    *,
    capability: Capability,
    capture: HeaderCapture,
) -> ConnectorError:
    """The typed error for one Mastodon.py (or requests) exception."""
    if isinstance(exc, requests.RequestException):
        return PlatformDown(f"Mastodon 实例无应答：{type(exc).__name__}", platform=PLATFORM)
    message = _message(exc)
    if isinstance(exc, MastodonRatelimitError):
        return RateLimited(
            f"Mastodon 限流：{message}",
            retry_after=capture.retry_after(),
            platform=PLATFORM,
            http_status=429,
        )
    if isinstance(exc, MastodonNetworkError):
        return PlatformDown(f"Mastodon 实例无应答：{message}", platform=PLATFORM)
    if isinstance(exc, MastodonIllegalArgumentError):
        return InvalidRequest(message, platform=PLATFORM)
    if isinstance(exc, MastodonVersionError):
        return Unsupported(
            capability,
            instead=f"该实例版本不支持此操作（{message}）：请升级实例。",
            platform=PLATFORM,
        )
    if not isinstance(exc, MastodonAPIError):
        return PlatformDown(message, platform=PLATFORM)
    status = _status(exc)
    common: dict[str, Any] = {
        "platform": PLATFORM,
        "http_status": status,
        "code": str(status) if status else None,
    }
    if isinstance(exc, MastodonUnauthorizedError) or status == 401:
        return AuthExpired(f"Mastodon 拒绝了访问令牌：{message}", **common)
    if isinstance(exc, MastodonNotFoundError) or status in (404, 410):
        return NotFoundOnPlatform(message, **common)
    if isinstance(exc, MastodonServerError) or (status is not None and status >= 500):
        return PlatformDown(message, **common)
    if status == 429:
        return RateLimited(message, retry_after=capture.retry_after(), **common)
    if status == 403:
        return Forbidden(message, **common)
    if status == 422:
        # "Validation failed: Text is too long …", "… can't be blank": the text must change.
        return ContentRejected(message, **common)
    if status is None:
        # An answer that was not JSON: the instance (or a proxy before it) is misbehaving.
        return PlatformDown(message, **common)
    return InvalidRequest(message, **common)


@contextmanager
def mapped(capability: Capability, capture: HeaderCapture) -> Iterator[None]:
    try:
        yield
    except (MastodonError, requests.RequestException) as exc:
        raise translate(exc, capability=capability, capture=capture) from exc
