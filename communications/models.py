"""Templates, the outbox, print batches and cadences (strategies).

The outbox row (``Message``) is the one record of every outbound message: what was asked, what
the gate decided (twice), what the transport did. Its status is a django-fsm-2 state machine;
the at-most-once protocol is described in ``communications/delivery.py``.
"""

from decimal import Decimal
from typing import Any

import pghistory
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django_fsm import FSMField, transition

from communications.constants import (
    Language,
    MessageChannel,
    MessageStatus,
    Purpose,
    Source,
    StepAnchor,
    StepChannel,
    StepOutcome,
)

MONEY: dict[str, Any] = {"max_digits": 14, "decimal_places": 2}


def in_band(segment: str, balance: Decimal, segments: list[str], low: Decimal | None, high: Decimal | None) -> bool:
    """Segment in the list (empty = any) and balance within [low, high] (None = open)."""
    if segments and segment not in segments:
        return False
    if low is not None and balance < low:
        return False
    return high is None or balance <= high


@pghistory.track(obj_field=pghistory.ObjForeignKey(related_name="history"))
class MessageTemplate(models.Model):
    """One version of a message: per code, channel and language. Editing adds a version."""

    code = models.SlugField(max_length=60)
    channel = models.CharField(max_length=10, choices=StepChannel.choices)
    language = models.CharField(max_length=5, choices=Language.choices, default=Language.EN)
    version = models.PositiveIntegerField(default=1)
    purpose = models.CharField(max_length=30, choices=Purpose.choices, default=Purpose.COLLECTION)
    description = models.CharField(max_length=200, blank=True)
    subject = models.CharField(max_length=200, blank=True, help_text="Django template syntax.")
    body = models.TextField(help_text="Plain text (email text part, SMS, call script). Django template syntax.")
    html = models.TextField(blank=True, help_text="Email HTML part or letter page. Django template syntax.")
    is_active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code", "channel", "language", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "channel", "language", "version"], name="template_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.channel}/{self.language} v{self.version}"


class PrintBatch(models.Model):
    """Letters rendered to PDF, collected for one print run."""

    client = models.ForeignKey("collections_app.Client", on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-day", "client_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["client", "day"], condition=models.Q(closed_at__isnull=True), name="one_open_print_batch"
            )
        ]

    def __str__(self) -> str:
        return f"print batch {self.day} #{self.pk}"


