"""Plays a regulatory scenario through the contract's HTTP API only, the way an outside suite does.

A scenario states its facts as the contract's JSON (client, debtor, accounts, timeline events), one
``POST /api/v1/compliance/check/``, and the answer worked out by hand from the regulation text.
Nothing here knows how the engine works: the facts go in through ``/api/v1/clients/``,
``/debtors/``, ``/accounts/`` and ``/events/``, and only the check's JSON is judged.
"""

from __future__ import annotations

import datetime as dt
import itertools
import zoneinfo
from dataclasses import dataclass, field
from typing import Any

CHI, NYC, LA, PHX, HNL, DEN, BOS = (
    "America/Chicago", "America/New_York", "America/Los_Angeles", "America/Phoenix", "Pacific/Honolulu",
    "America/Denver", "America/New_York",
)

# The default debtor: a Chicago consumer (address and every number in Central time).
MOBILE, HOME_PHONE, WORK_PHONE = "+13125550101", "+13125550102", "+13125550103"
EMAIL, EMAIL2, WORK_EMAIL = "jane@example.com", "jane.doe@example.net", "jane@acme-employer.com"
CHICAGO_HOME = {"kind": "home", "line1": "1 Main St", "city": "Chicago", "state": "IL", "postal_code": "60601"}
CHICAGO_WORK = {"kind": "work", "line1": "9 Office Plaza", "city": "Chicago", "state": "IL", "postal_code": "60606"}
DEFAULT_DEBTOR: dict[str, Any] = {
    "kind": "person",
    "addresses": [CHICAGO_HOME, CHICAGO_WORK],
    "phones": [
        {"kind": "mobile", "number": MOBILE},
        {"kind": "home", "number": HOME_PHONE},
        {"kind": "work", "number": WORK_PHONE},
    ],
    "emails": [
        {"address": EMAIL, "consent": True},
        {"address": EMAIL2},
        {"address": WORK_EMAIL, "employer_provided": True},
    ],
}
# A consumer credit-card debt in Illinois, recent enough never to be time-barred in these scenarios.
DEFAULT_ACCOUNT: dict[str, Any] = {
    "kind": "consumer", "original_creditor": "Acme Bank", "current_creditor": "Acme Bank",
    "product": "credit card", "principal": "900.00", "interest": "80.00", "fees": "20.00",
    "open_date": "2021-03-01", "delinquency_date": "2025-01-15", "charge_off_date": "2025-07-01",
    "last_payment_date": "2025-01-02", "itemization_date": "2025-07-01",
}
STALE_DATES: dict[str, Any] = {  # last payment January 2020: past a four-year limitations period
    "open_date": "2018-03-01", "delinquency_date": "2020-01-15", "charge_off_date": "2020-07-01",
    "last_payment_date": "2020-01-02", "itemization_date": "2020-07-01",
}

# Message texts: the 1006.18(e) statements and the 1006.6(e) opt-out instructions.
FROM_COLLECTOR = "This communication is from a debt collector."
INITIAL_DISCLOSURE = (
    "This is an attempt to collect a debt and any information obtained will be used for that purpose. "
    "This communication is from a debt collector."
)
EMAIL_OPT_OUT = "Click here to opt out of further emails to this email address."
SMS_OPT_OUT = "Reply STOP to stop texts to this telephone number."
LCM_TEXT = "This is Robin Smith calling from ABC Inc. Please contact me or Jim Johnson at 1-800-555-1212."

ANY = object()  # "some event type names what lifts this block" (the contract does not name one)


def at(zone: str, wall: str) -> str:
    """ISO instant with the UTC offset the zone has at that wall time (``2026-04-08 07:59:59``)."""
    if "T" in wall:
        return wall
    local = dt.datetime.fromisoformat(wall).replace(tzinfo=zoneinfo.ZoneInfo(zone))
    return local.isoformat()


def chi(wall: str) -> str:
    return at(CHI, wall)


def ev(type_: str, when: str, **fields: Any) -> dict[str, Any]:
    return {"type": type_, "occurred_at": when, **fields}


