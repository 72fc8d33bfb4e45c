"""HTTP routes: the JSON API (django-ninja), health and metrics."""

from django.urls import path

from .api import api
from .metrics import metrics_view
from .views import api_not_found, healthz

urlpatterns = [
    path("api/", api.urls),
    # after the API's routes: unknown /api/ paths get JSON, not an HTML page
    path("api/<path:rest>", api_not_found),
    path("healthz", healthz),
    path("metrics", metrics_view),
]
