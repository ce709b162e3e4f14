"""Reads of report items: the office sees all of them, a unit sees its own."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from govmatrix.core.errors import NotFound
from govmatrix.core.types import Actor
from govmatrix.org.permissions import UNIT_EDITOR_ROLES, scope_for
from govmatrix.publishing.models import ReportItem, ReportNote, ReportState

TO_REVIEW = (ReportState.NEW, ReportState.CORRECTION_ANSWERED)


@dataclass(frozen=True)
class ReportFilter:
    unit_id: int | None = None
    topic_id: int | None = None
    important: bool | None = None
    state: str = ""
    overdue: bool = False
    q: str = ""


def _visible_items(user: Actor) -> QuerySet[ReportItem]:
    items = ReportItem.objects.select_related(
        "post", "post__author", "unit", "account", "reviewed_by", "repost_post"
    )
    visible = scope_for(user).visible_unit_ids
    return items if visible is None else items.filter(unit_id__in=visible)


def overdue_q(now: datetime | None = None) -> Q:
    return Q(important=True, reviewed_at__isnull=True, review_due_at__lt=now or timezone.now())


def report_item_list(*, user: Actor, filters: ReportFilter | None = None) -> QuerySet[ReportItem]:
    """Overdue important items first, then by review deadline, then newest."""
    items = _visible_items(user)
    f = filters or ReportFilter()
    if f.unit_id:
        items = items.filter(unit_id=f.unit_id)
    if f.topic_id:
        items = items.filter(post__topics__id=f.topic_id)
    if f.important is not None:
        items = items.filter(important=f.important)
    if f.state == "to_review":
        items = items.filter(state__in=TO_REVIEW)
    elif f.state:
        items = items.filter(state=f.state)
    if f.overdue:
        items = items.filter(overdue_q())
    if f.q:
        items = items.filter(
            Q(post__text__icontains=f.q)
            | Q(unit__name__icontains=f.q)
            | Q(account__display_name__icontains=f.q)
        )
    return (
        items.annotate(
            is_overdue=Case(
                When(overdue_q(), then=Value(0)), default=Value(1), output_field=IntegerField()
            )
        )
        .order_by("is_overdue", "review_due_at", "-reported_at", "-id")
        .prefetch_related("post__topics")
        .distinct()
    )


def report_item_get(*, user: Actor, item_id: int) -> ReportItem:
    item = _visible_items(user).filter(pk=item_id).first()
    if item is None:
        raise NotFound(_("报送不存在。"))
    return item


def report_notes(item: ReportItem) -> QuerySet[ReportNote]:
    return item.notes.select_related("author")


def items_to_review(*, user: Actor) -> QuerySet[ReportItem]:
    """What the office has to look at: new items and units' answers, overdue first."""
    if not scope_for(user).is_office_admin:
        return ReportItem.objects.none()
    return report_item_list(user=user, filters=ReportFilter(state="to_review"))


def overdue_items(*, user: Actor) -> QuerySet[ReportItem]:
    if not scope_for(user).sees_all:
        return ReportItem.objects.none()
    return _visible_items(user).filter(overdue_q()).order_by("review_due_at")


def correction_requests(*, user: Actor) -> QuerySet[ReportItem]:
    """The office's requests that the user's units must answer."""
    scope = scope_for(user)
    units = [unit_id for unit_id, role in scope.roles if role in UNIT_EDITOR_ROLES]
    return (
        ReportItem.objects.select_related("post", "unit")
        .filter(unit_id__in=units, state=ReportState.CORRECTION_REQUESTED)
        .order_by("updated_at")
    )