def call(when: str, target: str = MOBILE, outcome: str = "no_answer", **fields: Any) -> dict[str, Any]:
    return ev("call_attempt", when, direction="outbound", channel="call", target=target, outcome=outcome, **fields)


def daily_calls(zone: str, days: list[str], hour: str = "10:00", **fields: Any) -> list[dict[str, Any]]:
    return [call(at(zone, f"{day} {hour}"), **fields) for day in days]


def conversation(when: str, direction: str = "outbound", target: str = MOBILE, **fields: Any) -> dict[str, Any]:
    return ev("conversation", when, direction=direction, channel="call", target=target, **fields)


def inbound(channel: str, when: str, target: str, **fields: Any) -> dict[str, Any]:
    kind = {"call": "inbound_call", "sms": "inbound_sms", "email": "inbound_email", "letter": "inbound_letter"}
    return ev(kind[channel], when, direction="inbound", channel=channel, target=target, **fields)


def sent(channel: str, when: str, target: str, **fields: Any) -> dict[str, Any]:
    kind = {"sms": "sms_sent", "email": "email_sent", "letter": "letter_sent", "voicemail": "voicemail_left"}
    return ev(kind[channel], when, direction="outbound", channel=channel, target=target, **fields)


def consent(when: str, channel: str = "call", target: str = "", **data: Any) -> dict[str, Any]:
    return ev("prior_consent_recorded", when, channel=channel, target=target,
              data={"channel": channel, "starts_at": data.pop("starts_at", when), **data})


def days(first: str, count: int) -> list[str]:
    start = dt.date.fromisoformat(first)
    return [(start + dt.timedelta(days=n)).isoformat() for n in range(count)]


# Every scenario but the validation-timing ones starts from a validation notice mailed on Monday
# 5 January 2026 (the catalogue's worked example: assumed receipt Mon 12 Jan, period ends Wed 11 Feb
# 2026), so later contacts are neither the initial communication nor inside the validation period.

# -- Rule ids the scenarios expect (the catalogue's, and the engine's documented POLICY ids) ----------
TIME = "REGF-1006.6b1i-inconvenient-time"
PLACE = "REGF-1006.6b1ii-inconvenient-place"
WORKPLACE = "REGF-1006.6b3-workplace"
SEVEN = "REGF-1006.14b2iA-7in7"
POSTCONV = "REGF-1006.14b2iB-post-conversation"
OPTOUT = "REGF-1006.14h-medium-opt-out"
CEASE = "REGF-1006.6c-cease"
ATTORNEY = "REGF-1006.6b2-attorney"
DISPUTE = "REGF-1006.38d-dispute-cease"
ORIGINAL_CREDITOR = "REGF-1006.38c-original-creditor-request"
STAY = "BK-11USC362-automatic-stay"
DISCHARGE = "BK-11USC524-discharge-injunction"
THIRD_PARTY = "REGF-1006.6d1-third-party"
DECEASED = "REGF-1006.6a4-deceased-estate"
E_NOTICE = "REGF-1006.6e-electronic-opt-out-notice"
EMAIL_PROC = "REGF-1006.6d4-email-procedures"
SMS_PROC = "REGF-1006.6d5-sms-procedures"
EMPLOYER_EMAIL = "REGF-1006.22f3-employer-email"
LCM = "REGF-1006.2j-limited-content-message"
MIRANDA = "REGF-1006.18e-mini-miranda"
BARRED = "REGF-1006.26b-time-barred"
VALIDATION_TIMING = "REGF-1006.34a-validation-timing"
VALIDATION_PERIOD = "REGF-1006.34b5-validation-period"
DELIVERY = "REGF-1006.42-delivery"
PASSIVE = "REGF-1006.30a-passive-collection"
MA_COLLECTOR = "STATE-MA-209CMR18.16-call-text-limit"
MA_CREDITOR = "STATE-MA-940CMR7.04-creditor-call-limit"
CA_ATTORNEY = "STATE-CA-1788.14c-attorney"
CA_NOTICE = "STATE-CA-1788.14d-time-barred-notice"
CA_NO_SUIT = "STATE-CA-CCP337d-no-suit-after-SOL"
TX_BARRED = "STATE-TX-392.307-time-barred"
P_WINDOW = "POLICY-call-window"
P_EMAIL = "POLICY-email-disabled"


