"""The event rows behind a metric that no provider lists rows for (yet).

Publishing, the inbox, emergency and moderation write their steps to the one event log; until
each registers a provider with its own drill-down, the office can see the events of the
account's unit in the quarter whose verbs belong to the metric (docs/assessment-metrics.md).
"""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from govmatrix.assessment.providers import Evidence, MetricContext
from govmatrix.audit.models import Event
from govmatrix.audit.verbs import verb_label

VERB_PREFIXES: dict[str, tuple[str, ...]] = {
    "posts_government_affairs": ("post.published",),
    "posts_reportable": ("post.published",),
    "posts_reported_on_time": ("post.published", "report_item."),
    "messages_received": ("message.",),
    "messages_answered": ("message.", "reply."),
    "messages_answered_within_sla": ("message.", "reply."),
    "median_response_hours": ("message.", "reply."),
    "p90_response_hours": ("message.", "reply."),
    "messages_unanswered_over_3_months": ("message.",),
    "repost_orders": ("repost_order.",),
    "repost_orders_on_time": ("repost_order.",),
    "median_repost_latency_minutes": ("repost_order.",),
    "harm_cases": ("harm_case.",),
    "median_harm_case_report_hours": ("harm_case.",),
}
LIMIT = 500


def event_evidence(ctx: MetricContext, account_id: int, metric: str) -> Evidence | None:
    prefixes = VERB_PREFIXES.get(metric)
    account = ctx.account(account_id)
    if not prefixes or account is None:
        return None
    matches = Q()
    for prefix in prefixes:
        matches |= Q(verb__startswith=prefix) if prefix.endswith(".") else Q(verb=prefix)
    events = list(
        Event.objects.filter(
            matches, unit_id=account.unit_id, created_at__gte=ctx.start, created_at__lt=ctx.end
        ).order_by("seq")[:LIMIT]
    )
    query = urlencode(
        {"unit": str(account.unit_id), "since": ctx.quarter.start.isoformat(),
         "until": ctx.check_date.isoformat()}
    )  # fmt: skip
    return Evidence(
        title=_("本季度本单位的相关事件"),
        headers=[_("时间"), _("动作"), _("对象"), _("操作人"), _("说明")],
        rows=[
            [e.created_at, verb_label(e.verb), e.object_label, e.actor_name, e.note] for e in events
        ],
        more_url=f"{reverse('audit:log')}?{query}",
        more_label=_("审计日志"),
        note=_("尚无数据来源：列出事件日志中的相关记录，供核对（最多 %(n)s 条）。") % {"n": LIMIT},
    )
