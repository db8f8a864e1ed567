"""The contract's messages endpoints: thin, one service call each."""

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from collections_app.api.permissions import CanWriteFacts
from collections_app.api.views import AuditedViewMixin
from communications.api.serializers import MessageRequestSerializer, MessageSerializer
from communications.constants import Source
from communications.inbound import message_undeliverable
from communications.selectors import messages_visible_to
from communications.services import message_request


class MessageViewSet(AuditedViewMixin, mixins.CreateModelMixin, mixins.RetrieveModelMixin, mixins.ListModelMixin,
                     viewsets.GenericViewSet):
    serializer_class = MessageSerializer
    permission_classes = [CanWriteFacts]
    filterset_fields = ["account", "channel", "status", "source"]

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return messages_visible_to(self.request.user).order_by("-id")

    @extend_schema(request=MessageRequestSerializer, responses={201: MessageSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        body = MessageRequestSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        data = body.validated_data
        message = message_request(
            account=data["account"], channel=data["channel"], target=data.get("target") or None,
            template_code=data.get("template"), subject=data.get("subject", ""), text=data.get("text", ""),
            purpose=data.get("purpose"), language=data.get("language"), source=Source.API, actor=request.user,
            key=f"api:{request.user.pk}:{data['idempotency_key']}" if data.get("idempotency_key") else None,
        )
        return Response(MessageSerializer(message).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: MessageSerializer})
    @action(detail=True, methods=["post"])
    def undeliverable(self, request: Request, pk: str) -> Response:
        """A bounce or returned letter (mailroom scanners): the message failed, the timeline says so."""
        message = self.get_object()
        message_undeliverable(message=message, reason=str(request.data.get("reason", "returned"))[:200])
        message.refresh_from_db()
        return Response(MessageSerializer(message).data)
