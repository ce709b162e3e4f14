"""A connector wrapper that records each account's sync health around every call.

Before a call: an account the platform rate-limited is not called again before the time the
platform gave (`RateLimited` is raised at once, with the time that is left). After it: a
success stamps `last_success_at` (and `last_sync_at` for reading the inbox); a typed error is
kept with the platform's own message, a rate limit with its end, an expired authorisation is
flagged to the account's operators. A `Duplicate` means the platform holds our content: the
link works, so it counts as a success.
"""

from __future__ import annotations

import functools
from typing import Any, cast

from django.utils import timezone
from django.utils.translation import gettext as _

from govmatrix.platforms.base import AccountRef, Connector, ConnectorError, Duplicate, RateLimited

_ACCOUNT_CALLS = frozenset(
    {
        "publish",
        "repost",
        "delete_post",
        "reply",
        "fetch_interactions",
        "moderate",
        "post_metrics",
        "account_metrics",
        "verify",
    }
)


class HealthRecording:
    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.platform = inner.platform

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self.inner, name)
        if name in _ACCOUNT_CALLS:
            return functools.partial(self._recorded, name, attribute)
        return attribute

    def _recorded(
        self, operation: str, method: Any, account: AccountRef, *args: Any, **kwargs: Any
    ) -> Any:
        from govmatrix.platforms.links import selectors, services

        until = selectors.rate_limited_until(account.platform, account.handle)
        if until is not None:
            raise RateLimited(
                _("平台限流中，%(when)s 前不再调用。")
                % {"when": timezone.localtime(until).strftime("%H:%M")},
                retry_after=(until - timezone.now()).total_seconds(),
                platform=account.platform,
                code="rate_limited",
            )
        try:
            result = method(account, *args, **kwargs)
        except Duplicate:
            services.link_call_succeeded(account=account, operation=operation)
            raise
        except ConnectorError as exc:
            services.link_call_failed(account=account, operation=operation, error=exc)
            raise
        services.link_call_succeeded(account=account, operation=operation)
        return result


def recording(inner: Any) -> Connector:
    return cast(Connector, HealthRecording(inner))
