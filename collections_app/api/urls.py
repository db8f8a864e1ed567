from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.authtoken.views import obtain_auth_token
from rest_framework.routers import DefaultRouter

from collections_app.api import views
from communications.api.views import MessageViewSet

router = DefaultRouter()
router.register("clients", views.ClientViewSet, basename="client")
router.register("debtors", views.DebtorViewSet, basename="debtor")
router.register("accounts", views.AccountViewSet, basename="account")
router.register("events", views.EventViewSet, basename="event")
router.register("messages", MessageViewSet, basename="message")

urlpatterns = [
    path("auth/token/", obtain_auth_token, name="api-token"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include(router.urls)),
]
