from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from govmatrix.matrix.selectors import TargetProgress, target_progress, target_progress_get
from govmatrix.org import selectors, services
from govmatrix.org.models import TargetScope, UnitKind

router = Router(tags=["org"])


class UnitOut(Schema):
    id: int
    name: str
    code: str
    kind: str
    parent_id: int | None
    is_active: bool
    sort_order: int


class UnitIn(Schema):
    name: str = Field(min_length=1, max_length=100)
    code: str = Field(min_length=2, max_length=32)
    kind: UnitKind
    parent_id: int | None = None
    sort_order: int = Field(0, ge=0)


class UnitPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=100)
    parent_id: int | None = None
    is_active: bool | None = None
    sort_order: int | None = Field(None, ge=0)


@router.get("/units", response=list[UnitOut])
@paginate(LimitOffsetPagination)
def list_units(request: HttpRequest, kind: UnitKind | None = None, q: str = "") -> Any:
    return selectors.unit_list(user=request.user, kind=kind or "", q=q)


@router.get("/units/{unit_id}", response=UnitOut)
def get_unit(request: HttpRequest, unit_id: int) -> Any:
    return selectors.unit_get(user=request.user, unit_id=unit_id)


@router.post("/units", response={201: UnitOut})
def create_unit(request: HttpRequest, payload: UnitIn) -> Any:
    return Status(201, services.unit_create(actor=request.user, **payload.dict()))


@router.patch("/units/{unit_id}", response=UnitOut)
def update_unit(request: HttpRequest, unit_id: int, payload: UnitPatch) -> Any:
    selectors.unit_get(user=request.user, unit_id=unit_id)
    return services.unit_update(
        actor=request.user, unit_id=unit_id, **payload.dict(exclude_unset=True)
    )


class TargetOut(Schema):
    id: int
    name: str
    deadline: date
    min_accounts: int
    scope: str
    note: str
    current: int
    met: bool
    overdue: bool


class TargetIn(Schema):
    name: str = Field(min_length=1, max_length=100)
    deadline: date
    min_accounts: int = Field(ge=1)
    scope: TargetScope = TargetScope.ALL_MEMBERS
    note: str = ""


class TargetPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=100)
    deadline: date | None = None
    min_accounts: int | None = Field(None, ge=1)
    scope: TargetScope | None = None
    note: str | None = None


def _target_out(progress: TargetProgress) -> dict[str, Any]:
    target = progress.target
    return {
        "id": target.pk,
        "name": target.name,
        "deadline": target.deadline,
        "min_accounts": target.min_accounts,
        "scope": target.scope,
        "note": target.note,
        "current": progress.current,
        "met": progress.met,
        "overdue": progress.overdue,
    }


@router.get("/targets", response=list[TargetOut])
def list_targets(request: HttpRequest) -> Any:
    return [_target_out(p) for p in target_progress(user=request.user)]


@router.get("/targets/{target_id}", response=TargetOut)
def get_target(request: HttpRequest, target_id: int) -> Any:
    return _target_out(target_progress_get(user=request.user, target_id=target_id))


@router.post("/targets", response={201: TargetOut})
def create_target(request: HttpRequest, payload: TargetIn) -> Any:
    target = services.group_target_create(actor=request.user, **payload.dict())
    return Status(201, _target_out(target_progress_get(user=request.user, target_id=target.pk)))


@router.patch("/targets/{target_id}", response=TargetOut)
def update_target(request: HttpRequest, target_id: int, payload: TargetPatch) -> Any:
    target_progress_get(user=request.user, target_id=target_id)
    services.group_target_update(
        actor=request.user, target_id=target_id, **payload.dict(exclude_unset=True)
    )
    return _target_out(target_progress_get(user=request.user, target_id=target_id))
