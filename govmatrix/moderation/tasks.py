"""Thin Huey tasks: they take ids and call services. Periodic ones are safe on many workers."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from govmatrix.moderation.services import (
    harm_cases_open_flagged,
    harm_cases_open_for,
    harm_cases_report_pending,
    inspection_run_execute,
    inspection_run_schedule,
    inspection_runs_sweep,
)


@db_periodic_task(crontab(minute="*"))
def screen_new_comments() -> None:
    """Open a case for every newly stored comment the screening flags (reported at once)."""
    harm_cases_open_flagged()


@db_task()
def screen_messages(message_ids: list[int]) -> None:
    """Started by the inbox when a batch of messages is stored: cases open at once."""
    harm_cases_open_for(message_ids=message_ids)


def screen_stored(message_ids: list[int]) -> None:
    """The inbox's stored-messages hook: queue the screening (the scan catches a lost one)."""
    screen_messages(message_ids)


@db_periodic_task(crontab(minute="*/5"))
def report_pending_cases() -> None:
    harm_cases_report_pending()


@db_task()
def run_inspection(run_id: int) -> None:
    inspection_run_execute(run_id=run_id)


@db_periodic_task(crontab(hour="2", minute="15"))
def nightly_inspection() -> None:
    inspection_run_schedule()


@db_periodic_task(crontab(minute="*/10"))
def sweep_inspection_runs() -> None:
    inspection_runs_sweep()
