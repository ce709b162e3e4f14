"""Broken links in published posts: every http(s) link is asked for with a short timeout.

One `LinkChecker` serves one inspection run and keeps it polite:

* every URL is asked for once per run (the answer is cached);
* a host gets at most `per_host` requests per run, at least `interval` seconds apart; links of
  a host over its limit are "not checked" (no finding: nothing is known about them);
* a host that could not be reached at all (DNS, refused, timeout) is not asked again in the
  run: its other links get the same error.

HEAD first; a server that refuses HEAD (405, 501) or answers it with an error is asked with a
GET that reads no body. Redirects are followed (at most 5). A link is broken when the last
answer is 4xx/5xx, or when there was no answer — the finding carries the status or the error.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpx

# http(s) links as people write them in Chinese text: up to a space, a CJK character or
# full-width punctuation, without a trailing ASCII punctuation mark.
_URL = re.compile(
    r"https?://[^\s\u3000-\u303f\u3400-\u9fff\uff00-\uffef<>\"'）】》]+", re.IGNORECASE
)
_TRAILING = ".,;:!?)]}'\""


def extract_links(text: str) -> list[str]:
    found = []
    for match in _URL.finditer(text or ""):
        url = match.group(0).rstrip(_TRAILING)
        if urlsplit(url).hostname:
            found.append(url)
    return list(dict.fromkeys(found))


@dataclass(frozen=True)
class LinkResult:
    url: str
    ok: bool | None  # None: not checked (the host's limit was reached)
    status: int | None = None
    error: str = ""

    @property
    def broken(self) -> bool:
        return self.ok is False

    def as_dict(self) -> dict[str, object]:
        return {"url": self.url, "status": self.status, "error": self.error}


@dataclass
class LinkChecker:
    timeout: float = 3.0
    per_host: int = 20
    interval: float = 0.2
    client: httpx.Client | None = None
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    results: dict[str, LinkResult] = field(default_factory=dict)
    requests: dict[str, int] = field(default_factory=dict)
    unreachable: dict[str, str] = field(default_factory=dict)
    _last: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._own_client = self.client is None
        if self.client is None:
            self.client = httpx.Client(
                timeout=httpx.Timeout(self.timeout),
                follow_redirects=True,
                max_redirects=5,
                headers={"User-Agent": "GovMatrix-LinkCheck/1 (content inspection)"},
                trust_env=False,
            )

    def close(self) -> None:
        if self._own_client and self.client is not None:
            self.client.close()

    def __enter__(self) -> LinkChecker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def checked(self) -> int:
        return sum(1 for r in self.results.values() if r.ok is not None)

    def _wait_turn(self, host: str) -> None:
        last = self._last.get(host)
        if last is not None:
            wait = self.interval - (self.clock() - last)
            if wait > 0:
                self.sleep(wait)
        self._last[host] = self.clock()

    def _ask(self, method: str, url: str) -> httpx.Response:
        assert self.client is not None
        if method == "HEAD":
            return self.client.head(url)
        with self.client.stream("GET", url) as response:
            return response  # the status is all we need: the body is never read

    def check(self, url: str) -> LinkResult:
        if url in self.results:
            return self.results[url]
        host = (urlsplit(url).hostname or "").lower()
        if host in self.unreachable:
            result = LinkResult(url, False, None, self.unreachable[host])
        elif self.requests.get(host, 0) >= self.per_host:
            result = LinkResult(url, None, None, "per-host limit reached")
        else:
            result = self._fetch(url, host)
        self.results[url] = result
        return result

    def _fetch(self, url: str, host: str) -> LinkResult:
        try:
            self._wait_turn(host)
            self.requests[host] = self.requests.get(host, 0) + 1
            response = self._ask("HEAD", url)
            if response.status_code >= 400 and self.requests[host] < self.per_host:
                self._wait_turn(host)
                self.requests[host] += 1
                response = self._ask("GET", url)
        except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
            message = f"{type(exc).__name__}: {exc}"[:300]
            self.unreachable[host] = message
            return LinkResult(url, False, None, message)
        except httpx.TimeoutException as exc:
            return LinkResult(url, False, None, f"{type(exc).__name__}: {exc}"[:300])
        except (httpx.HTTPError, ValueError) as exc:
            return LinkResult(url, False, None, f"{type(exc).__name__}: {exc}"[:300])
        status = response.status_code
        return LinkResult(url, status < 400, status, "" if status < 400 else f"HTTP {status}")
