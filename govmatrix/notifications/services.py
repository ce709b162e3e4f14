"""Telling people what needs them. Notifications are not audit events: the event log already
holds what happened; a notification is one person's pointer to it, and reading it is theirs."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import User
from django.db.models import Q
from django.utils import timezone

from govmatrix.core.types import Actor
from govmatrix.notifications.models import Notification
from govmatrix.org.models import Membership, Role, UnitKind


def notify(
    *,
    recipients: Iterable[User | None],
    verb: str,
    text: str,
    link: str = "",
    unit_id: int | None = None,
) -> int:
    """One notification per distinct recipient (None and inactive users are skipped)."""
    seen: set[int] = set()
    rows = []
    for user in recipients:
        if user is None or not user.is_active or user.pk in seen:
            continue
        seen.add(user.pk)
        rows.append(
            Notification(recipient=user, verb=verb, text=text[:300], link=link, unit_id=unit_id)
        )
    Notification.objects.bulk_create(rows)
    return len(rows)


def users_with_role(*, unit_id: int, roles: Iterable[str]) -> list[User]:
    """The logins of the unit's serving people in the given roles."""
    memberships = Membership.objects.filter(
        unit_id=unit_id,
        role__in=list(roles),
        ended_on__isnull=True,
        person__is_active=True,
        person__user__isnull=False,
    ).select_related("person__user")
    return [m.person.user for m in memberships if m.person.user is not None]


def office_users() -> list[User]:
    memberships = Membership.objects.filter(
        Q(role=Role.OFFICE_ADMIN),
        unit__kind=UnitKind.OFFICE,
        ended_on__isnull=True,
        person__user__isnull=False,
    ).select_related("person__user")
    return [m.person.user for m in memberships if m.person.user is not None]


def notification_mark_read(*, user: Actor, notification_ids: Iterable[int] | None = None) -> int:
    """Mark the user's own notifications read (all of them when no ids are given)."""
    unread = Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=list(notification_ids))
    return unread.update(read_at=timezone.now())
