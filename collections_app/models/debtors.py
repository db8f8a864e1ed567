import pghistory
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models.functions import Now, Upper

from collections_app.constants import AddressKind, ContactStatus, DebtorKind, PhoneKind
from collections_app.fields import EncryptedDateField, EncryptedTextField


@pghistory.track(exclude=["date_of_birth", "ssn"], obj_field=pghistory.ObjForeignKey(related_name="history"))
class Debtor(models.Model):
    """A person or business that owes. ``timezones`` caches every zone they may be in."""

    # Indexed by (client, name) and (client, external_ref) below.
    client = models.ForeignKey("collections_app.Client", on_delete=models.PROTECT, related_name="debtors",
                               db_index=False)
    kind = models.CharField(max_length=10, choices=DebtorKind.choices, default=DebtorKind.PERSON)
    name = models.CharField(max_length=200)
    external_ref = models.CharField(max_length=100, null=True, blank=True)
    date_of_birth = EncryptedDateField(null=True, blank=True)
    ssn = EncryptedTextField(null=True, blank=True)
    ssn_index = models.CharField(max_length=64, blank=True)  # indexed only where set (Meta)
    preferred_language = models.CharField(max_length=5, default="en", choices=[("en", "English"), ("es", "Español")])
    timezones = ArrayField(models.CharField(max_length=64), default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_default=Now())
    updated_at = models.DateTimeField(auto_now=True, db_default=Now())

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["client", "external_ref"],
                condition=models.Q(external_ref__isnull=False),
                name="debtor_external_ref_unique_per_client",
            )
        ]
        indexes = [
            # A client's debtors in id order (the default ordering). It replaced (client, name), which
            # served nothing but its client prefix (no query looks debtors up by name; the admin's
            # search is a substring match) and made every imported debtor an insert at a random place.
            models.Index(fields=["client", "id"], name="debtor_client_id"),
            # Exact lookups by the keyed hash; debtors without an SSN (most imports) add no entry.
            models.Index(fields=["ssn_index"], condition=models.Q(ssn_index__gt=""), name="debtor_ssn_index"),
        ]

    def __str__(self) -> str:
        return self.name


class ContactPoint(models.Model):
    status = models.CharField(max_length=20, choices=ContactStatus.choices, default=ContactStatus.ACTIVE)
    created_at = models.DateTimeField(auto_now_add=True, db_default=Now())
    updated_at = models.DateTimeField(auto_now=True, db_default=Now())

    class Meta:
        abstract = True
        ordering = ["id"]


@pghistory.track(obj_field=pghistory.ObjForeignKey(related_name="history"))
class Address(ContactPoint):
    debtor = models.ForeignKey(Debtor, on_delete=models.CASCADE, related_name="addresses")
    kind = models.CharField(max_length=10, choices=AddressKind.choices, default=AddressKind.HOME)
    line1 = models.CharField(max_length=200)
    line2 = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=100)
    state = models.CharField(max_length=2)
    postal_code = models.CharField(max_length=10)
    country = models.CharField(max_length=2, default="US")

    def __str__(self) -> str:
        return f"{self.line1}, {self.city}, {self.state} {self.postal_code}"


@pghistory.track(obj_field=pghistory.ObjForeignKey(related_name="history"))
class Phone(ContactPoint):
    debtor = models.ForeignKey(Debtor, on_delete=models.CASCADE, related_name="phones")
    kind = models.CharField(max_length=10, choices=PhoneKind.choices, default=PhoneKind.MOBILE)
    number = models.CharField(max_length=20, help_text="E.164")
    sms_consent = models.BooleanField(default=False)

    class Meta(ContactPoint.Meta):
        indexes = [models.Index(fields=["number"])]

    def __str__(self) -> str:
        return f"{self.kind} …{self.number[-4:]}"


@pghistory.track(obj_field=pghistory.ObjForeignKey(related_name="history"))
class Email(ContactPoint):
    debtor = models.ForeignKey(Debtor, on_delete=models.CASCADE, related_name="emails")
    address = models.EmailField(max_length=254)
    employer_provided = models.BooleanField(default=False)
    consent = models.BooleanField(default=False)

    class Meta(ContactPoint.Meta):
        # Addresses are looked up case-insensitively (``address__iexact``: ``UPPER(address) = UPPER(…)``),
        # which a plain index on ``address`` cannot serve: inbound mail scanned the whole table.
        indexes = [models.Index(Upper("address"), name="email_address_upper")]

    def __str__(self) -> str:
        return self.address
