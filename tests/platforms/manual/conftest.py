"""A WeChat account of 东城街道 (street01) published to by hand, and a small web server on
loopback standing in for the platform's public pages."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.utils import translation

from govmatrix.matrix.models import Account
from govmatrix.platforms.manual.models import ManualTask
from govmatrix.publishing.models import Post
from govmatrix.publishing.services import topics_ensure_defaults
from tests.conftest import District
from tests.publishing.flow import approved

TEXT = "【停水通知】东城街道12月3日9:00至17:00停水，请居民提前储水。"


@dataclass
class Pages:
    """Pages served at http://127.0.0.1:<port>/<path>: (status, content type, body, headers)."""

    base_url: str = ""
    routes: dict[str, tuple[int, str, bytes, dict[str, str]]] = field(default_factory=dict)
    hosts: list[str] = field(default_factory=list)  # the Host header of every request
    delay: float = 0.0

    def add(
        self,
        path: str,
        body: str | bytes,
        *,
        status: int = 200,
        content_type: str = "text/html; charset=utf-8",
        headers: dict[str, str] | None = None,
    ) -> str:
        data = body.encode() if isinstance(body, str) else body
        self.routes[path] = (status, content_type, data, headers or {})
        return f"{self.base_url}{path}"

    def article(self, path: str, text: str) -> str:
        """A page like a WeChat article: navigation, the text in paragraphs, a footer, a script."""
        paragraphs = "".join(f"<p>{line}</p>" for line in text.split("\n"))
        return self.add(
            path,
            "<!doctype html><html><head><title>示范区东城街道</title>"
            "<script>var hidden = '不显示的脚本文字';</script></head><body>"
            "<nav>首页 · 往期回顾</nav><h1>示范区东城街道</h1>"
            f'<div id="js_content">{paragraphs}</div>'
            "<footer>阅读 1024 · 在看 12</footer></body></html>",
        )


@pytest.fixture(autouse=True)
def _chinese() -> Iterator[None]:
    """Messages are asserted in Chinese, whatever language an earlier test's request left on."""
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def pages() -> Iterator[Pages]:
    served = Pages()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            served.hosts.append(self.headers.get("Host", ""))
            if served.delay:
                threading.Event().wait(served.delay)
            status, content_type, body, headers = served.routes.get(
                self.path, (404, "text/html", b"<p>not found</p>", {})
            )
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            with contextlib.suppress(OSError):  # the client gave up (a timeout test)
                self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    served.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield served
    server.shutdown()
    server.server_close()


@pytest.fixture
def loopback(settings: Any) -> None:
    """Tests read pages on loopback, from any host: never so in a deployment."""
    settings.MANUAL_FETCH_ALLOW_PRIVATE = True
    settings.MANUAL_LINK_HOSTS = {}
    settings.MANUAL_FETCH_TIMEOUT_SECONDS = 2


@pytest.fixture
def wechat(district: District) -> Account:
    """东城街道's account, on WeChat: published to by hand."""
    topics_ensure_defaults()
    Account.objects.filter(pk=district.street01_account.pk).update(
        platform="wechat", handle="wx_street01"
    )
    district.street01_account.refresh_from_db()
    return district.street01_account


Capture = Callable[..., Any]


@pytest.fixture
def waiting(
    district: District, wechat: Account, django_capture_on_commit_callbacks: Capture
) -> Callable[..., tuple[Post, ManualTask]]:
    """Approve a post on the WeChat account: the outbox hands it to a person."""

    def make(text: str = TEXT) -> tuple[Post, ManualTask]:
        with django_capture_on_commit_callbacks(execute=True):
            post = approved(district, text=text)
        post.refresh_from_db()
        return post, ManualTask.objects.get(operation__subject_id=str(post.pk))

    return make
