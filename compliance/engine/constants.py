"""Rule ids, vocabularies and parameters of the compliance engine.

Rule ids come from ``shared/reference/regf-rules.md`` (the catalogue); the ``POLICY-*`` ids are
ours and document where a client's policy is stricter than the law. Every id below is one the
engine can report in a ``Reason``.
"""

from datetime import time, timedelta
from enum import StrEnum

RULESET_VERSION = "regf-catalogue-2025-11-21/engine-1"
"""Version stamped on every decision so a stored decision can be replayed and explained."""

# --- Catalogue rule ids (sections 1-9, 11) ---------------------------------------------------

COVERAGE = "REGF-1006.2-coverage"
"""Coverage gate (15 USC 1692a; 1006.2). Never a reason: decides whether Reg F rules run."""

INCONVENIENT_TIME = "REGF-1006.6b1i-inconvenient-time"
"""1006.6(b)(1)(i): outside [08:00, 21:00) local in any candidate zone, or a designated time."""

CONSUMER_INITIATED = "REGF-1006.6b1-consumer-initiated"
"""Comment 6(b)(1)-2: respond once to a consumer-initiated contact (an exception, not a block)."""

INCONVENIENT_PLACE = "REGF-1006.6b1ii-inconvenient-place"
"""1006.6(b)(1)(ii): media tied to a place the consumer designated inconvenient."""

WORKPLACE = "REGF-1006.6b3-workplace"
"""1006.6(b)(3): the employer prohibits the consumer from receiving such communications."""

PRIOR_CONSENT = "REGF-1006.6b4-prior-consent"
"""1006.6(b)(4): prior consent given directly to us lifts (b)(1)-(3) (an exception)."""

SEVEN_IN_SEVEN = "REGF-1006.14b2iA-7in7"
"""1006.14(b)(2)(i)(A): an eighth call about a debt within seven consecutive days."""

POST_CONVERSATION = "REGF-1006.14b2iB-post-conversation"
"""1006.14(b)(2)(i)(B): a call within seven days after a telephone conversation (day 1)."""

EXCLUDED_CALLS = "REGF-1006.14b3-excluded-calls"
"""1006.14(b)(3): calls not counted (consent, not connected, wrong number, other parties).
Frequencies are counted per debt (1006.14(b)(4), REGF-1006.14b4-particular-debt)."""

MEDIUM_OPT_OUT = "REGF-1006.14h-medium-opt-out"
"""1006.14(h): the person asked us not to use a medium (or one address/number in it)."""

CEASE = "REGF-1006.6c-cease"
"""1006.6(c): written refusal to pay / request to cease; only the (c)(2) notices remain."""

ATTORNEY = "REGF-1006.6b2-attorney"
"""1006.6(b)(2): the consumer is represented by an attorney with respect to the debt."""

DISPUTE = "REGF-1006.38d-dispute-cease"
"""1006.38(d): written dispute within the validation period suspends collection."""

ORIGINAL_CREDITOR_REQUEST = "REGF-1006.38c-original-creditor-request"
"""1006.38(c): written original-creditor request within the validation period."""

BANKRUPTCY_STAY = "BK-11USC362-automatic-stay"
"""11 USC 362(a): the automatic stay, for every operator."""

BANKRUPTCY_DISCHARGE = "BK-11USC524-discharge-injunction"
"""11 USC 524(a)(2); 1006.30(b): a discharged debt may not be collected."""

THIRD_PARTY = "REGF-1006.6d1-third-party"
"""1006.6(d)(1): the recipient is not known to be the consumer."""

LOCATION_INFO = "REGF-1006.10-location-info"
"""1006.10(c): no more than one communication with the same third party for location information."""

DECEASED = "REGF-1006.6a4-deceased-estate"
"""1006.6(a)(4): the consumer died; only the estate's representative is "the consumer"."""

