"""Every write to the organisation: units, people, roles, budgets and group targets."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govmatrix.audit.services import event_record
from govmatrix.core.errors import NotFound, ValidationFailed
from govmatrix.core.types import Actor, as_user
from govmatrix.core.validation import apply_changes, clean_or_fail
from govmatrix.org.models import (
    BudgetLine,
    GroupTarget,
    Membership,
    Person,
    Role,
    SpendingEntry,
    Unit,
    UnitKind,
)
from govmatrix.org.permissions import forget_scope, require, scope_for

_UNSET: Any = object()


def _changed(**fields: Any) -> dict[str, Any]:
    return {name: value for name, value in fields.items() if value is not _UNSET}


def _get(model: Any, pk: int, what: str) -> Any:
    try:
        return model.objects.select_for_update().get(pk=pk)
    except model.DoesNotExist as exc:
        raise NotFound(_("%(what)s不存在。") % {"what": what}) from exc


# --- units ----------------------------------------------------------------------------------
def _check_parent(unit: Unit) -> None:
    seen: set[int | None] = {unit.pk}
    parent = unit.parent
    while parent is not None:
        if parent.pk in seen:
            raise ValidationFailed({"parent": _("上级单位不能是本单位或其下级单位。")})
        seen.add(parent.pk)
        parent = parent.parent


@transaction.atomic
def unit_create(
    *,
    actor: Actor,
    name: str,
    code: str,
    kind: str,
    parent_id: int | None = None,
    sort_order: int = 0,
) -> Unit:
    require(scope_for(actor).can_manage_org())
    unit = Unit(
        name=name.strip(), code=code.strip(), kind=kind, parent_id=parent_id, sort_order=sort_order
    )
    clean_or_fail(unit)
    _check_parent(unit)
    unit.save()
    event_record(
        actor=actor,
        verb="unit.created",
        obj=unit,
        unit_id=unit.pk,
        data={"code": unit.code, "kind": kind},
    )
    return unit


@transaction.atomic
def unit_update(
    *,
    actor: Actor,
    unit_id: int,
    name: str = _UNSET,
    parent_id: int | None = _UNSET,
    is_active: bool = _UNSET,
    sort_order: int = _UNSET,
) -> Unit:
    require(scope_for(actor).can_manage_org())
    unit = _get(Unit, unit_id, _("单位"))
    diff = apply_changes(
        unit, _changed(name=name, parent_id=parent_id, is_active=is_active, sort_order=sort_order)
    )
    if not diff:
        return unit
    clean_or_fail(unit)
    _check_parent(unit)
    unit.save(update_fields=[*diff, "updated_at"])
    event_record(
        actor=actor, verb="unit.updated", obj=unit, unit_id=unit.pk, data={"changes": diff}
    )
    return unit


# --- people and roles -----------------------------------------------------------------------
@transaction.atomic
def person_create(
    *,
    actor: Actor,
    name: str,
    title: str = "",
    phone: str = "",
    email: str = "",
    username: str = "",
    password: str = "",
) -> Person:
    """A person; with `username` and `password`, also their login."""
    require(scope_for(actor).can_manage_org())
    person = Person(
        name=name.strip(), title=title.strip(), phone=phone.strip(), email=email.strip()
    )
    clean_or_fail(person, exclude=["user"])
    if username:
        person.user = _user_create(
            username=username, password=password, name=person.name, email=person.email
        )
    elif password:
        raise ValidationFailed({"username": _("设置密码时须同时填写登录名。")})
    person.save()
    event_record(
        actor=actor,
        verb="person.created",
        obj=person,
        data={"username": username} if username else {},
    )
    return person


def _user_create(*, username: str, password: str, name: str, email: str) -> User:
    user_model = get_user_model()
    username = username.strip()
    if user_model.objects.filter(username__iexact=username).exists():
        raise ValidationFailed({"username": _("登录名「%(name)s」已被使用。") % {"name": username}})
    user = user_model(username=username, first_name=name[:150], email=email)
    try:
        user_model._meta.get_field("username").run_validators(username)
    except ValidationError as exc:
        raise ValidationFailed({"username": "；".join(exc.messages)}) from exc
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationFailed({"password": "；".join(exc.messages)}) from exc
    user.set_password(password)
    user.save()
    return user


@transaction.atomic
def person_update(
    *,
    actor: Actor,
    person_id: int,
    name: str = _UNSET,
    title: str = _UNSET,
    phone: str = _UNSET,
    email: str = _UNSET,
    is_active: bool = _UNSET,
) -> Person:
    require(scope_for(actor).can_manage_org())
    person = _get(Person, person_id, _("人员"))
    diff = apply_changes(
        person, _changed(name=name, title=title, phone=phone, email=email, is_active=is_active)
    )
    if not diff:
        return person
    clean_or_fail(person, exclude=["user"])
    person.save(update_fields=[*diff, "updated_at"])
    if person.user_id and "is_active" in diff:
        get_user_model().objects.filter(pk=person.user_id).update(is_active=person.is_active)
    event_record(actor=actor, verb="person.updated", obj=person, data={"changes": diff})
    return person


@transaction.atomic
def membership_create(
    *,
    actor: Actor,
    person_id: int,
    unit_id: int,
    role: str,
    staffing: str = "",
    started_on: date | None = None,
) -> Membership:
    require(scope_for(actor).can_manage_org())
    membership = Membership(
        person_id=person_id,
        unit_id=unit_id,
        role=role,
        staffing=staffing,
        started_on=started_on or timezone.localdate(),
    )
    clean_or_fail(membership)
    unit = membership.unit
    if role == Role.OFFICE_ADMIN and unit.kind != UnitKind.OFFICE:
        raise ValidationFailed({"role": _("“管理办公室工作人员”只能任职于管理办公室。")})
    if role == Role.OPERATOR and not staffing:
        raise ValidationFailed({"staffing": _("运维人员须注明专职或兼职。")})
    membership.save()
    if membership.person.user is not None:
        forget_scope(membership.person.user)
    event_record(
        actor=actor,
        verb="membership.created",
        obj=membership,
        unit_id=unit_id,
        data={"person": membership.person.name, "role": role, "staffing": staffing},
    )
    return membership


@transaction.atomic
def membership_end(*, actor: Actor, membership_id: int, ended_on: date | None = None) -> Membership:
    require(scope_for(actor).can_manage_org())
    membership = _get(Membership, membership_id, _("任职"))
    if membership.ended_on is not None:
        raise ValidationFailed(
            {"ended_on": _("该任职已于 %(date)s 结束。") % {"date": membership.ended_on}}
        )
    membership.ended_on = ended_on or timezone.localdate()
    if membership.ended_on < membership.started_on:
        raise ValidationFailed({"ended_on": _("离任日期不能早于任职日期。")})
    membership.save(update_fields=["ended_on", "updated_at"])
    event_record(actor=actor, verb="membership.ended", obj=membership, unit_id=membership.unit_id)
    return membership


# --- budgets --------------------------------------------------------------------------------
@transaction.atomic
def budget_line_create(
    *,
    actor: Actor,
    unit_id: int,
    year: int,
    amount: Decimal,
    purpose: str,
    note: str = "",
) -> BudgetLine:
    require(scope_for(actor).can_manage_org())
    line = BudgetLine(unit_id=unit_id, year=year, amount=amount, purpose=purpose.strip(), note=note)
    clean_or_fail(line)
    line.save()
    event_record(
        actor=actor,
        verb="budget_line.created",
        obj=line,
        unit_id=unit_id,
        data={"year": year, "amount": amount},
    )
    return line


@transaction.atomic
def budget_line_update(
    *,
    actor: Actor,
    budget_line_id: int,
    amount: Decimal = _UNSET,
    purpose: str = _UNSET,
    note: str = _UNSET,
) -> BudgetLine:
    require(scope_for(actor).can_manage_org())
    line = _get(BudgetLine, budget_line_id, _("预算"))
    diff = apply_changes(line, _changed(amount=amount, purpose=purpose, note=note))
    if not diff:
        return line
    clean_or_fail(line)
    line.save(update_fields=[*diff, "updated_at"])
    event_record(
        actor=actor,
        verb="budget_line.updated",
        obj=line,
        unit_id=line.unit_id,
        data={"changes": diff},
    )
    return line


@transaction.atomic
def spending_entry_create(
    *,
    actor: Actor,
    budget_line_id: int,
    spent_on: date,
    amount: Decimal,
    description: str,
) -> SpendingEntry:
    line = _get(BudgetLine, budget_line_id, _("预算"))
    scope = scope_for(actor)
    if not scope.can_view_unit(line.unit_id):
        raise NotFound(_("预算不存在。"))
    require(scope.can_record_spending_of(line.unit_id))
    entry = SpendingEntry(
        budget_line=line,
        spent_on=spent_on,
        amount=amount,
        description=description.strip(),
        recorded_by=as_user(actor),
    )
    clean_or_fail(entry)
    if spent_on.year != line.year:
        raise ValidationFailed(
            {"spent_on": _("支出日期须在预算年度 %(year)s 年内。") % {"year": line.year}}
        )
    entry.save()
    event_record(
        actor=actor,
        verb="spending.created",
        obj=entry,
        unit_id=line.unit_id,
        data={"budget_line": line.pk, "amount": amount},
    )
    return entry


# --- group targets --------------------------------------------------------------------------
@transaction.atomic
def group_target_create(
    *,
    actor: Actor,
    name: str,
    deadline: date,
    min_accounts: int,
    scope: str,
    note: str = "",
) -> GroupTarget:
    require(scope_for(actor).can_manage_org())
    target = GroupTarget(
        name=name.strip(), deadline=deadline, min_accounts=min_accounts, scope=scope, note=note
    )
    clean_or_fail(target)
    target.save()
    event_record(
        actor=actor,
        verb="group_target.created",
        obj=target,
        data={"deadline": deadline, "min_accounts": min_accounts, "scope": scope},
    )
    return target


@transaction.atomic
def group_target_update(
    *,
    actor: Actor,
    target_id: int,
    name: str = _UNSET,
    deadline: date = _UNSET,
    min_accounts: int = _UNSET,
    scope: str = _UNSET,
    note: str = _UNSET,
) -> GroupTarget:
    require(scope_for(actor).can_manage_org())
    target = _get(GroupTarget, target_id, _("建设目标"))
    diff = apply_changes(
        target,
        _changed(name=name, deadline=deadline, min_accounts=min_accounts, scope=scope, note=note),
    )
    if not diff:
        return target
    clean_or_fail(target)
    target.save(update_fields=[*diff, "updated_at"])
    event_record(actor=actor, verb="group_target.updated", obj=target, data={"changes": diff})
    return target


@transaction.atomic
def office_bootstrap(
    *, office_name: str, username: str, password: str, person_name: str, title: str = ""
) -> Person:
    """Create the management office and its first administrator on an empty installation.

    Every later change is made by a person through the services above; this is the one write
    without an actor, and it refuses to run once an office exists.
    """
    if Unit.objects.filter(kind=UnitKind.OFFICE).exists():
        raise ValidationFailed({"office": _("管理办公室已经存在。")})
    office = Unit(name=office_name.strip(), code="office", kind=UnitKind.OFFICE, sort_order=0)
    clean_or_fail(office)
    office.save()
    person = Person(name=person_name.strip(), title=title.strip())
    clean_or_fail(person, exclude=["user"])
    person.user = _user_create(username=username, password=password, name=person.name, email="")
    person.save()
    membership = Membership.objects.create(
        person=person, unit=office, role=Role.OFFICE_ADMIN, started_on=timezone.localdate()
    )
    event_record(
        actor=None, actor_name="system", verb="unit.created", obj=office, unit_id=office.pk
    )
    event_record(
        actor=None,
        actor_name="system",
        verb="person.created",
        obj=person,
        data={"username": username},
    )
    event_record(
        actor=None,
        actor_name="system",
        verb="membership.created",
        obj=membership,
        unit_id=office.pk,
        data={"person": person.name, "role": Role.OFFICE_ADMIN},
    )
    return person
