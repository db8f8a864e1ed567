from django.urls import include, path
from rest_framework.routers import DefaultRouter

from compliance.api.views import CheckView, DecisionViewSet

router = DefaultRouter()
router.register("decisions", DecisionViewSet, basename="decision")

urlpatterns = [
    path("check/", CheckView.as_view(), name="compliance-check"),
    path("", include(router.urls)),
]
