from __future__ import annotations

from datetime import date

import pytest
import time_machine

from govmatrix.audit.models import Event
from govmatrix.core.errors import InvalidTransition, ValidationFailed
from govmatrix.matrix.models import Account, Linkage
from govmatrix.matrix.rules import ALLOWED_STATUS_CHANGES
from govmatrix.matrix.services import (
    account_change_status,
    account_create,
    account_update,
    linkage_create,
    linkage_remove,
)
from tests.conftest import District
from tests.factories import AccountFactory


def test_registering_an_account_records_who_did_it(district: District) -> None:
    account = account_create(
        actor=district.operator,
        unit_id=district.street01.pk,
        platform="weibo",
        handle="东城发布",
        display_name="东城发布",
        operator_ids=[district.operator.person.pk],  # type: ignore[attr-defined]
    )
    event = Event.objects.get(verb="account.created", object_id=str(account.pk))
    assert event.actor_id == district.operator.pk
    assert event.unit_id == district.street01.pk
    assert account.status == "planned" and account.planned_on is not None


def test_a_handle_that_does_not_fit_the_platform_is_refused_and_nothing_is_saved(
    district: District,
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        account_create(
            actor=district.operator,
            unit_id=district.street01.pk,
            platform="local",
            handle="Has Spaces",
            display_name="x",
        )
    assert "handle" in refused.value.errors
    assert not Account.objects.filter(display_name="x").exists()
    assert not Event.objects.filter(verb="account.created").exists()


def test_the_same_handle_cannot_be_registered_twice_on_a_platform(district: District) -> None:
    with pytest.raises(ValidationFailed):
        account_create(
            actor=district.operator,
            unit_id=district.street01.pk,
            platform="local",
            handle="sfq_street01",
            display_name="重复",
        )


def test_operators_must_belong_to_the_accounts_unit(district: District) -> None:
    with pytest.raises(ValidationFailed) as refused:
        account_create(
            actor=district.office_admin,
            unit_id=district.street01.pk,
            platform="local",
            handle="dongcheng_two",
            display_name="东城二号",
            operator_ids=[district.neighbour.person.pk],  # type: ignore[attr-defined]
        )
    assert "operators" in refused.value.errors


def test_a_staff_personal_account_names_its_owner(district: District) -> None:
    with pytest.raises(ValidationFailed) as refused:
        account_create(
            actor=district.operator,
            unit_id=district.street01.pk,
            platform="weibo",
            handle="小王",
            display_name="小王",
            kind="staff_personal",
        )
    assert "kind" in refused.value.errors


def _register_main(district: District, platform: str, handle: str) -> Account:
    """The office registers "@示范区发布" on `platform`, in use at once."""
    return account_create(
        actor=district.office_admin,
        unit_id=district.office.pk,
        platform=platform,
        handle=handle,
        display_name="@示范区发布",
        kind="main",
        status="active",
    )


def test_a_platform_has_only_one_main_account_in_use_and_the_refusal_names_it(
    district: District,
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        account_create(
            actor=district.office_admin,
            unit_id=district.office.pk,
            platform="local",
            handle="second_main",
            display_name="第二个主账号",
            kind="main",
        )
    assert "本地平台" in refused.value.errors["kind"]
    assert "@示范区发布" in refused.value.errors["kind"]
    assert not Account.objects.filter(handle="second_main").exists()


def test_the_main_account_may_also_exist_on_each_other_platform(district: District) -> None:
    weibo = _register_main(district, "weibo", "示范区发布")
    mastodon = _register_main(district, "mastodon", "sfq_fabu")
    assert {weibo.platform, mastodon.platform} == {"weibo", "mastodon"}
    assert Account.objects.filter(kind="main").exclude(status="closed").count() == 3


def test_a_closed_main_account_cannot_come_back_while_its_successor_is_in_use(
    district: District,
) -> None:
    spare = _register_main(district, "weibo", "示范区发布")
    account_change_status(actor=district.office_admin, account_id=spare.pk, to="closed")
    successor = _register_main(district, "weibo", "示范区发布新")
    with pytest.raises(ValidationFailed) as refused:
        account_change_status(actor=district.office_admin, account_id=spare.pk, to="planned")
    assert "新浪微博" in refused.value.errors["status"]
    spare.refresh_from_db()
    assert spare.status == "closed" and successor.status == "active"


def test_a_sub_account_cannot_become_a_second_main_account_on_its_platform(
    district: District,
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        account_update(
            actor=district.office_admin,
            account_id=district.street01_account.pk,
            kind="main",
            unit_id=district.office.pk,
        )
    assert "本地平台" in refused.value.errors["kind"]


def test_a_unit_operator_cannot_move_an_account_to_another_unit(district: District) -> None:
    from govmatrix.core.errors import NotAllowed

    with pytest.raises(NotAllowed):
        account_update(
            actor=district.operator,
            account_id=district.street01_account.pk,
            unit_id=district.street02.pk,
        )


def test_an_update_records_only_what_really_changed(district: District) -> None:
    account_update(
        actor=district.operator,
        account_id=district.street01_account.pk,
        display_name="东城发布",
        description="",
    )
    event = Event.objects.get(verb="account.updated")
    assert event.data["changes"] == {"display_name": ["示范区东城街道", "东城发布"]}


def test_an_update_that_changes_nothing_records_nothing(district: District) -> None:
    account_update(
        actor=district.operator,
        account_id=district.street01_account.pk,
        display_name="示范区东城街道",
    )
    assert not Event.objects.filter(verb="account.updated").exists()


@pytest.mark.parametrize(
    ("start", "to"),
    [
        (start, to)
        for start in ALLOWED_STATUS_CHANGES
        for to in ("planned", "active", "dormant", "closed")
        if to != start
    ],
)
def test_every_status_move_is_allowed_or_refused_by_the_table(
    district: District, start: str, to: str
) -> None:
    account = AccountFactory(unit=district.street01, status=start)
    if to in ALLOWED_STATUS_CHANGES[start]:
        account_change_status(actor=district.operator, account_id=account.pk, to=to)
        account.refresh_from_db()
        assert account.status == to
        assert Event.objects.get(verb="account.status_changed").from_state == start
    else:
        with pytest.raises(InvalidTransition):
            account_change_status(actor=district.operator, account_id=account.pk, to=to)
        account.refresh_from_db()
        assert account.status == start
        assert not Event.objects.filter(verb="account.status_changed").exists()


@time_machine.travel(date(2026, 11, 28))
def test_going_dormant_and_back_keeps_the_dates_honest(district: District) -> None:
    account = district.street01_account
    account_change_status(actor=district.operator, account_id=account.pk, to="dormant")
    account.refresh_from_db()
    assert account.dormant_since == date(2026, 11, 28)
    account_change_status(actor=district.operator, account_id=account.pk, to="active")
    account.refresh_from_db()
    assert account.dormant_since is None


def test_a_district_town_linkage_joins_two_official_accounts(district: District) -> None:
    linkage = linkage_create(
        actor=district.office_admin,
        account_id=district.main_account.pk,
        kind="district_town",
        target_account_id=district.street01_account.pk,
    )
    assert linkage.target_label == "示范区东城街道"


def test_a_media_linkage_must_point_at_news_media(district: District) -> None:
    with pytest.raises(ValidationFailed):
        linkage_create(
            actor=district.office_admin,
            account_id=district.main_account.pk,
            kind="media",
            target_unit_id=district.dept01.pk,
        )
    linkage_create(
        actor=district.office_admin,
        account_id=district.main_account.pk,
        kind="media",
        target_unit_id=district.media.pk,
    )


def test_a_civilian_linkage_can_name_an_account_outside_the_registry(district: District) -> None:
    linkage = linkage_create(
        actor=district.operator,
        account_id=district.street01_account.pk,
        kind="civilian",
        target_name="@东城生活圈",
    )
    linkage_remove(actor=district.operator, linkage_id=linkage.pk)
    assert not Linkage.objects.exists()
    assert Event.objects.filter(verb="linkage.removed").count() == 1


def test_the_same_linkage_is_not_recorded_twice(district: District) -> None:
    linkage_create(
        actor=district.operator,
        account_id=district.street01_account.pk,
        kind="department",
        target_unit_id=district.street01.pk,
    )
    with pytest.raises(ValidationFailed):
        linkage_create(
            actor=district.operator,
            account_id=district.street01_account.pk,
            kind="department",
            target_unit_id=district.street01.pk,
        )
