import datetime as dt
from typing import Any

from rest_framework import serializers

from collections_app.api.fields import InstantField
from collections_app.api.serializers import normalize_e164
from compliance.engine.constants import Channel, Direction, Purpose
from compliance.models import Decision

PHONE_CHANNELS = ("call", "voicemail", "sms")


class MessageSerializer(serializers.Serializer):
    purpose = serializers.ChoiceField([p.value for p in Purpose], default="collection")
    subject = serializers.CharField(required=False, allow_blank=True, max_length=500)
    text = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    amount_demanded = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0, required=False)
    validation_period_end = serializers.DateField(required=False)


class CheckSerializer(serializers.Serializer):
    account = serializers.IntegerField(min_value=1, max_value=2**63 - 1,
                                       help_text="An account the caller may see (else 404).")
    channel = serializers.ChoiceField([c.value for c in Channel])
    target = serializers.CharField(required=False, allow_blank=True, max_length=254, default="")
    at = InstantField(required=False)
    direction = serializers.ChoiceField([d.value for d in Direction], default="outbound")
    message = MessageSerializer(required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        channel, target = attrs["channel"], attrs.get("target", "").strip()
        if target and channel in PHONE_CHANNELS:
            try:
                target = normalize_e164(target)
            except serializers.ValidationError as exc:
                raise serializers.ValidationError({"target": exc.detail}) from exc
        elif target and channel == "email":
            if "@" not in target:
                raise serializers.ValidationError({"target": ["An e-mail target is an address."]})
            target = target.lower()
        elif target and channel == "letter" and not (target.startswith("address:")
                                                       and target.split(":", 1)[1].isdigit()):
            raise serializers.ValidationError({"target": ['A letter target is "address:<id>".']})
        attrs["target"] = target
        if "message" in attrs:
            attrs["message"] = {k: (v.isoformat() if isinstance(v, dt.date) else str(v) if k == "amount_demanded"
                                    else v) for k, v in attrs["message"].items()}
        return attrs


class ReasonSerializer(serializers.Serializer):
    rule = serializers.CharField()
    message = serializers.CharField()
    unblocked_by = serializers.CharField(allow_null=True)


class DecisionAnswerSerializer(serializers.Serializer):
    """Documents the contract's answer shape for OpenAPI."""

    allowed = serializers.BooleanField()
    reasons = ReasonSerializer(many=True)
    next_allowed_at = serializers.DateTimeField(allow_null=True)
    timezones = serializers.ListField(child=serializers.CharField())
    decision = serializers.IntegerField(allow_null=True)


class DecisionSerializer(serializers.ModelSerializer):
    decision = serializers.IntegerField(source="id", read_only=True)

    class Meta:
        model = Decision
        fields = ["id", "decision", "account", "debtor", "client", "channel", "target", "direction", "purpose", "at",
                  "allowed", "reasons", "warnings", "exemptions", "next_allowed_at", "timezones", "ruleset_version",
                  "source", "actor", "created_at", "snapshot"]
        read_only_fields = fields
