from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("quiz.spa")),  # the React app's pages (/, /play, /host, /screen/<pin>)
    path("", include("quiz.urls")),
]
