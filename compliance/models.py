from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models


class Decision(models.Model):
    """One answer of the compliance gate, kept as evidence.

    ``snapshot`` holds every input the engine saw (facts, timeline, request) so the decision can be
    replayed with ``compliance.services.decision_replay`` and explained long after the facts changed.
    """

    # No index of their own: the composite indexes below lead with each of them (one index entry
    # less per stored decision, on the check's hot path).
    client = models.ForeignKey("collections_app.Client", on_delete=models.PROTECT, related_name="+", db_index=False)
    debtor = models.ForeignKey("collections_app.Debtor", on_delete=models.PROTECT, related_name="decisions",
                               db_index=False)
    account = models.ForeignKey("collections_app.Account", on_delete=models.PROTECT, related_name="decisions",
                                db_index=False)
    channel = models.CharField(max_length=16)
    target = models.CharField(max_length=254, blank=True)
    direction = models.CharField(max_length=20, default="outbound")
    purpose = models.CharField(max_length=24, default="collection")
    at = models.DateTimeField(help_text="The instant the question was about.")
    allowed = models.BooleanField()
    reasons = models.JSONField(default=list)
    warnings = models.JSONField(default=list)
    exemptions = models.JSONField(default=list)
    next_allowed_at = models.DateTimeField(null=True, blank=True)
    timezones = ArrayField(models.CharField(max_length=64), default=list)
    ruleset_version = models.CharField(max_length=60)
    snapshot = models.JSONField()
    source = models.CharField(max_length=20, default="api", help_text="api, desk, outbox, cadence, portal")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["account", "-created_at"], name="decision_account_time"),
            models.Index(fields=["debtor", "-created_at"], name="decision_debtor_time"),
            models.Index(fields=["client", "allowed", "-created_at"], name="decision_client_allowed"),
        ]

    def __str__(self) -> str:
        verdict = "allowed" if self.allowed else "blocked"
        return f"{self.channel} {verdict} @ {self.at:%Y-%m-%d %H:%M}Z"

    @property
    def rules(self) -> list[str]:
        return [r["rule"] for r in self.reasons]
