from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from govmatrix.matrix.models import AccountKind, AccountStatus, Platform
from govmatrix.matrix.selectors import AccountFilter, account_get, account_list
from govmatrix.matrix.services import account_change_status, account_create, account_update

router = Router(tags=["registry"])


class AccountOut(Schema):
    id: int
    unit_id: int
    platform: str
    handle: str
    display_name: str
    kind: str
    status: str
    planned_on: date | None
    activated_on: date | None
    dormant_since: date | None
    closed_on: date | None
    owner_id: int | None
    operator_ids: list[int]
    profile_url: str
    description: str

    @staticmethod
    def resolve_operator_ids(account: Any) -> list[int]:
        return sorted(p.pk for p in account.operators.all())


class AccountIn(Schema):
    unit_id: int
    platform: Platform
    handle: str = Field(min_length=1, max_length=64)
    display_name: str = Field(min_length=1, max_length=100)
    kind: AccountKind = AccountKind.SUB
    status: AccountStatus = AccountStatus.PLANNED
    planned_on: date | None = None
    activated_on: date | None = None
    owner_id: int | None = None
    operator_ids: list[int] = []
    profile_url: str = ""
    description: str = ""


class AccountPatch(Schema):
    display_name: str | None = Field(None, min_length=1, max_length=100)
    handle: str | None = Field(None, min_length=1, max_length=64)
    unit_id: int | None = None
    kind: AccountKind | None = None
    owner_id: int | None = None
    operator_ids: list[int] | None = None
    profile_url: str | None = None
    description: str | None = None
    planned_on: date | None = None
    activated_on: date | None = None


class StatusIn(Schema):
    to: AccountStatus
    on: date | None = None
    note: str = ""


@router.get("/accounts", response=list[AccountOut])
@paginate(LimitOffsetPagination)
def list_accounts(
    request: HttpRequest,
    unit_id: int | None = None,
    platform: Platform | None = None,
    status: AccountStatus | None = None,
    kind: AccountKind | None = None,
    q: str = "",
) -> Any:
    filters = AccountFilter(
        unit_id=unit_id, platform=platform or "", status=status or "", kind=kind or "", q=q
    )
    return account_list(user=request.user, filters=filters)


@router.get("/accounts/{account_id}", response=AccountOut)
def get_account(request: HttpRequest, account_id: int) -> Any:
    return account_get(user=request.user, account_id=account_id)


@router.post("/accounts", response={201: AccountOut})
def create_account(request: HttpRequest, payload: AccountIn) -> Any:
    account = account_create(actor=request.user, **payload.dict())
    return Status(201, account_get(user=request.user, account_id=account.pk))


@router.patch("/accounts/{account_id}", response=AccountOut)
def update_account(request: HttpRequest, account_id: int, payload: AccountPatch) -> Any:
    changes = {
        k: v
        for k, v in payload.dict(exclude_unset=True).items()
        if v is not None or k == "owner_id"
    }
    account_update(actor=request.user, account_id=account_id, **changes)
    return account_get(user=request.user, account_id=account_id)


@router.post("/accounts/{account_id}/status", response=AccountOut)
def change_account_status(request: HttpRequest, account_id: int, payload: StatusIn) -> Any:
    account_change_status(
        actor=request.user, account_id=account_id, to=payload.to, on=payload.on, note=payload.note
    )
    return account_get(user=request.user, account_id=account_id)
