"""The React front end's entry page (frontend/dist/index.html, built by
``scripts/frontend.sh``). Its assets are served by whitenoise under /static/
(STATICFILES_DIRS includes frontend/dist). The page sets the CSRF cookie that
the front end sends back in the X-CSRFToken header."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import re_path
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import ensure_csrf_cookie

MISSING = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Stadium</title></head><body><h1>Stadium</h1>
<p>The front end is not built yet. Run <code>make run</code>, or
<code>scripts/frontend.sh</code> to build it into <code>frontend/dist</code>.</p>
<p>The API is at <a href="/api/docs">/api/docs</a>.</p></body></html>"""


@never_cache
@ensure_csrf_cookie
def spa(request: HttpRequest) -> HttpResponse:
    index = settings.FRONTEND_DIST / "index.html"
    try:
        html = index.read_text(encoding="utf-8")
    except OSError:
        return HttpResponse(MISSING, status=503, content_type="text/html; charset=utf-8")
    return HttpResponse(html, content_type="text/html; charset=utf-8")


# The pages of the app; /api/, /ws/, /admin/, /healthz, /metrics and /static/
# are not matched.
urlpatterns = [
    re_path(r"^$", spa, name="spa-home"),
    re_path(r"^play(?:/.*)?$", spa, name="spa-play"),
    re_path(r"^host(?:/.*)?$", spa, name="spa-host"),
    re_path(r"^screen/[0-9]{6}/?$", spa, name="spa-screen"),
]
