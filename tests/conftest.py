"""Shared fixtures: a small district with named people in every role.

The cast (see `district`): `office_admin` runs the office; `office_inspector` reads everything;
`leader`, `charge` and `operator` work at 东城街道 (street01); `inspector` reads street01 only;
`neighbour` operates 西城街道 (street02); `outsider` has a login and no role at all.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import AbstractBaseUser

from tests.factories import (
    AccountFactory,
    MembershipFactory,
    PersonFactory,
    UnitFactory,
    UserFactory,
)

# Playwright's sync API runs an event loop in the test thread; the ORM calls made by the test
# itself (seeding data) are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Each test starts with an empty cache: cached pages and calendars must not leak between tests."""
    from django.core.cache import cache

    cache.clear()


@dataclass
class District:
    office: Any
    government: Any
    street01: Any
    street02: Any
    dept01: Any
    media: Any
    office_admin: AbstractBaseUser
    office_inspector: AbstractBaseUser
    leader: AbstractBaseUser
    charge: AbstractBaseUser
    operator: AbstractBaseUser
    inspector: AbstractBaseUser
    neighbour: AbstractBaseUser
    outsider: AbstractBaseUser
    main_account: Any
    street01_account: Any
    street02_account: Any

    def person(self, user: AbstractBaseUser) -> Any:
        return user.person  # type: ignore[attr-defined]


def _member(unit: Any, role: str, username: str, staffing: str = "") -> AbstractBaseUser:
    user = UserFactory(username=username)
    person = PersonFactory(user=user, name=username)
    MembershipFactory(person=person, unit=unit, role=role, staffing=staffing)
    return user


@pytest.fixture
def district(db: None) -> District:
    office = UnitFactory(code="office", name="管理办公室", kind="office")
    government = UnitFactory(code="district_gov", name="区政府办公室", kind="district_government")
    news = UnitFactory(
        code="news_office", name="区政府新闻办", kind="news_office", parent=government
    )
    street01 = UnitFactory(code="street01", name="东城街道", kind="street_town", parent=government)
    street02 = UnitFactory(code="street02", name="西城街道", kind="street_town", parent=government)
    dept01 = UnitFactory(code="dept01", name="区教育局", kind="department", parent=government)
    media = UnitFactory(code="media01", name="区融媒体中心", kind="news_media")
    operator = _member(street01, "operator", "operator", "dedicated")
    neighbour = _member(street02, "operator", "neighbour", "part_time")
    district = District(
        office=office,
        government=government,
        street01=street01,
        street02=street02,
        dept01=dept01,
        media=media,
        office_admin=_member(office, "office_admin", "office_admin"),
        office_inspector=_member(office, "inspector", "office_inspector"),
        leader=_member(street01, "principal_leader", "leader"),
        charge=_member(street01, "leader_in_charge", "charge"),
        operator=operator,
        inspector=_member(street01, "inspector", "inspector"),
        neighbour=neighbour,
        outsider=UserFactory(username="outsider"),
        main_account=AccountFactory(
            unit=news, kind="main", handle="main_fabu", display_name="@示范区发布", status="active"
        ),
        street01_account=AccountFactory(
            unit=street01, handle="sfq_street01", display_name="示范区东城街道", status="active"
        ),
        street02_account=AccountFactory(
            unit=street02, handle="sfq_street02", display_name="示范区西城街道", status="active"
        ),
    )
    district.street01_account.operators.add(operator.person)  # type: ignore[attr-defined]
    district.street02_account.operators.add(neighbour.person)  # type: ignore[attr-defined]
    return district
