"""Payment plans: a schedule of installments over one or more accounts of one debtor."""

import pghistory
from django.conf import settings
from django.db import models
from django_fsm import FSMField, transition

from collections_app.constants import InstallmentStatus, PlanFrequency, PlanStatus
from collections_app.models.accounts import ZERO


@pghistory.track(obj_field=pghistory.ObjForeignKey(related_name="history"))
class Plan(models.Model):
    """``total`` is what the plan collects; payments on its accounts fill installments in order."""

    client = models.ForeignKey("collections_app.Client", on_delete=models.PROTECT, related_name="plans")
    debtor = models.ForeignKey("collections_app.Debtor", on_delete=models.PROTECT, related_name="plans")
    accounts = models.ManyToManyField("collections_app.Account", related_name="plans")
    status = FSMField(max_length=10, choices=PlanStatus.choices, default=PlanStatus.PROPOSED, protected=False)
    frequency = models.CharField(max_length=12, choices=PlanFrequency.choices)
    payday = models.DateField(null=True, blank=True, help_text="A payday the debtor named; dates align to it.")
    grace_days = models.PositiveSmallIntegerField(default=5)
    total = models.DecimalField(max_digits=14, decimal_places=2)
    signed_by_name = models.CharField(max_length=200, blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    activated_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True, help_text="Completed, broken or cancelled at.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.CheckConstraint(condition=models.Q(total__gt=0), name="plan_total_positive")]
        indexes = [models.Index(fields=["debtor", "status"]), models.Index(fields=["status"])]

    def __str__(self) -> str:
        return f"Plan {self.pk} ({self.status})"

    @transition(field=status, source=PlanStatus.PROPOSED, target=PlanStatus.ACTIVE)
    def activate(self) -> None:
        """The debtor signed; installments are now due."""

    @transition(field=status, source=PlanStatus.ACTIVE, target=PlanStatus.COMPLETED)
    def complete(self) -> None:
        """Every installment is paid."""

    @transition(field=status, source=PlanStatus.COMPLETED, target=PlanStatus.ACTIVE)
    def resume(self) -> None:
        """A payment that completed the plan was reversed."""

    @transition(field=status, source=PlanStatus.ACTIVE, target=PlanStatus.BROKEN)
    def mark_broken(self) -> None:
        """An installment is unpaid past its grace days."""

    @transition(field=status, source=PlanStatus.BROKEN, target=PlanStatus.ACTIVE)
    def restore(self) -> None:
        """Renegotiated after it broke."""

    @transition(field=status, source=[PlanStatus.PROPOSED, PlanStatus.ACTIVE, PlanStatus.BROKEN],
                target=PlanStatus.CANCELLED)
    def cancel(self) -> None:
        """Withdrawn by either side."""


@pghistory.track(obj_field=pghistory.ObjForeignKey(related_name="history"))
class Installment(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="installments")
    seq = models.PositiveSmallIntegerField()
    due_date = models.DateField()
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    paid_amount = models.DecimalField(max_digits=14, decimal_places=2, default=ZERO)
    status = models.CharField(max_length=12, choices=InstallmentStatus.choices, default=InstallmentStatus.SCHEDULED)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["plan", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "seq"], name="installment_seq_unique_per_plan"),
            models.CheckConstraint(
                condition=models.Q(amount__gt=0) & models.Q(paid_amount__gte=0)
                & models.Q(paid_amount__lte=models.F("amount")),
                name="installment_amounts_consistent",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.due_date} {self.amount}"
