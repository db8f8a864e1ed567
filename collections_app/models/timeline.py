import pghistory
import pgtrigger
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models

from collections_app.constants import CallOutcome, Channel, Direction, EventType


class CaseEvent(models.Model):
    """One fact on a debtor's append-only timeline.

    ``account_ids`` names the accounts the fact is about; an empty list means every account of
    the debtor (including ones placed later). A database trigger refuses updates and deletes: a
    correction is a new event.
    """

    # Both lead the composite indexes below; no single-column index of their own.
    client = models.ForeignKey("collections_app.Client", on_delete=models.PROTECT, related_name="+", db_index=False)
    debtor = models.ForeignKey("collections_app.Debtor", on_delete=models.PROTECT, related_name="events",
                               db_index=False)
    account_ids = ArrayField(models.BigIntegerField(), default=list, blank=True)
    type = models.CharField(max_length=40, choices=EventType.choices)
    occurred_at = models.DateTimeField()
    direction = models.CharField(max_length=10, choices=Direction.choices, blank=True)
    channel = models.CharField(max_length=12, choices=Channel.choices, blank=True)
    target = models.CharField(max_length=254, blank=True)
    outcome = models.CharField(max_length=24, choices=CallOutcome.choices, blank=True)
    written = models.BooleanField(default=False)
    data = models.JSONField(default=dict, blank=True)
    # Only a user's deletion looks events up by author (SET NULL): the index below is partial, so
    # the system's events (imports, feeds, cadences: no author) add no entry.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["created_by"], name="event_created_by", condition=models.Q(created_by__isnull=False)),
            # A debtor's timeline in time order is read off this one too (the debtor's few events
            # are sorted): one index entry less for every event an import writes.
            models.Index(fields=["debtor", "type", "-occurred_at"], name="event_debtor_type_time"),
            models.Index(fields=["client", "type", "occurred_at"], name="event_client_type_time"),
            GinIndex(fields=["account_ids"], name="event_account_ids"),
        ]
        triggers = [
            pgtrigger.Protect(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete),
        ]

    def __str__(self) -> str:
        return f"{self.type} @ {self.occurred_at:%Y-%m-%d %H:%M}"

    def applies_to(self, account_id: int) -> bool:
        return not self.account_ids or account_id in self.account_ids


@pghistory.track(obj_field=pghistory.ObjForeignKey(related_name="history"))
class Note(models.Model):
    debtor = models.ForeignKey("collections_app.Debtor", on_delete=models.CASCADE, related_name="notes")
    account = models.ForeignKey(
        "collections_app.Account", null=True, blank=True, on_delete=models.CASCADE, related_name="notes"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Note on {self.debtor_id} @ {self.created_at:%Y-%m-%d}"


class TaskKind(models.TextChoices):
    CALLBACK = "callback", "Callback"
    FOLLOW_UP = "follow_up", "Follow-up"
    BROKEN_PROMISE = "broken_promise", "Broken promise"
    REVIEW = "review", "Review"
    APPROVAL = "approval", "Approval"
    ESCALATION = "escalation", "Escalation"


class TaskStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"


@pghistory.track(obj_field=pghistory.ObjForeignKey(related_name="history"))
class Task(models.Model):
    """Work for a person: a callback, a follow-up, an approval."""

    debtor = models.ForeignKey("collections_app.Debtor", on_delete=models.CASCADE, related_name="tasks")
    account = models.ForeignKey(
        "collections_app.Account", null=True, blank=True, on_delete=models.CASCADE, related_name="tasks"
    )
    kind = models.CharField(max_length=20, choices=TaskKind.choices, default=TaskKind.FOLLOW_UP)
    status = models.CharField(max_length=12, choices=TaskStatus.choices, default=TaskStatus.OPEN)
    due_at = models.DateTimeField()
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="tasks"
    )
    title = models.CharField(max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_at"]
        indexes = [models.Index(fields=["assigned_to", "status", "due_at"])]

    def __str__(self) -> str:
        return self.title
