"""Thin Huey tasks: they take ids and call services. Periodic ones are safe on many workers."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from govmatrix.emergency.services.deadlines import emergency_sweep
from govmatrix.emergency.services.fanout import (
    SLICE_SECONDS,
    auto_reposts_dispatch,
    repost_orders_create,
    start_auto_reposts,
)


@db_task()
def fan_out_statement(statement_id: int, copy_id: int | None = None) -> None:
    """Started on commit when a statement of the main account (or one of its copies) is
    published."""
    repost_orders_create(statement_id=statement_id, copy_id=copy_id)


@db_task()
def dispatch_auto_reposts(statement_id: int, platform: str = "") -> None:
    """One slice of automatic reposts; the next slice follows while any are waiting."""
    if auto_reposts_dispatch(statement_id=statement_id, platform=platform):
        start_auto_reposts(statement_id, platform, delay=SLICE_SECONDS)


@db_periodic_task(crontab(minute="*"))
def sweep_emergency() -> None:
    emergency_sweep()