# -- Building a scenario's facts and question -----------------------------------------------------------

def home(city: str, state: str, zip_code: str) -> list[dict[str, str]]:
    return [{"kind": "home", "line1": "1 Main St", "city": city, "state": state, "postal_code": zip_code}]


def mobile(number: str, **fields: object) -> dict[str, object]:
    return {"kind": "mobile", "number": number, **fields}


LA_DEBTOR = {"addresses": home("Los Angeles", "CA", "90012"), "phones": [mobile("+12135550101")]}
PHX_DEBTOR = {"addresses": home("Phoenix", "AZ", "85004"), "phones": [mobile("+16025550101")]}
TX_DEBTOR = {"addresses": home("Houston", "TX", "77002"), "phones": [mobile("+17135550101")]}
# Comment 6(b)(1)(i)-2, first example: mobile area code Eastern, residential address Pacific.
ET_MOBILE_PT_ADDRESS = {"addresses": home("Los Angeles", "CA", "90012"), "phones": [mobile("+12125550101")]}
TWO_DEBTS: dict[str, dict[str, Any]] = {"D1": {}, "D2": {}}


def call_check(when: str, **extra: object) -> dict[str, object]:
    return {"channel": "call", "target": MOBILE, "at": when, **extra}


def check(channel: str, target: str, when: str, **extra: object) -> dict[str, object]:
    return {"channel": channel, "target": target, "at": when, **extra}


def message(purpose: str = "collection", text: str = FROM_COLLECTOR, **extra: object) -> dict[str, object]:
    return {"purpose": purpose, "subject": "Your account", "text": text, **extra}


BASE_TIMELINE = [ev("validation_notice_sent", chi("2026-01-05 10:00"), channel="letter", direction="outbound",
                    target="address:home")]


@dataclass
class Scenario:
    name: str
    check: dict[str, Any]
    allowed: bool
    rules: tuple[str, ...] = ()
    next: str | None = None
    events: list[dict[str, Any]] = field(default_factory=list)
    debtor: dict[str, Any] = field(default_factory=dict)
    client: dict[str, Any] = field(default_factory=dict)
    accounts: dict[str, dict[str, Any]] = field(default_factory=lambda: {"D1": {}})
    base: bool = True  # prepend BASE_TIMELINE
    may_also: tuple[str, ...] = ()  # further rule ids the regulation does not settle either way
    unblocked_by: Any = None  # expected unblocked_by of the first rule when it is event-lifted
    timezones: list[str] | None = None  # expected zones (order-free)
    account_fields: dict[str, Any] = field(default_factory=dict)  # expected fields of D1 as created
    warnings: tuple[str, ...] = ()  # non-blocking findings expected beside the verdict
    period_end: str | None = None  # D1's validation_period_end once the events are recorded
    policy: str = ""  # the catalogue point (13.x / POLICY) the expected answer depends on, if any

    @property
    def id(self) -> str:
        return self.name.replace(" ", "_")


_names = itertools.count()


