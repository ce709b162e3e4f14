"""Every write to the registry: accounts, their lifecycle, linkages, and the registry import."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypedDict, Unpack

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govmatrix.audit.services import event_record
from govmatrix.audit.workflow import transition
from govmatrix.core.errors import DomainError, NotFound, ValidationFailed
from govmatrix.core.types import Actor
from govmatrix.core.validation import apply_changes, clean_or_fail
from govmatrix.matrix.models import (
    Account,
    AccountKind,
    AccountStatus,
    Linkage,
    LinkageKind,
)
from govmatrix.matrix.rules import (
    ALLOWED_STATUS_CHANGES,
    STATUS_DATE_FIELD,
    handle_problem,
    kind_problem,
)
from govmatrix.org.models import Membership, Unit, UnitKind
from govmatrix.org.permissions import require, scope_for


def _locked_account(actor: Actor, account_id: int) -> Account:
    account = (
        Account.objects.select_for_update().select_related("unit").filter(pk=account_id).first()
    )
    if account is None or not scope_for(actor).can_view_unit(account.unit_id):
        raise NotFound(_("账号不存在。"))
    return account


def _second_main_problem(account: Account, *, status: str | None = None) -> str | None:
    """Why the account (in `status`, by default its own) would be a second main account in use
    on its platform, or None."""
    if account.kind != AccountKind.MAIN or (status or account.status) == AccountStatus.CLOSED:
        return None
    other = (
        Account.objects.filter(kind=AccountKind.MAIN, platform=account.platform)
        .exclude(status=AccountStatus.CLOSED)
        .exclude(pk=account.pk)
        .first()
    )
    if other is None:
        return None
    return _("「%(platform)s」上已有一个在用的主账号「%(name)s」，同一平台只能有一个主账号。") % {
        "platform": account.get_platform_display(),
        "name": other.display_name,
    }


def _check_account(account: Account, operator_ids: Iterable[int] | None) -> None:
    """The registry's rules beyond single fields; raises ValidationFailed naming each bad field."""
    if problem := _second_main_problem(account):
        # Said before the model's own check, which could only name the constraint.
        raise ValidationFailed({"kind": problem})
    clean_or_fail(account)
    errors: dict[str, str] = {}
    if problem := handle_problem(account.platform, account.handle):
        errors["handle"] = problem
    if problem := kind_problem(
        kind=account.kind, unit_kind=account.unit.kind, has_owner=account.owner_id is not None
    ):
        errors["kind"] = problem
    if operator_ids is not None:
        allowed_units = {account.unit_id}
        if account.kind == AccountKind.MAIN:
            allowed_units |= set(
                Unit.objects.filter(kind=UnitKind.OFFICE).values_list("id", flat=True)
            )
        members = set(
            Membership.objects.filter(
                unit_id__in=allowed_units, person_id__in=operator_ids, ended_on__isnull=True
            ).values_list("person_id", flat=True)
        )
        if strangers := set(operator_ids) - members:
            errors["operators"] = _("运维人员须是本单位在职人员（编号 %(ids)s 不是）。") % {
                "ids": ", ".join(str(i) for i in sorted(strangers))
            }
    dates = [
        getattr(account, STATUS_DATE_FIELD[s])
        for s in (AccountStatus.PLANNED, AccountStatus.ACTIVE)
    ]
    if all(dates) and dates[1] < dates[0]:
        errors["activated_on"] = _("开通日期不能早于筹建日期。")
    if account.closed_on and account.activated_on and account.closed_on < account.activated_on:
        errors["closed_on"] = _("关停日期不能早于开通日期。")
    if errors:
        raise ValidationFailed(errors)


def _stamp_status_date(account: Account, on: date | None = None) -> str:
    date_field = STATUS_DATE_FIELD[account.status]
    if getattr(account, date_field) is None or on is not None:
        setattr(account, date_field, on or timezone.localdate())
    return date_field


