"""Thin Huey tasks: they take ids and call services. Periodic ones are safe on many workers."""

import logging

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task, db_task

from govmatrix.inbox.services.ingest import sync_account, sync_all
from govmatrix.inbox.services.opinion import rebuttals_sweep, trend_alerts_check
from govmatrix.inbox.services.sla import sla_sweep

logger = logging.getLogger(__name__)


@db_task()
def sync_account_task(account_id: int, limit: int = 100) -> None:
    """One page of one account's inbox; a full page queues the next one (services.ingest)."""
    sync_account(account_id=account_id, limit=limit)


@db_periodic_task(crontab(minute="*"))
def sync_inboxes() -> None:
    """Every minute: pull new comments, mentions and messages of every open account."""
    sync_all()


@db_periodic_task(crontab(minute="*"))
def sweep_sla_clocks() -> None:
    """Warnings, escalations, follow-up reminders; deadlines of newly entered years."""
    sla_sweep()


@db_periodic_task(crontab(minute="*"))
def sweep_rebuttals() -> None:
    """Replies pointing to each rebuttal whose post has just been published."""
    rebuttals_sweep()


@db_periodic_task(crontab(minute="*/15"))
def check_opinion_trends() -> None:
    trend_alerts_check()


def demo_traffic_on() -> bool:
    import os

    configured = getattr(settings, "DEMO_TRAFFIC", None)
    if configured is not None:
        return bool(configured)
    return os.environ.get("DEMO_TRAFFIC", "") in {"1", "true", "yes", "on"}


def demo_traffic_csv() -> str | None:
    """DEMO_TRAFFIC_CSV: a CSV whose texts the demo's citizens write instead of our templates."""
    import os

    return os.environ.get("DEMO_TRAFFIC_CSV") or None


@db_periodic_task(crontab(minute="*"))
def demo_traffic() -> None:
    """The demo's citizens: a comment or two a minute, only with DEMO_TRAFFIC=1."""
    if not demo_traffic_on():
        return
    import random

    from govmatrix.inbox.traffic import Traffic

    try:
        traffic = Traffic(csv_path=demo_traffic_csv())
    except (OSError, ValueError):
        logger.exception("demo traffic: no citizens this minute")
        return
    traffic.burst(count=random.choice((0, 1, 1, 2)))  # noqa: S311 - demo data, not security
    sync_all()


@HUEY.on_startup()
def sync_when_a_worker_starts() -> None:
    # A worker that starts after a crash reads what the dead one left, without waiting a minute.
    if not HUEY.immediate:
        sync_all()
