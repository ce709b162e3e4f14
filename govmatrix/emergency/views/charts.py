"""The repost-latency chart of a statement (ECharts, with its table and xlsx beside it)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from govmatrix.core.types import Actor
from govmatrix.emergency.models import Statement
from govmatrix.emergency.selectors.orders import latency_buckets
from govmatrix.emergency.views.common import int_param
from govmatrix.web.charts import bar_chart


def statement_choice(request: HttpRequest, published: Sequence[Statement]) -> Statement | None:
    """The statement chosen with ?statement=, else the latest published one."""
    wanted = int_param(request, "statement")
    for statement in published:
        if statement.pk == wanted:
            return statement
    return published[0] if published else None


def latency_chart(user: Actor, statement: Statement) -> dict[str, Any]:
    return bar_chart(
        title=_("转发用时分布（%(label)s，自主账号发布起）") % {"label": statement.label},
        items=latency_buckets(user=user, statement=statement),
    )


def latency_export_url(incident_id: int, statement: Statement | None) -> str:
    if statement is None:
        return ""
    return reverse("emergency:latency_export", args=[incident_id]) + f"?statement={statement.pk}"