@transaction.atomic
def account_create(
    *,
    actor: Actor,
    unit_id: int,
    platform: str,
    handle: str,
    display_name: str,
    kind: str = AccountKind.SUB,
    status: str = AccountStatus.PLANNED,
    planned_on: date | None = None,
    activated_on: date | None = None,
    dormant_since: date | None = None,
    closed_on: date | None = None,
    owner_id: int | None = None,
    operator_ids: Sequence[int] = (),
    profile_url: str = "",
    description: str = "",
) -> Account:
    scope = scope_for(actor)
    require(scope.can_edit_accounts_of(unit_id), _("您只能为本单位登记账号。"))
    if kind == AccountKind.MAIN:
        require(scope.is_office_admin, _("只有管理办公室可以登记主账号。"))
    unit = Unit.objects.filter(pk=unit_id).first()
    if unit is None:
        raise ValidationFailed({"unit": _("单位不存在。")})
    account = Account(
        unit=unit,
        platform=platform,
        handle=handle.strip(),
        display_name=display_name.strip(),
        kind=kind,
        status=status,
        planned_on=planned_on,
        activated_on=activated_on,
        dormant_since=dormant_since,
        closed_on=closed_on,
        owner_id=owner_id,
        profile_url=profile_url.strip(),
        description=description.strip(),
    )
    if status in STATUS_DATE_FIELD:
        _stamp_status_date(account)
    _check_account(account, operator_ids)
    account.save()
    account.operators.set(operator_ids)
    event_record(
        actor=actor,
        verb="account.created",
        obj=account,
        unit_id=unit_id,
        to_state=status,
        data={"platform": platform, "handle": account.handle, "kind": kind},
    )
    return account


class AccountChanges(TypedDict, total=False):
    display_name: str
    handle: str
    unit_id: int
    kind: str
    owner_id: int | None
    operator_ids: Sequence[int]
    profile_url: str
    description: str
    planned_on: date | None
    activated_on: date | None
    dormant_since: date | None
    closed_on: date | None


@transaction.atomic
def account_update(*, actor: Actor, account_id: int, **changes: Unpack[AccountChanges]) -> Account:
    """Change an account's details. Its status changes only through `account_change_status`."""
    return _account_update(actor=actor, account_id=account_id, changes=changes)[0]


def _account_update(
    *, actor: Actor, account_id: int, changes: AccountChanges
) -> tuple[Account, dict[str, list[Any]]]:
    account = _locked_account(actor, account_id)
    scope = scope_for(actor)
    require(scope.can_edit_accounts_of(account.unit_id), _("您只能修改本单位的账号。"))
    field_changes: dict[str, Any] = {k: v for k, v in changes.items() if k != "operator_ids"}
    for text_field in ("display_name", "handle", "profile_url", "description"):
        if text_field in field_changes:
            field_changes[text_field] = field_changes[text_field].strip()
    if field_changes.get("unit_id", account.unit_id) != account.unit_id or (
        field_changes.get("kind", account.kind) != account.kind
    ):
        require(scope.is_office_admin, _("只有管理办公室可以调整账号的归属单位或类型。"))
    diff = apply_changes(account, field_changes)
    if "unit_id" in diff:
        account.unit = Unit.objects.get(pk=account.unit_id)
    new_operators = sorted(set(changes["operator_ids"])) if "operator_ids" in changes else None
    old_operators = sorted(account.operators.values_list("id", flat=True))
    operators_changed = new_operators is not None and new_operators != old_operators
    if not diff and not operators_changed:
        return account, {}
    _check_account(account, new_operators if new_operators is not None else old_operators)
    if diff:
        account.save(update_fields=[*diff, "updated_at"])
    if operators_changed:
        account.operators.set(new_operators or [])
        diff["operators"] = [old_operators, new_operators]
    event_record(
        actor=actor,
        verb="account.updated",
        obj=account,
        unit_id=account.unit_id,
        data={"changes": diff},
    )
    return account, diff


