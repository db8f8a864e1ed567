"""Portfolio imports: the job that loads a client's file, its row errors, and saved column mappings."""

from decimal import Decimal

import pghistory
from django.conf import settings
from django.db import models


class ImportKind(models.TextChoices):
    PORTFOLIO = "portfolio", "Portfolio (placements)"
    TRANSACTIONS = "transactions", "Transactions (payments, adjustments, recalls)"


class ImportStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"


@pghistory.track(obj_field=pghistory.ObjForeignKey(related_name="history"))
class ColumnMapping(models.Model):
    """How one client's file layout maps to our standard columns: ``{"their header": "our column"}``."""

    client = models.ForeignKey("collections_app.Client", on_delete=models.CASCADE, related_name="column_mappings")
    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=12, choices=ImportKind.choices, default=ImportKind.PORTFOLIO)
    columns = models.JSONField(default=dict, help_text='{"their header": "standard column"}')
    date_format = models.CharField(
        max_length=20, blank=True, help_text="strftime format of the file's dates when not YYYY-MM-DD or MM/DD/YYYY."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["client", "name"]
        constraints = [models.UniqueConstraint(fields=["client", "name"], name="column_mapping_name_unique_per_client")]

    def __str__(self) -> str:
        return f"{self.client} / {self.name}"


@pghistory.track(obj_field=pghistory.ObjForeignKey(related_name="history"))
class ImportJob(models.Model):
    """One file loaded for one client: progress, counts, duration and, beside it, the rejected rows."""

    client = models.ForeignKey("collections_app.Client", on_delete=models.PROTECT, related_name="import_jobs")
    kind = models.CharField(max_length=12, choices=ImportKind.choices, default=ImportKind.PORTFOLIO)
    status = models.CharField(max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED)
    file = models.FileField(upload_to="imports/%Y/%m/", blank=True, help_text="Uploaded through the API.")
    filename = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64, blank=True)
    mapping = models.ForeignKey(ColumnMapping, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    rows_total = models.PositiveIntegerField(null=True, blank=True, help_text="Estimated before reading.")
    rows_read = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True, help_text="Why the file itself could not be read.")
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["client", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.kind} import #{self.pk} ({self.filename})"

    @property
    def duration_seconds(self) -> float | None:
        if self.started_at is None:
            return None
        return round(((self.finished_at or self.updated_at) - self.started_at).total_seconds(), 3)

    @property
    def progress(self) -> float | None:
        """Share of the file read, 0 to 1 (an estimate until the job finishes)."""
        if self.status == ImportStatus.SUCCEEDED:
            return 1.0
        if not self.rows_total:
            return None
        return min(1.0, self.rows_read / self.rows_total)


class ImportRowError(models.Model):
    """A rejected row: its line in the file, the column at fault and why. Never holds the value (PII).

    Not history-tracked: written once by the job that found it, like the job's own log, and a
    bad file can have a million of them.
    """

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="row_errors")
    line = models.PositiveIntegerField()
    column = models.CharField(max_length=60)
    reason = models.CharField(max_length=300)

    class Meta:
        ordering = ["job", "line", "id"]
        indexes = [models.Index(fields=["job", "line"])]

    def __str__(self) -> str:
        return f"line {self.line} {self.column}: {self.reason}"


class FeedTransactionKind(models.TextChoices):
    PAYMENT = "payment", "Payment"
    ADJUSTMENT = "adjustment", "Adjustment"
    RECALL = "recall", "Recall"


@pghistory.track(obj_field=pghistory.ObjForeignKey(related_name="history"))
class FeedTransaction(models.Model):
    """A line of a client's updates feed that we applied, keyed by the client's ``external_id``.

    The unique key is what makes a re-sent feed change nothing.
    """

    client = models.ForeignKey("collections_app.Client", on_delete=models.PROTECT, related_name="+")
    external_id = models.CharField(max_length=100)
    kind = models.CharField(max_length=12, choices=FeedTransactionKind.choices)
    account = models.ForeignKey("collections_app.Account", on_delete=models.PROTECT, related_name="feed_transactions")
    component = models.CharField(max_length=10, blank=True, help_text="principal, interest or fees (adjustments).")
    amount = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal("0.00"))
    occurred_on = models.DateField()
    job = models.ForeignKey(ImportJob, null=True, on_delete=models.SET_NULL, related_name="transactions")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["client", "external_id"], name="feed_transaction_unique_per_client")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.external_id}"
