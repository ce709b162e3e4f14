from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from govmatrix.platforms.links.services import link_expiry_check


@db_periodic_task(crontab(minute="7"))
def flag_expiring_authorisations() -> None:
    # Hourly and idempotent: each account is told once per stage (expiring, then expired).
    link_expiry_check()