@transaction.atomic
def account_change_status(
    *, actor: Actor, account_id: int, to: str, on: date | None = None, note: str = ""
) -> Account:
    account = _locked_account(actor, account_id)
    require(
        scope_for(actor).can_edit_accounts_of(account.unit_id), _("您只能变更本单位账号的状态。")
    )
    if to not in STATUS_DATE_FIELD:
        raise ValidationFailed({"status": _("未知的状态。")})
    also_update = [STATUS_DATE_FIELD[to]]
    previous = account.status
    if previous == AccountStatus.DORMANT and to == AccountStatus.ACTIVE:
        account.dormant_since = None
        also_update.append("dormant_since")
    if to == AccountStatus.PLANNED:
        account.closed_on = None
        also_update.append("closed_on")
    setattr(account, STATUS_DATE_FIELD[to], on or timezone.localdate())
    if problem := _second_main_problem(account, status=to):
        raise ValidationFailed({"status": problem})
    transition(
        account,
        to=to,
        allowed=ALLOWED_STATUS_CHANGES,
        actor=actor,
        verb="account.status_changed",
        unit_id=account.unit_id,
        also_update=also_update,
        note=note,
    )
    return account


# --- linkages -------------------------------------------------------------------------------
def _linkage_problems(linkage: Linkage) -> dict[str, str]:
    target_account = linkage.target_account
    target_unit = linkage.target_unit
    errors: dict[str, str] = {}
    if not linkage.account.is_official:
        errors["account"] = _("联动须从政务微博（主账号或子账号）发起。")
    if target_account is not None and target_account.pk == linkage.account_id:
        errors["target_account"] = _("账号不能与自身联动。")
    if linkage.kind == LinkageKind.DEPARTMENT:
        if target_unit is None or target_unit.kind == UnitKind.NEWS_MEDIA:
            errors["target_unit"] = _("实体部门联动须选择一个工作部门或街镇。")
    elif linkage.kind == LinkageKind.MEDIA:
        media_unit = target_unit or (target_account.unit if target_account else None)
        if media_unit is None or media_unit.kind != UnitKind.NEWS_MEDIA:
            errors["target_unit"] = _("新闻媒体联动须选择新闻媒体单位或其账号。")
    elif linkage.kind == LinkageKind.DISTRICT_TOWN:
        if target_account is None or not target_account.is_official:
            errors["target_account"] = _("区镇联动须选择另一个政务微博账号。")
    elif linkage.kind == LinkageKind.CIVILIAN:
        if target_account is not None and target_account.kind != AccountKind.STAFF_PERSONAL:
            errors["target_account"] = _("民间联动的对象须是个人微博或登记之外的民间账号。")
        if target_account is None and not linkage.target_name:
            errors["target_name"] = _("请填写民间账号的名称。")
    return errors


@transaction.atomic
def linkage_create(
    *,
    actor: Actor,
    account_id: int,
    kind: str,
    target_unit_id: int | None = None,
    target_account_id: int | None = None,
    target_name: str = "",
    target_url: str = "",
    note: str = "",
) -> Linkage:
    account = _locked_account(actor, account_id)
    require(
        scope_for(actor).can_edit_accounts_of(account.unit_id), _("您只能为本单位的账号登记联动。")
    )
    linkage = Linkage(
        account=account,
        kind=kind,
        target_unit_id=target_unit_id,
        target_account_id=target_account_id,
        target_name=target_name.strip(),
        target_url=target_url.strip(),
        note=note.strip(),
    )
    clean_or_fail(linkage)
    if errors := _linkage_problems(linkage):
        raise ValidationFailed(errors)
    duplicate = Linkage.objects.filter(
        account=account,
        kind=kind,
        target_unit_id=target_unit_id,
        target_account_id=target_account_id,
        target_name=linkage.target_name,
    ).exists()
    if duplicate:
        raise ValidationFailed({"kind": _("这条联动已经登记过了。")})
    linkage.save()
    event_record(
        actor=actor,
        verb="linkage.created",
        obj=linkage,
        unit_id=account.unit_id,
        data={"kind": kind, "target": linkage.target_label},
    )
    return linkage


