"""Thin API views for payments, plans, promises and settlements: parse, call one service, render."""

from typing import Any

from django.db.models import Prefetch
from django.http import HttpResponse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from collections_app.api.money_serializers import (
    PaymentCreateSerializer,
    PaymentReverseSerializer,
    PaymentSerializer,
    PlanActivateSerializer,
    PlanCancelSerializer,
    PlanCreateSerializer,
    PlanPreviewResultSerializer,
    PlanPreviewSerializer,
    PlanRenegotiateSerializer,
    PlanSerializer,
    PromiseSerializer,
    SettlementDecisionSerializer,
    SettlementOfferSerializer,
    SettlementSerializer,
)
from collections_app.api.permissions import CanWriteFacts
from collections_app.api.views import AuditedViewMixin
from collections_app.models import Installment, LedgerEntry, Payment, Plan, Promise, Settlement
from collections_app.selectors import (
    payments_visible_to,
    plans_visible_to,
    promises_visible_to,
    settlements_visible_to,
)
from collections_app.services.payments import payment_post, payment_reverse
from collections_app.services.plan_agreement import plan_agreement_pdf
from collections_app.services.plans import (
    plan_activate,
    plan_cancel,
    plan_preview,
    plan_propose,
    plan_renegotiate,
)
from collections_app.services.promises import promise_make
from collections_app.services.settlements import settlement_approve, settlement_offer, settlement_reject

REPLAYED_HEADER = "Idempotent-Replayed"


