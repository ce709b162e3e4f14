"""Weibo's documented error codes, and the typed error each becomes.

Source: the Error_code page of the Weibo Open Platform wiki and the table copied into the SDKs
(docs/reference/platform-apis.md §1.5). `error_code` sometimes arrives as a string, so it is
compared as an int. A code missing from the table becomes a plain `InvalidRequest` naming it.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

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

PLATFORM = "weibo"

# code -> the typed error. `Unsupported` is raised with the capability of the call that failed.
ERROR_CODES: dict[int, type[ConnectorError]] = {
    # system error, service unavailable, remote service error, busy, job expired, RPC error
    10001: PlatformDown,
    10002: PlatformDown,
    10003: PlatformDown,
    10009: PlatformDown,
    10010: PlatformDown,
    10011: PlatformDown,
    10004: Forbidden,  # IP limit: this server is not in the app's IP whitelist
    10005: Forbidden,  # permission denied, the app lacks a high-level permission
    10014: Unsupported,  # insufficient app permissions for this interface
    10006: InvalidRequest,  # source (appkey) paramter is missing
    10008: InvalidRequest,  # param error
    10016: InvalidRequest,  # miss required parameter
    10017: InvalidRequest,  # parameter's value invalid / "text not find domain!"
    10018: InvalidRequest,  # request body length over limit
    10013: Forbidden,  # invalid weibo user
    10020: Unsupported,  # request api not found
    10021: Unsupported,  # HTTP method is not suported for this request
    10022: RateLimited,  # IP requests out of rate limit
    10023: RateLimited,  # user requests out of rate limit
    10024: RateLimited,  # user requests for (%s) out of rate limit
    20003: NotFoundOnPlatform,  # user does not exists
    20005: InvalidRequest,  # unsupported image type
    20006: InvalidRequest,  # image size too large
    20007: InvalidRequest,  # does multipart has image
    20008: InvalidRequest,  # content is null
    20012: ContentRejected,  # text too long, please input text less than 140 characters
    20013: ContentRejected,  # text too long, please input text less than 300 characters
    20016: RateLimited,  # out of limit: posting too frequently
    20017: Duplicate,  # repeated content
    20019: Duplicate,  # repeat conetnt (sic)
    20111: Duplicate,  # repeated weibo text
    20018: ContentRejected,  # contain illegal website
    20020: ContentRejected,  # contain advertising
    20021: ContentRejected,  # content is illegal
    20022: Forbidden,  # abnormal behaviour from this IP: a person must act
    20031: Forbidden,  # a captcha is needed: a person must act
    20101: NotFoundOnPlatform,  # target weibo does not exist
    20102: Forbidden,  # not your own weibo
    20103: InvalidRequest,  # cannot repost this weibo (e.g. your own)
    20104: ContentRejected,  # illegal weibo
    20109: InvalidRequest,  # weibo id is null
    20201: NotFoundOnPlatform,  # target weibo comment does not exist
    20202: ContentRejected,  # illegal comment
    20203: Forbidden,  # not your own comment
    20204: InvalidRequest,  # comment id is null
    21301: AuthExpired,  # auth failed
    21314: AuthExpired,  # token used
    21315: AuthExpired,  # token expired
    21316: AuthExpired,  # token revoked
    21317: AuthExpired,  # token rejected
    21318: AuthExpired,  # verifier fail
    21319: AuthExpired,  # accessor revoked
    21327: AuthExpired,  # expired_token
    21332: AuthExpired,  # invalid_access_token
    21320: InvalidRequest,  # OAuth2 must use https: a configuration error
    21321: Forbidden,  # unaudited app over its user limit
    21322: InvalidRequest,  # redirect_uri_mismatch
    21323: InvalidRequest,  # invalid_request
    21324: InvalidRequest,  # invalid_client
    21325: InvalidRequest,  # invalid_grant
    21326: InvalidRequest,  # unauthorized_client
    21328: InvalidRequest,  # unsupported_grant_type
    21329: InvalidRequest,  # unsupported_response_type
    21330: AuthExpired,  # access_denied: the account holder refused or withdrew the authorisation
    21331: PlatformDown,  # temporarily_unavailable
}

# Codes that, after a write was sent, leave it unknown whether the write took effect.
AMBIGUOUS_CODES = frozenset({10001, 10002, 10003, 10009, 10010, 10011, 20032})
# 20032: "posted, the server is slow; wait 1–2 minutes": success that cannot be seen yet.
POSTED_BUT_SLOW = 20032
RATE_LIMIT_CODES = frozenset(code for code, kind in ERROR_CODES.items() if kind is RateLimited)
DUPLICATE_CODES = frozenset(code for code, kind in ERROR_CODES.items() if kind is Duplicate)

_UNSUPPORTED_INSTEAD = (
    "微博开放平台未向本应用开放该接口（错误码 %(code)s）：请向微博申请该接口权限，"
    "或由运维人员在微博客户端内手工操作。"
)


def as_int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def seconds_to_next_hour(now: datetime | None = None) -> float:
    """Weibo counts its limits per clock hour: the next hour is when a refused call may succeed."""
    now = now or timezone.now()
    next_hour = now.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    # A minute's margin: our clock and Weibo's need not agree to the second.
    return (next_hour - now).total_seconds() + 60


def error_for(
    code: int | None,
    message: str,
    *,
    http_status: int | None,
    capability: Capability,
) -> ConnectorError:
    """The typed error for Weibo's answer `{"error_code": code, "error": message}`."""
    kind = ERROR_CODES.get(code) if code is not None else None
    text = f"{message} (error_code {code})" if code is not None else message
    common: dict[str, Any] = {
        "platform": PLATFORM,
        "code": str(code) if code is not None else None,
        "http_status": http_status,
    }
    if kind is Unsupported:
        unsupported = Unsupported(
            capability, instead=_UNSUPPORTED_INSTEAD % {"code": code}, platform=PLATFORM
        )
        unsupported.code = common["code"]
        unsupported.http_status = http_status
        return unsupported
    if kind is RateLimited:
        return RateLimited(text, retry_after=seconds_to_next_hour(), **common)
    if kind is None:
        if http_status is not None and http_status >= 500:
            return PlatformDown(text, **common)
        return InvalidRequest(text, **common)
    return kind(text, **common)
