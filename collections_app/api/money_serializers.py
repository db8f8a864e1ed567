"""Serializers for payments (the contract's section), plans, promises and settlements."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from collections_app.api.fields import InstantField, ScopedPrimaryKeyField
from collections_app.constants import (
    Component,
    PaymentMethod,
    PlanFrequency,
    PromiseSource,
    ReversalReason,
    SettlementKind,
)
from collections_app.models import Installment, Payment, Plan, Promise, Settlement
from collections_app.models.accounts import ZERO
from collections_app.selectors import accounts_visible_to


class PositiveMoneyField(serializers.DecimalField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_digits=14, decimal_places=2, **kwargs)

    def to_internal_value(self, data: Any) -> Decimal:
        value = super().to_internal_value(data)
        if value <= 0:
            raise serializers.ValidationError("must be greater than zero.")
        return value


@extend_schema_field(OpenApiTypes.INT)
class AccountRefField(ScopedPrimaryKeyField):
    """An account id the caller may see (404 otherwise)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(accounts_visible_to, **kwargs)


class FrequencyField(serializers.ChoiceField):
    """weekly | biweekly | semi_monthly | monthly (also accepts "semi-monthly", "semimonthly", "bi-weekly")."""

    ALIASES = {"semi-monthly": "semi_monthly", "semimonthly": "semi_monthly", "bi-weekly": "biweekly",
               "fortnightly": "biweekly"}

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(PlanFrequency.choices, **kwargs)

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, str):
            data = self.ALIASES.get(data.strip().lower(), data.strip().lower())
        return super().to_internal_value(data)


def _accounts_field() -> serializers.ListField:
    return serializers.ListField(child=AccountRefField(), min_length=1, max_length=20)


# -- payments ------------------------------------------------------------------------------------
class PaymentCreateSerializer(serializers.Serializer):
    account = AccountRefField()
    amount = PositiveMoneyField()
    received_at = InstantField()
    method = serializers.ChoiceField(PaymentMethod.choices)
    external_id = serializers.CharField(max_length=100, required=False, allow_blank=True, default="",
                                        help_text="Idempotency key, unique per client: the same key again "
                                                  "returns the original payment with 200 and changes nothing.")

    def validate_received_at(self, value: Any) -> Any:
        if value > timezone.now() + dt.timedelta(minutes=5):
            raise serializers.ValidationError("A payment cannot be received in the future.")
        return value


class AllocationSerializer(serializers.Serializer):
    component = serializers.ChoiceField(Component.choices)
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)


def _balance_field(source: str) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=14, decimal_places=2, source=source, read_only=True,
                                    help_text="The account's balance now.")


class PaymentSerializer(serializers.ModelSerializer):
    allocations = serializers.SerializerMethodField()
    balance = _balance_field("account.balance")
    principal_balance = _balance_field("account.principal_balance")
    interest_balance = _balance_field("account.interest_balance")
    fees_balance = _balance_field("account.fees_balance")
    account_status = serializers.CharField(source="account.status", read_only=True)

    class Meta:
        model = Payment
        fields = [
            "id", "account", "amount", "unapplied", "received_at", "method", "external_id", "status",
            "reversal_reason", "reversed_at", "plan", "allocations", "balance", "principal_balance",
            "interest_balance", "fees_balance", "account_status", "created_at",
        ]
        read_only_fields = fields

    @staticmethod
    def _allocations(payment: Payment) -> list[dict[str, str]]:
        return [{"component": e.component, "amount": f"{-e.amount:.2f}"}
                for e in sorted(payment.entries.all(), key=lambda e: e.id) if e.kind == "allocation"]

    @extend_schema_field(AllocationSerializer(many=True))
    def get_allocations(self, payment: Payment) -> list[dict[str, str]]:
        return self._allocations(payment)


class PaymentReverseSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(ReversalReason.choices)


# -- plans ---------------------------------------------------------------------------------------
class PlanPreviewSerializer(serializers.Serializer):
    accounts = _accounts_field()
    frequency = FrequencyField()
    start = serializers.DateField(required=False, help_text="Earliest first due date (default today).")
    payday = serializers.DateField(required=False, allow_null=True,
                                   help_text="A payday the debtor names; due dates align to its cycle.")
    count = serializers.IntegerField(required=False, min_value=1, max_value=260)
    installment_amount = PositiveMoneyField(required=False)
    total = PositiveMoneyField(required=False, help_text="Default: the accounts' whole balance.")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if ("count" in attrs) == ("installment_amount" in attrs):
            raise serializers.ValidationError({"count": ["give either count or installment_amount."]})
        attrs.setdefault("start", timezone.localdate())
        return attrs


