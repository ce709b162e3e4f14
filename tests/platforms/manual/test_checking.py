"""Reading the pasted link safely (no requests into the network GovMatrix runs in), and the
comparison of the live text with the approved one."""

from __future__ import annotations

import socket
from typing import Any

import pytest

from govmatrix.core.errors import ValidationFailed
from govmatrix.platforms.manual import checking, services
from govmatrix.platforms.manual.models import TaskState
from tests.conftest import District
from tests.platforms.manual.conftest import TEXT, Pages


def _resolving_to(monkeypatch: pytest.MonkeyPatch, *addresses: str) -> None:
    def fake(host: str, port: Any, *args: Any, **kwargs: Any) -> list[Any]:
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port)) for a in addresses]

    monkeypatch.setattr(checking.socket, "getaddrinfo", fake)


# --- the address -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("ftp://mp.weixin.qq.com/s/abc", "http"),
        ("javascript:alert(1)", "http"),
        ("file:///etc/passwd", "http"),
        ("https://admin:secret@mp.weixin.qq.com/s/abc", "用户名"),
        ("https://mp.weixin.qq.com:8443/s/abc", "端口"),
        ("http://[::1", "格式"),
    ],
)
def test_only_plain_web_addresses_on_standard_ports_are_fetched(url: str, why: str) -> None:
    with pytest.raises(checking.RefusedAddress) as refused:
        checking.check_address(url, allow_private=False)
    assert why in refused.value.reason


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.9",
        "192.168.1.1",
        "169.254.169.254",  # cloud metadata
        "100.64.0.1",  # carrier-grade NAT
        "0.0.0.0",  # noqa: S104 - an address to refuse, not to bind
        "::1",
        "fd00::1",
        "fe80::1",
        "::ffff:10.0.0.1",
        "224.0.0.1",
    ],
)
def test_a_host_that_resolves_inside_the_network_is_refused(
    monkeypatch: pytest.MonkeyPatch, address: str
) -> None:
    _resolving_to(monkeypatch, address)
    with pytest.raises(checking.RefusedAddress):
        checking.resolve("news.example.gov.cn", 443, allow_private=False)


