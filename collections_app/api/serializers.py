"""Serializers for the contract's Clients, Debtors, Accounts and Case events sections."""

import datetime as dt
from decimal import Decimal
from typing import Any

import phonenumbers
from django.utils import timezone
from rest_framework import serializers

from collections_app.api.fields import InstantField, ScopedPrimaryKeyField
from collections_app.constants import (
    CONTRACT_EVENT_TYPES,
    US_STATES,
    WRITTEN_EVENT_TYPES,
    AccountKind,
    AccountStatus,
    AddressKind,
    CallOutcome,
    Channel,
    DebtorKind,
    Direction,
    OperatorType,
    PhoneKind,
)
from collections_app.models import Account, Address, CaseEvent, Client, Debtor, Email, Phone
from collections_app.selectors import clients_visible_to, debtors_visible_to

MONEY: dict[str, Any] = {"max_digits": 14, "decimal_places": 2}
LAW_WINDOW = (dt.time(8, 0), dt.time(21, 0))


def normalize_e164(value: str) -> str:
    try:
        number = phonenumbers.parse(value, "US")
    except phonenumbers.NumberParseException as exc:
        raise serializers.ValidationError(f"{value!r} is not a phone number.") from exc
    if not phonenumbers.is_possible_number(number):
        raise serializers.ValidationError(f"{value!r} is not a possible phone number.")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


