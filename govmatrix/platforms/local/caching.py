"""Caching of the public pages.

What is cached is the expensive, visitor-independent fragment of a page: the account's post
list with its counts, a post with its comment threads, the index of accounts. The rest of the
page — the layout, the CSRF token of each form, the captcha challenge, the flash messages —
is rendered for every request around the cached fragment, so no visitor is ever served
another visitor's token or challenge. (Caching whole pages would hand everyone the first
visitor's CSRF token and captcha; loading the forms separately would need script or frames.)

Keys carry the account's `version` (raised in the same transaction as every post, repost,
comment, reply, like, follow and moderation that changes what the account's pages show) and
its registry `updated_at`, so a changed page is never served from the cache: the old entry is
simply never asked for again and ages out. Django's cache is a shared file cache by default
and Redis when REDIS_URL is set.

`?nocache=<token>` renders the same page without the cache, for benchmarks and tests; it works
only when LOCAL_PLATFORM_NOCACHE_TOKEN (setting or environment) is set and matches.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.crypto import constant_time_compare
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from govmatrix.platforms.local.rules import setting

HIT, MISS, BYPASS = "hit", "miss", "bypass"


def bypasses_cache(request: HttpRequest) -> bool:
    token = getattr(settings, "LOCAL_PLATFORM_NOCACHE_TOKEN", "") or os.environ.get(
        "LOCAL_PLATFORM_NOCACHE_TOKEN", ""
    )
    given = request.GET.get("nocache", "")
    return bool(token and given) and constant_time_compare(given, token)


def cached_fragment(
    request: HttpRequest, key_parts: tuple[object, ...], render: Callable[[], str]
) -> SafeString:
    """The fragment from the cache, or rendered (and stored) when the key is new.

    `request.local_cache` says which happened (hit / miss / bypass); views send it on as the
    X-Local-Cache header.
    """
    if bypasses_cache(request):
        request.local_cache = BYPASS  # type: ignore[attr-defined]
        html = render()
    else:
        key = ":".join(["local", "frag", *(str(part) for part in key_parts), get_language() or ""])
        html = cache.get(key)
        request.local_cache = HIT if html is not None else MISS  # type: ignore[attr-defined]
        if html is None:
            html = render()
            cache.set(key, str(html), timeout=setting("CACHE_SECONDS", 24 * 3600))
    # The fragment is the output of our own autoescaped templates (citizen text in it is
    # already escaped there); marking it safe only keeps it from being escaped twice.
    return mark_safe(html)  # noqa: S308
