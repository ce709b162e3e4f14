from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task, db_task

from govmatrix.platforms.services import outbox_execute, outbox_sweep


@db_task()
def execute_outbox_operation(operation_id: int) -> None:
    outbox_execute(operation_id=operation_id)


@db_periodic_task(crontab(minute="*"))
def sweep_outbox() -> None:
    outbox_sweep()


@HUEY.on_startup()
def sweep_when_a_worker_starts() -> None:
    # A worker that starts after a crash picks up what the dead one left, without waiting a minute.
    if not HUEY.immediate:
        sweep_outbox()
