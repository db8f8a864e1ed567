import datetime as dt
from decimal import Decimal

import pghistory
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from collections_app.constants import OperatorType

ALLOCATION_ORDERS = {
    "fees,interest,principal": "Fees → interest → principal",
    "interest,fees,principal": "Interest → fees → principal",
    "principal,interest,fees": "Principal → interest → fees",
}


@pghistory.track(obj_field=pghistory.ObjForeignKey(related_name="history"))
class Client(models.Model):
    """A creditor whose accounts are placed with us, with its collection policy.

    Policy may be stricter than the law (narrower hours, fewer calls, no texts) but never looser:
    the compliance gate applies the law first and the client's policy on top.
    """

    name = models.CharField(max_length=200, unique=True)
    operator_type = models.CharField(
        max_length=32, choices=OperatorType.choices, default=OperatorType.THIRD_PARTY_COLLECTOR
    )
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="clients")
    # Contact policy (stricter-than-law only; validated below).
    call_window_start = models.TimeField(default=dt.time(8, 0))
    call_window_end = models.TimeField(default=dt.time(21, 0))
    max_calls_per_7_days = models.PositiveSmallIntegerField(
        default=7, validators=[MinValueValidator(0), MaxValueValidator(7)]
    )
    sms_enabled = models.BooleanField(default=True)
    email_enabled = models.BooleanField(default=True)
    defer_blocked_messages = models.BooleanField(
        default=False, help_text="Schedule a blocked message for the next allowed time instead of dropping it."
    )
    # Money policy.
    allocation_order = models.CharField(
        max_length=40, choices=list(ALLOCATION_ORDERS.items()), default="fees,interest,principal"
    )
    allow_overpayment = models.BooleanField(default=False)
    settlement_limit_pct = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=Decimal("30.00"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        help_text="Largest discount (percent of balance) a collector may offer without approval.",
    )
    license_number = models.CharField(max_length=60, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(call_window_start__gte=dt.time(8, 0))
                & models.Q(call_window_end__lte=dt.time(21, 0))
                & models.Q(call_window_start__lt=models.F("call_window_end")),
                name="client_call_window_within_law",
            ),
            models.CheckConstraint(
                condition=models.Q(max_calls_per_7_days__lte=7), name="client_max_calls_within_law"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def allocation_components(self) -> list[str]:
        return self.allocation_order.split(",")