class PaymentViewSet(AuditedViewMixin, mixins.CreateModelMixin, mixins.RetrieveModelMixin,
                     mixins.ListModelMixin, viewsets.GenericViewSet):
    queryset = Payment.objects.none()  # for the schema; requests use get_queryset()
    serializer_class = PaymentSerializer
    permission_classes = [CanWriteFacts]
    filterset_fields = ["account", "status", "method", "external_id", "plan"]

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return (
            payments_visible_to(self.request.user)
            .select_related("account")
            .prefetch_related(Prefetch("entries", queryset=LedgerEntry.objects.order_by("id")))
            .order_by("-received_at", "-id")
        )

    def _render(self, payment_id: int, code: int, replayed: bool) -> Response:
        payment = self.get_queryset().get(pk=payment_id)
        response = Response(PaymentSerializer(payment, context=self.get_serializer_context()).data, status=code)
        response[REPLAYED_HEADER] = "true" if replayed else "false"
        return response

    @extend_schema(
        request=PaymentCreateSerializer,
        responses={
            201: PaymentSerializer,
            200: OpenApiResponse(PaymentSerializer, description="This external_id was already posted for the "
                                 "client: the original payment, nothing changed."),
            400: OpenApiResponse(description="Amount not above zero, above the balance (unless the client allows "
                                 "overpayment), more than two decimal places, or the account is closed."),
        },
        description="Record a payment and allocate it across fees, interest and principal in the client's order. "
                    "`external_id` is an idempotency key per client, safe under concurrent retries: the key alone "
                    "decides, so a repeat returns the original payment (200, header `Idempotent-Replayed: true`) "
                    "even if the repeated body differs. The response carries the account's balances now.",
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = PaymentCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        result = payment_post(created_by=request.user, **serializer.validated_data)
        return self._render(result.payment.pk, status.HTTP_201_CREATED if result.created else status.HTTP_200_OK,
                            replayed=not result.created)

    @extend_schema(
        request=PaymentReverseSerializer,
        responses={200: OpenApiResponse(PaymentSerializer, description="The reversed payment. Reversing an already "
                                        "reversed payment changes nothing and returns the same reversed state "
                                        "with 200 (header Idempotent-Replayed: true).")},
        description="Reverse a payment (NSF, chargeback, posted in error) exactly once: its allocations are put "
                    "back on the balances; an account it had closed reopens.",
    )
    @action(detail=True, methods=["post"])
    def reverse(self, request: Request, pk: str) -> Response:
        payment = self.get_object()
        serializer = PaymentReverseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        payment, reversed_now = payment_reverse(payment, reason=serializer.validated_data["reason"],
                                                created_by=request.user)
        return self._render(payment.pk, status.HTTP_200_OK, replayed=not reversed_now)


class PlanViewSet(AuditedViewMixin, mixins.CreateModelMixin, mixins.RetrieveModelMixin, mixins.ListModelMixin,
                  viewsets.GenericViewSet):
    queryset = Plan.objects.none()  # for the schema; requests use get_queryset()
    serializer_class = PlanSerializer
    permission_classes = [CanWriteFacts]
    filterset_fields = ["debtor", "status", "accounts"]

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return (
            plans_visible_to(self.request.user)
            .select_related("settlement")
            .prefetch_related("accounts", Prefetch("installments", queryset=Installment.objects.order_by("seq")))
            .order_by("-id")
        )

    def _render(self, plan_id: int, code: int = status.HTTP_200_OK) -> Response:
        plan = self.get_queryset().get(pk=plan_id)
        return Response(PlanSerializer(plan, context=self.get_serializer_context()).data, status=code)

    @extend_schema(request=PlanPreviewSerializer, responses={200: PlanPreviewResultSerializer},
                   description="The schedule a plan would have; nothing is written.")
    @action(detail=False, methods=["post"])
    def preview(self, request: Request) -> Response:
        serializer = PlanPreviewSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        total, lines = plan_preview(**serializer.validated_data)
        return Response(PlanPreviewResultSerializer({"total": total, "installments": lines}).data)

    @extend_schema(request=PlanCreateSerializer, responses={201: PlanSerializer},
                   description="Propose a plan over one or more accounts of one debtor.")
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = PlanCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        plan = plan_propose(created_by=request.user, **serializer.validated_data)
        return self._render(plan.pk, status.HTTP_201_CREATED)

    @extend_schema(request=PlanActivateSerializer, responses={200: PlanSerializer})
    @action(detail=True, methods=["post"])
    def activate(self, request: Request, pk: str) -> Response:
        serializer = PlanActivateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        plan = plan_activate(self.get_object(), created_by=request.user, **serializer.validated_data)
        return self._render(plan.pk)

    @extend_schema(request=PlanRenegotiateSerializer, responses={200: PlanSerializer},
                   description="Change installments' dates or amounts; the unpaid rest is rebalanced to the total. "
                               "A broken plan becomes active again.")
    @action(detail=True, methods=["post"])
    def renegotiate(self, request: Request, pk: str) -> Response:
        serializer = PlanRenegotiateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        plan = plan_renegotiate(self.get_object(), changes=serializer.validated_data["changes"],
                                created_by=request.user)
        return self._render(plan.pk)

    @extend_schema(request=PlanCancelSerializer, responses={200: PlanSerializer})
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str) -> Response:
        serializer = PlanCancelSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        plan = plan_cancel(self.get_object(), created_by=request.user, **serializer.validated_data)
        return self._render(plan.pk)

    @extend_schema(responses={(200, "application/pdf"): OpenApiResponse(description="The plan agreement PDF.")})
    @action(detail=True, methods=["get"])
    def agreement(self, request: Request, pk: str) -> HttpResponse:
        plan = self.get_object()
        response = HttpResponse(plan_agreement_pdf(plan), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="plan-{plan.pk}-agreement.pdf"'
        return response


class PromiseViewSet(AuditedViewMixin, mixins.CreateModelMixin, mixins.RetrieveModelMixin,
                     mixins.ListModelMixin, viewsets.GenericViewSet):
    queryset = Promise.objects.none()  # for the schema; requests use get_queryset()
    serializer_class = PromiseSerializer
    permission_classes = [CanWriteFacts]
    filterset_fields = ["account", "debtor", "status", "source"]

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return promises_visible_to(self.request.user).order_by("-made_at", "-id")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        promise = promise_make(created_by=request.user, **serializer.validated_data)
        return Response(PromiseSerializer(promise, context=self.get_serializer_context()).data,
                        status=status.HTTP_201_CREATED)


class SettlementViewSet(AuditedViewMixin, mixins.CreateModelMixin, mixins.RetrieveModelMixin,
                        mixins.ListModelMixin, viewsets.GenericViewSet):
    queryset = Settlement.objects.none()  # for the schema; requests use get_queryset()
    serializer_class = SettlementSerializer
    permission_classes = [CanWriteFacts]
    filterset_fields = ["debtor", "status", "kind"]

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return settlements_visible_to(self.request.user).prefetch_related("accounts").order_by("-id")

    def _render(self, settlement_id: int, code: int = status.HTTP_200_OK) -> Response:
        settlement = self.get_queryset().get(pk=settlement_id)
        return Response(SettlementSerializer(settlement, context=self.get_serializer_context()).data, status=code)

    @extend_schema(request=SettlementOfferSerializer, responses={201: SettlementSerializer},
                   description="Offer a settlement. Within the offerer's limit (their own settlement_limit_pct, "
                               "else the client's) or by a supervisor it is approved at once; above it, it waits "
                               "in pending_approval for a supervisor.")
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = SettlementOfferSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        settlement = settlement_offer(offered_by=request.user, **serializer.validated_data)
        return self._render(settlement.pk, status.HTTP_201_CREATED)

    @extend_schema(request=SettlementDecisionSerializer, responses={200: SettlementSerializer},
                   description="Supervisors only (403 otherwise).")
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str) -> Response:
        serializer = SettlementDecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        settlement = settlement_approve(self.get_object(), decided_by=request.user, **serializer.validated_data)
        return self._render(settlement.pk)

    @extend_schema(request=SettlementDecisionSerializer, responses={200: SettlementSerializer},
                   description="Supervisors only (403 otherwise).")
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str) -> Response:
        serializer = SettlementDecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        settlement = settlement_reject(self.get_object(), decided_by=request.user, **serializer.validated_data)
        return self._render(settlement.pk)
