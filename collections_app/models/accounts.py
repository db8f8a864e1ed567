from decimal import Decimal
from typing import Any

import pghistory
from django.conf import settings
from django.db import models
from django.db.models import F
from django.db.models.functions import Now
from django.utils import timezone
from django_fsm import FSMField, transition

from collections_app.constants import CLOSED_STATUSES, AccountKind, AccountStatus
from collections_app.geo.limitations import is_time_barred

MONEY: dict[str, Any] = {"max_digits": 14, "decimal_places": 2}
ZERO = Decimal("0.00")

ASSIGNED = models.Q(assigned_to__isnull=False)


@pghistory.track(obj_field=pghistory.ObjForeignKey(related_name="history"))
class Account(models.Model):
    """A debt placed for collection.

    ``principal``/``interest``/``fees`` are the amounts as placed (or last updated by the client);
    the ``*_balance`` fields are what is owed now, moved only by the ledger services.
    """

    # No single-column indexes where a composite below starts with the column (client; assigned_to):
    # every index costs each imported row an entry (bench/README.md, "import").
    client = models.ForeignKey("collections_app.Client", on_delete=models.PROTECT, related_name="accounts",
                               db_index=False)
    debtor = models.ForeignKey("collections_app.Debtor", on_delete=models.PROTECT, related_name="accounts")
    reference = models.CharField(max_length=100)
    kind = models.CharField(max_length=12, choices=AccountKind.choices, default=AccountKind.CONSUMER)
    original_creditor = models.CharField(max_length=200, blank=True)
    current_creditor = models.CharField(max_length=200, blank=True)
    product = models.CharField(max_length=100, blank=True)
    principal = models.DecimalField(**MONEY, default=ZERO)
    interest = models.DecimalField(**MONEY, default=ZERO)
    fees = models.DecimalField(**MONEY, default=ZERO)
    principal_balance = models.DecimalField(**MONEY, default=ZERO)
    interest_balance = models.DecimalField(**MONEY, default=ZERO)
    fees_balance = models.DecimalField(**MONEY, default=ZERO)
    balance = models.GeneratedField(
        expression=models.F("principal_balance") + models.F("interest_balance") + models.F("fees_balance"),
        output_field=models.DecimalField(**MONEY),
        db_persist=True,
    )
    open_date = models.DateField(null=True, blank=True)
    delinquency_date = models.DateField(null=True, blank=True)
    charge_off_date = models.DateField(null=True, blank=True)
    last_payment_date = models.DateField(null=True, blank=True)
    itemization_date = models.DateField(null=True, blank=True)
    governing_state = models.CharField(max_length=2, blank=True)
    status = FSMField(max_length=12, choices=AccountStatus.choices, default=AccountStatus.OPEN, protected=False)
    placed_at = models.DateTimeField(default=timezone.now, db_default=Now())
    # An account holds its placement on its row — when (placed_at), the opening balance and, for an
    # import, the job — instead of a stored ``placement`` event: the timeline shows it from here
    # (collections_app.selectors.account_placements). No index: nothing looks accounts up by job.
    placed_by_import = models.ForeignKey("collections_app.ImportJob", null=True, blank=True, editable=False,
                                         on_delete=models.PROTECT, related_name="+", db_index=False)
    opening_balance = models.DecimalField(**MONEY, null=True, blank=True, editable=False)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="desk_accounts",
        db_index=False,
    )
    segment = models.CharField(max_length=40, blank=True)
    score = models.FloatField(null=True, blank=True, help_text="Propensity to pay, 0–1.")
    sol_expires_on = models.DateField(null=True, blank=True, help_text="Statute of limitations ends.")
    validation_notice_sent_at = models.DateTimeField(null=True, blank=True)
    validation_period_end = models.DateField(null=True, blank=True)
    # A 64-bit hash of the file row that placed or last updated the account (collections_app.imports):
    # a later file with the same row is unchanged and not compared again.
    import_digest = models.BigIntegerField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True, db_default=Now())
    updated_at = models.DateTimeField(auto_now=True, db_default=Now())

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["client", "reference"], name="account_reference_unique_per_client"),
            models.CheckConstraint(
                condition=models.Q(principal_balance__gte=0)
                & models.Q(interest_balance__gte=0)
                & models.Q(fees_balance__gte=0),
                name="account_balances_not_negative",
            ),
        ]
        # The three indexes that start with ``assigned_to`` are partial (``assigned_to IS NOT NULL``):
        # every query that uses them asks for one collector (``assigned_to = …``, which implies the
        # condition), and an import places accounts unassigned, so a fresh account adds no entry to
        # them. Unassigned accounts are found through ``account_team_queue``.
        indexes = [
            models.Index(fields=["client", "status"]),
            models.Index(fields=["assigned_to", "status"], name="account_assigned_status",
                         condition=ASSIGNED),
            # The desk's work queue reads these in order (score, balance) instead of sorting.
            models.Index(F("assigned_to"), F("score").desc(nulls_last=True), F("balance").desc(), F("id"),
                         name="account_desk_queue", condition=ASSIGNED),
            models.Index(F("score").desc(nulls_last=True), F("balance").desc(), F("id"), name="account_team_queue"),
            models.Index(fields=["assigned_to", "placed_at"], name="account_assigned_placed", condition=ASSIGNED),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def time_barred(self) -> bool:
        """Past the last day to sue (``sol_expires_on``), today in the platform's zone -- as the
        compliance snapshot and ``geo.limitations.is_time_barred`` read it."""
        return is_time_barred(self.sol_expires_on, timezone.localdate())

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_STATUSES

    def balance_now(self) -> Decimal:
        return self.principal_balance + self.interest_balance + self.fees_balance

    # Lifecycle. Services call these; each writes a status_changed event beside it.
    @transition(field=status, source=[AccountStatus.OPEN, AccountStatus.IN_PLAN, AccountStatus.DISPUTED,
                                      AccountStatus.LEGAL], target=AccountStatus.PAID)
    def close_paid(self) -> None:
        """Paid in full."""

    @transition(field=status, source=[AccountStatus.OPEN, AccountStatus.IN_PLAN, AccountStatus.DISPUTED,
                                      AccountStatus.LEGAL], target=AccountStatus.SETTLED)
    def close_settled(self) -> None:
        """A settlement was fulfilled."""

    @transition(field=status, source=[AccountStatus.OPEN, AccountStatus.DISPUTED], target=AccountStatus.IN_PLAN)
    def enter_plan(self) -> None:
        """A payment plan became active."""

    @transition(field=status, source=[AccountStatus.IN_PLAN], target=AccountStatus.OPEN)
    def leave_plan(self) -> None:
        """The plan completed without paying in full, broke, or was cancelled."""

    @transition(field=status, source=[AccountStatus.OPEN, AccountStatus.IN_PLAN], target=AccountStatus.DISPUTED)
    def mark_disputed(self) -> None:
        """The consumer disputes the debt."""

    @transition(field=status, source=[AccountStatus.DISPUTED], target=AccountStatus.OPEN)
    def resolve_dispute(self) -> None:
        """Verification was sent."""

    @transition(field=status, source=[AccountStatus.OPEN, AccountStatus.IN_PLAN, AccountStatus.DISPUTED],
                target=AccountStatus.LEGAL)
    def place_legal(self) -> None:
        """Forwarded to an attorney."""

    @transition(field=status, source="*", target=AccountStatus.BANKRUPT)
    def mark_bankrupt(self) -> None:
        """Bankruptcy filed."""

    @transition(field=status, source="*", target=AccountStatus.DECEASED)
    def mark_deceased(self) -> None:
        """The consumer died; collection continues only with the estate."""

    @transition(field=status, source="*", target=AccountStatus.RECALLED)
    def recall(self) -> None:
        """The client took the account back."""

    @transition(field=status, source=[AccountStatus.PAID, AccountStatus.SETTLED], target=AccountStatus.OPEN)
    def reopen(self) -> None:
        """A payment that closed the account was reversed."""

