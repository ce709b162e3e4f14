"""Reads of the organisation, already scoped to what the user may see."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Count, DecimalField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from typing_extensions import TypedDict

from govmatrix.core.errors import NotFound
from govmatrix.core.types import Actor
from govmatrix.org.models import BudgetLine, GroupTarget, Membership, Person, Unit
from govmatrix.org.permissions import scope_for

if TYPE_CHECKING:  # django-stubs-ext is a development tool, not installed to run
    from django_stubs_ext import WithAnnotations

User = Actor


def unit_list(
    *, user: User, kind: str = "", q: str = ""
) -> QuerySet[WithAnnotations[Unit, UnitCounts]]:
    units = Unit.objects.select_related("parent")
    visible = scope_for(user).visible_unit_ids
    if visible is not None:
        units = units.filter(pk__in=visible)
    if kind:
        units = units.filter(kind=kind)
    if q:
        units = units.filter(Q(name__icontains=q) | Q(code__icontains=q))
    return units.annotate(
        account_count=Count("accounts", distinct=True),
        member_count=Count(
            "memberships", filter=Q(memberships__ended_on__isnull=True), distinct=True
        ),
    ).order_by("sort_order", "code")


def unit_get(*, user: User, unit_id: int) -> WithAnnotations[Unit, UnitCounts]:
    unit = unit_list(user=user).filter(pk=unit_id).first()
    if unit is None:
        raise NotFound(_("单位不存在。"))
    return unit


def unit_choices(*, user: User) -> QuerySet[Unit]:
    """Units offered in pickers: the visible ones that are in use."""
    units = Unit.objects.filter(is_active=True)
    visible = scope_for(user).visible_unit_ids
    return units if visible is None else units.filter(pk__in=visible)


def membership_list(
    *, user: User, unit_id: int | None = None, role: str = "", active_only: bool = True
) -> QuerySet[Membership]:
    memberships = Membership.objects.select_related("person", "unit", "person__user")
    visible = scope_for(user).visible_unit_ids
    if visible is not None:
        memberships = memberships.filter(unit_id__in=visible)
    if unit_id:
        memberships = memberships.filter(unit_id=unit_id)
    if role:
        memberships = memberships.filter(role=role)
    if active_only:
        memberships = memberships.filter(ended_on__isnull=True)
    return memberships


def person_list(*, user: User, q: str = "", unit_id: int | None = None) -> QuerySet[Person]:
    people = Person.objects.select_related("user")
    visible = scope_for(user).visible_unit_ids
    if visible is not None:
        people = people.filter(memberships__unit_id__in=visible, memberships__ended_on__isnull=True)
    if unit_id:
        people = people.filter(memberships__unit_id=unit_id, memberships__ended_on__isnull=True)
    if q:
        people = people.filter(Q(name__icontains=q) | Q(title__icontains=q) | Q(phone__icontains=q))
    return people.distinct()


def person_get(*, user: User, person_id: int) -> Person:
    person = person_list(user=user).filter(pk=person_id).first()
    if person is None:
        raise NotFound(_("人员不存在。"))
    return person


class UnitCounts(TypedDict):
    account_count: int
    member_count: int


class BudgetSpent(TypedDict):
    spent: Decimal


_MONEY = DecimalField(max_digits=16, decimal_places=2)


def _visible_budget_lines(
    user: User, year: int | None = None, unit_id: int | None = None
) -> QuerySet[BudgetLine]:
    lines = BudgetLine.objects.select_related("unit")
    visible = scope_for(user).visible_unit_ids
    if visible is not None:
        lines = lines.filter(unit_id__in=visible)
    if year:
        lines = lines.filter(year=year)
    if unit_id:
        lines = lines.filter(unit_id=unit_id)
    return lines


def budget_line_list(
    *, user: User, year: int | None = None, unit_id: int | None = None
) -> QuerySet[WithAnnotations[BudgetLine, BudgetSpent]]:
    lines = _visible_budget_lines(user, year, unit_id)
    return lines.annotate(
        spent=Coalesce(Sum("spending__amount"), Value(Decimal("0")), output_field=_MONEY)
    )


def budget_line_get(*, user: User, budget_line_id: int) -> WithAnnotations[BudgetLine, BudgetSpent]:
    line = budget_line_list(user=user).filter(pk=budget_line_id).first()
    if line is None:
        raise NotFound(_("预算不存在。"))
    return line


@dataclass(frozen=True)
class BudgetSummaryRow:
    unit_id: int
    unit_name: str
    budget: Decimal
    spent: Decimal

    @property
    def remaining(self) -> Decimal:
        return self.budget - self.spent

    @property
    def spent_percent(self) -> int:
        return int(self.spent * 100 / self.budget) if self.budget else 0


def budget_summary(*, user: User, year: int) -> list[BudgetSummaryRow]:
    """Budget and spending per unit for one year (amounts summed separately so joins can't inflate them)."""
    lines = _visible_budget_lines(user, year)
    budgets = {
        row["unit_id"]: row
        for row in lines.values("unit_id", "unit__name").annotate(total=Sum("amount"))
    }
    spent = dict(
        lines.values("unit_id")
        .annotate(total=Sum("spending__amount"))
        .values_list("unit_id", "total")
    )
    return [
        BudgetSummaryRow(
            unit_id,
            row["unit__name"],
            row["total"] or Decimal("0"),
            spent.get(unit_id) or Decimal("0"),
        )
        for unit_id, row in budgets.items()
    ]


def group_target_list(*, user: User) -> QuerySet[GroupTarget]:
    """Targets are the district's: the office (and its inspectors) see them."""
    if not scope_for(user).sees_all:
        return GroupTarget.objects.none()
    return GroupTarget.objects.all()
