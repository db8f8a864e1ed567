"""Forms for the desk's actions. Each one parses what the collector typed; a service does the work."""

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any, cast
from zoneinfo import ZoneInfo

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from collections_app.constants import (
    US_STATES,
    CallOutcome,
    Channel,
    ContactStatus,
    PaymentMethod,
    PlanFrequency,
    SettlementKind,
)
from collections_app.models import Account
from collections_app.schedules import debtor_local_date
from collections_app.services.plans import PLANNABLE_ACCOUNT_STATUSES
from collections_app.services.tasks import ESCALATION_TARGETS
from communications.constants import MessageChannel
from desk.selectors import QueueFilters

DESK_CALL_OUTCOMES = [
    (CallOutcome.NO_ANSWER, "No answer"),
    (CallOutcome.VOICEMAIL_LEFT, "Voicemail left"),
    (CallOutcome.RIGHT_PARTY_CONTACT, "Right-party contact"),
    (CallOutcome.WRONG_NUMBER, "Wrong number"),
    (CallOutcome.THIRD_PARTY, "Third party"),
    (CallOutcome.BUSY, "Busy"),
    (CallOutcome.VOICEMAIL_NO_MESSAGE, "Voicemail, no message left"),
    (CallOutcome.DISCONNECTED, "Disconnected (not in service)"),
]
MAX_CALL_LENGTH = dt.timedelta(hours=3)
RECEIVED_BY = [(Channel.CALL, "Phone call"), (Channel.LETTER, "Letter"), (Channel.EMAIL, "E-mail"),
               (Channel.SMS, "Text message"), (Channel.PORTAL, "Portal"), (Channel.IN_PERSON, "In person")]


def _choices(form: forms.Form, name: str, choices: list) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


class QueueFilterForm(forms.Form):
    client = forms.TypedChoiceField(required=False, coerce=int, empty_value=None, label="Client")
    status = forms.ChoiceField(required=False, label="Status")
    state = forms.ChoiceField(required=False, label="State", choices=[("", "Any state")] + [(s, s) for s in US_STATES])
    segment = forms.ChoiceField(required=False, label="Segment")
    eligibility = forms.ChoiceField(required=False, label="Call now", choices=[
        ("", "Any"), ("allowed", "Callable now"), ("blocked", "Blocked now")])
    collector = forms.CharField(required=False, label="Collector")

    def __init__(self, *args, options: dict, collectors: list | None = None, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        _choices(self, "client", [("", "All clients"), *options["clients"]])
        _choices(self, "status", [("", "Open & in plan"), *options["statuses"]])
        _choices(self, "segment", [("", "Any segment")] + [(s, s) for s in options["segments"]])
        if collectors is not None:
            self.fields["collector"] = forms.ChoiceField(
                required=False, label="Collector",
                choices=[("", "Anyone"), ("none", "Unassigned")] + [(str(u.id), u.username) for u in collectors])
        else:
            del self.fields["collector"]

    def select_options(self) -> list[tuple[forms.BoundField, list[tuple[str, str, bool]]]]:
        """Each filter with its (value, label, selected) options, for the filter bar (the template
        compares no values itself: that was most of the queue page's rendering)."""
        bar = []
        for bound in self:
            current = "" if bound.value() is None else str(bound.value())
            field = bound.field
            assert isinstance(field, forms.ChoiceField)
            choices = cast(list[tuple[Any, Any]], field.choices)
            bar.append((bound, [(str(v), str(label), str(v) == current) for v, label in choices]))
        return bar

    def filters(self) -> QueueFilters:
        data: dict[str, Any] = self.cleaned_data if self.is_valid() else {}
        collector = data.get("collector") or ""
        return QueueFilters(
            client=data.get("client"), status=data.get("status") or "", state=data.get("state") or "",
            segment=data.get("segment") or "", eligibility=data.get("eligibility") or "",
            collector=int(collector) if collector.isdigit() else None, unassigned=collector == "none",
        )


class AccountActionForm(forms.Form):
    """A form about one account; knows the account for its choices."""

    def __init__(self, *args, account: Account, **kwargs):  # type: ignore[no-untyped-def]
        self.account = account
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.Select) and not isinstance(widget, forms.RadioSelect):
                widget.attrs.setdefault("class", "form-select form-select-sm")
            elif isinstance(widget, (forms.CheckboxInput, forms.RadioSelect)):
                widget.attrs.setdefault("class", "form-check-input")
            else:
                widget.attrs.setdefault("class", "form-control form-control-sm")

    def mark_errors(self) -> None:
        """Tie each error to its field for assistive technology (the template gives it the id)."""
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs.update({"aria-invalid": "true",
                                                       "aria-describedby": f"{self[name].auto_id}-error"})


