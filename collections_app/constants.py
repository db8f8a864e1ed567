"""Vocabulary of the domain: the values the contract and the models share."""

from django.db import models


class OperatorType(models.TextChoices):
    THIRD_PARTY_COLLECTOR = "third_party_collector", "Third-party collector"
    FIRST_PARTY_CREDITOR = "first_party_creditor", "First-party creditor"


class DebtorKind(models.TextChoices):
    PERSON = "person", "Person"
    BUSINESS = "business", "Business"


class AddressKind(models.TextChoices):
    HOME = "home", "Home"
    WORK = "work", "Work"
    MAILING = "mailing", "Mailing"
    OTHER = "other", "Other"


class PhoneKind(models.TextChoices):
    MOBILE = "mobile", "Mobile"
    HOME = "home", "Home"
    WORK = "work", "Work"
    OTHER = "other", "Other"


class ContactStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    DISCONNECTED = "disconnected", "Disconnected"
    WRONG_NUMBER = "wrong_number", "Wrong number"
    UNDELIVERABLE = "undeliverable", "Undeliverable"
    BOUNCED = "bounced", "Bounced"


class AccountKind(models.TextChoices):
    CONSUMER = "consumer", "Consumer"
    COMMERCIAL = "commercial", "Commercial"


class AccountStatus(models.TextChoices):
    OPEN = "open", "Open"
    IN_PLAN = "in_plan", "In payment plan"
    DISPUTED = "disputed", "Disputed"
    LEGAL = "legal", "Legal placement"
    PAID = "paid", "Paid in full"
    SETTLED = "settled", "Settled"
    RECALLED = "recalled", "Recalled by client"
    BANKRUPT = "bankrupt", "Bankruptcy"
    DECEASED = "deceased", "Deceased"
    CLOSED = "closed", "Closed"


CLOSED_STATUSES = (
    AccountStatus.PAID,
    AccountStatus.SETTLED,
    AccountStatus.RECALLED,
    AccountStatus.CLOSED,
)


class Direction(models.TextChoices):
    OUTBOUND = "outbound", "Outbound"
    INBOUND = "inbound", "Inbound"


class Channel(models.TextChoices):
    CALL = "call", "Call"
    SMS = "sms", "SMS"
    EMAIL = "email", "Email"
    LETTER = "letter", "Letter"
    VOICEMAIL = "voicemail", "Voicemail"
    PORTAL = "portal", "Portal"
    IN_PERSON = "in_person", "In person"


class CallOutcome(models.TextChoices):
    NO_ANSWER = "no_answer", "No answer"
    BUSY = "busy", "Busy"
    VOICEMAIL_LEFT = "voicemail_left", "Voicemail left"
    VOICEMAIL_NO_MESSAGE = "voicemail_no_message", "Voicemail, no message"
    DISCONNECTED = "disconnected", "Disconnected"
    WRONG_NUMBER = "wrong_number", "Wrong number"
    THIRD_PARTY = "third_party", "Third party"
    RIGHT_PARTY_CONTACT = "right_party_contact", "Right-party contact"


class EventType(models.TextChoices):
    CALL_ATTEMPT = "call_attempt", "Call attempt"
    CONVERSATION = "conversation", "Conversation"
    VOICEMAIL_LEFT = "voicemail_left", "Voicemail left"
    SMS_SENT = "sms_sent", "SMS sent"
    EMAIL_SENT = "email_sent", "Email sent"
    LETTER_SENT = "letter_sent", "Letter sent"
    INBOUND_CALL = "inbound_call", "Inbound call"
    INBOUND_SMS = "inbound_sms", "Inbound SMS"
    INBOUND_EMAIL = "inbound_email", "Inbound email"
    INBOUND_LETTER = "inbound_letter", "Inbound letter"
    VALIDATION_NOTICE_SENT = "validation_notice_sent", "Validation notice sent"
    VERIFICATION_SENT = "verification_sent", "Verification sent"
    DISPUTE_RECEIVED = "dispute_received", "Dispute received"
    ORIGINAL_CREDITOR_REQUEST_RECEIVED = (
        "original_creditor_request_received",
        "Original-creditor request received",
    )
    CEASE_NOTICE_RECEIVED = "cease_notice_received", "Cease notice received"
    MEDIUM_OPT_OUT = "medium_opt_out", "Medium opt-out"
    INCONVENIENT_TIME_DESIGNATION = "inconvenient_time_designation", "Inconvenient time designated"
    INCONVENIENT_PLACE_DESIGNATION = "inconvenient_place_designation", "Inconvenient place designated"
    EMPLOYER_PROHIBITS_CONTACT = "employer_prohibits_contact", "Employer prohibits contact"
    PRIOR_CONSENT_RECORDED = "prior_consent_recorded", "Prior consent recorded"
    LOCATION_STATED = "location_stated", "Location stated"
    ATTORNEY_REPRESENTATION_NOTICE = "attorney_representation_notice", "Attorney representation"
    ATTORNEY_CONSENT_TO_DIRECT_CONTACT = (
        "attorney_consent_to_direct_contact",
        "Attorney consents to direct contact",
    )
    BANKRUPTCY_FILED = "bankruptcy_filed", "Bankruptcy filed"
    BANKRUPTCY_DISCHARGED = "bankruptcy_discharged", "Bankruptcy discharged"
    DECEASED_NOTICE = "deceased_notice", "Deceased notice"
    UNDELIVERABLE_NOTICE_RECEIVED = "undeliverable_notice_received", "Returned undeliverable"
    # Our own timeline facts (not in the contract's list, written by our services).
    NOTE_ADDED = "note_added", "Note added"
    PLACEMENT = "placement", "Placed for collection"
    BALANCE_ADJUSTED = "balance_adjusted", "Balance adjusted"
    STATUS_CHANGED = "status_changed", "Status changed"
    COMPLIANCE_DECISION = "compliance_decision", "Compliance decision"
    # Money facts, written by the payments, plans, promises and settlements services.
    PAYMENT_RECEIVED = "payment_received", "Payment received"
    PAYMENT_REVERSED = "payment_reversed", "Payment reversed"
    PROMISE_MADE = "promise_made", "Promise to pay made"
    PROMISE_KEPT = "promise_kept", "Promise kept"
    PROMISE_PARTLY_KEPT = "promise_partly_kept", "Promise partly kept"
    PROMISE_BROKEN = "promise_broken", "Promise broken"
    PLAN_CREATED = "plan_created", "Payment plan proposed"
    PLAN_ACTIVATED = "plan_activated", "Payment plan activated"
    PLAN_RENEGOTIATED = "plan_renegotiated", "Payment plan renegotiated"
    PLAN_BROKEN = "plan_broken", "Payment plan broken"
    PLAN_COMPLETED = "plan_completed", "Payment plan completed"
    PLAN_CANCELLED = "plan_cancelled", "Payment plan cancelled"
    SETTLEMENT_OFFERED = "settlement_offered", "Settlement offered"
    SETTLEMENT_APPROVED = "settlement_approved", "Settlement approved"
    SETTLEMENT_REJECTED = "settlement_rejected", "Settlement rejected"
    SETTLEMENT_FULFILLED = "settlement_fulfilled", "Settlement fulfilled"


