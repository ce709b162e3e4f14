"""Reads of the registry, already scoped to what the user may see."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from govmatrix.core.errors import NotFound
from govmatrix.core.types import Actor
from govmatrix.matrix.models import (
    OFFICIAL_KINDS,
    OPEN_STATUSES,
    Account,
    AccountKind,
    AccountStatus,
    Linkage,
    Platform,
)
from govmatrix.org.models import GroupTarget, TargetScope, Unit, UnitKind
from govmatrix.org.permissions import scope_for
from govmatrix.org.selectors import group_target_list

User = Actor


@dataclass(frozen=True)
class AccountFilter:
    unit_id: int | None = None
    platform: str = ""
    status: str = ""
    kind: str = ""
    q: str = ""


# --- the main accounts: "@区发布" on each platform where the district has it ------------------
def main_accounts() -> QuerySet[Account]:
    """The main accounts in use (not closed): at most one per platform, the first registered
    first. Not scoped: every user may know the district's own accounts."""
    return (
        Account.objects.filter(kind=AccountKind.MAIN)
        .exclude(status=AccountStatus.CLOSED)
        .select_related("unit")
        .order_by("pk")
    )


def main_account(*, platform: str = "") -> Account | None:
    """The main account in use on `platform`; without a platform, the primary one (the first
    registered), which publishes whatever the office does not direct to another."""
    accounts = main_accounts()
    return (accounts.filter(platform=platform) if platform else accounts).first()


def _visible_accounts(user: User) -> QuerySet[Account]:
    accounts = Account.objects.select_related("unit", "owner")
    visible = scope_for(user).visible_unit_ids
    return accounts if visible is None else accounts.filter(unit_id__in=visible)


def account_list(*, user: User, filters: AccountFilter | None = None) -> QuerySet[Account]:
    accounts = _visible_accounts(user)
    f = filters or AccountFilter()
    if f.unit_id:
        accounts = accounts.filter(unit_id=f.unit_id)
    if f.platform:
        accounts = accounts.filter(platform=f.platform)
    if f.status:
        accounts = accounts.filter(status=f.status)
    if f.kind:
        accounts = accounts.filter(kind=f.kind)
    if f.q:
        accounts = accounts.filter(
            Q(handle__icontains=f.q) | Q(display_name__icontains=f.q) | Q(unit__name__icontains=f.q)
        )
    return accounts.prefetch_related("operators")


def account_get(*, user: User, account_id: int) -> Account:
    account = _visible_accounts(user).filter(pk=account_id).prefetch_related("operators").first()
    if account is None:
        raise NotFound(_("账号不存在。"))
    return account


def account_linkages(*, user: User, account: Account) -> QuerySet[Linkage]:
    """Linkages from or to `account` (the caller got `account` from `account_get`)."""
    linkages = Linkage.objects.select_related(
        "account", "target_account", "target_unit", "account__unit"
    )
    return linkages.filter(Q(account=account) | Q(target_account=account))


def linkage_list(*, user: User, kind: str = "") -> QuerySet[Linkage]:
    linkages = Linkage.objects.select_related(
        "account", "account__unit", "target_account", "target_unit"
    )
    visible = scope_for(user).visible_unit_ids
    if visible is not None:
        linkages = linkages.filter(account__unit_id__in=visible)
    if kind:
        linkages = linkages.filter(kind=kind)
    return linkages


def linkage_graph(linkages: QuerySet[Linkage]) -> dict[str, list[dict[str, object]]]:
    """Nodes and edges for the linkage chart: accounts (0), units (1) and civilian accounts (2)."""
    nodes: dict[str, dict[str, object]] = {}
    edges: list[dict[str, object]] = []
    for linkage in linkages:
        source = f"a{linkage.account_id}"
        nodes[source] = {"id": source, "name": str(linkage.account), "category": 0}
        if linkage.target_account_id:
            target, name, category = f"a{linkage.target_account_id}", str(linkage.target_account), 0
        elif linkage.target_unit_id:
            target, name, category = f"u{linkage.target_unit_id}", str(linkage.target_unit), 1
        else:
            target, name, category = f"c{linkage.pk}", linkage.target_name, 2
        nodes[target] = {"id": target, "name": name, "category": category}
        edges.append({"source": source, "target": target, "kind": linkage.get_kind_display()})
    return {"nodes": list(nodes.values()), "links": edges}


@dataclass(frozen=True)
class RegistryCounts:
    total: int
    by_status: dict[str, int]
    by_platform: dict[str, int]
    by_kind: dict[str, int]
    by_unit: list[tuple[Unit, dict[str, int]]]  # unit → {status: count}


def registry_counts(*, user: User) -> RegistryCounts:
    accounts = _visible_accounts(user)
    rows = list(accounts.values("unit_id", "status", "platform", "kind").annotate(n=Count("id")))
    by_status: Counter[str] = Counter()
    by_platform: Counter[str] = Counter()
    by_kind: Counter[str] = Counter()
    per_unit: dict[int, Counter[str]] = {}
    for row in rows:
        by_status[row["status"]] += row["n"]
        by_platform[row["platform"]] += row["n"]
        by_kind[row["kind"]] += row["n"]
        per_unit.setdefault(row["unit_id"], Counter())[row["status"]] += row["n"]
    units = Unit.objects.in_bulk(list(per_unit))
    ordered = sorted(
        per_unit.items(), key=lambda item: (units[item[0]].sort_order, units[item[0]].code)
    )
    return RegistryCounts(
        total=sum(by_status.values()),
        by_status={s: by_status[s] for s in AccountStatus.values},
        by_platform={p: by_platform[p] for p in Platform.values if by_platform[p]},
        by_kind={k: by_kind[k] for k in AccountKind.values},
        by_unit=[(units[unit_id], dict(counts)) for unit_id, counts in ordered],
    )


@dataclass(frozen=True)
class TargetProgress:
    target: GroupTarget
    current: int
    today: date

    @property
    def met(self) -> bool:
        return self.current >= self.target.min_accounts

    @property
    def percent(self) -> int:
        return min(100, round(self.current * 100 / self.target.min_accounts))

    @property
    def days_left(self) -> int:
        return (self.target.deadline - self.today).days

    @property
    def overdue(self) -> bool:
        return not self.met and self.days_left < 0

    @property
    def state(self) -> str:
        if self.met:
            return "met"
        if self.overdue:
            return "overdue"
        return "near" if self.days_left <= 30 else "on_track"


def accounts_counted_by(target: GroupTarget) -> QuerySet[Account]:
    """The accounts that count towards a target: open official accounts in its scope."""
    accounts = Account.objects.filter(kind__in=OFFICIAL_KINDS, status__in=OPEN_STATUSES)
    if target.scope == TargetScope.STREETS_AND_DEPARTMENTS:
        accounts = accounts.filter(
            kind=AccountKind.SUB, unit__kind__in=[UnitKind.STREET_TOWN, UnitKind.DEPARTMENT]
        )
    return accounts


def target_progress(*, user: User) -> list[TargetProgress]:
    today = timezone.localdate()
    return [
        TargetProgress(target=t, current=accounts_counted_by(t).count(), today=today)
        for t in group_target_list(user=user)
    ]


def target_progress_get(*, user: User, target_id: int) -> TargetProgress:
    target = group_target_list(user=user).filter(pk=target_id).first()
    if target is None:
        raise NotFound(_("建设目标不存在。"))
    return TargetProgress(
        target=target, current=accounts_counted_by(target).count(), today=timezone.localdate()
    )