class Player:
    """Creates a scenario's facts through the API and asks the gate."""

    def __init__(self, api: Any) -> None:
        self.api = api

    def post(self, path: str, body: dict[str, Any], status: int = 201) -> dict[str, Any]:
        response = self.api.post(path, body, format="json")
        assert response.status_code == status, (path, body, response.status_code, response.content[:800])
        return response.json()

    def setup(self, s: Scenario) -> tuple[dict[str, int], dict[str, Any]]:
        client = self.post("/api/v1/clients/", {"name": f"Scenario client {next(_names)}", **s.client})
        debtor_body = {"client": client["id"], "name": "Jane Doe", **DEFAULT_DEBTOR, **s.debtor}
        debtor = self.post("/api/v1/debtors/", debtor_body)
        self.addresses = {a["kind"]: a["id"] for a in reversed(debtor["addresses"])}
        accounts: dict[str, int] = {}
        for ref, fields in s.accounts.items():
            body = {"debtor": debtor["id"], "reference": ref, **DEFAULT_ACCOUNT, **fields}
            created = self.post("/api/v1/accounts/", body)
            for name, expected in (s.account_fields if ref == "D1" else {}).items():
                assert created[name] == expected, (name, created[name], expected)
            accounts[ref] = created["id"]
        self.event_ids: list[int] = []
        for spec in (BASE_TIMELINE if s.base else []) + s.events:
            body = {"debtor": debtor["id"], **self.resolve(spec, accounts)}
            self.event_ids.append(self.post("/api/v1/events/", body)["id"])
        return accounts, debtor

    def resolve(self, spec: dict[str, Any], accounts: dict[str, int]) -> dict[str, Any]:
        body = dict(spec)
        if "accounts" in body:
            body["accounts"] = [accounts[ref] for ref in body["accounts"]]
        if str(body.get("target", "")).startswith("address:") and not body["target"][8:].isdigit():
            body["target"] = f"address:{self.addresses[body['target'][8:]]}"
        data = dict(body.get("data") or {})
        if isinstance(data.get("item_event"), str):  # "#n": the n-th event of the scenario (base included)
            data["item_event"] = self.event_ids[int(data["item_event"][1:])]
            body["data"] = data
        return body

    def check(self, s: Scenario, accounts: dict[str, int], when: str | None = None) -> dict[str, Any]:
        body = dict(s.check)
        body["account"] = accounts[body.get("account", "D1")]
        if when is not None:
            body["at"] = when
        body = self.resolve(body, accounts)
        response = self.api.post("/api/v1/compliance/check/", body, format="json")
        assert response.status_code == 200, (body, response.status_code, response.content[:800])
        return response.json()


def judge(player: Player, s: Scenario) -> None:
    accounts, _ = player.setup(s)
    if s.period_end is not None:
        stored = player.api.get(f"/api/v1/accounts/{accounts['D1']}/").json()
        assert stored["validation_period_end"] == s.period_end, (s.name, stored["validation_period_end"])
    answer = player.check(s, accounts)
    got = [r["rule"] for r in answer["reasons"]]
    summary = f"{s.name}: got {answer}"
    assert answer["allowed"] is s.allowed, summary
    assert set(s.rules) <= set(got) <= set(s.rules) | set(s.may_also), summary
    assert len(got) == len(set(got)), summary
    for reason in answer["reasons"]:
        assert set(reason) == {"rule", "message", "unblocked_by"} and reason["message"], summary
    assert answer["next_allowed_at"] == s.next, summary
    if s.allowed:
        assert answer["reasons"] == [] and answer["next_allowed_at"] is None, summary
    if s.unblocked_by is ANY:
        assert any(r["unblocked_by"] for r in answer["reasons"]), summary
    elif s.unblocked_by is not None:
        first = next(r for r in answer["reasons"] if r["rule"] == s.rules[0])
        assert first["unblocked_by"] == s.unblocked_by, summary
    for rule in s.warnings:
        assert rule in [w["rule"] for w in answer.get("warnings", [])], summary
    if s.timezones is not None:
        assert sorted(answer["timezones"]) == sorted(s.timezones), summary
    assert isinstance(answer["decision"], int)
    if s.next is not None:
        # next_allowed_at must itself pass, and be the earliest instant that does.
        then = dt.datetime.fromisoformat(s.next.replace("Z", "+00:00"))
        assert player.check(s, accounts, s.next)["allowed"] is True, f"{summary} (at next_allowed_at)"
        just_before = (then - dt.timedelta(seconds=1)).isoformat()
        assert player.check(s, accounts, just_before)["allowed"] is False, f"{summary} (1 s before next)"


TEXTING = [inbound("sms", chi("2026-04-01 12:00"), MOBILE)]  # the consumer texted us: 1006.6(d)(5)(i)