class ClientSerializer(serializers.ModelSerializer):
    operator_type = serializers.ChoiceField(OperatorType.choices, default=OperatorType.THIRD_PARTY_COLLECTOR)

    class Meta:
        model = Client
        fields = [
            "id", "name", "operator_type", "call_window_start", "call_window_end", "max_calls_per_7_days",
            "sms_enabled", "email_enabled", "defer_blocked_messages", "allocation_order", "allow_overpayment",
            "settlement_limit_pct", "license_number", "created_at", "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        start = attrs.get("call_window_start", getattr(self.instance, "call_window_start", LAW_WINDOW[0]))
        end = attrs.get("call_window_end", getattr(self.instance, "call_window_end", LAW_WINDOW[1]))
        if not (start.hour >= 8 and start < end and (end.hour, end.minute) <= (21, 0)):
            raise serializers.ValidationError(
                {"call_window_start": ["A client's call window must lie within 08:00–21:00 local time."]}
            )
        return attrs


class AddressSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(AddressKind.choices, default=AddressKind.HOME)
    country = serializers.CharField(max_length=2, default="US")

    class Meta:
        model = Address
        fields = ["id", "kind", "line1", "line2", "city", "state", "postal_code", "country", "status"]
        read_only_fields = ["id", "status"]

    def validate_state(self, value: str) -> str:
        value = value.strip().upper()
        if value not in US_STATES:
            raise serializers.ValidationError(f"{value!r} is not a US state or territory code.")
        return value

    def validate_postal_code(self, value: str) -> str:
        value = value.strip()
        digits = value.replace("-", "")
        if not digits.isdigit() or len(digits) not in (5, 9):
            raise serializers.ValidationError("A US postal code is 5 digits or ZIP+4.")
        return value[:5] if len(digits) == 5 else f"{digits[:5]}-{digits[5:]}"

    def validate_country(self, value: str) -> str:
        return value.upper()


class PhoneSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(PhoneKind.choices, default=PhoneKind.MOBILE)
    sms_consent = serializers.BooleanField(default=False)

    class Meta:
        model = Phone
        fields = ["id", "kind", "number", "sms_consent", "status"]
        read_only_fields = ["id", "status"]

    def validate_number(self, value: str) -> str:
        return normalize_e164(value)


class EmailSerializer(serializers.ModelSerializer):
    employer_provided = serializers.BooleanField(default=False)
    consent = serializers.BooleanField(default=False)

    class Meta:
        model = Email
        fields = ["id", "address", "employer_provided", "consent", "status"]
        read_only_fields = ["id", "status"]

    def validate_address(self, value: str) -> str:
        return value.strip().lower()


class DebtorSerializer(serializers.ModelSerializer):
    client = ScopedPrimaryKeyField(clients_visible_to)
    kind = serializers.ChoiceField(DebtorKind.choices, default=DebtorKind.PERSON)
    external_ref = serializers.CharField(max_length=100, required=False, allow_null=True, allow_blank=True)
    date_of_birth = serializers.DateField(required=False, allow_null=True)
    addresses = AddressSerializer(many=True, required=False)
    phones = PhoneSerializer(many=True, required=False)
    emails = EmailSerializer(many=True, required=False)
    timezones = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Debtor
        fields = [
            "id", "client", "kind", "name", "external_ref", "date_of_birth", "preferred_language",
            "addresses", "phones", "emails", "timezones", "created_at", "updated_at",
        ]
        read_only_fields = ["id", "timezones", "created_at", "updated_at"]
        validators: list = []  # uniqueness is checked in validate() so the error names the field

    def validate_date_of_birth(self, value: Any) -> Any:
        if value and value >= timezone.localdate():
            raise serializers.ValidationError("A date of birth must be in the past.")
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        ref = attrs.get("external_ref")
        if ref and Debtor.objects.filter(client=attrs["client"], external_ref=ref).exists():
            raise serializers.ValidationError({"external_ref": ["A debtor with this reference exists for this client."]})
        return attrs


class AccountSerializer(serializers.ModelSerializer):
    debtor = ScopedPrimaryKeyField(debtors_visible_to)
    kind = serializers.ChoiceField(AccountKind.choices, default=AccountKind.CONSUMER)
    principal = serializers.DecimalField(**MONEY, min_value=0)
    interest = serializers.DecimalField(**MONEY, min_value=0, default=Decimal("0.00"))
    fees = serializers.DecimalField(**MONEY, min_value=0, default=Decimal("0.00"))
    balance = serializers.DecimalField(**MONEY, read_only=True)
    principal_balance = serializers.DecimalField(**MONEY, read_only=True)
    interest_balance = serializers.DecimalField(**MONEY, read_only=True)
    fees_balance = serializers.DecimalField(**MONEY, read_only=True)
    status = serializers.ChoiceField(AccountStatus.choices, read_only=True)
    time_barred = serializers.BooleanField(read_only=True)
    governing_state = serializers.CharField(max_length=2, required=False, allow_blank=True)

    class Meta:
        model = Account
        fields = [
            "id", "client", "debtor", "reference", "kind", "original_creditor", "current_creditor", "product",
            "principal", "interest", "fees", "balance", "principal_balance", "interest_balance", "fees_balance",
            "open_date", "delinquency_date", "charge_off_date", "last_payment_date", "itemization_date",
            "governing_state", "status", "time_barred", "sol_expires_on", "validation_period_end",
            "placed_at", "assigned_to", "segment", "created_at", "updated_at",
        ]
        read_only_fields = [
            "id", "client", "status", "sol_expires_on", "validation_period_end", "placed_at", "assigned_to",
            "created_at", "updated_at",
        ]

    def validate_governing_state(self, value: str) -> str:
        value = value.strip().upper()
        if value and value not in US_STATES:
            raise serializers.ValidationError(f"{value!r} is not a US state or territory code.")
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        debtor = attrs["debtor"]
        if Account.objects.filter(client_id=debtor.client_id, reference=attrs["reference"]).exists():
            raise serializers.ValidationError({"reference": ["An account with this reference exists for this client."]})
        dates = {k: attrs.get(k) for k in ("open_date", "delinquency_date", "charge_off_date", "last_payment_date")}
        today = timezone.localdate()
        for name, value in dates.items():
            if value and value > today:
                raise serializers.ValidationError({name: ["Cannot be in the future."]})
        if dates["open_date"] and dates["delinquency_date"] and dates["delinquency_date"] < dates["open_date"]:
            raise serializers.ValidationError({"delinquency_date": ["Cannot be before the open date."]})
        return attrs


class EventSerializer(serializers.ModelSerializer):
    debtor = ScopedPrimaryKeyField(debtors_visible_to)
    accounts = serializers.ListField(
        child=serializers.IntegerField(min_value=1), source="account_ids", required=False, default=list
    )
    type = serializers.ChoiceField(CONTRACT_EVENT_TYPES)
    direction = serializers.ChoiceField(Direction.choices, required=False, allow_blank=True, default="")
    channel = serializers.ChoiceField(Channel.choices, required=False, allow_blank=True, default="")
    outcome = serializers.ChoiceField(CallOutcome.choices, required=False, allow_blank=True, default="")
    target = serializers.CharField(max_length=254, required=False, allow_blank=True, default="")
    written = serializers.BooleanField(
        required=False, allow_null=True, default=None,
        help_text="Defaults to true for disputes, cease notices and original-creditor requests, false otherwise.",
    )
    data = serializers.DictField(required=False, default=dict)  # type: ignore[assignment]
    occurred_at = InstantField()

    class Meta:
        model = CaseEvent
        fields = [
            "id", "debtor", "accounts", "type", "occurred_at", "direction", "channel", "target", "outcome",
            "written", "data", "created_by", "created_at",
        ]
        read_only_fields = ["id", "created_by", "created_at"]

    def validate_target(self, value: str) -> str:
        value = value.strip()
        if not value or value.startswith("address:") or "@" in value:
            return value.lower() if "@" in value else value
        return normalize_e164(value)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs.get("written") is None:
            attrs["written"] = attrs["type"] in WRITTEN_EVENT_TYPES
        return attrs

    def validate_occurred_at(self, value: Any) -> Any:
        if value > timezone.now() + dt.timedelta(minutes=5):
            raise serializers.ValidationError("An event cannot have occurred in the future.")
        return value

