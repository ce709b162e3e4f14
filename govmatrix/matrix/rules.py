"""Rules of the registry that every way in (form, API, import) must obey."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from govmatrix.matrix.models import AccountKind, AccountStatus, Platform

_HANDLE_PATTERNS: dict[str, tuple[re.Pattern[str], str]] = {
    Platform.LOCAL: (re.compile(r"^[a-z0-9_]{3,30}$"), "3–30 个小写字母、数字或下划线"),
    Platform.MASTODON: (
        re.compile(r"^[A-Za-z0-9_]{1,30}(@[A-Za-z0-9.-]+\.[A-Za-z]{2,})?$"),
        "用户名或 用户名@实例域名",
    ),
    Platform.WEIBO: (
        re.compile(r"^[\w\u4e00-\u9fff-]{2,30}$"),
        "2–30 个汉字、字母、数字、下划线或连字符",
    ),
}
_ANY_HANDLE = (re.compile(r"^\S{1,64}$"), "1–64 个非空白字符")

# The lifecycle of an account in the registry.
ALLOWED_STATUS_CHANGES: dict[str, set[str]] = {
    AccountStatus.PLANNED: {AccountStatus.ACTIVE, AccountStatus.CLOSED},
    AccountStatus.ACTIVE: {AccountStatus.DORMANT, AccountStatus.CLOSED},
    AccountStatus.DORMANT: {AccountStatus.ACTIVE, AccountStatus.CLOSED},
    AccountStatus.CLOSED: {AccountStatus.PLANNED},
}

# The date column that records when an account entered each status.
STATUS_DATE_FIELD: dict[str, str] = {
    AccountStatus.PLANNED: "planned_on",
    AccountStatus.ACTIVE: "activated_on",
    AccountStatus.DORMANT: "dormant_since",
    AccountStatus.CLOSED: "closed_on",
}


def handle_problem(platform: str, handle: str) -> str | None:
    """Why `handle` is not a valid account name on `platform`, or None."""
    pattern, shape = _HANDLE_PATTERNS.get(platform, _ANY_HANDLE)
    if not pattern.match(handle):
        return _("账号格式不符合该平台的要求：应为%(shape)s。") % {"shape": shape}
    return None


def kind_problem(*, kind: str, unit_kind: str, has_owner: bool) -> str | None:
    if kind == AccountKind.MAIN and unit_kind not in {"news_office", "office"}:
        return _("主账号由区政府新闻办或管理办公室运行。")
    if kind == AccountKind.STAFF_PERSONAL and not has_owner:
        return _("个人微博须注明开设人。")
    return None
