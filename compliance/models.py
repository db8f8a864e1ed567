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


class EligibilityFacts(models.Model):
    """What the batch form of the gate reads for one account, kept between batches.

    Written by ``compliance.eligibility_facts.refresh`` from the account, its debtor's contact points
    and its timeline, in absolute terms (instants, not "days ago"), so one row serves any later
    instant; deleted by triggers (migration 0003) whenever one of those sources changes, and
    written again by the next batch that needs it. Never edited by hand: it is a cache.
    """

    account_id = models.BigIntegerField(primary_key=True)
    debtor_id = models.BigIntegerField(db_index=True)
    client_id = models.BigIntegerField()
    as_of = models.DateTimeField(help_text="Counted calls are kept from nine days before this instant.")
    last_event_at = models.DateTimeField(null=True, help_text="Valid only for instants from this one on.")
    zone = models.CharField(max_length=64, help_text="The day-counting zone.")
    sig_phone = models.BigIntegerField(help_text="EligibilitySignature key of the call, voicemail and text facts.")
    sig_email = models.BigIntegerField()
    sig_letter = models.BigIntegerField()
    sig_none = models.BigIntegerField(help_text="... of the facts with no contact point (credit reporting).")
    target_phone = models.CharField(max_length=254, blank=True)
    target_email = models.CharField(max_length=254, blank=True)
    target_letter = models.CharField(max_length=254, blank=True)
    notice = models.BooleanField(help_text="A validation notice was sent.")
    first_at = models.BigIntegerField(null=True, help_text="The initial communication (epoch seconds).")
    first_written_at = models.BigIntegerField(null=True, help_text="The first written communication (epoch seconds).")
    talked = models.BooleanField()
    last_talk_at = models.BigIntegerField(null=True, help_text="The last conversation by telephone (epoch seconds).")
    calls_target = models.TextField(blank=True, help_text="Counted calls to the primary number (epoch seconds).")
    calls_other = models.TextField(blank=True, help_text="... to the debtor's other numbers.")
    calls_none = models.TextField(blank=True, help_text="... logged without a number.")
    target_calls_count = models.BooleanField(help_text="False when the primary number is known to be wrong.")
    wrong_other = models.BooleanField(help_text="A wrong number on file: calls to other numbers need the engine.")
    attorney_contact = models.BooleanField(help_text="An attorney notice names a number to call.")
    engine_channels = models.SmallIntegerField(help_text="Channels only the full engine decides (eligibility_facts.bit).")
    ma_contacts = models.TextField(blank=True, help_text="Massachusetts: counted contacts of the last 32 days.")
    stop_phone = models.TextField(blank=True, help_text="The absolute stops' key and substitutions, or 'engine'.")
    stop_email = models.TextField(blank=True)
    stop_letter = models.TextField(blank=True)
    stop_none = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"eligibility facts of account {self.account_id} as of {self.as_of:%Y-%m-%d %H:%M}Z"


class EligibilitySignature(models.Model):
    """The static part of an ``EligibilityFacts`` signature, stored once per distinct value."""

    key = models.BigIntegerField(primary_key=True)
    text = models.TextField()

    def __str__(self) -> str:
        return self.text
