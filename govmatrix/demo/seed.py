"""Loads the demo district through the same services people use, so the event log is real.

Running it again is safe: whatever exists already (by unit code, login name or account
handle) is left as it is.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from govmatrix.core.types import Actor
from govmatrix.demo import district as d
from govmatrix.matrix.models import Account, AccountKind, Linkage, LinkageKind
from govmatrix.matrix.services import account_create, linkage_create
from govmatrix.org.models import (
    BudgetLine,
    GroupTarget,
    Membership,
    Person,
    Role,
    Staffing,
    TargetScope,
    Unit,
    UnitKind,
)
from govmatrix.org.services import (
    budget_line_create,
    group_target_create,
    membership_create,
    office_bootstrap,
    person_create,
    spending_entry_create,
    unit_create,
)


def _office_admin() -> User:
    user = get_user_model().objects.filter(username="office").first()
    if user is None:
        person = office_bootstrap(
            office_name="@示范区发布管理办公室",
            username="office",
            password=d.DEMO_PASSWORD,
            person_name="王晓明",
            title="管理办公室主任",
        )
        assert person.user is not None
        return person.user
    return user


def _unit(
    actor: Actor, *, code: str, name: str, kind: str, parent: Unit | None, order: int
) -> Unit:
    existing = Unit.objects.filter(code=code).first()
    if existing:
        return existing
    return unit_create(
        actor=actor,
        name=name,
        code=code,
        kind=kind,
        parent_id=parent.pk if parent else None,
        sort_order=order,
    )


def _person(actor: Actor, *, index: int, title: str, username: str = "") -> Person:
    if username:
        existing = Person.objects.filter(user__username=username).first()
        if existing:
            return existing
    name = d.person_name(index)
    existing = Person.objects.filter(name=name, title=title, user__isnull=not username).first()
    if existing and not username:
        return existing
    return person_create(
        actor=actor,
        name=name,
        title=title,
        phone=f"0571-8{index:07d}",
        username=username,
        password=d.DEMO_PASSWORD if username else "",
    )


def _appoint(actor: Actor, person: Person, unit: Unit, role: str, staffing: str = "") -> None:
    if not Membership.objects.filter(
        person=person, unit=unit, role=role, ended_on__isnull=True
    ).exists():
        started = timezone.localdate() - timedelta(days=400)
        membership_create(
            actor=actor,
            person_id=person.pk,
            unit_id=unit.pk,
            role=role,
            staffing=staffing,
            started_on=started,
        )


def _staff_unit(actor: Actor, unit: Unit, index: int) -> tuple[Person, Person]:
    logins = unit.code in d.UNITS_WITH_LOGINS
    leader = _person(
        actor,
        index=index * 4,
        title=f"{unit.name}主要负责人",
        username=f"{unit.code}_leader" if logins else "",
    )
    charge = _person(actor, index=index * 4 + 1, title=f"{unit.name}副职（分管宣传）")
    operator = _person(
        actor,
        index=index * 4 + 2,
        title=f"{unit.name}宣传干事",
        username=f"{unit.code}_operator" if logins else "",
    )
    _appoint(actor, leader, unit, Role.PRINCIPAL_LEADER)
    _appoint(actor, charge, unit, Role.LEADER_IN_CHARGE)
    _appoint(
        actor,
        operator,
        unit,
        Role.OPERATOR,
        Staffing.DEDICATED if index % 3 else Staffing.PART_TIME,
    )
    if index % 4 == 0:
        second = _person(actor, index=index * 4 + 3, title=f"{unit.name}信息员")
        _appoint(actor, second, unit, Role.OPERATOR, Staffing.PART_TIME)
    return leader, operator


def _account(
    actor: Actor,
    unit: Unit,
    *,
    handle: str,
    name: str,
    platform: str,
    status: str,
    kind: str = AccountKind.SUB,
    operators: Sequence[Person] = (),
    owner: Person | None = None,
    opened_days_ago: int = 500,
) -> Account:
    existing = Account.objects.filter(platform=platform, handle=handle).first()
    if existing:
        return existing
    today = timezone.localdate()
    return account_create(
        actor=actor,
        unit_id=unit.pk,
        platform=platform,
        handle=handle,
        display_name=name,
        kind=kind,
        status=status,
        planned_on=today - timedelta(days=opened_days_ago + 60),
        activated_on=None if status == "planned" else today - timedelta(days=opened_days_ago),
        dormant_since=today - timedelta(days=20) if status == "dormant" else None,
        closed_on=today - timedelta(days=30) if status == "closed" else None,
        owner_id=owner.pk if owner else None,
        operator_ids=[p.pk for p in operators],
        profile_url=f"http://127.0.0.1:8000/p/{handle}/" if platform == "local" else "",
    )


def _link(actor: Actor, account: Account, kind: str, **target: object) -> None:
    lookup = {
        k: v
        for k, v in target.items()
        if k in {"target_unit_id", "target_account_id", "target_name"}
    }
    if not Linkage.objects.filter(account=account, kind=kind, **lookup).exists():
        linkage_create(actor=actor, account_id=account.pk, kind=kind, **target)  # type: ignore[arg-type]


def _exists(module_path: str) -> bool:
    try:
        return importlib.util.find_spec(module_path) is not None
    except ModuleNotFoundError:  # the parent package is not there either
        return False


def _next(month: int, day: int, today: date) -> date:
    candidate = date(today.year, month, day)
    return candidate if candidate > today else date(today.year + 1, month, day)


@transaction.atomic
def seed_demo_district() -> dict[str, int]:
    office_user = _office_admin()
    office = Unit.objects.get(kind=UnitKind.OFFICE)
    if not Person.objects.filter(user__username="inspector").exists():
        inspector = person_create(
            actor=office_user,
            name="检查组 李明",
            title="督查专员",
            username="inspector",
            password=d.DEMO_PASSWORD,
        )
        _appoint(office_user, inspector, office, Role.INSPECTOR)

    government = _unit(
        office_user,
        code="district_gov",
        name="区政府办公室",
        kind=UnitKind.DISTRICT_GOVERNMENT,
        parent=None,
        order=1,
    )
    news = _unit(
        office_user,
        code="news_office",
        name="区政府新闻办",
        kind=UnitKind.NEWS_OFFICE,
        parent=government,
        order=2,
    )
    streets = [
        _unit(
            office_user,
            code=f"street{i + 1:02d}",
            name=name,
            kind=UnitKind.STREET_TOWN,
            parent=government,
            order=10 + i,
        )
        for i, name in enumerate(d.STREETS)
    ]
    departments = [
        _unit(
            office_user,
            code=f"dept{i + 1:02d}",
            name=name,
            kind=UnitKind.DEPARTMENT,
            parent=government,
            order=40 + i,
        )
        for i, name in enumerate(d.DEPARTMENTS)
    ]
    media = [
        _unit(
            office_user, code=code, name=name, kind=UnitKind.NEWS_MEDIA, parent=None, order=80 + i
        )
        for i, (code, name) in enumerate(d.MEDIA)
    ]

    _news_leader, news_operator = _staff_unit(office_user, news, 1)
    main = _account(
        office_user,
        news,
        handle="shifanqu_fabu",
        name="@示范区发布",
        platform="local",
        status="active",
        kind=AccountKind.MAIN,
        operators=[news_operator],
        opened_days_ago=900,
    )
    # "@示范区发布" on Weibo and on Mastodon too (one main account per platform): linked to the
    # Weibo simulator's 示范区发布 and the Mastodon mock's sfq_fabu (platforms/links/demo.py),
    # they publish the copies of every statement for the sub-accounts there to repost.
    for platform, handle in (("weibo", "示范区发布"), ("mastodon", "sfq_fabu")):
        _account(
            office_user,
            news,
            handle=handle,
            name="@示范区发布",
            platform=platform,
            status="active",
            kind=AccountKind.MAIN,
            operators=[news_operator],
            opened_days_ago=400,
        )

    operators: dict[int, Person] = {}
    for index, unit in enumerate(streets):
        _leader, operators[unit.pk] = _staff_unit(office_user, unit, 10 + index)
        platform, status = d.STREET_ACCOUNTS[index]
        account = _account(
            office_user,
            unit,
            handle=f"示范区{unit.name}" if platform == "weibo" else f"sfq_{unit.code}",
            name=f"示范区{unit.name}",
            platform=platform,
            status=status,
            operators=[operators[unit.pk]],
            opened_days_ago=700 - index * 30,
        )
        if status != "planned":
            _link(
                office_user,
                main,
                LinkageKind.DISTRICT_TOWN,
                target_account_id=account.pk,
                note="区镇联动",
            )
    for index, unit in enumerate(departments):
        _leader, operators[unit.pk] = _staff_unit(office_user, unit, 30 + index)
        platform, status = d.DEPARTMENT_ACCOUNTS[index]
        handle = (
            f"sfq_{unit.code}"
            if platform in {"local", "wechat", "mastodon"}
            else f"示范{unit.name}"
        )
        account = _account(
            office_user,
            unit,
            handle=handle,
            name=f"示范{unit.name}",
            platform=platform,
            status=status,
            operators=[operators[unit.pk]],
            opened_days_ago=650 - index * 20,
        )
        _link(
            office_user,
            account,
            LinkageKind.DEPARTMENT,
            target_unit_id=unit.pk,
            note="本部门业务处室",
        )
    for index, unit in enumerate(media):
        _leader, media_operator = _staff_unit(office_user, unit, 60 + index)
        account = _account(
            office_user,
            unit,
            handle=f"sfq_{unit.code}",
            name=unit.name,
            platform="local",
            status="active",
            operators=[media_operator],
            opened_days_ago=800,
        )
        _link(
            office_user, main, LinkageKind.MEDIA, target_account_id=account.pk, note="新闻发布同步"
        )

    for index, unit in enumerate(streets[:3]):
        owner = operators[unit.pk]
        personal = _account(
            office_user,
            unit,
            handle=f"{unit.code}_xiaowang{index}",
            name=f"{owner.name}的微博",
            platform="weibo",
            status="active",
            kind=AccountKind.STAFF_PERSONAL,
            owner=owner,
            opened_days_ago=300,
        )
        unit_account = Account.objects.filter(unit=unit, kind=AccountKind.SUB).first()
        if unit_account:
            _link(
                office_user,
                unit_account,
                LinkageKind.CIVILIAN,
                target_account_id=personal.pk,
                note="工作人员个人微博互动",
            )
    _link(
        office_user,
        main,
        LinkageKind.CIVILIAN,
        target_name="@示范区生活圈",
        target_url="https://weibo.com/shifanqu_life",
        note="本地生活类民间账号",
    )

    today = timezone.localdate()
    for year in (today.year - 1, today.year):
        for unit, amount, purpose in [
            (office, 600000, "管理办公室工作经费"),
            (news, 300000, "@示范区发布运行维护"),
            *((s, 30000, "政务微博运行维护") for s in streets),
            *((u, 20000, "政务微博运行维护") for u in departments[:10]),
        ]:
            if not BudgetLine.objects.filter(unit=unit, year=year, purpose=purpose).exists():
                line = budget_line_create(
                    actor=office_user,
                    unit_id=unit.pk,
                    year=year,
                    amount=Decimal(amount),
                    purpose=purpose,
                )
                spent_on = min(today, date(year, 12, 31)) - timedelta(days=10)
                spending_entry_create(
                    actor=office_user,
                    budget_line_id=line.pk,
                    spent_on=spent_on.replace(year=year),
                    amount=Decimal(amount) * Decimal("0.35"),
                    description="运维人员培训及内容制作",
                )

    targets = [
        (
            "微博群成员达到20个",
            _next(6, 30, today),
            20,
            TargetScope.ALL_MEMBERS,
            "实施意见：6月底前区政务微博群成员数至少达到20个以上。",
        ),
        (
            "街镇和部门政务微博达到30个",
            _next(12, 31, today),
            30,
            TargetScope.STREETS_AND_DEPARTMENTS,
            "实施意见：年底前区内各街镇、各职能部门的政务微博总数达到30个以上。",
        ),
    ]
    for name, deadline, minimum, scope, note in targets:
        if not GroupTarget.objects.filter(name=name).exists():
            group_target_create(
                actor=office_user,
                name=name,
                deadline=deadline,
                min_accounts=minimum,
                scope=scope,
                note=note,
            )

    for module_path in d.LATER_SEEDERS:
        # Each later part of GovMatrix adds its own demo data through its own services.
        if _exists(module_path):
            importlib.import_module(module_path).seed(actor=office_user)

    return {
        "units": Unit.objects.count(),
        "people": Person.objects.count(),
        "accounts": Account.objects.count(),
        "logins": get_user_model().objects.count(),
    }
