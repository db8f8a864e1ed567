from rest_framework import serializers

from collections_app.api.fields import ScopedPrimaryKeyField
from collections_app.selectors import accounts_visible_to
from communications.constants import MessageChannel, Purpose
from communications.models import Message


class MessageRequestSerializer(serializers.Serializer):
    """The contract's POST /messages/ body."""

    account = ScopedPrimaryKeyField(accounts_visible_to)
    channel = serializers.ChoiceField(choices=MessageChannel.choices)
    target = serializers.CharField(max_length=254, required=False, allow_blank=True)
    template = serializers.SlugField(max_length=60, required=False)
    subject = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    text = serializers.CharField(required=False, allow_blank=True, default="")
    purpose = serializers.ChoiceField(choices=Purpose.choices, required=False)
    language = serializers.ChoiceField(choices=[("en", "English"), ("es", "Español")], required=False)
    idempotency_key = serializers.CharField(max_length=100, required=False)

    def validate(self, attrs: dict) -> dict:
        if attrs.get("template") and attrs.get("text"):
            raise serializers.ValidationError({"text": ["give either a template or subject + text, not both."]})
        if not attrs.get("template") and not attrs.get("text", "").strip():
            raise serializers.ValidationError({"template": ['required, unless "subject" and "text" are given.']})
        if attrs["channel"] == MessageChannel.EMAIL and not attrs.get("template") and not attrs.get("subject"):
            raise serializers.ValidationError({"subject": ["a one-off email needs a subject."]})
        return attrs


class MessageSerializer(serializers.ModelSerializer):
    template = serializers.SerializerMethodField()
    account = serializers.IntegerField(source="account_id", read_only=True)

    class Meta:
        model = Message
        fields = ["id", "status", "decision", "scheduled_for", "account", "channel", "target", "template",
                  "language", "purpose", "subject", "text", "source", "attempts", "sent_at", "delivered_at",
                  "failed_at", "error", "created_at"]
        read_only_fields = fields

    def get_template(self, message: Message) -> str | None:
        return message.template.code if message.template else None