def test_one_private_address_among_public_ones_is_enough_to_refuse(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _resolving_to(monkeypatch, "203.0.113.7", "93.184.216.34", "10.0.0.8")
    with pytest.raises(checking.RefusedAddress):
        checking.resolve("news.example.gov.cn", 443, allow_private=False)
    _resolving_to(monkeypatch, "93.184.216.34")
    assert str(checking.resolve("news.example.gov.cn", 443, allow_private=False)) == (
        "93.184.216.34"
    )


@pytest.mark.parametrize("url", ["http://127.0.0.1/", "http://[::1]/", "http://2130706433/"])
def test_loopback_written_any_way_is_refused(url: str) -> None:
    with pytest.raises(checking.RefusedAddress):
        checking.fetch_text(url, allow_private=False)


def test_a_host_that_does_not_resolve_is_unreadable_not_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def fail(*args: Any, **kwargs: Any) -> Any:
        raise socket.gaierror("Name or service not known")

    monkeypatch.setattr(checking.socket, "getaddrinfo", fail)
    with pytest.raises(checking.Unreadable) as caught:
        checking.fetch_text("https://mp.weixin.qq.com/s/abc")
    assert not isinstance(caught.value, checking.RefusedAddress)
    assert "域名解析失败" in caught.value.reason


# --- the fetch ----------------------------------------------------------------------------------------
def test_the_connection_goes_to_the_address_that_was_checked(
    pages: Pages, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A second DNS answer cannot redirect the request: the checked address is used, and the
    host name travels only in the Host header."""
    pages.article("/s/Pinned1234", TEXT)
    port = pages.base_url.rsplit(":", 1)[1]
    checked: list[str] = []

    def resolve(host: str, port: int, *, allow_private: bool) -> Any:
        checked.append(host)
        return checking.ipaddress.ip_address("127.0.0.1")

    monkeypatch.setattr(checking, "resolve", resolve)
    text = checking.fetch_text(
        f"http://news.example.gov.cn:{port}/s/Pinned1234", allow_private=True
    )
    assert "停水通知" in text
    assert checked == ["news.example.gov.cn"]
    assert pages.hosts == [f"news.example.gov.cn:{port}"]


def test_redirects_are_followed_a_few_times_and_each_hop_is_checked(
    pages: Pages, monkeypatch: pytest.MonkeyPatch
) -> None:
    pages.article("/final", TEXT)
    for hop in range(1, 5):
        target = "/final" if hop == 4 else f"/r{hop + 1}"
        pages.add(f"/r{hop}", "", status=302, headers={"Location": target})
    assert "停水通知" in checking.fetch_text(f"{pages.base_url}/r2", allow_private=True)
    with pytest.raises(checking.Unreadable) as too_many:
        checking.fetch_text(f"{pages.base_url}/r1", allow_private=True)
    assert "跳转超过" in too_many.value.reason
    # A public page that redirects into the network is refused at that hop.
    port = int(pages.base_url.rsplit(":", 1)[1])
    monkeypatch.setattr(checking, "STANDARD_PORTS", frozenset({80, 443, port}))
    monkeypatch.setattr(checking, "_public", lambda address: str(address) == "127.0.0.1")
    pages.add("/to-metadata", "", status=301, headers={"Location": "http://169.254.169.254/"})
    with pytest.raises(checking.RefusedAddress):
        checking.fetch_text(f"{pages.base_url}/to-metadata", allow_private=False)


def test_at_most_max_bytes_are_read(pages: Pages) -> None:
    url = pages.add("/big", "<p>" + "示范区" * 3000 + "</p><p>末尾的停水通知</p>")
    assert "末尾的停水通知" in checking.fetch_text(url, allow_private=True)
    assert "末尾的停水通知" not in checking.fetch_text(url, allow_private=True, max_bytes=4000)


def test_the_pages_charset_is_respected(pages: Pages) -> None:
    body = "<html><head><meta charset='gbk'></head><body><p>东城街道停水通知</p></body></html>"
    url = pages.add("/gbk", body.encode("gbk"), content_type="text/html")
    assert "东城街道停水通知" in checking.fetch_text(url, allow_private=True)


def test_scripts_styles_and_hidden_templates_are_not_visible_text() -> None:
    html = (
        "<html><head><title>标题</title><meta name='description' content='摘要文字'>"
        "<style>p{color:red}</style></head><body><p>正文</p><script>var a='脚本';</script>"
        "<template><p>模板</p></template><noscript>请开启脚本</noscript></body></html>"
    )
    text = checking.visible_text(html)
    assert "正文" in text and "标题" in text and "摘要文字" in text
    assert "脚本" not in text and "模板" not in text and "color" not in text


# --- through the service ---------------------------------------------------------------------------
def test_an_address_inside_the_network_is_refused_as_a_link(
    district: District, waiting: Any, pages: Pages, settings: Any
) -> None:
    settings.MANUAL_LINK_HOSTS = {}
    settings.MANUAL_FETCH_ALLOW_PRIVATE = False
    _post, task = waiting()
    for url in (f"{pages.base_url}/s/x", "http://127.0.0.1/s/abcdef", "http://10.0.0.1/"):
        with pytest.raises(ValidationFailed) as refused:
            services.manual_task_submit_link(actor=district.operator, task_id=task.pk, url=url)
        assert "url" in refused.value.errors
    assert pages.hosts == []
    task.refresh_from_db()
    assert task.state == TaskState.OPEN and not task.url


def test_a_wechat_task_takes_only_a_wechat_link(district: District, waiting: Any) -> None:
    _post, task = waiting()
    for url in ("https://example.com/s/abc", "not a link", "https://mp.weixin.qq.com.evil.cn/s/a"):
        with pytest.raises(ValidationFailed) as refused:
            services.manual_task_submit_link(actor=district.operator, task_id=task.pk, url=url)
        assert "url" in refused.value.errors


def test_a_wechat_link_that_cannot_be_reached_asks_for_confirmation(
    district: District, waiting: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def offline(*args: Any, **kwargs: Any) -> Any:
        raise socket.gaierror("no network")

    monkeypatch.setattr(checking.socket, "getaddrinfo", offline)
    _post, task = waiting()
    task = services.manual_task_submit_link(
        actor=district.operator, task_id=task.pk, url="https://mp.weixin.qq.com/s/AbCdEfGh"
    )
    assert task.state == TaskState.UNVERIFIED and "mp.weixin.qq.com" in task.check_detail


# --- the comparison ---------------------------------------------------------------------------------
def test_normalising_drops_what_platforms_change_and_keeps_the_words() -> None:
    assert checking.normalise("ＡＢＣ １２３，\n详见 https://t.cn/A6x 。\u200b") == "abc123,详见。"


def test_the_closest_run_is_found_in_a_long_page_and_the_difference_is_exact() -> None:
    page = (
        "导航 首页 "
        + "其他文章的文字。" * 200
        + "东城街道12月3日18:00停水，请居民储水。"
        + "页脚" * 50
    )
    result = checking.compare("东城街道12月3日17:00停水，请居民提前储水。", page)
    assert not result.matches and result.excerpt.startswith("东城街道")
    ops = [(s.op, s.text) for s in result.segments]
    assert ("delete", "7") in ops and ("insert", "8") in ops and ("delete", "提前") in ops
    assert 0.8 < result.similarity < 1


def test_a_match_needs_the_whole_text_in_one_run() -> None:
    split = checking.visible_text("<p>东城街道</p>\n<p>停水 通知</p>")
    assert checking.compare("东城街道停水通知", split).matches
    assert not checking.compare("东城街道停水通知", "东城街道今天不停水通知").matches
