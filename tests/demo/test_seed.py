from __future__ import annotations

import pytest

from govmatrix.audit.selectors import chain_verify
from govmatrix.demo.seed import seed_demo_district
from govmatrix.matrix.models import Account
from govmatrix.matrix.selectors import target_progress
from govmatrix.org.models import Membership, Unit

pytestmark = pytest.mark.django_db


def test_the_demo_district_has_what_the_brief_promises() -> None:
    counts = seed_demo_district()
    assert Unit.objects.filter(kind="street_town").count() == 12
    assert Unit.objects.filter(kind="department").count() == 20
    assert counts["accounts"] >= 30
    assert Account.objects.values("platform").distinct().count() >= 3
    assert Account.objects.values("status").distinct().count() == 4
    mains = Account.objects.filter(kind="main", status="active")
    assert {m.platform for m in mains} == {"local", "weibo", "mastodon"}
    assert {m.display_name for m in mains} == {"@示范区发布"}
    assert (
        Membership.objects.filter(staffing="dedicated").exists()
        and Membership.objects.filter(staffing="part_time").exists()
    )
    assert {"office", "street01_leader", "street01_operator"} <= set(
        Membership.objects.filter(person__user__isnull=False).values_list(
            "person__user__username", flat=True
        )
    )


def test_running_the_demo_seed_again_changes_nothing() -> None:
    first = seed_demo_district()
    second = seed_demo_district()
    assert first == second
    assert chain_verify().intact


def test_the_demo_targets_show_progress_from_the_registry() -> None:
    seed_demo_district()
    from django.contrib.auth import get_user_model

    office = get_user_model().objects.get(username="office")
    progress = {p.target.name: p for p in target_progress(user=office)}
    members = progress["微博群成员达到20个"]
    streets_and_departments = progress["街镇和部门政务微博达到30个"]
    assert members.met and members.current >= 20
    assert 0 < streets_and_departments.current < 30 and not streets_and_departments.met
