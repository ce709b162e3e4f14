"""What protects the public forms: who the visitor is (a pseudonym), and how often they may act."""

from __future__ import annotations

from django.http import HttpRequest

from govmatrix.audit.context import client_ip
from govmatrix.core.throttle import FailureThrottle
from govmatrix.platforms.local.rules import setting, visitor_hash


def visitor_of(request: HttpRequest) -> str:
    return visitor_hash(client_ip(request))


def submissions() -> FailureThrottle:
    """Comments and messages a visitor may send in the window (LOCAL_PLATFORM_SUBMIT_…)."""
    return FailureThrottle(
        "local-submit",
        limit=setting("SUBMIT_LIMIT", 10),
        window_seconds=setting("SUBMIT_WINDOW_SECONDS", 600),
    )


def wrong_captchas() -> FailureThrottle:
    """Wrong or spent captchas a visitor may send in the window before the forms close to them."""
    return FailureThrottle(
        "local-captcha",
        limit=setting("CAPTCHA_FAILURE_LIMIT", 20),
        window_seconds=setting("SUBMIT_WINDOW_SECONDS", 600),
    )


def reactions() -> FailureThrottle:
    """Likes and follows a visitor may send in the window."""
    return FailureThrottle(
        "local-react",
        limit=setting("REACT_LIMIT", 60),
        window_seconds=setting("SUBMIT_WINDOW_SECONDS", 600),
    )
