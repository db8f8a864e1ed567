"""Vocabulary of the outbound path: message states, channels we send on, template codes."""

from django.db import models


class MessageStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"  # blocked for now; the sweep releases it at scheduled_for
    QUEUED = "queued", "Queued"  # allowed at queueing; a worker checks again and sends
    BLOCKED = "blocked", "Blocked"  # the gate said no; never sent
    SENDING = "sending", "Sending"  # handed to the transport; never retried from here
    SENT = "sent", "Sent"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Failed"


class MessageChannel(models.TextChoices):
    EMAIL = "email", "Email"
    SMS = "sms", "SMS"
    LETTER = "letter", "Letter"


class StepChannel(models.TextChoices):
    EMAIL = "email", "Email"
    SMS = "sms", "SMS"
    LETTER = "letter", "Letter"
    CALL = "call", "Collector call"


class Language(models.TextChoices):
    EN = "en", "English"
    ES = "es", "Español"


class Purpose(models.TextChoices):
    """The contract's message purposes: they decide which exceptions the gate applies."""

    COLLECTION = "collection", "Collection"
    VALIDATION_NOTICE = "validation_notice", "Validation notice"
    VERIFICATION = "verification", "Verification"
    TERMINATION_NOTICE = "termination_notice", "Termination notice"
    REMEDY_NOTICE = "remedy_notice", "Remedy notice"
    OPT_OUT_CONFIRMATION = "opt_out_confirmation", "Opt-out confirmation"


class Source(models.TextChoices):
    API = "api", "API"
    CADENCE = "cadence", "Cadence"
    COLLECTOR = "collector", "Collector"
    PORTAL = "portal", "Portal"
    SYSTEM = "system", "System (inbound replies)"


class StepAnchor(models.TextChoices):
    PLACEMENT = "placement", "Days after placement"
    PREVIOUS_STEP = "previous_step", "Days after the previous step"
    # Plan installment reminders: not part of the step sequence; they run for every installment of
    # an active plan on the account (see communications.cadence.plan_reminders_dispatch).
    INSTALLMENT_BEFORE = "installment_before", "Plan reminder: days before each installment is due"
    INSTALLMENT_DUE = "installment_due", "Plan reminder: on each installment's due date"
    INSTALLMENT_MISSED = "installment_missed", "Plan reminder: days after a due date passed unpaid"


SEQUENCE_ANCHORS = (StepAnchor.PLACEMENT, StepAnchor.PREVIOUS_STEP)
PLAN_REMINDER_ANCHORS = (StepAnchor.INSTALLMENT_BEFORE, StepAnchor.INSTALLMENT_DUE, StepAnchor.INSTALLMENT_MISSED)


class StepOutcome(models.TextChoices):
    QUEUED = "queued", "Message queued"
    SCHEDULED = "scheduled", "Message scheduled"
    BLOCKED = "blocked", "Blocked by the gate"
    CALL_TASK = "call_task", "Call task created"
    SKIPPED = "skipped", "Conditions not met"
    NO_TARGET = "no_target", "No contact point for the channel"


# Sent events per channel (contract event types).
SENT_EVENT = {"email": "email_sent", "sms": "sms_sent", "letter": "letter_sent"}
INBOUND_EVENT = {"email": "inbound_email", "sms": "inbound_sms"}

# SMS keywords (CTIA / carrier conventions; Spanish equivalents for our Spanish templates).
STOP_KEYWORDS = frozenset({"stop", "stopall", "unsubscribe", "cancel", "end", "quit", "revoke", "optout", "alto", "parar"})
HELP_KEYWORDS = frozenset({"help", "info", "ayuda"})

# Delivery: several messages per task, one transport connection per batch.
DELIVERY_BATCH_SIZE = 100
MAX_TRANSIENT_ATTEMPTS = 5
RETRY_BASE_SECONDS = 60
# A row left in `sending` this long belongs to a worker that died mid-send: outcome unknown.
STUCK_SENDING_MINUTES = 15
# A queued row not picked up this long is enqueued again (a lost broker message).
REQUEUE_AFTER_MINUTES = 5
SWEEP_BATCH = 500
