"""Background work of the assessment: thin tasks that take ids and call services."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from govmatrix.assessment.services.runs import run_compute, run_sweep
from govmatrix.assessment.services.snapshots import (
    account_snapshot_collect,
    accounts_to_collect,
    days_missing,
)

# A worker that was down catches up this many days of missing snapshots.
CATCH_UP_DAYS = 7


@db_task()
def compute_run(run_id: int) -> None:
    run_compute(run_id=run_id)


@db_task()
def collect_account_snapshot(account_id: int, day: str) -> None:
    account_snapshot_collect(account_id=account_id, day=date.fromisoformat(day))


@db_periodic_task(crontab(hour="1", minute="30"))
def collect_daily_snapshots() -> None:
    """Yesterday's snapshot of every account, plus any day of the last week that is missing."""
    yesterday = timezone.localdate() - timedelta(days=1)
    ids = accounts_to_collect()
    wanted = {(account_id, yesterday) for account_id in ids}
    wanted |= set(days_missing(account_ids=ids, until=yesterday, days=CATCH_UP_DAYS))
    for account_id, day in sorted(wanted):
        collect_account_snapshot(account_id, day.isoformat())


@db_periodic_task(crontab(minute="*/5"))
def sweep_runs() -> None:
    run_sweep()
