from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.authtoken.views import obtain_auth_token
from rest_framework.routers import DefaultRouter

from collections_app.api import import_views, money_views, views
from communications.api.views import MessageViewSet

router = DefaultRouter()
router.register("clients", views.ClientViewSet, basename="client")
router.register("debtors", views.DebtorViewSet, basename="debtor")
router.register("accounts", views.AccountViewSet, basename="account")
router.register("events", views.EventViewSet, basename="event")
router.register("payments", money_views.PaymentViewSet, basename="payment")
router.register("plans", money_views.PlanViewSet, basename="plan")
router.register("promises", money_views.PromiseViewSet, basename="promise")
router.register("settlements", money_views.SettlementViewSet, basename="settlement")
router.register("imports", import_views.ImportJobViewSet, basename="import")
router.register("import-mappings", import_views.ColumnMappingViewSet, basename="import-mapping")
router.register("messages", MessageViewSet, basename="message")

urlpatterns = [
    path("auth/token/", obtain_auth_token, name="api-token"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include(router.urls)),
]
