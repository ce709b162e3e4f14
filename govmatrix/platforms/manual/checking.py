"""Reading the page an operator says holds a manual publication, and comparing its visible text
with the approved text. httpx and the standard library; no database.

The page is fetched the careful way, because its address comes from a form:

* only `http`/`https`, only the ports 80 and 443 (any port when private addresses are allowed,
  for tests), no user or password in the address;
* every address the host resolves to must be public (`ipaddress.is_global`), unless private
  addresses are allowed; the connection then goes to the address that was checked (the host
  name only travels in `Host` and, for https, in SNI and the certificate check), so a second DNS
  answer cannot point the request inside the network;
* redirects are followed by hand, at most three, each hop checked the same way;
* one short timeout per step and an overall deadline, at most `max_bytes` read, only HTML or
  plain text; no proxy from the environment.

Anything that stops the reading is `Unreadable` with a reason a person can act on; the caller
then asks the operator to confirm the publication by hand.

Comparison: both texts are normalised (NFKC, so full- and half-width forms are one; links
removed, since platforms rewrite them; whitespace and invisible format characters dropped;
case folded). The publication matches when the approved text appears in the page as one run.
Otherwise the run of the page most like it is found and the difference shown.
"""

from __future__ import annotations

import ipaddress
import re
import socket
import time
import unicodedata
from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import httpx
from django.utils.translation import gettext as _

MAX_REDIRECTS = 3
STANDARD_PORTS = frozenset({80, 443})
# Fewer readable characters than this: the page shows nothing to compare (a login wall, or a
# page its scripts fill in).
MIN_PAGE_CHARS = 10
_TEXT_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
_SKIPPED_TAGS = frozenset({"script", "style", "noscript", "template", "svg", "iframe", "object"})
_META_TEXT = frozenset({"description", "og:title", "og:description", "twitter:description"})
# A link, as far as its characters go (a Chinese sentence may run on right after it).
_URL = re.compile(r"https?://[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+")
_SHINGLE = 6


class Unreadable(Exception):
    """The page could not be read; `reason` says why, in words for the operator."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class RefusedAddress(Unreadable):
    """The address itself is not one GovMatrix fetches (scheme, port, a private host)."""


@dataclass(frozen=True)
class Segment:
    """One piece of a difference: "equal", "delete" (approved only) or "insert" (page only)."""

    op: str
    text: str


@dataclass(frozen=True)
class Comparison:
    matches: bool
    similarity: float  # 0..1, how much of the approved text the closest run of the page shares
    excerpt: str  # the run of the page most like the approved text (normalised)
    segments: tuple[Segment, ...] = ()


# --- the address --------------------------------------------------------------------------------
def _public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


def check_address(url: str, *, allow_private: bool) -> tuple[str, str, int]:
    """The scheme, host and port of an address GovMatrix may fetch, or `RefusedAddress`."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise RefusedAddress(_("链接格式不正确（%(error)s）。") % {"error": exc}) from exc
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise RefusedAddress(_("只能核对 http:// 或 https:// 开头的网页链接。"))
    if parts.username or parts.password:
        raise RefusedAddress(_("链接中不能带用户名或密码。"))
    default = 443 if parts.scheme == "https" else 80
    if port is not None and port not in STANDARD_PORTS and not allow_private:
        raise RefusedAddress(_("只能核对使用标准端口（80、443）的网页。"))
    return parts.scheme, parts.hostname, port or default


def resolve(
    host: str, port: int, *, allow_private: bool
) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    """The address to connect to: every address of the host must be public (unless allowed)."""
    try:
        literal = ipaddress.ip_address(host)
        found = [literal]
    except ValueError:
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError) as exc:
            raise Unreadable(_("找不到网站 %(host)s（域名解析失败）。") % {"host": host}) from exc
        found = [ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in infos]
    if not found:
        raise Unreadable(_("找不到网站 %(host)s（域名解析失败）。") % {"host": host})
    if not allow_private and not all(_public(a) for a in found):
        raise RefusedAddress(_("%(host)s 指向内部网络地址，系统不会访问。") % {"host": host})
    return found[0]


# --- the page -----------------------------------------------------------------------------------
class _VisibleText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED_TAGS:
            self._skipping.append(tag)
        elif tag == "meta":
            named = {k: (v or "") for k, v in attrs}
            key = (named.get("name") or named.get("property") or "").lower()
            if key in _META_TEXT and named.get("content"):
                self.parts.append(named["content"])
        elif tag in ("br", "p", "div", "li", "h1", "h2", "h3", "section", "article"):
            self.parts.append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "script":  # <script/> opens nothing to skip
            self.handle_starttag(tag, attrs)
            if tag in _SKIPPED_TAGS:
                self._skipping.pop()

    def handle_endtag(self, tag: str) -> None:
        if self._skipping and self._skipping[-1] == tag:
            self._skipping.pop()

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _VisibleText()
    try:
        parser.feed(html)
        parser.close()
    except Exception:  # noqa: S110 - a broken page still gave what was read before the break
        pass
    return " ".join(part.strip() for part in parser.parts if part.strip())


def _charset(content_type: str) -> str:
    match = re.search(r"charset=([\w.:-]+)", content_type, re.IGNORECASE)
    return match.group(1) if match else "utf-8"


def _decode(content: bytes, content_type: str) -> str:
    charset = _charset(content_type)
    if charset == "utf-8":  # a <meta charset> early in the page may say otherwise
        meta = re.search(rb"<meta[^>]+charset=[\"']?([\w.:-]+)", content[:4096], re.IGNORECASE)
        if meta:
            charset = meta.group(1).decode("ascii", "replace")
    try:
        return content.decode(charset, errors="replace")
    except LookupError:
        return content.decode("utf-8", errors="replace")


