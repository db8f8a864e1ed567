"""Root URLs: the one place that wires every room together."""

from django.contrib import admin
from django.urls import include, path

from collections_app import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("", include("accounts.urls")),
    path("desk/", include("desk.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/compliance/", include("compliance.api.urls")),
    path("api/v1/", include("collections_app.api.urls")),
    path("", include("communications.urls")),
]
