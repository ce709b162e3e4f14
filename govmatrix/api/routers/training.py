"""Training classes, joint meetings and online exchanges, scoped like the pages."""

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from govmatrix.training.models import EventKind, EventStatus, TrainingEvent
from govmatrix.training.selectors import event_list

router = Router(tags=["training"])


class TrainingEventOut(Schema):
    id: int
    kind: str
    title: str
    content: str
    starts_at: datetime
    ends_at: datetime
    location: str
    levels: list[str]
    unit_ids: list[int]
    status: str
    invited_count: int
    attended_count: int

    @staticmethod
    def resolve_unit_ids(event: TrainingEvent) -> list[int]:
        return sorted(u.pk for u in event.units.all())


@router.get("/training/events", response=list[TrainingEventOut])
@paginate(LimitOffsetPagination)
def list_events(
    request: HttpRequest, kind: EventKind | None = None, status: EventStatus | None = None
) -> Any:
    return event_list(user=request.user, kind=kind or "", status=status or "").prefetch_related(
        "units"
    )