class CallForm(AccountActionForm):
    phone = forms.ChoiceField(label="Number dialled")
    outcome = forms.ChoiceField(label="Outcome", choices=DESK_CALL_OUTCOMES, widget=forms.RadioSelect)
    promise_amount = forms.DecimalField(label="Promised amount (optional)", required=False, min_value=Decimal("0.01"),
                                        max_digits=14, decimal_places=2)
    promise_date = forms.DateField(label="Promised by (optional)", required=False,
                                   widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label="Note (optional)", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    # When the form opened, i.e. when the collector dialled: the gate judges the call at that instant,
    # so a conversation that runs past the end of the calling window is still logged.
    dialed_at = forms.DateTimeField(widget=forms.HiddenInput)

    def clean_dialed_at(self) -> dt.datetime:
        dialed_at = self.cleaned_data["dialed_at"]
        now = timezone.now()
        if not now - MAX_CALL_LENGTH <= dialed_at <= now + dt.timedelta(minutes=1):
            raise ValidationError("This form is too old: open the call form again when you dial.")
        return dialed_at

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        amount, date = data.get("promise_amount"), data.get("promise_date")
        if (amount is None) != (date is None) and not self.errors:
            missing = "promise_date" if date is None else "promise_amount"
            raise ValidationError({missing: "A promise needs both an amount and a date."})
        if amount is not None and data.get("outcome") != CallOutcome.RIGHT_PARTY_CONTACT:
            raise ValidationError({"promise_amount": "Only the debtor can promise: log a right-party contact."})
        return data

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        phones = [p for p in self.account.debtor.phones.all()]
        # With its UTC offset: the page renders in the debtor's zone, the post is parsed in the server's.
        self.fields["dialed_at"].initial = timezone.now().isoformat()
        _choices(self, "phone", [(p.number, f"{p.get_kind_display()} {p.number}"
                                         + ("" if p.status == "active" else f" ({p.get_status_display()})"))
                                 for p in phones])


def _debtor_today(account: Account) -> dt.date:
    return debtor_local_date(account.debtor.timezones, timezone.now())


class PromiseForm(AccountActionForm):
    amount = forms.DecimalField(label="Amount ($)", min_value=Decimal("0.01"), max_digits=14, decimal_places=2)
    due_date = forms.DateField(label="Will pay by", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["due_date"].initial = _debtor_today(self.account) + dt.timedelta(days=7)


class PaymentForm(AccountActionForm):
    amount = forms.DecimalField(label="Amount ($)", min_value=Decimal("0.01"), max_digits=14, decimal_places=2)
    method = forms.ChoiceField(label="Paid by", choices=PaymentMethod.choices)
    reference = forms.CharField(label="Processor or check reference (optional)", required=False, max_length=100)
    # One payment per opened form: a double submit returns the first payment instead of posting twice.
    token = forms.CharField(widget=forms.HiddenInput, max_length=40)

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["token"].initial = uuid.uuid4().hex
        # No amount prefilled: posting money should never be one careless Enter away.
        self.fields["amount"].widget.attrs["placeholder"] = f"balance {self.account.balance:,.2f}"

    def external_id(self) -> str:
        return self.cleaned_data["reference"].strip() or f"desk-{self.cleaned_data['token']}"


PLAN_KINDS = [("plan", "Payment plan (full balance)"), ("settlement", "Settlement (for less)")]


class PlanForm(AccountActionForm):
    """A plan or a settlement over some of the debtor's accounts; the same fields drive the live preview."""

    kind = forms.ChoiceField(label="Arrangement", choices=PLAN_KINDS, widget=forms.RadioSelect, initial="plan")
    accounts = forms.MultipleChoiceField(label="Accounts", widget=forms.CheckboxSelectMultiple)
    start = forms.DateField(label="First payment on", widget=forms.DateInput(attrs={"type": "date"}))
    frequency = forms.ChoiceField(label="How often", choices=PlanFrequency.choices, initial=PlanFrequency.MONTHLY)
    count = forms.IntegerField(label="Number of payments", required=False, min_value=1, max_value=260)
    installment_amount = forms.DecimalField(label="Or: amount per payment ($)", required=False,
                                            min_value=Decimal("0.01"), max_digits=14, decimal_places=2)
    payday = forms.DateField(label="A payday (optional: dates follow it)", required=False,
                             widget=forms.DateInput(attrs={"type": "date"}))
    settlement_amount = forms.DecimalField(label="Settle for ($)", required=False, min_value=Decimal("0.01"),
                                           max_digits=14, decimal_places=2)
    discount_pct = forms.DecimalField(label="Or: discount (%)", required=False, min_value=Decimal("0"),
                                      max_value=Decimal("99.99"), max_digits=5, decimal_places=2)
    activate = forms.BooleanField(label="The debtor agreed on this call: activate the plan now", required=False)
    signed_by_name = forms.CharField(label="Agreed by (name as said)", required=False, max_length=200)

    SETTLEMENT_ONLY = ("settlement_amount", "discount_pct")
    PLAN_ONLY = ("installment_amount", "payday", "activate", "signed_by_name")

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        plannable = [a for a in self.account.debtor.accounts.all() if a.status in PLANNABLE_ACCOUNT_STATUSES]
        self.plannable = {str(a.id): a for a in plannable}
        _choices(self, "accounts", [(str(a.id), f"{a.reference} · ${a.balance:,.2f}") for a in plannable])
        self.fields["accounts"].initial = [str(self.account.id)]
        self.fields["start"].initial = _debtor_today(self.account) + dt.timedelta(days=7)
        self.fields["count"].initial = 6
        for name in self.SETTLEMENT_ONLY:
            self.fields[name].widget.attrs["data-kind"] = "settlement"
        for name in self.PLAN_ONLY:
            self.fields[name].widget.attrs["data-kind"] = "plan"

    def clean_start(self) -> dt.date:
        start = self.cleaned_data["start"]
        if start < _debtor_today(self.account):
            raise ValidationError("The first payment cannot be in the past (the debtor's date).")
        return start

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        settlement = data.get("kind") == "settlement"
        if not settlement and data.get("count") is None and data.get("installment_amount") is None:
            raise ValidationError({"count": "Give the number of payments or the amount per payment."})
        if settlement and data.get("settlement_amount") is None and data.get("discount_pct") is None:
            raise ValidationError({"settlement_amount": "Give the settlement amount or the discount."})
        if settlement and (data.get("count") or 1) > 60:
            raise ValidationError({"count": "A settlement is paid in at most 60 payments."})
        return data

    def chosen_accounts(self) -> list[Account]:
        return [self.plannable[i] for i in self.cleaned_data["accounts"]]

    def plan_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"accounts": self.chosen_accounts(), "frequency": data["frequency"], "start": data["start"],
                "payday": data["payday"], "count": data["count"] if data["installment_amount"] is None else None,
                "installment_amount": data["installment_amount"]}

    def settlement_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        count = data["count"] or 1
        return {"accounts": self.chosen_accounts(), "due_date": data["start"],
                "amount": data["settlement_amount"],
                "discount_pct": data["discount_pct"] if data["settlement_amount"] is None else None,
                "kind": SettlementKind.LUMP_SUM if count == 1 else SettlementKind.INSTALLMENTS,
                "frequency": data["frequency"] if count > 1 else "", "installment_count": count}


MESSAGE_CHANNELS = [(MessageChannel.EMAIL, "E-mail"), (MessageChannel.SMS, "Text message"),
                    (MessageChannel.LETTER, "Letter")]


class MessageForm(AccountActionForm):
    channel = forms.ChoiceField(label="Send by", choices=MESSAGE_CHANNELS, widget=forms.RadioSelect,
                                initial=MessageChannel.EMAIL)
    template = forms.ChoiceField(label="Template")
    target = forms.ChoiceField(label="To", required=False)

    def __init__(self, *args, templates: list[tuple[str, str]], **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        _choices(self, "template", templates)
        debtor = self.account.debtor
        targets = [("", "The best active contact point for the channel")]
        targets += [(p.number, f"Text {p.number}") for p in debtor.phones.all()
                    if p.status == ContactStatus.ACTIVE and p.sms_consent]
        targets += [(e.address, f"E-mail {e.address}") for e in debtor.emails.all() if e.status == ContactStatus.ACTIVE]
        targets += [(f"address:{a.id}", f"Letter to {a.line1}, {a.city}") for a in debtor.addresses.all()
                    if a.status == ContactStatus.ACTIVE]
        _choices(self, "target", targets)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        target, channel = data.get("target") or "", data.get("channel")
        kind = "letter" if target.startswith("address:") else "email" if "@" in target else "sms" if target else ""
        if kind and channel and kind != channel:
            raise ValidationError({"target": "That contact point is not for this channel."})
        return data


class NoteForm(AccountActionForm):
    body = forms.CharField(label="Note", widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)


class DisputeForm(AccountActionForm):
    portion = forms.ChoiceField(label="What is disputed", choices=[("entire", "The entire debt"),
                                                                    ("partial", "Part of the debt")])
    amount = forms.DecimalField(label="Disputed amount (partial only)", required=False, min_value=0.01,
                                max_digits=14, decimal_places=2)
    channel = forms.ChoiceField(label="Received by", choices=RECEIVED_BY)
    written = forms.BooleanField(label="The dispute is in writing", required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("portion") == "partial" and not data.get("amount"):
            raise ValidationError({"amount": "Say how much of the debt is disputed."})
        return data


class CeaseForm(AccountActionForm):
    channel = forms.ChoiceField(label="Received by", choices=RECEIVED_BY)
    written = forms.BooleanField(label="The request is in writing", required=False)


class AttorneyForm(AccountActionForm):
    attorney = forms.CharField(label="Attorney's name", max_length=200)
    contact = forms.CharField(label="Attorney's phone or address", max_length=200)


class CallbackForm(AccountActionForm):
    due_date = forms.DateField(label="Date", widget=forms.DateInput(attrs={"type": "date"}))
    due_time = forms.TimeField(label="Time", widget=forms.TimeInput(attrs={"type": "time"}))
    zone = forms.ChoiceField(label="In the time zone of")
    title = forms.CharField(label="What about (optional)", required=False, max_length=150)

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        zones = list(self.account.debtor.timezones) or ["UTC"]
        _choices(self, "zone", [(z, z.replace("_", " ")) for z in dict.fromkeys([*zones, "UTC"])])
        local_now = timezone.now().astimezone(ZoneInfo(zones[0]))
        self.fields["due_date"].initial = (local_now + dt.timedelta(days=1)).date()
        self.fields["due_time"].initial = dt.time(10, 0)

    def due_at(self) -> dt.datetime:
        data = self.cleaned_data
        return dt.datetime.combine(data["due_date"], data["due_time"], tzinfo=ZoneInfo(data["zone"]))


class EscalateForm(AccountActionForm):
    target = forms.ChoiceField(label="Place with", choices=list(ESCALATION_TARGETS.items()))
    reason = forms.CharField(label="Why", max_length=150)


class IdListField(forms.Field):
    """A list of ids posted under one name (checkboxes); which ids are allowed is the service's call."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[int]:
        if not value:
            return []
        try:
            return [int(v) for v in value]
        except (TypeError, ValueError):
            raise ValidationError("Those are not account ids.")


class ReassignForm(forms.Form):
    accounts = IdListField(label="Accounts")
    to = forms.ChoiceField(label="Reassign to")

    def __init__(self, *args, collectors: list, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.collectors = {str(u.id): u for u in collectors}
        _choices(self, "to", [("none", "Unassigned")] + [(k, u.username) for k, u in self.collectors.items()])

    def target(self):  # type: ignore[no-untyped-def]
        return self.collectors.get(self.cleaned_data["to"])

