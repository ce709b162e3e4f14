"""The office's emergency settings, read without writing anything."""

from __future__ import annotations

from govmatrix.core.types import Actor
from govmatrix.emergency.models import AutoRepost, EmergencySettings
from govmatrix.emergency.rules import can_set_auto_repost
from govmatrix.matrix.models import OPEN_STATUSES, Account, AccountKind
from govmatrix.org.permissions import scope_for


def emergency_settings() -> EmergencySettings:
    """The settings row, or the defaults while the office has not saved any."""
    return EmergencySettings.objects.filter(pk=1).first() or EmergencySettings(pk=1)


def auto_repost_rows(*, user: Actor) -> list[tuple[Account, bool, bool]]:
    """(sub-account, reposts automatically, the user may change it) for the visible accounts."""
    scope = scope_for(user)
    accounts = Account.objects.filter(kind=AccountKind.SUB, status__in=OPEN_STATUSES)
    if not scope.sees_all:
        accounts = accounts.filter(unit_id__in=list(scope.unit_ids))
    enabled = set(AutoRepost.objects.filter(enabled=True).values_list("account_id", flat=True))
    return [
        (account, account.pk in enabled, can_set_auto_repost(scope, account))
        for account in accounts.select_related("unit").order_by(
            "unit__sort_order", "unit__code", "handle"
        )
    ]
