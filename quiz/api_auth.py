"""Host session: CSRF cookie, login, logout, who am I."""

from __future__ import annotations

from django.contrib.auth import authenticate, login, logout
from django.http import HttpRequest
from django.middleware.csrf import get_token
from ninja import Router
from ninja.params.functions import Body  # ninja.Body is a generic alias to mypy

from . import ratelimit
from .api_common import csrf_require, errors, host_auth
from .schemas import CsrfOut, EmptyIn, HostOut, LoginIn, OkOut
from .services import ServiceError

router = Router(tags=["auth"])

# logout takes no fields: an empty body or {} (anything else is refused)
NO_BODY = Body(None)


@router.get("/csrf", response=CsrfOut)
def csrf(request: HttpRequest) -> dict[str, str]:
    """Set the csrftoken cookie (also set by ``GET /``)."""
    return {"csrftoken": get_token(request)}


@router.post("/login", response={200: HostOut, **errors(401, 403, 429)})
def auth_login(request: HttpRequest, payload: LoginIn) -> dict[str, object]:
    """429 ``rate_limited`` (with Retry-After) after too many failed logins
    for the username or from the address; successful logins never count."""
    csrf_require(request)
    # case-folded: "Alice" and "alice" share one budget of guesses
    username, addr = payload.username.casefold(), ratelimit.client_addr(request)
    # checked before authenticate(): a refused guess costs no password hash
    ratelimit.check(ratelimit.login_user(), username)
    ratelimit.check(ratelimit.login_addr(), addr)
    user = authenticate(request, username=payload.username, password=payload.password)
    if user is None:
        ratelimit.fail(ratelimit.login_user(), username)
        ratelimit.fail(ratelimit.login_addr(), addr)
        raise ServiceError("unauthorized", "wrong username or password", status=401)
    login(request, user)
    return {"id": user.pk, "username": user.get_username()}


@router.post("/logout", response={200: OkOut, **errors(403)})
def auth_logout(request: HttpRequest, payload: EmptyIn | None = NO_BODY) -> dict[str, bool]:
    csrf_require(request)
    logout(request)
    return {"ok": True}


@router.get("/me", response={200: HostOut, **errors(401)}, auth=host_auth)
def auth_me(request: HttpRequest) -> dict[str, object]:
    return {"id": request.user.pk, "username": request.user.get_username()}
