"""The JSON API (error codes in docs/protocol.md); OpenAPI page at /api/docs, schema at
/api/openapi.json.

Every refusal is ``{"error": code, "message": ...}`` with a 4xx status:
the handlers below turn malformed JSON, failed validation, oversized
bodies, auth and CSRF failures into that shape, so bad input never
reaches a 500.
"""

from __future__ import annotations

import logging
from typing import Any

import psycopg
from django.core.exceptions import RequestDataTooBig
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Swagger
from ninja.errors import HttpError, ValidationError

from engine import EngineUnavailable

from .api_auth import router as auth_router
from .api_games import router as games_router
from .api_parser import NulInText, StadiumParser
from .api_quizzes import logos_router
from .api_quizzes import router as quizzes_router
from .api_webhooks import router as webhooks_router
from .ratelimit import RateLimited
from .services import ServiceError

api = NinjaAPI(
    title="Stadium",
    version="1",
    description="Live quizzes for very large crowds. Errors: "
    '`{"error": code, "message": text}` with a 4xx status.',
    docs_url="/docs",
    # Swagger UI from ninja's own static files ("ninja" in INSTALLED_APPS),
    # never a CDN; no online validator badge either: /api/docs works offline
    docs=Swagger(settings={"validatorUrl": None}),
    openapi_url="/openapi.json",
    parser=StadiumParser(),
)
api.add_router("/auth", auth_router)
api.add_router("/quizzes", quizzes_router)
api.add_router("/logos", logos_router)
api.add_router("/games", games_router)
api.add_router("/webhook", webhooks_router)

log = logging.getLogger(__name__)

# ninja's own 4xx statuses, as the API's error codes
HTTP_CODES = {400: "validation_error", 401: "unauthorized", 403: "forbidden", 404: "not_found"}


def error(request: HttpRequest, status: int, code: str, message: str, **extra: Any) -> HttpResponse:
    return api.create_response(request, {"error": code, "message": message, **extra}, status=status)


def _details(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    # never echo "input" back: it may be a megabyte of someone's junk
    return [
        {"loc": [str(p) for p in e.get("loc", ())], "msg": str(e.get("msg", ""))[:300]}
        for e in errors[:20]
    ]


def _summary(details: list[dict[str, Any]]) -> str:
    if not details:
        return "invalid request"
    first = details[0]
    where = ".".join(p for p in first["loc"] if p not in ("body", "payload"))
    return f"{where}: {first['msg']}" if where else first["msg"]


@api.exception_handler(ServiceError)
def _service_error(request: HttpRequest, exc: ServiceError) -> HttpResponse:
    response = error(request, exc.status, exc.code, exc.message)
    if isinstance(exc, RateLimited):
        response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    details = _details(exc.errors)
    return error(request, 400, "validation_error", _summary(details), details=details)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if isinstance(exc.__cause__, NulInText):  # ninja wraps every parser error
        return error(request, 400, "validation_error", NulInText.message)
    code = HTTP_CODES.get(exc.status_code, "validation_error")
    message = {
        "validation_error": "the request body is not valid JSON",
        "unauthorized": "log in as a host first",
        "forbidden": "CSRF check failed: send the csrftoken cookie's value as X-CSRFToken",
    }.get(code, str(exc))
    if exc.status_code not in HTTP_CODES:
        message = str(exc)
    return error(request, exc.status_code, code, message)


@api.exception_handler(NulInText)  # from a query string (bodies come wrapped, above)
def _nul(request: HttpRequest, exc: NulInText) -> HttpResponse:
    return error(request, 400, "validation_error", NulInText.message)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error(request, 404, "not_found", "not found")


@api.exception_handler(RequestDataTooBig)
def _too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return error(request, 413, "validation_error", "the request body is too large")


@api.exception_handler(EngineUnavailable)
def _unavailable(request: HttpRequest, exc: EngineUnavailable) -> HttpResponse:
    return error(request, 503, "unavailable", "the game server is unreachable, retry")


# PostgreSQL down or unreachable, or every pooled connection busy for longer
# than the pool's timeout (psycopg_pool.PoolTimeout is a psycopg
# OperationalError): the host can retry, so say so in JSON.
@api.exception_handler(OperationalError)
@api.exception_handler(InterfaceError)
@api.exception_handler(psycopg.OperationalError)
def _database_unavailable(request: HttpRequest, exc: Exception) -> HttpResponse:
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    log.warning("database unavailable for %s: %s %s", request.path, type(exc).__name__, first)
    return error(request, 503, "unavailable", "the database is unreachable, retry in a moment")
