"""Who may do what in guidance and training, and the allowed moves of notices and events.

The office writes guidance notices, plans events, invites, records attendance and uploads
materials. A unit's people read the notices sent to their unit and confirm them (the read
receipt), see the events their unit is invited to, and download their materials. Everyone with
a role anywhere in the district reads the exchange board and may post to it.
"""

from __future__ import annotations

from govmatrix.org.permissions import Scope
from govmatrix.training.models import EventStatus, NoticeStatus

N = NoticeStatus
NOTICE_TRANSITIONS: dict[str, set[str]] = {
    N.DRAFT: {N.ISSUED},
    N.ISSUED: {N.WITHDRAWN},
    N.WITHDRAWN: set(),
}

E = EventStatus
EVENT_TRANSITIONS: dict[str, set[str]] = {
    E.PLANNED: {E.INVITED, E.CANCELLED},
    E.INVITED: {E.HELD, E.CANCELLED},
    E.HELD: set(),
    E.CANCELLED: set(),
}
ATTENDANCE_STATES = (E.INVITED, E.HELD)


def can_manage(scope: Scope) -> bool:
    return scope.is_office_admin


def in_district(scope: Scope) -> bool:
    """Anyone with a role in some unit (or the office's staff): the board is theirs."""
    return scope.sees_all or bool(scope.unit_ids)
