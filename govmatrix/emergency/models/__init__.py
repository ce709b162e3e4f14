"""Incidents, their statements, and the sub-accounts' repost orders (R5.2, R6).

The states and the moves between them are in `services/` (INCIDENT_TRANSITIONS,
ORDER_TRANSITIONS); the invariants that must hold whatever code runs are database
constraints here.
"""

from govmatrix.emergency.models.incidents import (
    EmergencySettings,
    Incident,
    IncidentLevel,
    IncidentStatus,
    Statement,
    StatementCopy,
    StatementKind,
    SubAccountAllowance,
)
from govmatrix.emergency.models.orders import (
    AutoRepost,
    ProofKind,
    RepostOrder,
    RepostOrderState,
)

__all__ = [
    "AutoRepost",
    "EmergencySettings",
    "Incident",
    "IncidentLevel",
    "IncidentStatus",
    "ProofKind",
    "RepostOrder",
    "RepostOrderState",
    "Statement",
    "StatementCopy",
    "StatementKind",
    "SubAccountAllowance",
]