class PlanCreateSerializer(PlanPreviewSerializer):
    grace_days = serializers.IntegerField(required=False, min_value=0, max_value=30, default=5)


class ScheduleLineSerializer(serializers.Serializer):
    seq = serializers.IntegerField()
    due_date = serializers.DateField()
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)


class PlanPreviewResultSerializer(serializers.Serializer):
    total = serializers.DecimalField(max_digits=14, decimal_places=2)
    installments = ScheduleLineSerializer(many=True)


class InstallmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Installment
        fields = ["seq", "due_date", "amount", "paid_amount", "status"]


class PlanSerializer(serializers.ModelSerializer):
    installments = InstallmentSerializer(many=True, read_only=True)
    paid = serializers.SerializerMethodField()
    remaining = serializers.SerializerMethodField()
    balance = serializers.SerializerMethodField(help_text="The plan's accounts' balance now.")
    settlement = serializers.SerializerMethodField()

    class Meta:
        model = Plan
        fields = [
            "id", "client", "debtor", "accounts", "status", "frequency", "payday", "grace_days", "total", "paid",
            "remaining", "balance", "installments", "settlement", "signed_by_name", "signed_at", "activated_at",
            "closed_at", "created_at", "updated_at",
        ]
        read_only_fields = fields

    def _paid(self, plan: Plan) -> Decimal:
        return sum((i.paid_amount for i in plan.installments.all()), ZERO)

    def get_paid(self, plan: Plan) -> str:
        return f"{self._paid(plan):.2f}"

    def get_remaining(self, plan: Plan) -> str:
        return f"{plan.total - self._paid(plan):.2f}"

    def get_balance(self, plan: Plan) -> str:
        return f"{sum((a.balance for a in plan.accounts.all()), ZERO):.2f}"

    def get_settlement(self, plan: Plan) -> int | None:
        settlement = getattr(plan, "settlement", None)
        return settlement.pk if settlement else None


class PlanActivateSerializer(serializers.Serializer):
    signed_by_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class InstallmentChangeSerializer(serializers.Serializer):
    seq = serializers.IntegerField(min_value=1)
    due_date = serializers.DateField(required=False)
    amount = PositiveMoneyField(required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if "due_date" not in attrs and "amount" not in attrs:
            raise serializers.ValidationError("change the due_date, the amount or both.")
        return attrs


class PlanRenegotiateSerializer(serializers.Serializer):
    changes = InstallmentChangeSerializer(many=True, allow_empty=False)


class PlanCancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="cancelled")


# -- promises ------------------------------------------------------------------------------------
class PromiseSerializer(serializers.ModelSerializer):
    account = AccountRefField()
    amount = PositiveMoneyField()
    source = serializers.ChoiceField(PromiseSource.choices, default=PromiseSource.CALL)  # type: ignore[assignment]

    class Meta:
        model = Promise
        fields = ["id", "account", "debtor", "amount", "due_date", "source", "status", "paid_amount", "made_at",
                  "evaluated_at", "created_by", "created_at"]
        read_only_fields = ["id", "debtor", "status", "paid_amount", "made_at", "evaluated_at", "created_by",
                            "created_at"]


# -- settlements ---------------------------------------------------------------------------------
class SettlementOfferSerializer(serializers.Serializer):
    accounts = _accounts_field()
    kind = serializers.ChoiceField(SettlementKind.choices, default=SettlementKind.LUMP_SUM)
    amount = PositiveMoneyField(required=False)
    discount_pct = serializers.DecimalField(max_digits=5, decimal_places=2, required=False, min_value=Decimal("0"),
                                            max_value=Decimal("99.99"))
    due_date = serializers.DateField(help_text="The lump sum's due date, or the first installment's.")
    frequency = FrequencyField(required=False, allow_blank=True, default="")
    installment_count = serializers.IntegerField(required=False, min_value=1, max_value=60, default=1)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if ("amount" in attrs) == ("discount_pct" in attrs):
            raise serializers.ValidationError({"amount": ["give either amount or discount_pct."]})
        return attrs


class SettlementSerializer(serializers.ModelSerializer):
    class Meta:
        model = Settlement
        fields = ["id", "client", "debtor", "accounts", "kind", "balance", "amount", "discount_pct", "status",
                  "due_date", "frequency", "installment_count", "plan", "offered_by", "decided_by", "decided_at",
                  "decision_note", "fulfilled_at", "created_at", "updated_at"]
        read_only_fields = fields


class SettlementDecisionSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