MONEY_EVENT_TYPES = (
    "payment_received",
    "payment_reversed",
    "promise_made",
    "promise_kept",
    "promise_partly_kept",
    "promise_broken",
    "plan_created",
    "plan_activated",
    "plan_renegotiated",
    "plan_broken",
    "plan_completed",
    "plan_cancelled",
    "settlement_offered",
    "settlement_approved",
    "settlement_rejected",
    "settlement_fulfilled",
)
# Event types a caller may post through the contract's /events/ endpoint.
CONTRACT_EVENT_TYPES = tuple(
    t
    for t in EventType.values
    if t not in ("note_added", "placement", "balance_adjusted", "status_changed", *MONEY_EVENT_TYPES)
)
CONTACT_EVENT_TYPES = (
    "call_attempt",
    "conversation",
    "voicemail_left",
    "sms_sent",
    "email_sent",
    "letter_sent",
    "inbound_call",
    "inbound_sms",
    "inbound_email",
    "inbound_letter",
)
WRITTEN_EVENT_TYPES = (
    "dispute_received",
    "cease_notice_received",
    "original_creditor_request_received",
)

US_STATES = (
    "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ "
    "NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY PR GU VI AS MP"
).split()

VALIDATION_PERIOD_DAYS = 30  # after the assumed receipt (5 business days) — 1006.34(b)(5)


class Component(models.TextChoices):
    """The parts of a balance a payment is allocated to."""

    FEES = "fees", "Fees"
    INTEREST = "interest", "Interest"
    PRINCIPAL = "principal", "Principal"


class PaymentMethod(models.TextChoices):
    CARD = "card", "Card"
    ACH = "ach", "ACH"
    CHECK = "check", "Check"
    CASH = "cash", "Cash"
    OTHER = "other", "Other"


class PaymentStatus(models.TextChoices):
    POSTED = "posted", "Posted"
    REVERSED = "reversed", "Reversed"


class ReversalReason(models.TextChoices):
    NSF = "nsf", "Insufficient funds (NSF)"
    CHARGEBACK = "chargeback", "Chargeback"
    ERROR = "error", "Posted in error"


class LedgerKind(models.TextChoices):
    ALLOCATION = "allocation", "Payment allocation"
    REVERSAL = "reversal", "Payment reversal"
    WRITE_OFF = "write_off", "Settlement write-off"
    WRITE_OFF_REVERSAL = "write_off_reversal", "Settlement write-off undone"


class PlanFrequency(models.TextChoices):
    WEEKLY = "weekly", "Weekly"
    BIWEEKLY = "biweekly", "Every two weeks"
    SEMI_MONTHLY = "semi_monthly", "Twice a month"
    MONTHLY = "monthly", "Monthly"


class PlanStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    ACTIVE = "active", "Active"
    COMPLETED = "completed", "Completed"
    BROKEN = "broken", "Broken"
    CANCELLED = "cancelled", "Cancelled"


class InstallmentStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    PARTLY_PAID = "partly_paid", "Partly paid"
    PAID = "paid", "Paid"
    MISSED = "missed", "Missed"


class PromiseSource(models.TextChoices):
    CALL = "call", "Call"
    PORTAL = "portal", "Portal"


class PromiseStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    KEPT = "kept", "Kept"
    PARTLY_KEPT = "partly_kept", "Partly kept"
    BROKEN = "broken", "Broken"
    CANCELLED = "cancelled", "Cancelled"


class SettlementKind(models.TextChoices):
    LUMP_SUM = "lump_sum", "Lump sum"
    INSTALLMENTS = "installments", "Installments"


class SettlementStatus(models.TextChoices):
    PENDING_APPROVAL = "pending_approval", "Pending approval"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    FULFILLED = "fulfilled", "Fulfilled"
    CANCELLED = "cancelled", "Cancelled"
