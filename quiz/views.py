"""Plain views outside the JSON API: health."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, JsonResponse

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
