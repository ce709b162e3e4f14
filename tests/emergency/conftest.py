"""Emergency fixtures: the district of `tests/conftest.py`, its accounts on publishing's fake
platform, and an on-site commander from outside the office (a login, no role anywhere)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import District
from tests.factories import MembershipFactory, PersonFactory, UserFactory
from tests.publishing.conftest import FakeConnector, platform, topics

__all__ = ["FakeConnector", "platform", "topics"]


@pytest.fixture
def commander(district: District) -> Any:
    """副区长 on site: a person with a login and no role in any unit."""
    user = UserFactory(username="commander", first_name="赵振华")
    PersonFactory(user=user, name="赵振华", title="副区长")
    return user


@pytest.fixture
def west_leader(district: District) -> Any:
    """The principal leader of 西城街道 (street02)."""
    user = UserFactory(username="west_leader")
    MembershipFactory(
        person=PersonFactory(user=user, name="west_leader"),
        unit=district.street02,
        role="principal_leader",
    )
    return user
