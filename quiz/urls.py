"""HTTP routes: the JSON API (django-ninja), health and metrics."""

from django.urls import path

from .api import api
from .views import healthz

urlpatterns = [
    path("api/", api.urls),
    path("healthz", healthz),
]
