"""Who may see and change what. Everything is scoped by unit.

The office's staff (office admins) see and change everything. Inspectors of the office see
everything and change nothing. Everyone else sees the units they hold a role in; what they
may change there depends on the role. Selectors filter by `Scope.visible_unit_ids`; services
call the `can_*` checks below and raise `NotAllowed` when they fail.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from govmatrix.core.errors import NotAllowed
from govmatrix.org.models import Membership, Role, Unit, UnitKind

UNIT_EDITOR_ROLES = frozenset({Role.PRINCIPAL_LEADER, Role.LEADER_IN_CHARGE, Role.OPERATOR})
UNIT_LEADER_ROLES = frozenset({Role.PRINCIPAL_LEADER, Role.LEADER_IN_CHARGE})


@dataclass(frozen=True)
class Scope:
    user_id: int | None
    roles: frozenset[tuple[int, str]] = field(default_factory=frozenset)
    office_unit_id: int | None = None
    superuser: bool = False

    @property
    def is_office_admin(self) -> bool:
        return self.superuser or (self.office_unit_id, Role.OFFICE_ADMIN) in self.roles

    @property
    def sees_all(self) -> bool:
        return self.is_office_admin or (self.office_unit_id, Role.INSPECTOR) in self.roles

    @property
    def unit_ids(self) -> frozenset[int]:
        return frozenset(unit_id for unit_id, _role in self.roles)

    @property
    def visible_unit_ids(self) -> set[int] | None:
        """None means every unit."""
        return None if self.sees_all else set(self.unit_ids)

    def has_role(self, unit_id: int | None, roles: frozenset[str] | set[str]) -> bool:
        return any((unit_id, role) in self.roles for role in roles)

    def can_view_unit(self, unit_id: int | None) -> bool:
        return self.sees_all or unit_id in self.unit_ids

    # --- what may be changed -------------------------------------------------------------
    def can_manage_org(self) -> bool:
        """Units, people, roles, group targets and budget lines belong to the office."""
        return self.is_office_admin

    def can_edit_accounts_of(self, unit_id: int | None) -> bool:
        return self.is_office_admin or self.has_role(unit_id, UNIT_EDITOR_ROLES)

    def can_edit_some_accounts(self) -> bool:
        return self.is_office_admin or any(role in UNIT_EDITOR_ROLES for _unit, role in self.roles)

    def can_record_spending_of(self, unit_id: int | None) -> bool:
        return self.is_office_admin or self.has_role(unit_id, UNIT_LEADER_ROLES)

    def can_view_audit(self) -> bool:
        return self.sees_all


ANONYMOUS = Scope(user_id=None)


def _office_unit_id() -> int | None:
    return Unit.objects.filter(kind=UnitKind.OFFICE).values_list("id", flat=True).first()


def scope_for(user: Any) -> Scope:
    """The user's scope, computed once per user object (so once per request)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return ANONYMOUS
    cached = getattr(user, "_govmatrix_scope", None)
    if cached is not None:
        return cached
    roles = frozenset(
        Membership.objects.filter(
            person__user=user, person__is_active=True, ended_on__isnull=True
        ).values_list("unit_id", "role")
    )
    scope = Scope(
        user_id=user.pk, roles=roles, office_unit_id=_office_unit_id(), superuser=user.is_superuser
    )
    user._govmatrix_scope = scope
    return scope


def forget_scope(user: Any) -> None:
    """Drop the cached scope after the user's roles change."""
    if hasattr(user, "_govmatrix_scope"):
        del user._govmatrix_scope


def require(allowed: bool, message: str = "") -> None:
    if not allowed:
        raise NotAllowed(message or _("您没有权限执行此操作。"))
