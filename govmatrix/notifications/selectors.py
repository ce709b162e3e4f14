from __future__ import annotations

from django.db.models import QuerySet

from govmatrix.core.types import Actor
from govmatrix.notifications.models import Notification


def notification_list(*, user: Actor, unread_only: bool = False) -> QuerySet[Notification]:
    notifications = Notification.objects.filter(recipient_id=user.pk)
    return notifications.filter(read_at__isnull=True) if unread_only else notifications


def unread_count(*, user: Actor) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True).count()