ELECTRONIC_OPT_OUT_NOTICE = "REGF-1006.6e-electronic-opt-out-notice"
"""1006.6(e): every email or text must say how to opt out of electronic messages."""

EMAIL_PROCEDURES = "REGF-1006.6d4-email-procedures"
"""1006.6(d)(3)-(4) safe harbor, gated as POLICY (catalogue 0.2)."""

SMS_PROCEDURES = "REGF-1006.6d5-sms-procedures"
"""1006.6(d)(5) safe harbor, gated as POLICY (catalogue 0.2)."""

EMPLOYER_EMAIL = "REGF-1006.22f3-employer-email"
"""1006.22(f)(3): no email to an address known to be employer-provided."""

LIMITED_CONTENT = "REGF-1006.2j-limited-content-message"
"""1006.2(j): voicemails must be limited-content messages (POLICY for other voicemails)."""

MINI_MIRANDA = "REGF-1006.18e-mini-miranda"
"""1006.18(e): the debt-collector disclosures."""

TIME_BARRED = "REGF-1006.26b-time-barred"
"""1006.26(b): no threat of suit on a time-barred debt."""

OVERSHADOWING = "REGF-1006.38b-overshadowing"
"""1006.38(b): during the validation period, no demand that overshadows the right to dispute."""

VALIDATION_TIMING = "REGF-1006.34a-validation-timing"
"""1006.34(a): validation information within five days of the initial communication. Reported as
a warning once overdue, never as a block (a deadline, not a stop; README "Readings")."""

VALIDATION_PERIOD = "REGF-1006.34b5-validation-period"
"""1006.34(b)(5): the stated validation-period end may not be earlier than allowed."""

DELIVERY = "REGF-1006.42-delivery"
"""1006.42: required disclosures must reasonably be expected to give actual notice."""

PASSIVE_COLLECTION = "REGF-1006.30a-passive-collection"
"""1006.30(a): no furnishing before speaking to the consumer or a message plus 14 days."""

MA_COLLECTOR_CALL_LIMIT = "STATE-MA-209CMR18.16-call-text-limit"
"""209 CMR 18.16(1)(d): two calls/texts per 7 days (home/cell), two per 30 days (other)."""

MA_CREDITOR_CALL_LIMIT = "STATE-MA-940CMR7.04-creditor-call-limit"
"""940 CMR 7.04(1)(f): the same limits for creditors collecting their own debts."""

MA_WORKPLACE_REQUEST = "STATE-MA-209CMR18.16c-workplace-request"
"""209 CMR 18.16(1)(c): no calls at work after the consumer's request (oral: ten days)."""

CA_ATTORNEY = "STATE-CA-1788.14c-attorney"
"""Cal. Civ. Code 1788.14(c): no initiating communications after an attorney's written notice."""

CA_FIRST_WRITTEN_NOTICE = "STATE-CA-1812.700-notice"
"""Cal. Civ. Code 1812.700: the Rosenthal notice in the first written notice."""

CA_TIME_BARRED_NOTICE = "STATE-CA-1788.14d-time-barred-notice"
"""Cal. Civ. Code 1788.14(d): written communications on time-barred debt carry the notice."""

CA_NO_SUIT_AFTER_SOL = "STATE-CA-CCP337d-no-suit-after-SOL"
"""Cal. CCP 337(d): no suit (or threat of one) after the limitations period."""

TX_TIME_BARRED = "STATE-TX-392.307-time-barred"
"""Tex. Fin. Code 392.307: debt buyers may not sue on, and must disclose, time-barred debt."""

NY_CONSUMER_CREDIT_SOL = "STATE-NY-CPLR214i-3yr-SOL"
"""CPLR 214-i: three-year limit for consumer credit, not revived by later payment."""

# --- Our policy ids: a client policy stricter than the law ------------------------------------

POLICY_CALL_WINDOW = "POLICY-call-window"
"""The client's contact hours are narrower than 08:00-21:00 local (calls, voicemails, texts,
emails). Evaluated in every candidate zone. A looser setting is clamped to the legal window, so
this id only appears when the client's window is strictly narrower."""