def fetch_text(
    url: str, *, timeout: float = 5.0, max_bytes: int = 2_000_000, allow_private: bool = False
) -> str:
    """The visible text of the page at `url` (see the module's rules), or `Unreadable`."""
    deadline = time.monotonic() + timeout * 3
    current = url.strip()
    with httpx.Client(
        timeout=httpx.Timeout(timeout), follow_redirects=False, trust_env=False, http2=False
    ) as client:
        for _hop in range(MAX_REDIRECTS + 1):
            scheme, host, port = check_address(current, allow_private=allow_private)
            address = resolve(host, port, allow_private=allow_private)
            parts = urlsplit(current)
            literal = f"[{address}]" if address.version == 6 else str(address)
            target = parts._replace(netloc=f"{literal}:{port}").geturl()
            shown = f"[{host}]" if ":" in host else host
            default = 443 if scheme == "https" else 80
            host_header = shown if port == default else f"{shown}:{port}"
            request = client.build_request(
                "GET",
                target,
                headers={
                    "Host": host_header,
                    "User-Agent": "GovMatrix link check",
                    "Accept": "text/html,text/plain;q=0.9",
                },
                extensions={"sni_hostname": host} if scheme == "https" else {},
            )
            try:
                response = client.send(request, stream=True)
            except httpx.TimeoutException as exc:
                raise Unreadable(
                    _("网站 %(host)s 在 %(s)g 秒内没有响应。") % {"host": host, "s": timeout}
                ) from exc
            except httpx.HTTPError as exc:
                raise Unreadable(
                    _("无法连接网站 %(host)s（%(error)s）。")
                    % {"host": host, "error": type(exc).__name__}
                ) from exc
            try:
                if response.is_redirect:
                    location = response.headers.get("location", "")
                    if not location:
                        raise Unreadable(_("网站要求跳转，但没有给出跳转地址。"))
                    current = urljoin(current, location)
                    continue
                if response.status_code != 200:
                    raise Unreadable(
                        _("网站 %(host)s 返回 HTTP %(status)d。")
                        % {"host": host, "status": response.status_code}
                    )
                content_type = response.headers.get("content-type", "")
                if not content_type.lower().startswith(_TEXT_TYPES):
                    raise Unreadable(
                        _("链接指向的不是网页（%(type)s）。")
                        % {"type": content_type.split(";")[0] or _("类型未知")}
                    )
                body = bytearray()
                try:
                    for chunk in response.iter_bytes():
                        body.extend(chunk)
                        if len(body) >= max_bytes or time.monotonic() > deadline:
                            break
                except httpx.TimeoutException as exc:
                    raise Unreadable(
                        _("网站 %(host)s 在 %(s)g 秒内没有发完页面。")
                        % {"host": host, "s": timeout}
                    ) from exc
                except httpx.HTTPError as exc:
                    raise Unreadable(_("读取网站 %(host)s 时连接中断。") % {"host": host}) from exc
                page = _decode(bytes(body[:max_bytes]), content_type)
                if content_type.lower().startswith("text/plain"):
                    return page
                return visible_text(page)
            finally:
                response.close()
    raise Unreadable(_("跳转超过 %(n)d 次，系统不再跟随。") % {"n": MAX_REDIRECTS})


# --- the comparison -----------------------------------------------------------------------------
def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = _URL.sub("", text)
    return "".join(
        ch for ch in text if not ch.isspace() and unicodedata.category(ch) != "Cf"
    ).casefold()


def _closest_run(approved: str, page: str) -> str:
    """The run of `page` most like `approved`: where most of its 6-character pieces line up."""
    if len(approved) < _SHINGLE:
        index = page.find(approved[:1]) if approved else -1
        return page[max(0, index) : max(0, index) + len(approved) * 2] if index >= 0 else ""
    votes: Counter[int] = Counter()
    step = max(1, len(approved) // 200)  # a few hundred pieces are enough to place it
    for offset in range(0, len(approved) - _SHINGLE + 1, step):
        piece = approved[offset : offset + _SHINGLE]
        start = page.find(piece)
        while start >= 0:
            votes[start - offset] += 1
            start = page.find(piece, start + 1)
    if not votes:
        return ""
    origin = votes.most_common(1)[0][0]
    slack = len(approved) // 2 + _SHINGLE
    window_start = max(0, origin - slack)
    window = page[window_start : origin + len(approved) + slack]
    blocks = [
        b
        for b in SequenceMatcher(None, approved, window, autojunk=False).get_matching_blocks()
        if b.size
    ]
    if not blocks:
        return ""
    return window[blocks[0].b : blocks[-1].b + blocks[-1].size]


def compare(approved: str, page_text: str) -> Comparison:
    """Whether the page shows the approved text, and if not, how the closest run differs."""
    want, page = normalise(approved), normalise(page_text)
    if want and want in page:
        return Comparison(matches=True, similarity=1.0, excerpt=want)
    excerpt = _closest_run(want, page)
    matcher = SequenceMatcher(None, want, excerpt, autojunk=False)
    segments: list[Segment] = []
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            segments.append(Segment("equal", want[a1:a2]))
            continue
        if a2 > a1:
            segments.append(Segment("delete", want[a1:a2]))
        if b2 > b1:
            segments.append(Segment("insert", excerpt[b1:b2]))
    shared = sum(block.size for block in matcher.get_matching_blocks())
    similarity = shared / len(want) if want else 0.0
    return Comparison(
        matches=False, similarity=round(similarity, 3), excerpt=excerpt, segments=tuple(segments)
    )


def readable(page_text: str) -> bool:
    return len(normalise(page_text)) >= MIN_PAGE_CHARS
