"""The payments ledger: payments as received, and the ledger rows that move balances.

Ledger rows are the truth. Every change to an account's ``*_balance`` fields is one
:class:`LedgerEntry` per component, so for every account and component
``as placed + sum(entries) == balance now`` (see ``services.ledger.ledger_reconcile``).
"""

import pghistory
import pgtrigger
from django.conf import settings
from django.db import models

from collections_app.constants import Component, LedgerKind, PaymentMethod, PaymentStatus, ReversalReason
from collections_app.models.accounts import ZERO


@pghistory.track(obj_field=pghistory.ObjForeignKey(related_name="history"))
class Payment(models.Model):
    """Money received for one account. ``external_id`` is the payer's idempotency key."""

    client = models.ForeignKey("collections_app.Client", on_delete=models.PROTECT, related_name="payments")
    account = models.ForeignKey("collections_app.Account", on_delete=models.PROTECT, related_name="payments")
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    unapplied = models.DecimalField(
        max_digits=14, decimal_places=2, default=ZERO,
        help_text="Overpayment held as a credit (only when the client allows it).",
    )
    received_at = models.DateTimeField()
    method = models.CharField(max_length=8, choices=PaymentMethod.choices)
    external_id = models.CharField(max_length=100, blank=True, default="")
    status = models.CharField(max_length=10, choices=PaymentStatus.choices, default=PaymentStatus.POSTED)
    reversal_reason = models.CharField(max_length=12, choices=ReversalReason.choices, blank=True)
    reversed_at = models.DateTimeField(null=True, blank=True)
    reversed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    plan = models.ForeignKey(
        "collections_app.Plan", null=True, blank=True, on_delete=models.PROTECT, related_name="payments",
        help_text="The plan this payment counted toward.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["client", "external_id"],
                condition=~models.Q(external_id=""),
                name="payment_external_id_unique_per_client",
            ),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="payment_amount_positive"),
            models.CheckConstraint(
                condition=models.Q(unapplied__gte=0) & models.Q(unapplied__lte=models.F("amount")),
                name="payment_unapplied_within_amount",
            ),
        ]
        indexes = [models.Index(fields=["account", "received_at"]), models.Index(fields=["plan", "status"])]

    def __str__(self) -> str:
        return f"{self.amount} on {self.account_id} ({self.status})"

    @property
    def applied(self):  # type: ignore[no-untyped-def]
        return self.amount - self.unapplied


class LedgerEntry(models.Model):
    """One signed change to one balance component of one account. Append-only."""

    account = models.ForeignKey("collections_app.Account", on_delete=models.PROTECT, related_name="ledger")
    kind = models.CharField(max_length=20, choices=LedgerKind.choices)
    component = models.CharField(max_length=10, choices=Component.choices)
    amount = models.DecimalField(
        max_digits=14, decimal_places=2, help_text="Change to the component's balance (negative reduces it)."
    )
    payment = models.ForeignKey(Payment, null=True, blank=True, on_delete=models.PROTECT, related_name="entries")
    settlement = models.ForeignKey(
        "collections_app.Settlement", null=True, blank=True, on_delete=models.PROTECT, related_name="entries"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name_plural = "ledger entries"
        constraints = [models.CheckConstraint(condition=~models.Q(amount=0), name="ledger_entry_not_zero")]
        indexes = [models.Index(fields=["account", "component"]), models.Index(fields=["payment"])]
        triggers = [
            pgtrigger.Protect(name="ledger_append_only", operation=pgtrigger.Update | pgtrigger.Delete),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.component} {self.amount}"
