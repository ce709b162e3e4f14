"""Every write of the emergency app. One module per subject; all are re-exported here."""

from govmatrix.emergency.services.deadlines import (
    emergency_sweep,
    repost_orders_escalate,
    repost_orders_remind,
)
from govmatrix.emergency.services.fanout import auto_reposts_dispatch, repost_orders_create
from govmatrix.emergency.services.incidents import (
    INCIDENT_TRANSITIONS,
    NewCommander,
    emergency_settings_update,
    incident_allowance_grant,
    incident_declare,
    incident_press_conference_record,
    incident_publishing_pause,
    incident_stand_down,
)
from govmatrix.emergency.services.orders import (
    ORDER_TRANSITIONS,
    OUTCOME_HANDLER,
    SUBJECT_TYPE,
    auto_repost_set,
    repost_order_exempt,
    repost_order_record,
    repost_order_reopen,
    repost_order_repost,
)
from govmatrix.emergency.services.statements import (
    statement_approve,
    statement_create,
    statement_published,
    statement_return,
    statement_submit,
    statement_update,
)

__all__ = [
    "INCIDENT_TRANSITIONS",
    "ORDER_TRANSITIONS",
    "OUTCOME_HANDLER",
    "SUBJECT_TYPE",
    "NewCommander",
    "auto_repost_set",
    "auto_reposts_dispatch",
    "emergency_settings_update",
    "emergency_sweep",
    "incident_allowance_grant",
    "incident_declare",
    "incident_press_conference_record",
    "incident_publishing_pause",
    "incident_stand_down",
    "repost_order_exempt",
    "repost_order_record",
    "repost_order_reopen",
    "repost_order_repost",
    "repost_orders_create",
    "repost_orders_escalate",
    "repost_orders_remind",
    "statement_approve",
    "statement_create",
    "statement_published",
    "statement_return",
    "statement_submit",
    "statement_update",
]
