"""Settlements: accepting less than the balance, as a lump sum or in installments."""

import pghistory
from django.conf import settings
from django.db import models
from django_fsm import FSMField, transition

from collections_app.constants import PlanFrequency, SettlementKind, SettlementStatus


@pghistory.track(obj_field=pghistory.ObjForeignKey(related_name="history"))
class Settlement(models.Model):
    """``amount`` settles ``balance`` (the accounts' balances when offered). Paid through its plan."""

    client = models.ForeignKey("collections_app.Client", on_delete=models.PROTECT, related_name="settlements")
    debtor = models.ForeignKey("collections_app.Debtor", on_delete=models.PROTECT, related_name="settlements")
    accounts = models.ManyToManyField("collections_app.Account", related_name="settlements")
    kind = models.CharField(max_length=12, choices=SettlementKind.choices, default=SettlementKind.LUMP_SUM)
    balance = models.DecimalField(max_digits=14, decimal_places=2)
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    discount_pct = models.DecimalField(max_digits=5, decimal_places=2)
    status = FSMField(max_length=16, choices=SettlementStatus.choices, default=SettlementStatus.PENDING_APPROVAL,
                      protected=False)
    due_date = models.DateField(help_text="The lump sum's due date, or the first installment's.")
    frequency = models.CharField(max_length=12, choices=PlanFrequency.choices, blank=True)
    installment_count = models.PositiveSmallIntegerField(default=1)
    plan = models.OneToOneField(
        "collections_app.Plan", null=True, blank=True, on_delete=models.PROTECT, related_name="settlement"
    )
    offered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(max_length=500, blank=True)
    fulfilled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0) & models.Q(amount__lte=models.F("balance")),
                name="settlement_amount_within_balance",
            )
        ]

    def __str__(self) -> str:
        return f"Settlement {self.amount} of {self.balance} ({self.status})"

    @transition(field=status, source=SettlementStatus.PENDING_APPROVAL, target=SettlementStatus.APPROVED)
    def approve(self) -> None:
        """Within the offerer's limit, or a supervisor approved it."""

    @transition(field=status, source=SettlementStatus.PENDING_APPROVAL, target=SettlementStatus.REJECTED)
    def reject(self) -> None:
        """A supervisor declined it."""

    @transition(field=status, source=SettlementStatus.APPROVED, target=SettlementStatus.FULFILLED)
    def fulfil(self) -> None:
        """Paid; the remainder is written off."""

    @transition(field=status, source=SettlementStatus.FULFILLED, target=SettlementStatus.APPROVED)
    def unfulfil(self) -> None:
        """A payment that fulfilled it was reversed; the write-off is undone."""

    @transition(field=status, source=[SettlementStatus.PENDING_APPROVAL, SettlementStatus.APPROVED],
                target=SettlementStatus.CANCELLED)
    def cancel(self) -> None:
        """Withdrawn, or its plan was cancelled or broke."""
