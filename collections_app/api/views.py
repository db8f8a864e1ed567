"""Thin API views: parse, call one service, render."""

from typing import Any

import pghistory
from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from collections_app.api.permissions import CanWriteFacts, IsAdminRole
from collections_app.api.serializers import (
    AccountSerializer,
    AddressSerializer,
    ClientSerializer,
    DebtorSerializer,
    EmailSerializer,
    EventSerializer,
    PhoneSerializer,
)
from collections_app.models import Address, Email, Phone
from collections_app.selectors import (
    accounts_visible_to,
    clients_visible_to,
    debtors_visible_to,
    events_visible_to,
)
from collections_app.services.accounts import account_create
from collections_app.services.debtors import contact_point_add, debtor_create
from collections_app.services.events import event_record


class AuditedViewMixin:
    """Name the token-authenticated user on the audit context the history middleware opened."""

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # type: ignore[misc]
        if request.user.is_authenticated:
            pghistory.context(user=request.user.pk, via="api")


class ClientViewSet(AuditedViewMixin, mixins.CreateModelMixin, mixins.RetrieveModelMixin,
                    mixins.ListModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet):
    serializer_class = ClientSerializer
    permission_classes = [IsAdminRole]

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return clients_visible_to(self.request.user).order_by("id")

    @transaction.atomic
    def perform_create(self, serializer: BaseSerializer) -> None:
        client = serializer.save()
        if not self.request.user.is_superuser:
            client.members.add(self.request.user)


class DebtorViewSet(AuditedViewMixin, mixins.CreateModelMixin, mixins.RetrieveModelMixin,
                    mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = DebtorSerializer
    permission_classes = [CanWriteFacts]
    filterset_fields = ["client", "kind", "external_ref"]

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return debtors_visible_to(self.request.user).prefetch_related("addresses", "phones", "emails").order_by("id")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        debtor = debtor_create(**serializer.validated_data)
        return Response(DebtorSerializer(debtor, context=self.get_serializer_context()).data,
                        status=status.HTTP_201_CREATED)

    def _add_contact_point(self, request: Request, serializer_class: type, model: type) -> Response:
        debtor = self.get_object()
        serializer = serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        point = contact_point_add(debtor, model, serializer.validated_data)
        return Response(serializer_class(point).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=PhoneSerializer, responses={201: PhoneSerializer})
    @action(detail=True, methods=["post"])
    def phones(self, request: Request, pk: str) -> Response:
        return self._add_contact_point(request, PhoneSerializer, Phone)

    @extend_schema(request=EmailSerializer, responses={201: EmailSerializer})
    @action(detail=True, methods=["post"])
    def emails(self, request: Request, pk: str) -> Response:
        return self._add_contact_point(request, EmailSerializer, Email)

    @extend_schema(request=AddressSerializer, responses={201: AddressSerializer})
    @action(detail=True, methods=["post"])
    def addresses(self, request: Request, pk: str) -> Response:
        return self._add_contact_point(request, AddressSerializer, Address)

    @extend_schema(responses={200: EventSerializer(many=True)})
    @action(detail=True, methods=["get"])
    def events(self, request: Request, pk: str) -> Response:
        debtor = self.get_object()
        events = debtor.events.order_by("-occurred_at", "-id")
        page = self.paginate_queryset(events)
        data = EventSerializer(page if page is not None else events, many=True,
                               context=self.get_serializer_context()).data
        return self.get_paginated_response(data) if page is not None else Response(data)


class AccountViewSet(AuditedViewMixin, mixins.CreateModelMixin, mixins.RetrieveModelMixin,
                     mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = AccountSerializer
    permission_classes = [CanWriteFacts]
    filterset_fields = ["client", "debtor", "status", "kind", "reference", "governing_state"]

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return accounts_visible_to(self.request.user).order_by("id")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        account = account_create(**serializer.validated_data)
        return Response(AccountSerializer(account, context=self.get_serializer_context()).data,
                        status=status.HTTP_201_CREATED)


class EventViewSet(AuditedViewMixin, mixins.CreateModelMixin, mixins.RetrieveModelMixin,
                   mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = EventSerializer
    permission_classes = [CanWriteFacts]
    filterset_fields = ["debtor", "type", "channel"]

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return events_visible_to(self.request.user).order_by("-occurred_at", "-id")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        event = event_record(account_ids=data.pop("account_ids"), created_by=request.user, **data)
        return Response(EventSerializer(event, context=self.get_serializer_context()).data,
                        status=status.HTTP_201_CREATED)