POLICY_MAX_CALLS_7D = "POLICY-max-calls-7d"
"""The client allows fewer than seven calls about a debt in seven consecutive days; counted
exactly as REGF-1006.14b2iA-7in7 (same exclusions, same days). Only values below 7 matter."""

POLICY_SMS_DISABLED = "POLICY-sms-disabled"
"""The client does not allow text messages at all."""

POLICY_EMAIL_DISABLED = "POLICY-email-disabled"
"""The client does not allow email at all."""

# --- Vocabularies ----------------------------------------------------------------------------


class Channel(StrEnum):
    """Channel of a requested contact."""

    CALL = "call"
    VOICEMAIL = "voicemail"
    SMS = "sms"
    EMAIL = "email"
    LETTER = "letter"
    CREDIT_REPORT = "credit_report"


class Direction(StrEnum):
    """Whether we start the contact or answer the consumer's own contact."""

    OUTBOUND = "outbound"
    INBOUND_RESPONSE = "inbound_response"


class Purpose(StrEnum):
    """What a message is for; decides which exceptions apply."""

    COLLECTION = "collection"
    VALIDATION_NOTICE = "validation_notice"
    VERIFICATION = "verification"
    TERMINATION_NOTICE = "termination_notice"
    REMEDY_NOTICE = "remedy_notice"
    LIMITED_CONTENT = "limited_content"
    LOCATION_INQUIRY = "location_inquiry"
    OPT_OUT_CONFIRMATION = "opt_out_confirmation"


class OperatorType(StrEnum):
    """Who is collecting: a debt collector (Reg F applies) or a creditor collecting its own."""

    THIRD_PARTY_COLLECTOR = "third_party_collector"
    FIRST_PARTY_CREDITOR = "first_party_creditor"


class DebtorKind(StrEnum):
    PERSON = "person"
    BUSINESS = "business"


class AccountKind(StrEnum):
    CONSUMER = "consumer"
    COMMERCIAL = "commercial"


class PhoneKind(StrEnum):
    MOBILE = "mobile"
    HOME = "home"
    WORK = "work"
    OTHER = "other"


class PhoneStatus(StrEnum):
    ACTIVE = "active"
    DISCONNECTED = "disconnected"
    WRONG_NUMBER = "wrong_number"


class EmailStatus(StrEnum):
    ACTIVE = "active"
    BOUNCED = "bounced"


class AddressKind(StrEnum):
    HOME = "home"
    WORK = "work"
    MAILING = "mailing"
    OTHER = "other"


class AddressStatus(StrEnum):
    ACTIVE = "active"
    UNDELIVERABLE = "undeliverable"


class EventType(StrEnum):
    """Timeline event types of the contract ("Case events")."""

    CALL_ATTEMPT = "call_attempt"
    CONVERSATION = "conversation"
    VOICEMAIL_LEFT = "voicemail_left"
    SMS_SENT = "sms_sent"
    EMAIL_SENT = "email_sent"
    LETTER_SENT = "letter_sent"
    INBOUND_CALL = "inbound_call"
    INBOUND_SMS = "inbound_sms"
    INBOUND_EMAIL = "inbound_email"
    INBOUND_LETTER = "inbound_letter"
    VALIDATION_NOTICE_SENT = "validation_notice_sent"
    VERIFICATION_SENT = "verification_sent"
    DISPUTE_RECEIVED = "dispute_received"
    ORIGINAL_CREDITOR_REQUEST_RECEIVED = "original_creditor_request_received"
    CEASE_NOTICE_RECEIVED = "cease_notice_received"
    MEDIUM_OPT_OUT = "medium_opt_out"
    INCONVENIENT_TIME_DESIGNATION = "inconvenient_time_designation"
    INCONVENIENT_PLACE_DESIGNATION = "inconvenient_place_designation"
    EMPLOYER_PROHIBITS_CONTACT = "employer_prohibits_contact"
    PRIOR_CONSENT_RECORDED = "prior_consent_recorded"
    LOCATION_STATED = "location_stated"
    ATTORNEY_REPRESENTATION_NOTICE = "attorney_representation_notice"
    ATTORNEY_CONSENT_TO_DIRECT_CONTACT = "attorney_consent_to_direct_contact"
    BANKRUPTCY_FILED = "bankruptcy_filed"
    BANKRUPTCY_DISCHARGED = "bankruptcy_discharged"
    DECEASED_NOTICE = "deceased_notice"
    UNDELIVERABLE_NOTICE_RECEIVED = "undeliverable_notice_received"


