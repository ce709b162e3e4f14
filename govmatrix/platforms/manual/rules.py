"""Who may do what to a manual task, which links are accepted, and the knobs of the check."""

from __future__ import annotations

import hashlib
import re
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

from govmatrix.matrix.models import Platform
from govmatrix.org.permissions import UNIT_EDITOR_ROLES, Scope

if TYPE_CHECKING:
    from govmatrix.platforms.manual.models import ManualTask

# The sites a publication on each platform lives on (a host, or any host under it). A platform
# without an entry takes any public site. Overridable with the setting MANUAL_LINK_HOSTS.
LINK_HOSTS: dict[str, tuple[str, ...]] = {
    Platform.WECHAT.value: ("mp.weixin.qq.com",),
    Platform.DOUYIN.value: ("douyin.com", "iesdouyin.com"),
}
MAX_URL = 500
_ID_SEGMENT = re.compile(r"^[A-Za-z0-9_-]{6,100}$")


# --- permissions -----------------------------------------------------------------------------
def can_view(scope: Scope, task: ManualTask) -> bool:
    return scope.can_view_unit(task.account.unit_id)


def can_work(scope: Scope, task: ManualTask) -> bool:
    """The account's unit editors (operators, leaders) post and paste the link; so may the office."""
    return scope.is_office_admin or scope.has_role(task.account.unit_id, UNIT_EDITOR_ROLES)


def can_override(scope: Scope) -> bool:
    """Accepting a publication whose text differs from the approved one is the office's call."""
    return scope.is_office_admin


# --- the check's settings ----------------------------------------------------------------------
def fetch_timeout() -> float:
    return float(getattr(settings, "MANUAL_FETCH_TIMEOUT_SECONDS", 5))


def fetch_max_bytes() -> int:
    return int(getattr(settings, "MANUAL_FETCH_MAX_BYTES", 2_000_000))


def allow_private_addresses() -> bool:
    """Only for tests: read pages served on loopback. Never set in a deployment."""
    return bool(getattr(settings, "MANUAL_FETCH_ALLOW_PRIVATE", False))


def link_hosts(platform: str) -> tuple[str, ...]:
    hosts = getattr(settings, "MANUAL_LINK_HOSTS", LINK_HOSTS)
    return tuple(hosts.get(platform, ()))


# --- links -------------------------------------------------------------------------------------
def link_problem(url: str, platform: str) -> str:
    """Why `url` cannot be the link of a publication on `platform`, or ""."""
    if not url:
        return _("请粘贴平台上这条内容的链接。")
    if len(url) > MAX_URL:
        return _("链接不能超过 %(n)d 个字符。") % {"n": MAX_URL}
    try:
        parts = urlsplit(url)
    except ValueError:
        return _("链接格式不正确。")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return _("请粘贴以 https:// 开头的完整链接。")
    hosts = link_hosts(platform)
    host = parts.hostname.lower()
    if hosts and not any(host == h or host.endswith(f".{h}") for h in hosts):
        return _("这不是「%(platform)s」上的链接（应在 %(hosts)s 之下）。") % {
            "platform": Platform(platform).label if platform in Platform.values else platform,
            "hosts": "、".join(hosts),
        }
    return ""


def external_id_for(url: str) -> str:
    """A short id for the published item: the link's last path segment when it looks like an id
    (…/s/AbCd…, …/video/7300…), else a digest of the link."""
    if not url:
        return ""
    segments = [s for s in urlsplit(url).path.split("/") if s]
    if segments and _ID_SEGMENT.match(segments[-1]):
        return segments[-1]
    return "link-" + hashlib.sha256(url.encode()).hexdigest()[:24]
