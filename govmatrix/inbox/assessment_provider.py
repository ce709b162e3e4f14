"""The inbox's metric provider for the assessment's registry (imported only when it exists)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from govmatrix.assessment.providers import (  # type: ignore[import-not-found,unused-ignore]
    Evidence,
    MetricContext,
    MetricProvider,
    Value,
)
from govmatrix.inbox.metrics import (
    ASSESSMENT_METRICS,
    assessment_values,
    message_rows,
    response_metrics,
)
from govmatrix.inbox.models import SyncState


class InboxMetricProvider(MetricProvider):  # type: ignore[misc,unused-ignore]
    key = "inbox"
    label = gettext_lazy("网民留言")
    metrics = ASSESSMENT_METRICS

    def compute(self, ctx: MetricContext) -> Mapping[int, Mapping[str, Value]]:
        found = response_metrics(start=ctx.start, end=ctx.end, by="account", ids=ctx.account_ids)
        # An account whose inbox is read and that received nothing has real zero counts (and
        # no response time); one whose inbox is never read has no data at all.
        synced = set(
            SyncState.objects.filter(
                account_id__in=ctx.account_ids, last_success_at__isnull=False
            ).values_list("account_id", flat=True)
        )
        out: dict[int, dict[str, Any]] = {}
        for account_id in ctx.account_ids:
            if account_id in found:
                out[account_id] = assessment_values(found[account_id])
            elif account_id in synced:
                out[account_id] = {
                    "messages_received": 0,
                    "messages_answered": 0,
                    "messages_answered_within_sla": 0,
                    "messages_unanswered_over_3_months": 0,
                }
        return out

    def evidence(self, ctx: MetricContext, account_id: int, metric: str) -> Any:
        if metric not in ASSESSMENT_METRICS:
            return None
        rows = list(
            message_rows(account_id=account_id, start=ctx.start, end=ctx.end, metric=metric)
        )
        return Evidence(
            title=_("网民留言"),
            headers=[_("收到时间"), _("网民"), _("内容"), _("首次答复"), _("首次答复时限")],
            rows=[
                [
                    timezone.localtime(m.received_at),
                    m.author_name,
                    m.text[:60],
                    timezone.localtime(m.first_response_at) if m.first_response_at else "",
                    timezone.localtime(m.ack_due_at) if m.ack_due_at else "",
                ]
                for m in rows
            ],
            links=[reverse("inbox:message", args=[m.pk]) for m in rows],
            more_url=f"{reverse('inbox:queue')}?account={account_id}",
            more_label=_("在留言列表中查看"),
        )


def provider() -> InboxMetricProvider:
    return InboxMetricProvider()
