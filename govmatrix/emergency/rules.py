"""Who may do what in an incident. Services check these and raise `NotAllowed`; pages use them
to show only the buttons that will work."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.utils.translation import gettext as _

from govmatrix.core.errors import NotAllowed
from govmatrix.core.types import Actor, as_user
from govmatrix.emergency.models import Incident, RepostOrder
from govmatrix.matrix.models import Account
from govmatrix.org.permissions import UNIT_EDITOR_ROLES, UNIT_LEADER_ROLES, Scope


def acting_user(actor: Actor) -> User:
    user = as_user(actor)
    if user is None or not user.is_authenticated:
        raise NotAllowed(_("请先登录。"))
    return user


def can_declare(scope: Scope) -> bool:
    """Incidents are declared, and their statements written, by the office (R1.1, R6.1)."""
    return scope.is_office_admin


def is_commander(scope: Scope, incident: Incident) -> bool:
    return scope.user_id is not None and incident.commander.user_id == scope.user_id


def can_lead(scope: Scope, incident: Incident) -> bool:
    """The office and the incident's commander record its press conference and stand it down."""
    return scope.is_office_admin or is_commander(scope, incident)


def can_repost(scope: Scope, order: RepostOrder) -> bool:
    """The people of the order's unit who run its accounts, and the office."""
    return scope.is_office_admin or scope.has_role(order.unit_id, UNIT_EDITOR_ROLES)


def can_exempt(scope: Scope) -> bool:
    return scope.is_office_admin


def can_set_auto_repost(scope: Scope, account: Account) -> bool:
    """A unit's leaders decide that its account reposts statements automatically."""
    return scope.is_office_admin or scope.has_role(account.unit_id, UNIT_LEADER_ROLES)
