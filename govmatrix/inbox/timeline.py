"""The citizens' messages an incident's timeline shows (registered in `InboxConfig.ready` when
the emergency app is installed): what citizens wrote to the incident's accounts, or what was
routed to an affected unit, while the incident lasted — as the reader may see it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from govmatrix.core.types import Actor
from govmatrix.inbox.selectors.messages import visible_messages

MOST_ENTRIES = 200  # an incident page is read, not scrolled for ever


def incident_messages(window: Any, user: Actor) -> Iterable[Any]:
    from govmatrix.emergency.timeline import TimelineEntry

    rows = visible_messages(user).filter(
        Q(account_id__in=list(window.account_ids)) | Q(unit_id__in=list(window.unit_ids)),
        received_at__gte=window.declared_at,
        received_at__lt=window.ends_at or timezone.now(),
        merged_into__isnull=True,
    )
    for message in rows.order_by("received_at", "id")[:MOST_ENTRIES]:
        responsible = message.unit.name if message.unit else _("待分办")
        yield TimelineEntry(
            at=message.received_at,
            kind=_("网民留言"),
            text=" ".join(message.text.split())[:80],
            link=reverse("inbox:message", args=[message.pk]),
            detail=f"{message.get_kind_display()} · {responsible} · {message.get_state_display()}",
            source="inbox",
        )


def register() -> None:
    import importlib.util

    if importlib.util.find_spec("govmatrix.emergency.timeline") is None:
        return
    from django.utils.translation import gettext_lazy

    from govmatrix.emergency.timeline import TimelineSource, register_timeline_source

    register_timeline_source(TimelineSource("inbox", gettext_lazy("网民留言"), incident_messages))
