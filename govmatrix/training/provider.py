"""The optional training indicator of the assessment (R7.2): per unit, the events held in the
quarter that it was invited to, and those at which at least one of its people was present.
Every account of the unit reads its unit's figures. A unit that was expected at no event reads
0 expected, which the scheme's ratio turns into "no data" (neither reward nor penalty)."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from govmatrix.assessment.providers import (
    Evidence,
    MetricContext,
    MetricProvider,
    Value,
    local_midnight,
)
from govmatrix.training.models import Attendance, AttendanceStatus, EventStatus, TrainingEvent


def _held(ctx: MetricContext) -> list[TrainingEvent]:
    return list(
        TrainingEvent.objects.filter(
            status=EventStatus.HELD,
            starts_at__gte=ctx.start,
            starts_at__lt=local_midnight(ctx.quarter.end + timedelta(days=1)),
        ).prefetch_related("units")
    )


class TrainingProvider(MetricProvider):
    key = "training"
    label = gettext_lazy("培训参加情况")
    metrics = frozenset({"training_expected", "training_attended"})

    def compute(self, ctx: MetricContext) -> dict[int, dict[str, Value]]:
        events = _held(ctx)
        expected: dict[int, set[int]] = defaultdict(set)
        for event in events:
            for unit in event.units.all():
                expected[unit.pk].add(event.pk)
        attended: dict[int, set[int]] = defaultdict(set)
        for event_id, unit_id in Attendance.objects.filter(
            event__in=events, status=AttendanceStatus.ATTENDED
        ).values_list("event_id", "unit_id"):
            if event_id in expected[unit_id]:
                attended[unit_id].add(event_id)
        return {
            account.id: {
                "training_expected": len(expected[account.unit_id]),
                "training_attended": len(attended[account.unit_id]),
            }
            for account in ctx.accounts
        }

    def evidence(self, ctx: MetricContext, account_id: int, metric: str) -> Evidence | None:
        account = ctx.account(account_id)
        if account is None or metric not in self.metrics:
            return None
        events = [e for e in _held(ctx) if any(u.pk == account.unit_id for u in e.units.all())]
        present = set(
            Attendance.objects.filter(
                event__in=events, unit_id=account.unit_id, status=AttendanceStatus.ATTENDED
            ).values_list("event_id", flat=True)
        )
        return Evidence(
            title=_("本季度应参加的培训交流活动"),
            headers=[_("时间"), _("形式"), _("名称"), _("本单位出席")],
            rows=[[e.starts_at, e.get_kind_display(), e.title, e.pk in present] for e in events],
            links=[reverse("training:event", args=[e.pk]) for e in events],
            more_url=reverse("training:events"),
            more_label=_("培训交流活动"),
        )
