"""Plain views outside the JSON API: health, the CSRF failure page and the
JSON 404 of unknown /api/ paths."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.csrf import csrf_failure as django_csrf_failure

from .redis import redis_sync


def healthz(request: HttpRequest) -> JsonResponse:
    checks = {}
    try:
        redis_sync().ping()
        checks["redis"] = "ok"
    except Exception as e:  # report, never raise: this is the health page
        checks["redis"] = f"error: {type(e).__name__}"
    try:
        with connection.cursor() as cur:
            cur.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as e:
        checks["database"] = f"error: {type(e).__name__}"
    ok = all(v == "ok" for v in checks.values())
    return JsonResponse({"status": "ok" if ok else "degraded", **checks}, status=200 if ok else 503)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: JSON for the API, Django's page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse(
            {
                "error": "forbidden",
                "message": "CSRF check failed: send the csrftoken cookie's value as X-CSRFToken",
            },
            status=403,
        )
    return django_csrf_failure(request, reason)


def api_not_found(request: HttpRequest, rest: str = "") -> JsonResponse:
    return JsonResponse({"error": "not_found", "message": "no such endpoint"}, status=404)
