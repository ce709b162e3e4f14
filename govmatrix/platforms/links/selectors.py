"""Reads of the platform links: scoped to the user for pages, plain for the connectors."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from govmatrix.core.errors import NotFound
from govmatrix.core.types import Actor
from govmatrix.matrix.models import OPEN_STATUSES, Account, Platform
from govmatrix.org.permissions import scope_for
from govmatrix.platforms.links.models import PlatformLink, PushedInteraction
from govmatrix.platforms.weibo.push import PushedMessage

# The platforms an account is linked to through their API, with stored credentials.
LINKABLE = (Platform.WEIBO.value, Platform.MASTODON.value)

STATE_LABELS = {
    "unlinked": gettext_lazy("未接入"),
    "expired": gettext_lazy("授权失效"),
    "rate_limited": gettext_lazy("限流中"),
    "failing": gettext_lazy("调用失败"),
    "expiring": gettext_lazy("授权即将到期"),
    "ok": gettext_lazy("正常"),
}
# For the state badges: red, amber, green (always with the words beside the colour).
STATE_URGENCY = {
    "unlinked": "near",
    "expired": "overdue",
    "rate_limited": "near",
    "failing": "overdue",
    "expiring": "near",
    "ok": "on_time",
}
ATTENTION = frozenset({"expired", "expiring", "failing", "rate_limited"})
# Errors that say something about the link itself rather than about one post or comment.
_LINK_ERRORS = frozenset({"PlatformDown"})


@dataclass(frozen=True)
class LinkHealth:
    account: Account
    link: PlatformLink | None
    state: str

    @property
    def label(self) -> str:
        return str(STATE_LABELS[self.state])

    @property
    def urgency(self) -> str:
        return STATE_URGENCY[self.state]


def warn_before() -> timedelta:
    return timedelta(days=settings.PLATFORM_TOKEN_WARN_DAYS)


def health_state(link: PlatformLink | None, now: datetime | None = None) -> str:
    now = now or timezone.now()
    if link is None:
        return "unlinked"
    expires = link.token_expires_at
    if link.auth_failed_at or (expires and expires <= now):
        return "expired"
    if link.rate_limited_until and link.rate_limited_until > now:
        return "rate_limited"
    if (
        link.last_error_at
        and link.last_error_kind in _LINK_ERRORS
        and (link.last_success_at is None or link.last_error_at > link.last_success_at)
    ):
        return "failing"
    if expires and expires <= now + warn_before():
        return "expiring"
    return "ok"


def _linkable_accounts(user: Actor) -> QuerySet[Account]:
    accounts = Account.objects.filter(
        platform__in=LINKABLE, status__in=OPEN_STATUSES
    ).select_related("unit", "platform_link")
    visible = scope_for(user).visible_unit_ids
    return accounts if visible is None else accounts.filter(unit_id__in=visible)


def link_overview(*, user: Actor, state: str = "") -> list[LinkHealth]:
    now = timezone.now()
    rows = [
        LinkHealth(account=a, link=getattr(a, "platform_link", None), state="")
        for a in _linkable_accounts(user).order_by("unit__sort_order", "unit__code", "handle")
    ]
    rows = [LinkHealth(r.account, r.link, health_state(r.link, now)) for r in rows]
    if state == "attention":
        return [r for r in rows if r.state in ATTENTION]
    return [r for r in rows if r.state == state] if state else rows


def health_counts(*, user: Actor) -> Counter[str]:
    return Counter(row.state for row in link_overview(user=user))


def link_detail(*, user: Actor, account_id: int) -> LinkHealth:
    account = (
        Account.objects.select_related("unit")
        .prefetch_related("operators")
        .filter(pk=account_id)
        .first()
    )
    if account is None or not scope_for(user).can_view_unit(account.unit_id):
        raise NotFound(_("账号不存在。"))
    link = PlatformLink.objects.filter(account=account).first()
    return LinkHealth(account=account, link=link, state=health_state(link))


def needing_reauthorisation(*, user: Actor) -> list[LinkHealth]:
    """Accounts the user may relink whose authorisation has ended or is about to."""
    scope = scope_for(user)
    return [
        row
        for row in link_overview(user=user)
        if row.state in {"expired", "expiring"} and scope.can_edit_accounts_of(row.account.unit_id)
    ]


# --- for connectors and the outbox (not scoped: no user is asking) --------------------------
def rate_limited_until(platform: str, handle: str) -> datetime | None:
    until = (
        PlatformLink.objects.filter(
            platform=platform, account__platform=platform, account__handle=handle
        )
        .values_list("rate_limited_until", flat=True)
        .first()
    )
    return until if until and until > timezone.now() else None


def pushed_messages_after(
    platform: str, receiver_id: str, after: int, limit: int
) -> list[PushedMessage]:
    rows = PushedInteraction.objects.filter(
        platform=platform, receiver_id=receiver_id, pk__gt=after
    ).order_by("pk")[:limit]
    return [
        PushedMessage(
            digest=row.external_id,
            receiver_id=row.receiver_id,
            sender_id=row.sender_id,
            sender_name=row.sender_name,
            text=row.text,
            created_at=row.created_at,
            message_type=row.message_type,
            seq=row.pk,
            raw=row.raw,
        )
        for row in rows
    ]


def link_for_account(account: Account) -> PlatformLink | None:
    return PlatformLink.objects.filter(account=account, platform=account.platform).first()
