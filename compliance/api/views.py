from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from collections_app.selectors import client_ids_visible_to
from compliance.api.serializers import CheckSerializer, DecisionAnswerSerializer, DecisionSerializer
from compliance.models import Decision
from compliance.services import contact_check_visible, decision_replay


class CheckView(APIView):
    """May we contact this person about this account, on this channel, at this moment?"""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=CheckSerializer, responses={200: DecisionAnswerSerializer})
    def post(self, request: Request) -> Response:
        serializer = CheckSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        decision = contact_check_visible(
            viewer=request.user, account_id=data["account"], channel=data["channel"], target=data["target"],
            at=data.get("at") or timezone.now(), direction=data["direction"], message=data.get("message"),
        )
        if decision is None:
            raise NotFound(f"account {data['account']} not found.")
        return Response(decision.as_contract(), status=status.HTTP_200_OK)


class DecisionViewSet(mixins.RetrieveModelMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Stored decisions, with every input the engine saw; ``?replay=1`` re-runs one on those inputs."""

    serializer_class = DecisionSerializer
    permission_classes = [IsAuthenticated]
    filterset_fields = ["account", "debtor", "channel", "allowed"]

    def get_queryset(self):  # type: ignore[no-untyped-def]
        ids = client_ids_visible_to(self.request.user)
        qs = Decision.objects.all() if ids is None else Decision.objects.filter(client_id__in=ids)
        return qs.order_by("-id")

    def retrieve(self, request: Request, *args, **kwargs) -> Response:  # type: ignore[no-untyped-def]
        record = self.get_object()
        body = self.get_serializer(record).data
        if request.query_params.get("replay"):
            body["replay"] = decision_replay(record).as_contract()
        return Response(body)
