from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, django_auth

from govmatrix.api.services import api_token_user


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = api_token_user(token)
        if user is not None:
            request.user = user
        return user


# Machines send `Authorization: Bearer <token>`; the browser uses its session (with CSRF).
API_AUTH = [BearerToken(), django_auth]