class CallOutcome(StrEnum):
    NO_ANSWER = "no_answer"
    BUSY = "busy"
    VOICEMAIL_LEFT = "voicemail_left"
    VOICEMAIL_NO_MESSAGE = "voicemail_no_message"
    DISCONNECTED = "disconnected"
    WRONG_NUMBER = "wrong_number"
    THIRD_PARTY = "third_party"
    RIGHT_PARTY_CONTACT = "right_party_contact"


# --- Parameters ------------------------------------------------------------------------------

WINDOW_START = time(8, 0)
"""1006.6(b)(1)(i): 08:00:00 local is convenient (catalogue 13.1, window [08:00, 21:00))."""

WINDOW_END = time(21, 0)
"""1006.6(b)(1)(i): 21:00:00 local is already inconvenient (catalogue 13.1)."""

MAX_CALLS_IN_7_DAYS = 7
"""1006.14(b)(2)(i)(A): the eighth call within seven consecutive days is presumed a violation."""

FREQUENCY_DAYS = 7
"""Both call presumptions count seven consecutive calendar days (day 1 included)."""

CONSENT_MAX_DAYS = 7
"""1006.14(b)(3)(i): consent excludes calls for at most seven days, the day received as day 1."""

SMS_FRESHNESS_DAYS = 60
"""1006.6(d)(5): the consumer's text must be within the past 60 (calendar, local) days."""

PASSIVE_WAIT_DAYS = 14
"""Comment 30(a)(1)-2: 14 consecutive days from the mailing date (furnish on day 15)."""

VALIDATION_DEADLINE_DAYS = 5
"""1006.34(a)(1)(i)(B): notice within five (calendar) days of the initial communication."""

ASSUMED_RECEIPT_BUSINESS_DAYS = 5
"""1006.34(b)(5): receipt may be assumed five days after sending, skipping weekends/holidays."""

VALIDATION_PERIOD_DAYS = 30
"""1006.34(b)(5): the period ends 30 days after (assumed) receipt."""

MA_SHORT_WINDOW_DAYS = 7
"""209 CMR 18.16(1)(d): "each seven-day period" for home and cellular numbers (rolling)."""

MA_LONG_WINDOW_DAYS = 30
"""209 CMR 18.16(1)(d): "each 30-day period" for other numbers (rolling)."""

MA_MAX_COMMUNICATIONS = 2
"""209 CMR 18.16(1)(d) / 940 CMR 7.04(1)(f): no more than two per period."""

MA_ORAL_WORKPLACE_REQUEST_VALIDITY = timedelta(days=10)
"""209 CMR 18.16(1)(c): an oral request not to be called at work lapses after ten days."""

NY_SOL_YEARS = 3
"""CPLR 214-i: three years for consumer credit transactions."""

SEARCH_HORIZON = timedelta(days=60)
"""How far ``next_allowed_at`` is searched; beyond it the gate reports no time."""

UNKNOWN_LOCATION_ZONES = (
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Phoenix",
    "America/Los_Angeles",
    "America/Anchorage",
    "Pacific/Honolulu",
)
"""POLICY: with no location evidence at all, every US zone is a candidate (comment
6(b)(1)(i)-2 applied to total uncertainty); days are then counted in the first."""
