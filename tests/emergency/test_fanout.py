"""Fan-out (R6.2): a published statement of the main account gives every open sub-account
(or the chosen ones) exactly one repost order, with its deadline, and tells their people —
in bulk, once, however often it runs."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import IntegrityError, transaction

from govmatrix.audit.models import Event
from govmatrix.emergency import services
from govmatrix.emergency.models import RepostOrder, Statement
from govmatrix.notifications.models import Notification
from tests.conftest import District
from tests.emergency.flow import declare, order_of, published, reload
from tests.factories import (
    AccountFactory,
    MembershipFactory,
    PersonFactory,
    UnitFactory,
    UserFactory,
)
from tests.publishing.conftest import FakeConnector

Capture = Any


def _more_units(count: int, platform: str = "fake") -> list[Any]:
    """Street accounts with an operator each (who has a login)."""
    accounts = []
    for index in range(count):
        unit = UnitFactory(code=f"town{index:03d}", name=f"镇{index:03d}", kind="street_town")
        user = UserFactory(username=f"town{index:03d}_operator")
        MembershipFactory(person=PersonFactory(user=user), unit=unit, role="operator")
        accounts.append(AccountFactory(unit=unit, platform=platform, handle=f"town{index:03d}"))
    return accounts


def test_every_open_sub_account_gets_exactly_one_order_with_the_deadline(
    district: District,
    platform: FakeConnector,
    commander: Any,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    AccountFactory(unit=district.dept01, status="planned")  # not running: no order
    AccountFactory(unit=district.dept01, status="closed")
    AccountFactory(unit=district.street01, kind="staff_personal")  # not a sub-account
    dormant = AccountFactory(unit=district.dept01, status="dormant", platform="fake")
    incident = declare(district, commander)
    statement = published(district, incident, commander, django_capture_on_commit_callbacks)
    orders = RepostOrder.objects.filter(statement=statement)
    assert {o.account for o in orders} == {
        district.street01_account,
        district.street02_account,
        dormant,
    }
    assert statement.orders_count == 3 and statement.fanned_out_at is not None
    for order in orders:
        assert order.state == "open" and order.unit_id == order.account.unit_id
        assert order.due_at - order.created_at == timedelta(minutes=30)
        assert order.created_at >= statement.published_at
    assert not RepostOrder.objects.filter(account=district.main_account).exists()
    event = Event.objects.get(verb="repost_orders.created")
    assert event.data["orders"] == 3 and event.object_id == str(statement.pk)


def test_running_the_fan_out_again_makes_no_second_order_and_no_second_notice(
    district: District,
    platform: FakeConnector,
    commander: Any,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    incident = declare(district, commander)
    statement = published(district, incident, commander, django_capture_on_commit_callbacks)
    notices = Notification.objects.filter(verb="repost_order.created").count()
    assert services.repost_orders_create(statement_id=statement.pk) == 0
    assert services.emergency_sweep()["fanned_out"] == 0
    assert RepostOrder.objects.filter(statement=statement).count() == 2
    assert Notification.objects.filter(verb="repost_order.created").count() == notices == 2
    # Even a run that lost the record of the first one adds no order: the constraint holds.
    Statement.objects.filter(pk=statement.pk).update(fanned_out_at=None)
    services.repost_orders_create(statement_id=statement.pk)
    assert RepostOrder.objects.filter(statement=statement).count() == 2


def test_the_database_refuses_a_second_order_for_the_same_account(
    district: District,
    platform: FakeConnector,
    commander: Any,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    incident = declare(district, commander)
    statement = published(district, incident, commander, django_capture_on_commit_callbacks)
    order = order_of(statement, district.street01_account)
    with pytest.raises(IntegrityError), transaction.atomic():
        RepostOrder.objects.create(
            statement=statement,
            account=order.account,
            unit=order.unit,
            created_at=order.created_at,
            due_at=order.due_at,
        )


def test_the_people_who_run_the_accounts_are_told_with_the_deadline(
    district: District,
    platform: FakeConnector,
    commander: Any,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    incident = declare(district, commander)
    statement = published(district, incident, commander, django_capture_on_commit_callbacks)
    told = Notification.objects.filter(verb="repost_order.created")
    assert {n.recipient for n in told} == {district.operator, district.neighbour}
    note = told.get(recipient=district.operator)
    assert "转发任务" in note.text and "@示范区发布" in note.text
    assert note.link == f"/emergency/orders/?statement={statement.pk}"


def test_a_chosen_set_of_sub_accounts_gets_orders_and_the_others_do_not(
    district: District,
    platform: FakeConnector,
    commander: Any,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    incident = declare(district, commander)
    statement = published(
        district,
        incident,
        commander,
        django_capture_on_commit_callbacks,
        target_account_ids=[district.street02_account.pk],
        repost_minutes=15,
    )
    order = RepostOrder.objects.get(statement=statement)
    assert order.account == district.street02_account
    assert order.due_at - order.created_at == timedelta(minutes=15)


def test_a_statement_published_without_orders_makes_none(
    district: District,
    platform: FakeConnector,
    commander: Any,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    incident = declare(district, commander)
    statement = published(
        district, incident, commander, django_capture_on_commit_callbacks, order_reposts=False
    )
    assert statement.fanned_out_at is None and not RepostOrder.objects.exists()


def test_the_sweep_makes_the_orders_of_a_statement_whose_fan_out_was_lost(
    district: District,
    platform: FakeConnector,
    commander: Any,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    incident = declare(district, commander)
    statement = published(district, incident, commander, django_capture_on_commit_callbacks)
    RepostOrder.objects.filter(statement=statement).delete()
    Statement.objects.filter(pk=statement.pk).update(fanned_out_at=None, orders_count=0)
    assert services.emergency_sweep()["fanned_out"] == 2
    assert reload(statement).orders_count == 2


def test_fan_out_to_many_accounts_takes_a_fixed_number_of_queries(
    district: District,
    platform: FakeConnector,
    commander: Any,
    django_capture_on_commit_callbacks: Capture,
    django_assert_max_num_queries: Any,
) -> None:
    _more_units(120)
    incident = declare(district, commander)
    statement = published(district, incident, commander, django_capture_on_commit_callbacks)
    RepostOrder.objects.filter(statement=statement).delete()
    Statement.objects.filter(pk=statement.pk).update(fanned_out_at=None, orders_count=0)
    with django_assert_max_num_queries(25):
        made = services.repost_orders_create(statement_id=statement.pk)
    assert made == 122
    assert Notification.objects.filter(verb="repost_order.created").count() >= 122
