import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from accounts.constants import Role
from accounts.models import User
from collections_app.models import Account, Address, CaseEvent, Client, Debtor, Email, Phone


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@agency.example")
    role = Role.COLLECTOR
    password = factory.django.Password("correct-horse-battery")


class ClientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Client
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Creditor {n}")


class DebtorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Debtor

    client = factory.SubFactory(ClientFactory)
    name = factory.Faker("name")
    external_ref = factory.Sequence(lambda n: f"C-{n:05d}")
    timezones = factory.LazyFunction(lambda: ["America/Chicago"])


class AddressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Address

    debtor = factory.SubFactory(DebtorFactory)
    line1 = "1 Main St"
    city = "Chicago"
    state = "IL"
    postal_code = "60601"


class PhoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Phone

    debtor = factory.SubFactory(DebtorFactory)
    number = factory.Sequence(lambda n: f"+1312555{n % 10000:04d}")


class EmailFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Email

    debtor = factory.SubFactory(DebtorFactory)
    address = factory.Sequence(lambda n: f"debtor{n}@example.com")
    consent = True


class AccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Account

    debtor = factory.SubFactory(DebtorFactory)
    client = factory.LazyAttribute(lambda a: a.debtor.client)
    reference = factory.Sequence(lambda n: f"D{n:06d}")
    original_creditor = "Acme Bank"
    current_creditor = "Acme Bank"
    product = "credit card"
    principal = Decimal("900.00")
    interest = Decimal("80.00")
    fees = Decimal("20.00")
    principal_balance = factory.LazyAttribute(lambda a: a.principal)
    interest_balance = factory.LazyAttribute(lambda a: a.interest)
    fees_balance = factory.LazyAttribute(lambda a: a.fees)
    opening_balance = factory.LazyAttribute(lambda a: a.principal + a.interest + a.fees)  # the placement
    governing_state = "IL"
    open_date = dt.date(2021, 3, 1)
    delinquency_date = dt.date(2023, 1, 15)


class CaseEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseEvent

    debtor = factory.SubFactory(DebtorFactory)
    client = factory.LazyAttribute(lambda e: e.debtor.client)
    type = "call_attempt"
    outcome = "no_answer"
    channel = "call"
    direction = "outbound"
    occurred_at = factory.LazyFunction(timezone.now)


class PromiseFactory(factory.django.DjangoModelFactory):
    """A pending promise made now for part of the account's balance, due in a week."""

    class Meta:
        model = "collections_app.Promise"

    account = factory.SubFactory(AccountFactory)
    client = factory.LazyAttribute(lambda p: p.account.client)
    debtor = factory.LazyAttribute(lambda p: p.account.debtor)
    amount = Decimal("100.00")
    due_date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=7))
    made_at = factory.LazyFunction(timezone.now)
