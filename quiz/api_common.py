"""What the API routers share: host authentication and error responses."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.http import HttpRequest
from ninja.security import SessionAuth
from ninja.utils import check_csrf

from .schemas import ErrorOut
from .services import ServiceError


class HostAuth(SessionAuth):
    """A logged-in Django user is a host; unsafe methods need the CSRF token."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = request.user
        return user if user.is_authenticated and user.is_active else None


host_auth = HostAuth()


def host_of(request: HttpRequest) -> User:
    """The host a ``host_auth`` view runs for. host_auth already refused
    anyone else; the check narrows ``request.user`` (a User or an
    AnonymousUser) to a User, and would answer 401, not a 500, if a view
    ever lost its auth."""
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        raise ServiceError("unauthorized", "log in as a host first", status=401)
    return user


def csrf_require(request: HttpRequest) -> None:
    """CSRF for the endpoints without host auth that still use the session
    (login and logout): a forged login is an attack too."""
    if check_csrf(request) is not None:
        raise ServiceError(
            "forbidden",
            "CSRF check failed: send the csrftoken cookie's value as X-CSRFToken",
            status=403,
        )


def errors(*statuses: int) -> dict[int, type[ErrorOut]]:
    """Response declarations for the OpenAPI page: these statuses give ErrorOut."""
    return {s: ErrorOut for s in (400, *statuses)}
