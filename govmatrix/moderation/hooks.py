"""Where moderation plugs into other apps, all registered in `ModerationConfig.ready`:

* **publishing**: the content check's sensitive-term screen is the product's screen (the
  shipped lexicon with the office's edits) — `publishing.checking.set_harm_screen_provider`;
* **emergency**: an incident's timeline shows the harmful-comment cases on the affected
  accounts during the incident — `emergency.timeline.register_timeline_source`;
* **assessment**: the metrics `harm_cases` and `median_harm_case_report_hours` — a metric
  provider; inspection findings are linked by the inspection itself.

* **inbox**: its classification's harm lexicon is the product's screen
  (`inbox.hooks.set_harm_screen_provider`), and every stored batch is screened for cases as
  soon as it has committed (`inbox.hooks.register_stored_hook`); the periodic scan
  (`harm_cases_open_flagged`) catches whatever a lost hook missed.
"""

from __future__ import annotations

import importlib.util
import statistics
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from govmatrix.core.types import Actor

if TYPE_CHECKING:
    from govmatrix.assessment.providers import MetricProvider


def register() -> None:
    from govmatrix.moderation.screening import product_screen
    from govmatrix.publishing.checking import set_harm_screen_provider

    set_harm_screen_provider(product_screen)
    from govmatrix.inbox import hooks as inbox_hooks
    from govmatrix.moderation.tasks import screen_stored

    inbox_hooks.set_harm_screen_provider(product_screen)
    inbox_hooks.register_stored_hook(screen_stored)
    if importlib.util.find_spec("govmatrix.emergency.timeline") is not None:
        from govmatrix.emergency.timeline import TimelineSource, register_timeline_source

        register_timeline_source(TimelineSource("moderation", _("有害信息处置"), incident_cases))
    from govmatrix.assessment.providers import register_provider

    register_provider(_provider())


def incident_cases(window: Any, user: Actor) -> Iterable[Any]:
    """The cases flagged on the incident's accounts while it lasted, as the reader may see them."""
    from django.utils import timezone

    from govmatrix.emergency.timeline import TimelineEntry
    from govmatrix.moderation.selectors.cases import visible_cases

    rows = visible_cases(user).filter(
        account_id__in=list(window.account_ids),
        flagged_at__gte=window.declared_at,
        flagged_at__lt=window.ends_at or timezone.now(),
    )
    for case in rows.order_by("flagged_at")[:200]:
        yield TimelineEntry(
            at=case.flagged_at,
            kind=str(_("有害跟帖")),
            text=" ".join(case.comment_text.split())[:80],
            link=reverse("moderation:case", args=[case.pk]),
            detail=f"{case.number} · {case.get_state_display()}",
            source="moderation",
        )


def _provider() -> MetricProvider:
    from govmatrix.assessment.providers import MetricContext, MetricProvider

    class HarmCaseProvider(MetricProvider):
        """Cases on the account's comments flagged in the quarter, and the median hours from
        flagging to the report to the office (the app reports at once, so close to zero)."""

        key = "moderation"
        label = _("有害信息处置")
        metrics = frozenset({"harm_cases", "median_harm_case_report_hours"})

        def compute(self, ctx: MetricContext) -> Mapping[int, Mapping[str, float | int | None]]:
            from govmatrix.moderation.models import HarmCase
            from govmatrix.platforms.base import Capability
            from govmatrix.platforms.registry import platform_capabilities

            # Zero is a measurement only where GovMatrix reads the account's comments.
            read = {
                a.id
                for a in ctx.accounts
                if Capability.READ_INBOX in platform_capabilities(a.platform)
            }
            rows = HarmCase.objects.filter(
                account_id__in=ctx.account_ids, flagged_at__gte=ctx.start, flagged_at__lt=ctx.end
            ).values_list("account_id", "flagged_at", "reported_at")
            per: dict[int, list[float]] = {}
            counts: dict[int, int] = dict.fromkeys(read, 0)
            for account_id, flagged, reported in rows:
                counts[account_id] = counts.get(account_id, 0) + 1
                if reported is not None:
                    per.setdefault(account_id, []).append(
                        (reported - flagged).total_seconds() / 3600
                    )
            return {
                account_id: {
                    "harm_cases": n,
                    "median_harm_case_report_hours": round(statistics.median(per[account_id]), 4)
                    if per.get(account_id)
                    else None,
                }
                for account_id, n in counts.items()
            }

    return HarmCaseProvider()
