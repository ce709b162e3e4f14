"""Who may see and change what, as a matrix: role × object × action.

Each row is checked through the real selectors (view) and services (change), so the matrix is
what the product enforces, not what a helper claims.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from govmatrix.core.errors import DomainError, NotAllowed, NotFound
from govmatrix.matrix import selectors as matrix_selectors
from govmatrix.matrix.services import account_change_status, account_create, account_update
from govmatrix.org import selectors as org_selectors
from govmatrix.org.models import BudgetLine
from govmatrix.org.permissions import scope_for
from govmatrix.org.services import (
    budget_line_create,
    group_target_create,
    spending_entry_create,
    unit_create,
    unit_update,
)
from tests.conftest import District

ROLES = [
    "office_admin",
    "office_inspector",
    "leader",
    "charge",
    "operator",
    "inspector",
    "neighbour",
    "outsider",
]

# role: may view the street01 account, the street02 account, the main account
VIEW_ACCOUNTS = {
    "office_admin": (True, True, True),
    "office_inspector": (True, True, True),
    "leader": (True, False, False),
    "charge": (True, False, False),
    "operator": (True, False, False),
    "inspector": (True, False, False),
    "neighbour": (False, True, False),
    "outsider": (False, False, False),
}

# role: may change the street01 account, may change the street02 account
CHANGE_ACCOUNTS = {
    "office_admin": (True, True),
    "office_inspector": (False, False),
    "leader": (True, False),
    "charge": (True, False),
    "operator": (True, False),
    "inspector": (False, False),
    "neighbour": (False, True),
    "outsider": (False, False),
}

MANAGES_ORG = {"office_admin"}
SEES_DISTRICT = {"office_admin", "office_inspector"}
RECORDS_STREET01_SPENDING = {"office_admin", "leader", "charge"}


def _visible(user: object, account: object) -> bool:
    try:
        matrix_selectors.account_get(user=user, account_id=account.pk)  # type: ignore[attr-defined]
        return True
    except NotFound:
        return False


@pytest.mark.parametrize("role", ROLES)
def test_accounts_are_visible_only_within_the_roles_units(district: District, role: str) -> None:
    user = getattr(district, role)
    seen = tuple(
        _visible(user, a)
        for a in (district.street01_account, district.street02_account, district.main_account)
    )
    assert seen == VIEW_ACCOUNTS[role]


@pytest.mark.parametrize("role", ROLES)
def test_the_registry_list_holds_only_what_the_role_may_see(district: District, role: str) -> None:
    user = getattr(district, role)
    handles = set(matrix_selectors.account_list(user=user).values_list("handle", flat=True))
    expected = {
        account.handle
        for account, visible in zip(
            (district.street01_account, district.street02_account, district.main_account),
            VIEW_ACCOUNTS[role],
            strict=True,
        )
        if visible
    }
    assert handles == expected


@pytest.mark.parametrize("role", ROLES)
def test_accounts_can_be_changed_only_by_editors_of_their_unit(
    district: District, role: str
) -> None:
    user = getattr(district, role)
    for account, allowed in zip(
        (district.street01_account, district.street02_account), CHANGE_ACCOUNTS[role], strict=True
    ):
        if allowed:
            account_update(actor=user, account_id=account.pk, description=f"edited by {role}")
            account.refresh_from_db()
            assert account.description == f"edited by {role}"
        else:
            with pytest.raises((NotAllowed, NotFound)):
                account_update(actor=user, account_id=account.pk, description="should not happen")
            account.refresh_from_db()
            assert account.description != "should not happen"


@pytest.mark.parametrize("role", ROLES)
def test_status_changes_follow_the_same_rule_as_edits(district: District, role: str) -> None:
    user = getattr(district, role)
    allowed = CHANGE_ACCOUNTS[role][0]
    if allowed:
        account_change_status(actor=user, account_id=district.street01_account.pk, to="dormant")
        district.street01_account.refresh_from_db()
        assert district.street01_account.status == "dormant"
    else:
        with pytest.raises((NotAllowed, NotFound)):
            account_change_status(actor=user, account_id=district.street01_account.pk, to="dormant")


@pytest.mark.parametrize("role", ROLES)
def test_units_people_targets_and_budgets_are_the_offices_to_change(
    district: District, role: str
) -> None:
    user = getattr(district, role)
    attempts = [
        lambda: unit_create(
            actor=user, name=f"新单位{role}", code=f"new_{role}", kind="department"
        ),
        lambda: unit_update(actor=user, unit_id=district.street01.pk, name=f"改名{role}"),
        lambda: group_target_create(
            actor=user,
            name="目标",
            deadline=date(2027, 6, 30),
            min_accounts=20,
            scope="all_members",
        ),
        lambda: budget_line_create(
            actor=user,
            unit_id=district.street01.pk,
            year=2026,
            amount=Decimal("1000"),
            purpose="运维",
        ),
    ]
    for attempt in attempts:
        if role in MANAGES_ORG:
            attempt()
        else:
            with pytest.raises(NotAllowed):
                attempt()


@pytest.mark.parametrize("role", ROLES)
def test_unit_leaders_record_their_own_spending(district: District, role: str) -> None:
    line = BudgetLine.objects.create(
        unit=district.street01, year=2026, amount=Decimal("30000"), purpose="运维"
    )
    user = getattr(district, role)
    record = lambda: spending_entry_create(  # noqa: E731
        actor=user,
        budget_line_id=line.pk,
        spent_on=date(2026, 5, 1),
        amount=Decimal("100"),
        description="培训",
    )
    if role in RECORDS_STREET01_SPENDING:
        record()
        assert line.spending.count() == 1
    else:
        with pytest.raises(DomainError):
            record()
        assert line.spending.count() == 0


@pytest.mark.parametrize("role", ROLES)
def test_targets_and_the_audit_log_are_for_the_office(district: District, role: str) -> None:
    user = getattr(district, role)
    group_target_create(
        actor=district.office_admin,
        name="目标",
        deadline=date(2027, 6, 30),
        min_accounts=20,
        scope="all_members",
    )
    assert org_selectors.group_target_list(user=user).exists() == (role in SEES_DISTRICT)
    assert scope_for(user).can_view_audit() == (role in SEES_DISTRICT)


@pytest.mark.parametrize("role", ROLES)
def test_units_are_visible_within_the_roles_units(district: District, role: str) -> None:
    user = getattr(district, role)
    codes = set(org_selectors.unit_list(user=user).values_list("code", flat=True))
    if role in SEES_DISTRICT:
        assert {"street01", "street02", "office"} <= codes
    elif role == "neighbour":
        assert codes == {"street02"}
    elif role == "outsider":
        assert codes == set()
    else:
        assert codes == {"street01"}


def test_only_the_office_registers_a_main_account(district: District) -> None:
    with pytest.raises(NotAllowed):
        account_create(
            actor=district.leader,
            unit_id=district.street01.pk,
            platform="local",
            handle="fake_main",
            display_name="假主账号",
            kind="main",
        )


def test_a_deactivated_person_loses_every_right(district: District) -> None:
    district.operator.is_active = False
    district.operator.save()
    assert matrix_selectors.account_list(user=district.operator).count() == 0
