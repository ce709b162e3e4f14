import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from govmatrix.audit.services import chain_check_record

logger = logging.getLogger(__name__)


@db_periodic_task(crontab(hour="2", minute="30"))
def verify_audit_chain_nightly() -> None:
    if not chain_check_record():
        logger.error("audit chain is broken; run `manage.py audit_verify` for the first broken row")