# The rendered text and HTML never change after queueing; the history tracks everything else.
@pghistory.track(exclude=["text", "html"], obj_field=pghistory.ObjForeignKey(related_name="history"))
class Message(models.Model):
    """The outbox: one outbound email, text or letter, and everything that happened to it."""

    client = models.ForeignKey("collections_app.Client", on_delete=models.PROTECT, related_name="+")
    # Indexed by message_account_time (same leading column).
    account = models.ForeignKey("collections_app.Account", on_delete=models.PROTECT, related_name="messages",
                                db_index=False)
    channel = models.CharField(max_length=10, choices=MessageChannel.choices)
    target = models.CharField(max_length=254, help_text='Email address, E.164 number or "address:<id>".')
    template = models.ForeignKey(MessageTemplate, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    language = models.CharField(max_length=5, choices=Language.choices, default=Language.EN)
    purpose = models.CharField(max_length=30, choices=Purpose.choices, default=Purpose.COLLECTION)
    subject = models.CharField(max_length=300, blank=True)
    text = models.TextField()
    html = models.TextField(blank=True)
    amount_demanded = models.DecimalField(**MONEY, null=True, blank=True)
    validation_period_end = models.DateField(null=True, blank=True)
    status = FSMField(max_length=10, choices=MessageStatus.choices, default=MessageStatus.QUEUED, protected=False)
    decision = models.JSONField(default=dict, blank=True, help_text="The gate's latest answer (contract shape).")
    decisions = ArrayField(models.BigIntegerField(), default=list, blank=True, help_text="Stored decision ids.")
    scheduled_for = models.DateTimeField(null=True, blank=True)
    key = models.CharField(max_length=120, help_text="Idempotency key: one message per key (message_key_unique).")
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.API)
    attempts = models.PositiveSmallIntegerField(default=0)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    sending_at = models.DateTimeField(null=True, blank=True)
    claim = models.CharField(max_length=32, blank=True,
                             help_text="The delivery batch that holds the row while it is sending.")
    sent_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    provider_id = models.CharField(max_length=120, blank=True)
    event_id = models.BigIntegerField(null=True, blank=True, help_text="The timeline event written on sending.")
    print_batch = models.ForeignKey(PrintBatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="letters",
                                    db_index=False)
    pdf = models.FileField(upload_to="letters/%Y/%m/%d/", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-id"]
        constraints = [models.UniqueConstraint(fields=["key"], name="message_key_unique")]
        # Every row version writes an entry in each index, and a message has three (queued, sending,
        # sent): the rarely set columns are indexed only where set, and no LIKE (pattern) indexes.
        indexes = [
            models.Index(fields=["status", "scheduled_for"], name="message_status_due"),
            models.Index(fields=["account", "-created_at"], name="message_account_time"),
            models.Index(fields=["claim"], condition=models.Q(status=MessageStatus.SENDING), name="message_sending_claim"),
            models.Index(fields=["provider_id"], condition=~models.Q(provider_id=""), name="message_provider_id"),
            models.Index(fields=["created_by"], condition=models.Q(created_by__isnull=False), name="message_created_by"),
            models.Index(fields=["print_batch"], condition=models.Q(print_batch__isnull=False),
                         name="message_print_batch"),
        ]

    def __str__(self) -> str:
        return f"{self.channel} #{self.pk} {self.status}"

    # State machine. Services call these inside their transactions.
    @transition(field=status, source=MessageStatus.SCHEDULED, target=MessageStatus.QUEUED)
    def release(self) -> None:
        """The scheduled instant came: check again and send."""

    @transition(field=status, source=[MessageStatus.QUEUED, MessageStatus.SCHEDULED], target=MessageStatus.BLOCKED)
    def block(self) -> None:
        """The gate refused at delivery time."""

    @transition(field=status, source=[MessageStatus.QUEUED, MessageStatus.SCHEDULED], target=MessageStatus.SCHEDULED)
    def defer(self) -> None:
        """Blocked for now with a known next allowed instant (client policy), or a transient retry."""

    @transition(field=status, source=MessageStatus.QUEUED, target=MessageStatus.SENDING)
    def start_sending(self) -> None:
        """Committed before the transport is called: from here the message is never handed over again."""

    @transition(field=status, source=MessageStatus.SENDING, target=MessageStatus.SENT)
    def mark_sent(self) -> None:
        """The transport accepted it."""

    @transition(field=status, source=MessageStatus.SENDING, target=MessageStatus.QUEUED)
    def return_to_queue(self) -> None:
        """The transport refused before taking it (transient): safe to try again."""

    @transition(field=status, source=MessageStatus.SENT, target=MessageStatus.DELIVERED)
    def mark_delivered(self) -> None:
        """The provider reported delivery."""

    @transition(field=status, source=[MessageStatus.SENDING, MessageStatus.SENT, MessageStatus.DELIVERED],
                target=MessageStatus.FAILED)
    def mark_failed(self) -> None:
        """Permanent refusal, unknown outcome after a crash, or a bounce / returned letter."""


@pghistory.track(obj_field=pghistory.ObjForeignKey(related_name="history"))
class Strategy(models.Model):
    """A cadence: which accounts it takes (segment rules) and its variants' steps.

    The first active strategy (lowest ``priority``) whose rules match takes an account.
    ``version`` goes up with every edit; pghistory keeps every earlier state.
    """

    name = models.CharField(max_length=120, unique=True)
    description = models.TextField(blank=True)
    is_active = models.BooleanField(default=True)
    priority = models.PositiveSmallIntegerField(default=100, help_text="Lower runs first.")
    clients = models.ManyToManyField("collections_app.Client", blank=True, related_name="+",
                                     help_text="Empty means every client.")
    segments = ArrayField(models.CharField(max_length=40), default=list, blank=True,
                          help_text="Account segments it takes; empty means any.")
    min_balance = models.DecimalField(**MONEY, null=True, blank=True)
    max_balance = models.DecimalField(**MONEY, null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["priority", "name"]
        verbose_name_plural = "strategies"

    def __str__(self) -> str:
        return self.name

    def takes(self, *, client_id: int, segment: str, balance: Decimal) -> bool:
        """Whether an account with these facts belongs to this strategy (clients prefetched)."""
        client_ids = {c.pk for c in self.clients.all()}
        if client_ids and client_id not in client_ids:
            return False
        return in_band(segment, balance, self.segments, self.min_balance, self.max_balance)


@pghistory.track(obj_field=pghistory.ObjForeignKey(related_name="history"))
class StrategyVariant(models.Model):
    """Champion, challenger(s) and the hold-out: an account's variant is drawn once, by weight."""

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="variants")
    name = models.CharField(max_length=60)
    weight = models.PositiveSmallIntegerField(
        default=100, validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text="Share of new accounts, in percent of the strategy's total weight.",
    )
    is_holdout = models.BooleanField(default=False, help_text="Receives no cadence contact (measured for analytics).")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["strategy_id", "id"]
        constraints = [models.UniqueConstraint(fields=["strategy", "name"], name="variant_name_unique")]

    def __str__(self) -> str:
        return f"{self.strategy.name} / {self.name}"


@pghistory.track(obj_field=pghistory.ObjForeignKey(related_name="history"))
class StrategyStep(models.Model):
    """One step: when (days after placement or after the previous step), how and with what."""

    variant = models.ForeignKey(StrategyVariant, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField()
    day_offset = models.PositiveSmallIntegerField(default=0)
    anchor = models.CharField(max_length=20, choices=StepAnchor.choices, default=StepAnchor.PLACEMENT)
    channel = models.CharField(max_length=10, choices=StepChannel.choices)
    template_code = models.SlugField(max_length=60)
    # Conditions checked when the step comes due; a step whose conditions fail is skipped.
    segments = ArrayField(models.CharField(max_length=40), default=list, blank=True)
    min_balance = models.DecimalField(**MONEY, null=True, blank=True)
    max_balance = models.DecimalField(**MONEY, null=True, blank=True)
    statuses = ArrayField(models.CharField(max_length=12), default=list, blank=True,
                          help_text="Account statuses it runs for; empty means open or in plan.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["variant_id", "order"]
        constraints = [models.UniqueConstraint(fields=["variant", "order"], name="step_order_unique")]

    def __str__(self) -> str:
        return f"step {self.order}: day {self.day_offset} {self.channel} {self.template_code}"

    def applies(self, *, segment: str, balance: Decimal, status: str) -> bool:
        if status not in (self.statuses or ["open", "in_plan"]):
            return False
        return in_band(segment, balance, self.segments, self.min_balance, self.max_balance)


class StrategyAssignment(models.Model):
    """An account's place in a cadence: strategy, variant (drawn once) and the next step due.

    Due work lives here (``next_due_at``), swept each minute; never in far-future Celery ETAs.
    """

    account = models.OneToOneField("collections_app.Account", on_delete=models.CASCADE,
                                   related_name="strategy_assignment")
    strategy = models.ForeignKey(Strategy, on_delete=models.PROTECT, related_name="assignments")
    variant = models.ForeignKey(StrategyVariant, on_delete=models.PROTECT, related_name="assignments")
    strategy_version = models.PositiveIntegerField()
    draw = models.FloatField(help_text="The uniform random draw that chose the variant (kept for audit).")
    next_order = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Null when finished.")
    next_due_at = models.DateTimeField(null=True, blank=True)
    last_step_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["next_due_at"], name="assignment_due",
                                condition=models.Q(next_due_at__isnull=False))]

    def __str__(self) -> str:
        return f"account {self.account_id} → {self.variant_id}"


class StepRun(models.Model):
    """A step that came due for an account, once: what the sweep did with it."""

    assignment = models.ForeignKey(StrategyAssignment, on_delete=models.CASCADE, related_name="runs")
    step = models.ForeignKey(StrategyStep, on_delete=models.SET_NULL, null=True, related_name="runs")
    step_order = models.PositiveSmallIntegerField()
    outcome = models.CharField(max_length=12, choices=StepOutcome.choices)
    message = models.ForeignKey(Message, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    task_id = models.BigIntegerField(null=True, blank=True, help_text="The collector call task created.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "step_order"], name="step_runs_once"),
        ]

    def __str__(self) -> str:
        return f"step {self.step_order} of assignment {self.assignment_id}: {self.outcome}"


class PlanReminder(models.Model):
    """A plan installment reminder that came due: once per installment, kind and day offset."""

    installment = models.ForeignKey("collections_app.Installment", on_delete=models.CASCADE, related_name="+")
    step = models.ForeignKey(StrategyStep, on_delete=models.SET_NULL, null=True, related_name="reminders")
    kind = models.CharField(max_length=20, choices=StepAnchor.choices)
    day_offset = models.PositiveSmallIntegerField()
    outcome = models.CharField(max_length=12, choices=StepOutcome.choices)
    message = models.ForeignKey(Message, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["installment", "kind", "day_offset"], name="plan_reminder_once"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.day_offset} for installment {self.installment_id}: {self.outcome}"
