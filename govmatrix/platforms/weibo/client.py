"""A thin client of the Weibo Open API v2 over httpx, pointed at any base URL.

It knows the transport and the answer's shape, nothing of what a call means: `WeiboConnector`
decides that. Errors leave this module only as `WeiboCallError` (Weibo answered with an error
code) or `WeiboTransportError` (no usable answer), and the connector turns both into the typed
errors of `platforms.base`. The access token travels in the `Authorization: OAuth2 …` header,
never in a URL, so it cannot reach an access log or httpx's request log.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

import httpx

from govmatrix.platforms.weibo.errors import as_int

DEFAULT_BASE = "https://api.weibo.com"

Files = Mapping[str, tuple[str, bytes, str]]


class WeiboCallError(Exception):
    """Weibo answered `{"error_code": …, "error": …}` (or an HTTP error without one)."""

    def __init__(self, code: int | None, message: str, http_status: int | None) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.http_status = http_status


class WeiboTransportError(Exception):
    """No usable answer. `ambiguous`: the request may have reached Weibo and taken effect."""

    def __init__(self, message: str, *, ambiguous: bool, http_status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.ambiguous = ambiguous
        self.http_status = http_status


_SHARED: dict[tuple[str, float], httpx.Client] = {}
_SHARED_LOCK = threading.Lock()


def _shared_http(base_url: str, timeout: float) -> httpx.Client:
    """One pooled client per endpoint: making one costs a TLS context, and it is thread-safe."""
    with _SHARED_LOCK:
        client = _SHARED.get((base_url, timeout))
        if client is None or client.is_closed:
            client = httpx.Client(
                timeout=httpx.Timeout(timeout),
                headers={"User-Agent": "GovMatrix (+weibo connector)"},
            )
            _SHARED[(base_url, timeout)] = client
        return client


class WeiboClient:
    def __init__(
        self,
        base_url: str = DEFAULT_BASE,
        *,
        timeout: float = 15.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        if transport is not None:
            self._http = httpx.Client(timeout=httpx.Timeout(timeout), transport=transport)
        else:
            self._http = _shared_http(self.base_url, float(timeout))

    # --- URLs ------------------------------------------------------------------------------
    def api_url(self, resource: str) -> str:
        return f"{self.base_url}/2/{resource}.json"

    def oauth_url(self, action: str, params: Mapping[str, str] | None = None) -> str:
        url = f"{self.base_url}/oauth2/{action}"
        return f"{url}?{urlencode(dict(params))}" if params else url

    # --- calls -----------------------------------------------------------------------------
    def get(self, resource: str, token: str, params: Mapping[str, Any] | None = None) -> Any:
        return self._send("GET", self.api_url(resource), token=token, params=params)

    def post(
        self,
        resource: str,
        token: str,
        data: Mapping[str, Any],
        *,
        files: Files | None = None,
    ) -> Any:
        return self._send("POST", self.api_url(resource), token=token, data=data, files=files)

    def oauth_post(self, action: str, data: Mapping[str, Any]) -> Any:
        return self._send("POST", self.oauth_url(action), token=None, data=data)

    def _send(
        self,
        method: str,
        url: str,
        *,
        token: str | None,
        params: Mapping[str, Any] | None = None,
        data: Mapping[str, Any] | None = None,
        files: Files | None = None,
    ) -> Any:
        headers = {"Authorization": f"OAuth2 {token}"} if token else {}
        try:
            response = self._http.request(
                method,
                url,
                params=_clean(params),
                data=_clean(data),
                files=dict(files) if files else None,
                headers=headers,
            )
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
            # Nothing was sent: safe to try again.
            raise WeiboTransportError(
                f"无法连接微博接口：{type(exc).__name__}", ambiguous=False
            ) from exc
        except httpx.TimeoutException as exc:
            raise WeiboTransportError(
                f"微博接口超时未应答：{type(exc).__name__}", ambiguous=method == "POST"
            ) from exc
        except httpx.HTTPError as exc:
            raise WeiboTransportError(
                f"微博接口连接中断：{type(exc).__name__}", ambiguous=method == "POST"
            ) from exc
        return _answer(response, ambiguous=method == "POST")


def _clean(values: Mapping[str, Any] | None) -> dict[str, str] | None:
    if values is None:
        return None
    return {key: str(value) for key, value in values.items() if value is not None}


def _answer(response: httpx.Response, *, ambiguous: bool) -> Any:
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict) and "error_code" in body:
        raise WeiboCallError(
            as_int(body.get("error_code")), str(body.get("error", "")), response.status_code
        )
    if response.status_code >= 500:
        raise WeiboTransportError(
            f"微博接口返回 HTTP {response.status_code}",
            ambiguous=ambiguous,
            http_status=response.status_code,
        )
    if response.status_code >= 400:
        raise WeiboCallError(None, f"HTTP {response.status_code}", response.status_code)
    if body is None:
        raise WeiboTransportError(
            "微博接口的应答不是 JSON", ambiguous=ambiguous, http_status=response.status_code
        )
    return body