@transaction.atomic
def linkage_remove(*, actor: Actor, linkage_id: int) -> None:
    linkage = (
        Linkage.objects.select_for_update().select_related("account").filter(pk=linkage_id).first()
    )
    scope = scope_for(actor)
    if linkage is None or not scope.can_view_unit(linkage.account.unit_id):
        raise NotFound(_("联动不存在。"))
    require(scope.can_edit_accounts_of(linkage.account.unit_id), _("您只能解除本单位账号的联动。"))
    event_record(
        actor=actor,
        verb="linkage.removed",
        obj=linkage,
        unit_id=linkage.account.unit_id,
        data={"kind": linkage.kind, "target": linkage.target_label},
    )
    linkage.delete()


# --- the registry import --------------------------------------------------------------------
@dataclass(frozen=True)
class RowError:
    row: int
    field: str
    message: str


@dataclass
class ImportSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)


class ImportRejected(DomainError):
    """At least one row is bad; nothing was imported."""

    status_code = 422

    def __init__(self, errors: list[RowError]) -> None:
        self.errors = errors
        super().__init__(
            _("导入未执行：%(count)d 处错误，未导入任何账号。") % {"count": len(errors)}
        )


@dataclass(frozen=True)
class RegistryRow:
    """One parsed row of an import file (see `registry_io`), with its line number."""

    row: int
    values: dict[str, Any]
    errors: dict[str, str]


def registry_import(*, actor: Actor, rows: Sequence[RegistryRow]) -> ImportSummary:
    """Create or update every row, or — if any row is bad — nothing at all.

    Each row goes through the same services as a form would, each in its own savepoint, so the
    report names every bad row with its reason and a good row sees the rows above it.
    """
    summary = ImportSummary()
    if not rows:
        raise ImportRejected([RowError(0, "", _("文件中没有数据行。"))])
    with transaction.atomic():
        for row in rows:
            if row.errors:
                summary.errors += [
                    RowError(row.row, name, text) for name, text in row.errors.items()
                ]
                continue
            try:
                with transaction.atomic():
                    outcome = _import_one(actor, row.values)
            except ValidationFailed as exc:
                summary.errors += [
                    RowError(row.row, name, text) for name, text in exc.errors.items()
                ]
                continue
            except DomainError as exc:
                summary.errors.append(RowError(row.row, "", exc.message))
                continue
            setattr(summary, outcome, getattr(summary, outcome) + 1)
        if summary.errors:
            transaction.set_rollback(True)
        else:
            event_record(
                actor=actor,
                verb="account.imported",
                note=_("新增 %(c)d，更新 %(u)d，未变 %(n)d")
                % {"c": summary.created, "u": summary.updated, "n": summary.unchanged},
                data={
                    "created": summary.created,
                    "updated": summary.updated,
                    "unchanged": summary.unchanged,
                },
            )
    if summary.errors:
        raise ImportRejected(summary.errors)
    return summary


def _import_one(actor: Actor, values: dict[str, Any]) -> str:
    existing = Account.objects.filter(platform=values["platform"], handle=values["handle"]).first()
    if existing is None:
        account_create(actor=actor, **values)
        return "created"
    details: Any = {k: v for k, v in values.items() if k not in {"platform", "handle", "status"}}
    account, diff = _account_update(actor=actor, account_id=existing.pk, changes=details)
    if values["status"] != account.status:
        account_change_status(actor=actor, account_id=account.pk, to=values["status"])
        return "updated"
    return "updated" if diff else "unchanged"
