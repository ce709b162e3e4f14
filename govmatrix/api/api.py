"""The HTTP API under /api/ (OpenAPI at /api/openapi.json). Routers live in `api/routers/`."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from govmatrix.api.auth import API_AUTH
from govmatrix.api.routers import (
    assessment,
    emergency,
    inbox,
    matrix,
    moderation,
    org,
    publishing,
    training,
)
from govmatrix.core.errors import DomainError, ValidationFailed

api = NinjaAPI(
    title="GovMatrix API",
    version="1",
    description="政务微博矩阵管理平台接口。Authorization: Bearer <token>（manage.py api_token USERNAME）。",
    auth=API_AUTH,
    urls_namespace="api",
)


def _field_of(loc: list[Any]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "payload", "filters")]
    return ".".join(parts) or "__all__"


@api.exception_handler(NinjaValidationError)
def invalid_input(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors = [
        {"field": _field_of(list(e.get("loc", []))), "message": e.get("msg", "")}
        for e in exc.errors
    ]
    return api.create_response(
        request, {"detail": _("输入有误，未做任何更改。"), "errors": errors}, status=422
    )


@api.exception_handler(DomainError)
def refused(request: HttpRequest, exc: DomainError) -> HttpResponse:
    body: dict[str, Any] = {"detail": exc.message}
    if isinstance(exc, ValidationFailed):
        body["errors"] = [
            {"field": field, "message": message} for field, message in exc.errors.items()
        ]
    return api.create_response(request, body, status=exc.status_code)


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(request, {"detail": _("需要登录或有效的接口令牌。")}, status=401)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


api.add_router("/", org.router)
api.add_router("/", matrix.router)
api.add_router("/", publishing.router)
api.add_router("/", inbox.router)
api.add_router("/", moderation.router)
api.add_router("/", emergency.router)
api.add_router("/", assessment.router)
api.add_router("/", training.router)
