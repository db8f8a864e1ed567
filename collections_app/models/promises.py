"""Promises to pay: an amount by a date, kept, partly kept or broken."""

import pghistory
from django.conf import settings
from django.db import models

from collections_app.constants import PromiseSource, PromiseStatus
from collections_app.models.accounts import ZERO


@pghistory.track(obj_field=pghistory.ObjForeignKey(related_name="history"))
class Promise(models.Model):
    client = models.ForeignKey("collections_app.Client", on_delete=models.PROTECT, related_name="promises")
    debtor = models.ForeignKey("collections_app.Debtor", on_delete=models.PROTECT, related_name="promises")
    account = models.ForeignKey("collections_app.Account", on_delete=models.PROTECT, related_name="promises")
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    due_date = models.DateField(help_text="Kept when paid by the end of this day, the debtor's local time.")
    source = models.CharField(max_length=8, choices=PromiseSource.choices, default=PromiseSource.CALL)
    status = models.CharField(max_length=12, choices=PromiseStatus.choices, default=PromiseStatus.PENDING)
    paid_amount = models.DecimalField(
        max_digits=14, decimal_places=2, default=ZERO, help_text="Paid toward it since it was made."
    )
    made_at = models.DateTimeField()
    evaluated_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-made_at", "-id"]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="promise_amount_positive")]
        indexes = [models.Index(fields=["account", "status"]), models.Index(fields=["status", "due_date"])]

    def __str__(self) -> str:
        return f"Promise {self.amount} by {self.due_date} ({self.status})"
