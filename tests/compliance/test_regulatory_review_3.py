"""A third adversarial regulatory review of the compliance gate, played through the HTTP API only.

Same method as ``test_regulatory_review.py`` and ``test_regulatory_review_2.py`` (their harness,
fixture date and conventions): every row was written from the rule catalogue
(``shared/reference/regf-rules.md``), 12 CFR part 1006 and its official interpretations (Supplement
I), 15 USC 1692, 11 USC 362/524 and the state texts the catalogue cites, with the expected verdict,
rule id and ``next_allowed_at`` worked out by hand in the comment beside it. ``judge`` also checks
that a given ``next_allowed_at`` passes and that one second earlier does not.

This round looks where the first two did not: designations adjoining 08:00 and 21:00; candidate
zones whose offsets move apart on DST days (Arizona with Mountain on the fall-back eve, Alaska with
Hawaii on the spring-forward Sunday) and area codes split between zones (Indiana 812, Kentucky
270); the seven-in-seven and the post-conversation weeks binding together, each the later one;
client hours and caps with the law's; who *the person* called is for location calls (comment
14(b)(2)(i)-1.iii, 1006.10(b)(5), (c)); limited-content messages with the optional content of
comment 2(j)(2)-2 and the examples that disqualify one; the respond-once examples of comment
6(b)(1)-2.i and .iv and of comment 6(b)(2)-1 by email; opt-out confirmations that say more than
the confirmation (1006.14(h)(2)(i)); opt-out methods that demand a fee or information (1006.6(e));
required disclosures to an opted-out medium (comment 42(a)(1)-4); validation periods across Memorial
Day, Presidents Day and Labor Day; overshadowing (1006.38(b)); an oral first conversation and the
first written message (1006.18(e)(1)); California's first written notice (Civ. Code 1812.700);
New York's no-revival rule (CPLR 214-i); Massachusetts with the federal weeks;
passive credit reporting after a late-evening email, an inbound email only, or a third party.

Engine bugs this review found and fixed (before -> after):

1. REGF-1006.14b2iA-7in7 / REGF-1006.14b2iB-post-conversation -- "a particular person"
   (1006.14(b)(2)(i); comment 14(b)(2)(i)-1.iii; 1006.10(c)). The frequency rules counted the
   consumer's calls and conversations whatever number was asked about, and never the calls to the
   third party asked about. A location call to a neighbour after seven calls to the consumer was
   blocked (REGF-1006.14b2iA-7in7 -> allowed); a location call the day after a conversation with
   the consumer was blocked (REGF-1006.14b2iB-post-conversation -> allowed); the eighth unanswered
   location call to the same neighbour in seven days was allowed (-> REGF-1006.14b2iA-7in7 until
   the window clears). A request to a number that is not the consumer's now counts the calls and
   conversations with that number only.
2. REGF-1006.10-location-info (1006.10(c)): the rule was missing. A second location call to a
   neighbour who had already answered (a communication with that person) was allowed ->
   blocked (no time-based end: only the person's request or a reasonable belief that the earlier
   answer was wrong lifts it, and the contract has no event for either; see the README's open
   questions).
3. REGF-1006.14h-medium-opt-out (1006.14(h)(2)(i)): the one electronic confirmation of an opt-out
   was exempt whatever it said. A confirmation text that also named the balance due was allowed
   -> blocked: the confirmation may contain "no information other than a statement confirming the
   person's request and that the debt collector will honor it".
4. REGF-1006.6e-electronic-opt-out-notice (1006.6(e)): an opt-out method that makes the consumer
   pay a fee or give information beyond the preference and the address or number passed ->
   blocked (a sentence that only names the account the texts are about still passes).
5. REGF-1006.38b-overshadowing (1006.38(b); 15 USC 1692g(b)): the rule was missing. A letter
   inside the validation period demanding payment "within 10 days" was allowed -> blocked until
   the day the same deadline no longer falls before the period's end (``next_allowed_at``); the
   same letter after the period, or one naming no deadline, still passes.
6. REGF-1006.26b-time-barred with CPLR 214-i (New York): the stored limitations end
   (``geo.limitations.sol_expiry``) ran from the last payment even when it came after the three
   years had run out, so a New York debt "revived" by a late payment was not time-barred and a
   threat of suit on it carried only STATE-NY-CPLR214i-3yr-SOL -> also REGF-1006.26b-time-barred
   (the debt is time-barred under the applicable law; strict liability).
7. STATE-MA-209CMR18.16-call-text-limit (209 CMR 18.16(1)(d) counts communications with the
   consumer): a location call to a neighbour was counted as a call to an unknown line of the
   consumer and blocked after two calls to the consumer's work line that month -> allowed.

8. REGF-1006.6b1i-inconvenient-time (1006.6(b)(1) protects "a consumer" as 1006.6(a) defines it;
   1006.6(d)(1)(ii)): a call to the consumer's attorney at 22:00 was blocked as if the attorney
   were the consumer -> allowed.

A first draft also expected a bankruptcy petition recorded against one account to stay the
debtor's other debts (11 USC 362(a)(6) reaches every pre-petition claim); the engine then read the
event's accounts as the debts stayed. It now follows the statute: every debt of the debtor's is
stayed but one opened after the petition day (the account's ``open_date``), tested in
``test_coverage_and_bankruptcy.py`` and, for the batch, ``test_eligibility_batch.py``.

Calendar: 1 and 8 Apr 2026 are Wednesdays, 10 Apr a Friday; Chicago is UTC-5 from 8 Mar to
1 Nov 2026 (UTC-6 otherwise), New York one hour ahead, Denver one behind (MST UTC-7 in winter),
Phoenix UTC-7 all year, Anchorage UTC-9/-8, Honolulu UTC-10 all year. 5 USC 6103(a) holidays used:
16 Feb 2026 (Washington's Birthday), 25 May 2026 (Memorial Day), 7 Sep 2026 (Labor Day).
"""

from __future__ import annotations

import pytest

from tests.compliance.regulatory_harness import (
    ATTORNEY,
    BARRED,
    CEASE,
    CHI,
    DEN,
    DISPUTE,
    E_NOTICE,
    EMAIL,
    EMAIL_OPT_OUT,
    EMAIL_PROC,
    EMPLOYER_EMAIL,
    ET_MOBILE_PT_ADDRESS,
    FROM_COLLECTOR,
    INITIAL_DISCLOSURE,
    LA,
    LA_DEBTOR,
    LCM,
    LCM_TEXT,
    MA_COLLECTOR,
    MIRANDA,
    MOBILE,
    NYC,
    OPTOUT,
    P_WINDOW,
    PASSIVE,
    PHX,
    PLACE,
    POSTCONV,
    SEVEN,
    SMS_OPT_OUT,
    TEXTING,
    THIRD_PARTY,
    TIME,
    WORK_EMAIL,
    Scenario,
    at,
    call,
    call_check,
    check,
    chi,
    consent,
    conversation,
    daily_calls,
    days,
    ev,
    home,
    inbound,
    judge,
    message,
    mobile,
    sent,
)

pytestmark = pytest.mark.django_db

# Comment 14(b)(3)(i)-3.iii: three unanswered calls Mon 1 - Wed 3 June 2026, consent by email Thu 4 June,
# then eight unanswered calls 8-10 June.
CONSENT_WEEK = (daily_calls(CHI, days("2026-06-01", 3)) + [consent(chi("2026-06-04 10:00"))]
                + [call(chi(f"2026-06-{d} {h}")) for d, h in (("08", "09:00"), ("08", "11:00"), ("08", "13:00"),
                                                              ("09", "09:00"), ("09", "11:00"), ("09", "13:00"),
                                                              ("10", "09:00"), ("10", "11:00"))])
LOCATION = "REGF-1006.10-location-info"
CA_FIRST = "STATE-CA-1812.700-notice"
OVERSHADOWING = "REGF-1006.38b-overshadowing"
NY_SOL = "STATE-NY-CPLR214i-3yr-SOL"
P_MAX = "POLICY-max-calls-7d"
ANC = "America/Anchorage"

NEIGHBOUR = "+13125557777"
RELATIVE = "+13125558888"
ATTORNEY_PHONE = "+13125559999"

PHX_ADDRESS_DEN_MOBILE = {"addresses": home("Phoenix", "AZ", "85004"), "phones": [mobile("+13035550101")]}
ANC_ADDRESS_HNL_MOBILE = {"addresses": home("Anchorage", "AK", "99501"), "phones": [mobile("+18085550101")]}
# Area codes split between Central and Eastern time, exchanges the zone data does not list: the
# number says only "somewhere in the area code", so every zone of it is a candidate (comment
# 6(b)(1)(i)-2), and there is no address.
INDIANA_812 = {"addresses": [], "phones": [mobile("+18125550101")]}
KENTUCKY_270 = {"addresses": [], "phones": [mobile("+12705550101")]}
NY_DEBTOR = {"addresses": home("New York", "NY", "10001"), "phones": [mobile("+12125550101")]}
BOSTON = {
    "addresses": home("Boston", "MA", "02108"),
    "phones": [mobile("+16175550101"), {"kind": "work", "number": "+16175550103"}],
}

REPRESENTED = ev("attorney_representation_notice", chi("2026-04-01 10:00"),
                 data={"attorney": "Saul Goodman", "contact": ATTORNEY_PHONE})
LOCATE = {"purpose": "location_inquiry"}
# Comment 2(j)(2)-2: every optional element of a limited-content message.
LCM_WITH_OPTIONS = (
    "Hi, this is Robin Smith calling from ABC Inc. It is 4:15 p.m. on Wednesday, April 8. Please contact me or any "
    "of our representatives at 1-800-555-1212 today until 6:00 p.m. Central time, or any weekday from 8:00 a.m. to "
    "6:00 p.m. Central time."
)
SUIT_THREAT = f"{FROM_COLLECTOR} If you do not pay, we will file a lawsuit against you."
EVERY_DAY = [0, 1, 2, 3, 4, 5, 6]
WEEKDAYS = [0, 1, 2, 3, 4]


def notice(when: str, **data: object) -> dict[str, object]:
    return ev("validation_notice_sent", when, channel="letter", direction="outbound", target="address:home",
              **({"data": data} if data else {}))


def dispute(when: str, **fields: object) -> dict[str, object]:
    return ev("dispute_received", when, channel="letter", direction="inbound", data={"portion": "entire"}, **fields)


def designation(when: str, weekdays: list[int], start: str, end: str) -> dict[str, object]:
    return ev("inconvenient_time_designation", when, data={"weekdays": weekdays, "start": start, "end": end})


def opt_out(when: str, channel: str, target: str | None = None) -> dict[str, object]:
    return ev("medium_opt_out", when, data={"channel": channel, **({"target": target} if target else {})})


def cease(when: str, **fields: object) -> dict[str, object]:
    return ev("cease_notice_received", when, channel="letter", direction="inbound", **fields)


def furnish(when: str) -> dict[str, object]:
    return {"channel": "credit_report", "at": when}


def ny_dates(delinquent: str, last_paid: str) -> dict[str, object]:
    return {"governing_state": "NY", "open_date": "2019-03-01", "delinquency_date": delinquent,
            "charge_off_date": delinquent, "last_payment_date": last_paid, "itemization_date": delinquent}


S = Scenario
SCENARIOS: list[Scenario] = [
    # ---------------------------------------------------------------- designations adjoining 08:00 and 21:00
    S("a weekday designation 06:00-08:30 swallows the 08:00 opening: a 07:00 call waits until 08:30",
      # 1006.6(b)(1)(i) (before 08:00) and comment 6(b)(1)-1 (designated 06:00-08:30 on weekdays): the first
      # instant outside both is 08:30 CDT Wednesday = 13:30 UTC.
      call_check(chi("2026-04-08 07:00")), False, (TIME,), "2026-04-08T13:30:00Z",
      events=[designation(chi("2026-03-20 12:00"), WEEKDAYS, "06:00", "08:30")]),
    S("a designation 20:00-22:00 runs into the 21:00 close: a 20:30 call waits until 08:00 the next day",
      # comment 6(b)(1)-1 until 21:00, then 1006.6(b)(1)(i) until 08:00 CDT Thursday = 13:00 UTC.
      call_check(chi("2026-04-08 20:30")), False, (TIME,), "2026-04-09T13:00:00Z",
      events=[designation(chi("2026-03-20 12:00"), EVERY_DAY, "20:00", "22:00")]),
    S("a designation ending exactly at 08:00 leaves 08:00 itself convenient",
      # designated 07:00-08:00 (end excluded) and the default window [08:00, 21:00): 07:59 waits for 08:00 CDT.
      call_check(chi("2026-04-08 07:59")), False, (TIME,), "2026-04-08T13:00:00Z", policy="13.1",
      events=[designation(chi("2026-03-20 12:00"), EVERY_DAY, "07:00", "08:00")]),
    S("a text at 18:00 inside a designation 17:00-21:00 waits for 08:00: texts are attempts at that time too",
      # comment 6(b)(1)(i)-1 (sent = occurs) with comment 6(b)(1)-1; next 08:00 CDT = 13:00 UTC.
      check("sms", MOBILE, chi("2026-04-08 18:00"), message=message(text=f"{FROM_COLLECTOR} {SMS_OPT_OUT}")),
      False, (TIME,), "2026-04-09T13:00:00Z",
      events=TEXTING + [designation(chi("2026-04-02 12:00"), EVERY_DAY, "17:00", "21:00")]),
    # ---------------------------------------------------------------- zones whose offsets move apart
    S("a Phoenix address and a Denver mobile on the 2026 fall-back eve: 20:30 MST is 21:30 MDT in Denver",
      # comment 6(b)(1)(i)-2: Sat 31 Oct 20:30 MST = 03:30 UTC 1 Nov = 21:30 MDT. Denver falls back at 02:00 MDT;
      # on Sunday both zones are UTC-7, so 08:00 in both = 15:00 UTC.
      check("call", "+13035550101", at(PHX, "2026-10-31 20:30")), False, (TIME,), "2026-11-01T15:00:00Z",
      debtor=PHX_ADDRESS_DEN_MOBILE, timezones=[PHX, DEN]),
    S("an Anchorage address and a Honolulu mobile on the spring-forward Sunday: 21:00 AKDT waits for 08:00 HST",
      # comment 6(b)(1)(i)-2. Sun 8 Mar 2026 21:00 AKDT = 05:00 UTC 9 Mar (19:00 HST); Monday 08:00 HST = 18:00
      # UTC (10:00 AKDT) is the first instant convenient in both.
      check("call", "+18085550101", at(ANC, "2026-03-08 21:00")), False, (TIME,), "2026-03-09T18:00:00Z",
      debtor=ANC_ADDRESS_HNL_MOBILE),
    S("an Anchorage address and a Honolulu mobile the evening before: 20:59 AKST is still convenient in both",
      # Sat 7 Mar 2026 20:59 AKST = 05:59 UTC 8 Mar = 19:59 HST.
      check("call", "+18085550101", at(ANC, "2026-03-07 20:59")), True, debtor=ANC_ADDRESS_HNL_MOBILE),
    S("an Indiana 812 number alone may be Central or Eastern: 20:30 Central is 21:30 Eastern",
      # comment 6(b)(1)(i)-2 (ambiguous location: convenient in all). 20:30 CDT = 01:30 UTC 9 Apr; the window opens
      # at 08:00 CDT (09:00 EDT) = 13:00 UTC.
      check("call", "+18125550101", at(CHI, "2026-04-08 20:30")), False, (TIME,), "2026-04-09T13:00:00Z",
      debtor=INDIANA_812, base=False),
    S("a Kentucky 270 number alone may be Central or Eastern: 08:30 Eastern is 07:30 Central",
      # comment 6(b)(1)(i)-2: 08:30 EDT = 12:30 UTC = 07:30 CDT; next 08:00 CDT = 13:00 UTC.
      check("call", "+12705550101", at(NYC, "2026-04-08 08:30")), False, (TIME,), "2026-04-08T13:00:00Z",
      debtor=KENTUCKY_270, base=False),
    S("a weekday 09:00-17:00 designation in Eastern and Pacific zones leaves only 17:00-18:00 Pacific",
      # comment 6(b)(1)(i)-2 with comment 6(b)(1)-1: the window 11:00-21:00 EDT (15:00-01:00 UTC) minus the
      # designated hours in either zone (13:00-21:00 and 16:00-00:00 UTC) leaves 00:00-01:00 UTC, i.e. 17:00 PDT
      # = 20:00 EDT. At 11:30 EDT Wednesday the next instant is 00:00 UTC Thursday.
      check("call", "+12125550101", at(NYC, "2026-04-08 11:30")), False, (TIME,), "2026-04-09T00:00:00Z",
      debtor=ET_MOBILE_PT_ADDRESS, events=[designation(at(NYC, "2026-03-20 12:00"), WEEKDAYS, "09:00", "17:00")]),
    S("client hours 09:00-15:00 in Honolulu and New York first overlap once New York falls back",
      # the client's window in both zones. On EDT (six hours apart) 09:00 HST = 15:00 EDT, the end of the Eastern
      # window: no overlap. From Sun 1 Nov 2026 (EST, five hours apart) 09:00 HST = 14:00 EST = 19:00 UTC opens
      # an hour that the law allows too (08:00-21:00 in both).
      check("call", "+12125550101", at(NYC, "2026-10-28 14:00")), False, (P_WINDOW,), "2026-11-01T19:00:00Z",
      debtor={"addresses": home("Honolulu", "HI", "96813"), "phones": [mobile("+12125550101")]},
      client={"call_window_start": "09:00", "call_window_end": "15:00"}),
    S("an overnight designation 22:00-09:00 across the fall-back: 08:30 CST waits until 09:00 CST",
      # comment 6(b)(1)-1 in local time (0.2, DST-aware): Sun 1 Nov 2026 09:00 CST = 15:00 UTC.
      call_check(chi("2026-11-01 08:30")), False, (TIME,), "2026-11-01T15:00:00Z",
      events=[designation(chi("2026-10-01 12:00"), EVERY_DAY, "22:00", "09:00")]),
    S("an email received just before a 15:00-17:00 designation may not be answered inside it",
      # comment 6(b)(1)-2: the respond-once exception is for a consumer who initiates "at a time ... previously
      # designated as inconvenient"; this email came at 14:50. Next: 17:00 CDT = 22:00 UTC.
      check("email", EMAIL, chi("2026-04-08 15:10"), direction="inbound_response"), False, (TIME,),
      "2026-04-08T22:00:00Z",
      events=[designation(chi("2026-03-20 12:00"), WEEKDAYS, "15:00", "17:00"),
              inbound("email", chi("2026-04-08 14:50"), EMAIL)]),
    # ---------------------------------------------------------------- prior consent opening a later window
    S("at 21:30 a call waits for the 07:00-07:30 window the consumer asked for, not for 08:00",
      # 1006.6(b)(4)(i): consent given directly to us (at 18:00, a convenient time) to a call tomorrow 07:00-07:30;
      # next instant: 07:00 CDT = 12:00 UTC.
      call_check(chi("2026-04-07 21:30")), False, (TIME,), "2026-04-08T12:00:00Z",
      events=[consent(chi("2026-04-07 18:00"), starts_at=chi("2026-04-08 07:00"), ends_at=chi("2026-04-08 07:30"))]),
    S("'don't call me at work', then consent to a work call tomorrow 09:00-11:00: the work line opens at 09:00",
      # 1006.6(b)(1)(ii) and (b)(4)(i): the consent given after the designation opens the place for its window;
      # 09:00 CDT = 14:00 UTC.
      check("call", "+13125550103", chi("2026-04-07 15:00")), False, (PLACE,), "2026-04-08T14:00:00Z",
      events=[ev("inconvenient_place_designation", chi("2026-04-01 10:00"), data={"place": "work"}),
              consent(chi("2026-04-07 10:00"), target="+13125550103", starts_at=chi("2026-04-08 09:00"),
                      ends_at=chi("2026-04-08 11:00"))]),
    S("a represented consumer who called and asked for a call tomorrow 09:00-11:00 may be called then",
      # 1006.6(b)(2) with (b)(4)(i); comment 6(b)(2)-1. An outbound call before the window is still barred; the
      # window opens 8 Apr 09:00 CDT = 14:00 UTC.
      call_check(chi("2026-04-07 15:00")), False, (ATTORNEY,), "2026-04-08T14:00:00Z",
      events=[REPRESENTED, inbound("call", chi("2026-04-07 10:00"), MOBILE),
              consent(chi("2026-04-07 10:05"), starts_at=chi("2026-04-08 09:00"), ends_at=chi("2026-04-08 11:00"))]),
    # ---------------------------------------------------------------- both call presumptions binding
    S("seven calls on 5 April after a conversation on 1 April: seven-in-seven outlasts the conversation week",
      # 1006.14(b)(2)(i)(B): conversation 1 Apr (day 1) blocks 1-7 Apr. 1006.14(b)(2)(i)(A): 5 Apr stays in the
      # window D-6..D until D = 11 Apr; both clear on 12 Apr, 08:00 CDT = 13:00 UTC.
      call_check(chi("2026-04-06 10:00")), False, (SEVEN, POSTCONV), "2026-04-12T13:00:00Z",
      events=[conversation(chi("2026-04-01 10:00"), direction="inbound")]
      + [call(chi(f"2026-04-05 {h:02d}:00")) for h in range(9, 16)]),
    S("seven calls on 1-2 April and a conversation on 6 April: the conversation week outlasts seven-in-seven",
      # (A): 1-7 Apr holds 7, 2-8 Apr holds 3 -> clear on 8 Apr. (B): 6 Apr is day 1 -> clear on 13 Apr, 08:00
      # CDT = 13:00 UTC.
      call_check(chi("2026-04-07 10:00")), False, (SEVEN, POSTCONV), "2026-04-13T13:00:00Z",
      events=[call(chi(f"2026-04-01 {h:02d}:00")) for h in (9, 11, 13, 15)]
      + [call(chi(f"2026-04-02 {h:02d}:00")) for h in (9, 11, 13)]
      + [conversation(chi("2026-04-06 10:00"), direction="inbound")]),
    S("seven calls to the Saturday before fall-back and a Sunday designation: the next call is 08:00 CST Monday",
      # (A): 25-31 Oct holds 7, 26 Oct-1 Nov holds 6 -> clear Sunday 1 Nov, designated all day (comment
      # 6(b)(1)-1) -> Monday 2 Nov 08:00 CST = 14:00 UTC.
      call_check(chi("2026-10-31 15:00")), False, (SEVEN,), "2026-11-02T14:00:00Z",
      events=daily_calls(CHI, days("2026-10-25", 7)) + [designation(chi("2026-10-01 12:00"), [6], "00:00", "23:59")]),
    S("comment 14(b)(3)(i)-3.iii: eight calls in the week of an emailed consent are not counted",
      # Mon 1 - Wed 3 June 2026 three unanswered calls; consent by email Thu 4 June ("You can call me ... to discuss
      # the repayment options"); eight unanswered calls 8-10 June are excluded (the seven days 4-10 June); a
      # further call on 10 June is too.
      call_check(chi("2026-06-10 15:00")), True,
      events=CONSENT_WEEK),
    S("comment 14(b)(3)(i)-3.iii: after the consent week the excluded calls still do not count",
      # On 11 June the consent has lapsed (day 8), but the eight calls of 8-10 June stay excluded: the window
      # 5-11 June holds none.
      call_check(chi("2026-06-11 10:00")), True,
      events=CONSENT_WEEK),
    S("comment 14(b)(2)(ii)-1.ii: a conversation on Friday 14 August bars calls until Friday 21 August",
      # Tue 11 Aug 2026 unanswered call; Fri 14 Aug call with a conversation (day 1) -> first call 21 Aug, 08:00
      # CDT = 13:00 UTC.
      call_check(chi("2026-08-20 10:00")), False, (POSTCONV,), "2026-08-21T13:00:00Z",
      events=[call(chi("2026-08-11 10:00")), call(chi("2026-08-14 10:00"), outcome="right_party_contact")]),
    S("the consumer's attorney may be called at 22:00: the attorney is not the consumer of 1006.6(b)(1)",
      # 1006.6(b)(1) bars inconvenient times for communications "with a consumer" (1006.6(a) does not include the
      # consumer's attorney); 1006.6(d)(1)(ii).
      check("call", ATTORNEY_PHONE, chi("2026-04-08 22:00")), True, events=[REPRESENTED]),
    # ---------------------------------------------------------------- a client's stricter policy with the law
    S("a client cap of three calls a week: the fourth waits until the first drops out",
      # POLICY-max-calls-7d counted like 1006.14(b)(2)(i)(A): 1-5 Apr holds 3 (1, 2, 3 Apr); 2-8 Apr holds 2 ->
      # 8 Apr 08:00 CDT = 13:00 UTC.
      call_check(chi("2026-04-05 10:00")), False, (P_MAX,), "2026-04-08T13:00:00Z",
      client={"max_calls_per_7_days": 3}, events=daily_calls(CHI, days("2026-04-01", 3))),
    S("a client cap of three and client hours 09:00-17:00: a 18:00 call waits for 09:00 on the day the cap clears",
      # cap clears 8 Apr (as above, calls 1-3 Apr); hours: 09:00 CDT = 14:00 UTC.
      call_check(chi("2026-04-07 18:00")), False, (P_MAX, P_WINDOW), "2026-04-08T14:00:00Z",
      client={"max_calls_per_7_days": 3, "call_window_start": "09:00", "call_window_end": "17:00"},
      events=daily_calls(CHI, days("2026-04-01", 3))),
    S("client hours 09:00-17:00 in Eastern and Pacific zones close at 17:00 Eastern and reopen at 09:00 Pacific",
      # both zones: 09:00 PDT = 12:00 EDT to 17:00 EDT = 14:00 PDT. At 17:00 EDT the law allows (14:00 PDT) but the
      # client does not; next 12:00 EDT on 9 Apr = 16:00 UTC.
      check("call", "+12125550101", at(NYC, "2026-04-08 17:00")), False, (P_WINDOW,), "2026-04-09T16:00:00Z",
      debtor=ET_MOBILE_PT_ADDRESS, client={"call_window_start": "09:00", "call_window_end": "17:00"}),
    # ---------------------------------------------------------------- location calls: "a particular person"
    S("a location call to a neighbour after seven calls to the consumer this week is allowed",
      # 1006.14(b)(2)(i)(A) counts calls "to a particular person"; the neighbour has had none (comment
      # 14(b)(2)(i)-1.iii counts location calls toward the third party called). 1006.10 permits the inquiry.
      check("call", NEIGHBOUR, chi("2026-04-07 15:00"), message=LOCATE), True,
      events=daily_calls(CHI, days("2026-04-01", 7))),
    S("a location call to a neighbour the day after a conversation with the consumer is allowed",
      # 1006.14(b)(2)(i)(B): the week follows a conversation "with the person"; the neighbour is another person.
      check("call", NEIGHBOUR, chi("2026-04-07 10:00"), message=LOCATE), True,
      events=[conversation(chi("2026-04-06 10:00"))]),
    S("the eighth unanswered location call to the same neighbour within seven days is presumed a violation",
      # comment 14(b)(2)(i)-1.iii (Tue 6 Oct to Mon 12 Oct: seven unanswered location calls are presumed to
      # comply); 1006.10(c) "in addition to complying with 1006.14(b)(1)"; the eighth on 12 Oct exceeds seven.
      # 7-13 Oct holds 6 -> 13 Oct 08:00 CDT = 13:00 UTC (still unanswered: no communication yet, 1006.10(c)).
      check("call", NEIGHBOUR, chi("2026-10-12 15:00"), message=LOCATE), False, (SEVEN,), "2026-10-13T13:00:00Z",
      events=daily_calls(CHI, days("2026-10-06", 7), target=NEIGHBOUR)),
    S("after a neighbour answered a location call, a second location call to that neighbour is barred",
      # 1006.10(c): not communicate more than once with such person unless that person asks or the earlier answer
      # is believed wrong (no contract event expresses either): no time-based end.
      check("call", NEIGHBOUR, chi("2026-04-08 10:00"), message=LOCATE), False, (LOCATION,), None,
      events=[call(chi("2026-04-06 10:00"), NEIGHBOUR, "third_party")]),
    S("after an unanswered location call the neighbour may be called again",
      # 1006.10(c) limits communications; an unanswered call is only an attempt.
      check("call", NEIGHBOUR, chi("2026-04-08 10:00"), message=LOCATE), True,
      events=[call(chi("2026-04-06 10:00"), NEIGHBOUR, "no_answer")]),
    S("in Massachusetts a location call to a neighbour is not a communication with the consumer",
      # 209 CMR 18.16(1)(d) counts communications with the consumer; two calls to the consumer's work line this
      # month do not limit a location call to a neighbour (1006.10).
      check("call", "+16175557777", at(NYC, "2026-04-08 10:00"), message=LOCATE), True, policy="13.10",
      debtor=BOSTON,
      events=[call(at(NYC, "2026-04-01 10:00"), "+16175550103", "voicemail_left"),
              call(at(NYC, "2026-04-06 10:00"), "+16175550103", "voicemail_left")]),
    S("a call the consumer's spouse answered at home is not a conversation with the consumer",
      # 1006.14(b)(2)(i)(B): "a telephone conversation with the person"; the call counts toward seven, no more.
      call_check(chi("2026-04-08 10:00")), True, events=[call(chi("2026-04-07 10:00"), "+13125550102", "third_party")]),
    S("after a death, a relative who already answered a location call may not be asked again",
      # 1006.10(c) with comment 10(b)(2)-1 (seeking the estate's representative is a location inquiry).
      check("call", RELATIVE, chi("2026-04-08 10:00"), message=LOCATE), False, (LOCATION,), None,
      events=[ev("deceased_notice", chi("2026-04-01 10:00")), call(chi("2026-04-02 10:00"), RELATIVE, "third_party")]),
    S("once the consumer is represented, a location call to a neighbour is barred: only the attorney",
      # 1006.10(b)(5); 1006.6(b)(2).
      check("call", NEIGHBOUR, chi("2026-04-08 10:00"), message=LOCATE), False, (ATTORNEY,), None,
      may_also=(LOCATION,), events=[REPRESENTED]),
    S("a voicemail knowingly left on a friend's number is not a limited-content message",
      # comment 2(j)-2: a message knowingly left for a third party is not "for a consumer".
      check("voicemail", NEIGHBOUR, chi("2026-04-08 10:00"), message=message("limited_content", LCM_TEXT)),
      False, (THIRD_PARTY,), None, may_also=(LCM,)),
    # ---------------------------------------------------------------- limited-content messages (1006.2(j))
    S("a limited-content message with every optional element is still one",
      # 1006.2(j)(2)(i)-(iv); comment 2(j)(2)-2 (salutation, date and time, suggested reply times, "any of our
      # representatives").
      check("voicemail", MOBILE, chi("2026-04-08 16:15"), message=message("limited_content", LCM_WITH_OPTIONS)), True),
    S("naming the 'credit card receivables group' makes a voicemail more than a limited-content message",
      # comment 2(j)(2)-1.
      check("voicemail", MOBILE, chi("2026-04-08 10:00"),
            message=message("limited_content", "This is Robin Smith calling from ABC Inc. Please contact me or any "
                                               "agent in our credit card receivables group at 1-800-555-1212.")),
      False, (LCM,), None),
    S("a business name that indicates debt collection disqualifies a limited-content message",
      # 1006.2(j)(1)(i).
      check("voicemail", MOBILE, chi("2026-04-08 10:00"),
            message=message("limited_content", "This is Robin Smith calling from ABC Collections. Please contact me "
                                               "at 1-800-555-1212.")),
      False, (LCM,), None),
    S("a limited-content message after a written cease notice is a barred attempt",
      # 1006.2(b): leaving a limited-content message is an attempt to communicate; 1006.6(c)(1) bars attempts.
      check("voicemail", MOBILE, chi("2026-04-08 10:00"), message=message("limited_content", LCM_TEXT)),
      False, (CEASE,), None, events=[cease(chi("2026-04-01 10:00"))]),
    # ---------------------------------------------------------------- electronic media
    S("an opt-out confirmation text that also names the balance is not the permitted confirmation",
      # 1006.14(h)(2)(i): the confirmation may contain "no information other than a statement confirming the
      # person's request and that the debt collector will honor it".
      check("sms", MOBILE, chi("2026-04-02 10:05"),
            message=message("opt_out_confirmation", "You will receive no more texts from us at this number. Your "
                                                    "balance of $1,000.00 remains due.", subject="")),
      False, (OPTOUT,), None, events=TEXTING + [opt_out(chi("2026-04-02 10:00"), "sms", MOBILE)]),
    S("an opt-out confirmation text that only confirms is allowed",
      # 1006.14(h)(2)(i).
      check("sms", MOBILE, chi("2026-04-02 10:05"),
            message=message("opt_out_confirmation", "We received your request and will send no more texts to this "
                                                    "number.", subject="")),
      True, events=TEXTING + [opt_out(chi("2026-04-02 10:00"), "sms", MOBILE)]),
    S("an opt-out method that charges a fee is not a reasonable and simple method",
      # 1006.6(e): "may not require ... that the consumer ... pay any fee".
      check("sms", MOBILE, chi("2026-04-08 10:00"),
            message=message(text=f"{FROM_COLLECTOR} To stop texts, reply STOP; a $2.00 processing fee applies.")),
      False, (E_NOTICE,), None, events=TEXTING),
    S("an opt-out method that asks for the consumer's Social Security number is not allowed",
      # 1006.6(e): no "information other than the consumer's opt-out preferences and the ... telephone number".
      check("sms", MOBILE, chi("2026-04-08 10:00"),
            message=message(text=f"{FROM_COLLECTOR} Reply STOP with your Social Security number to stop texts.")),
      False, (E_NOTICE,), None, events=TEXTING),
    S("after opting out of texts the consumer texts us: one text reply is allowed",
      # 1006.14(h)(2)(ii): respond once through the same medium the person used.
      check("sms", MOBILE, chi("2026-04-08 10:05"), direction="inbound_response",
            message=message(text=f"{FROM_COLLECTOR} {SMS_OPT_OUT}")), True,
      events=TEXTING + [opt_out(chi("2026-04-02 10:00"), "sms", MOBILE), inbound("sms", chi("2026-04-08 10:00"), MOBILE)]),
    S("an email after an oral first conversation must carry the full initial disclosure",
      # 1006.18(e)(1): "If the debt collector's initial communication with the consumer is oral, the debt collector
      # must make the disclosure ... again in its initial written communication".
      check("email", EMAIL, chi("2026-04-03 10:00"), message=message(text=f"{FROM_COLLECTOR} {EMAIL_OPT_OUT}")),
      False, (MIRANDA,), None, base=False, events=[conversation(chi("2026-04-01 10:00"))]),
    S("an opt-out line that only names the account asks for nothing more",
      # 1006.6(e): naming the account the texts are about is not requiring information.
      check("sms", MOBILE, chi("2026-04-08 10:00"),
            message=message(text=f"{FROM_COLLECTOR} Reply STOP to stop texts about account number ending 1234.")),
      True, events=TEXTING),
    S("after 'do not mail me' a letter from the consumer may be answered once by mail",
      # 1006.14(h)(2)(ii): respond once through the medium the person used.
      check("letter", "address:home", chi("2026-04-08 10:00"), direction="inbound_response", message=message()),
      True, events=[opt_out(chi("2026-04-01 10:00"), "letter"), inbound("letter", chi("2026-04-06 10:00"), "address:home")]),
    S("an employer address the consumer consented to, then opted out of, may not be emailed",
      # 1006.14(h)(1); 1006.6(d)(4)(i)(B) "has not withdrawn that consent"; 1006.22(f)(3).
      check("email", WORK_EMAIL, chi("2026-04-08 10:00"), message=message(text=f"{FROM_COLLECTOR} {EMAIL_OPT_OUT}")),
      False, (OPTOUT,), None, may_also=(EMPLOYER_EMAIL, EMAIL_PROC),
      events=[consent(chi("2026-04-02 10:00"), channel="email", target=WORK_EMAIL),
              opt_out(chi("2026-04-05 10:00"), "email", WORK_EMAIL)]),
    S("Fridays inconvenient: a consumer's email at 20:30 on a Friday may get one automated reply",
      # comment 6(b)(1)-2.iv.
      check("email", EMAIL, chi("2026-04-10 20:31"), direction="inbound_response"), True,
      events=[designation(chi("2026-03-20 12:00"), [4], "00:00", "23:59"), inbound("email", chi("2026-04-10 20:30"), EMAIL)]),
    S("Fridays inconvenient: after that one reply a second email that Friday waits until 08:00 Saturday",
      # comment 6(b)(1)-2.iv: "prohibits ... further communications ... on Fridays"; Sat 08:00 CDT = 13:00 UTC.
      check("email", EMAIL, chi("2026-04-10 20:45"), direction="inbound_response"), False, (TIME,),
      "2026-04-11T13:00:00Z",
      events=[designation(chi("2026-03-20 12:00"), [4], "00:00", "23:59"), inbound("email", chi("2026-04-10 20:30"), EMAIL),
              sent("email", chi("2026-04-10 20:31"), EMAIL)]),
    S("weekdays 15:00-17:00 inconvenient: each new consumer email before 17:00 may be answered once",
      # comment 6(b)(1)-2.i: "may continue to respond once to each consumer-initiated email message before 5:00 p.m.
      # on that day".
      check("email", EMAIL, chi("2026-04-08 16:10"), direction="inbound_response"), True,
      events=[designation(chi("2026-03-20 12:00"), WEEKDAYS, "15:00", "17:00"),
              inbound("email", chi("2026-04-08 15:30"), EMAIL), sent("email", chi("2026-04-08 15:45"), EMAIL),
              inbound("email", chi("2026-04-08 16:00"), EMAIL)]),
    S("a represented consumer who emails us may be answered once by email",
      # comment 6(b)(2)-1: the consumer-initiated communication is prior consent to that communication.
      check("email", EMAIL, chi("2026-04-08 10:10"), direction="inbound_response"), True,
      events=[REPRESENTED, inbound("email", chi("2026-04-08 10:00"), EMAIL)]),
    S("a represented consumer who emailed us once gets one reply, not two",
      # comment 6(b)(2)-1: "After the debt collector's response, the debt collector must not communicate ... further".
      check("email", EMAIL, chi("2026-04-08 11:00"), direction="inbound_response"), False, (ATTORNEY,), None,
      events=[REPRESENTED, inbound("email", chi("2026-04-08 10:00"), EMAIL), sent("email", chi("2026-04-08 10:10"), EMAIL)]),
    S("the attorney's consent about one debt does not free contact about another",
      # 1006.6(b)(2)(ii) is per debt ("with respect to such debt").
      call_check(chi("2026-04-08 10:00"), account="D2"), False, (ATTORNEY,), None, accounts={"D1": {}, "D2": {}},
      events=[REPRESENTED, ev("attorney_consent_to_direct_contact", chi("2026-04-03 10:00"), accounts=["D1"])]),
    S("a represented consumer's own consent to a call, given directly to us, permits it",
      # 1006.6(b)(4)(i): (b)(2) does not apply with the consumer's prior consent given directly to the collector
      # (here during the consumer's own call: "call me tomorrow between 9 and 11").
      call_check(chi("2026-04-08 10:00")), True,
      events=[REPRESENTED, inbound("call", chi("2026-04-07 10:00"), MOBILE),
              consent(chi("2026-04-07 10:05"), starts_at=chi("2026-04-08 09:00"), ends_at=chi("2026-04-08 11:00"))]),
    # ---------------------------------------------------------------- letters and required disclosures
    S("a letter on a day the consumer called inconvenient is not gated by time",
      # catalogue 13.8: Regulation F says when electronic messages occur, not letters (POLICY: no time gate).
      check("letter", "address:home", chi("2026-04-11 10:00"), message=message()), True, policy="13.8",
      events=[designation(chi("2026-03-20 12:00"), [5], "00:00", "23:59")]),
    S("after 'do not mail me' even the validation notice may not go by mail",
      # 1006.14(h)(1); comment 42(a)(1)-4 (required disclosures may not be sent through an opted-out medium).
      check("letter", "address:home", chi("2026-01-06 10:00"), message={"purpose": "validation_notice"}),
      False, (OPTOUT,), None, base=False, events=[opt_out(chi("2026-01-05 15:00"), "letter")]),
    # ---------------------------------------------------------------- validation periods (1006.34(b)(5))
    S("a notice mailed Wednesday 20 May 2026 skips Memorial Day: a dispute on Saturday 27 June is in time",
      # 21, 22, (23, 24), (25 May Memorial Day), 26, 27, 28 May -> receipt Thu 28 May -> end Sat 27 Jun.
      call_check(chi("2026-06-29 10:00")), False, (DISPUTE,), None, base=False, period_end="2026-06-27",
      events=[notice(chi("2026-05-20 10:00")), dispute(chi("2026-06-27 11:00"))]),
    S("a notice mailed Friday 13 February 2026 skips Washington's Birthday: a dispute on 26 March is late",
      # (14, 15), (16 Feb), 17, 18, 19, 20, 23 Feb -> receipt Mon 23 Feb -> end Wed 25 Mar.
      call_check(chi("2026-03-27 10:00")), True, base=False, period_end="2026-03-25",
      events=[notice(chi("2026-02-13 10:00")), dispute(chi("2026-03-26 09:00"))]),
    S("a notice mailed Monday 31 August 2026 skips Labor Day: a dispute at 23:00 on 8 October is in time",
      # 1, 2, 3, 4, (5, 6), (7 Sep Labor Day), 8 Sep -> receipt Tue 8 Sep -> end Thu 8 Oct; 0.2 local days.
      call_check(chi("2026-10-09 10:00")), False, (DISPUTE,), None, base=False, period_end="2026-10-08",
      events=[notice(chi("2026-08-31 10:00")), dispute(chi("2026-10-08 23:00"))]),
    S("a dispute by email through our portal within the period suspends calls",
      # comment 38-1 (electronic writing through an accepted medium); base period ends 11 Feb.
      call_check(chi("2026-02-02 10:00")), False, (DISPUTE,), None,
      events=[ev("dispute_received", chi("2026-01-30 10:00"), channel="email", direction="inbound", target=EMAIL,
                 written=True, data={"portion": "entire"})]),
    S("while a dispute is pending the verification itself may be mailed",
      # 1006.38(d)(2)(i): sending verification is what ends the suspension.
      check("letter", "address:home", chi("2026-02-02 10:00"), message=message("verification")), True,
      events=[dispute(chi("2026-01-30 10:00"))]),
    S("a cease notice permits a remedy notice, but a pending dispute still suspends it",
      # 1006.6(c)(2)(ii) lifts the cease bar only; 1006.38(d)(2) suspends collection -- a notice that the creditor may
      # invoke a remedy is collection -- until verification is sent. Base period ends 11 Feb.
      check("letter", "address:home", chi("2026-02-02 10:00"),
            message=message("remedy_notice", f"{FROM_COLLECTOR} The creditor may report this account.")),
      False, (DISPUTE,), None, events=[dispute(chi("2026-01-28 10:00")), cease(chi("2026-01-29 10:00"))]),
    S("after a bankruptcy petition a letter saying we end collection is not an act to collect",
      # 11 USC 362(a)(6) stays acts to collect; 1006.6(c)(2)(i)-style termination notice is not one.
      check("letter", "address:home", chi("2026-04-08 10:00"), message=message("termination_notice")), True,
      events=[ev("bankruptcy_filed", chi("2026-04-01 10:00"), data={"case_number": "26-4", "chapter": 7})]),
    # ---------------------------------------------------------------- overshadowing (1006.38(b))
    S("a letter inside the validation period demanding payment within ten days overshadows the dispute rights",
      # 1006.38(b); 15 USC 1692g(b); catalogue example "pay within 10 days or else". Base period ends 11 Feb:
      # 20 Jan + 10 = 30 Jan falls before it. Letters have no hours (13.8), so the same letter passes from the day
      # its deadline no longer falls before the end: 1 Feb (+10 = 11 Feb), 00:00 CST = 06:00 UTC.
      check("letter", "address:home", chi("2026-01-20 10:00"),
            message=message(text=f"{FROM_COLLECTOR} Pay the full balance within 10 days or we will escalate this "
                                 "account.")),
      False, (OVERSHADOWING,), "2026-02-01T06:00:00Z"),
    S("'pay within thirty (30) days' on the day the notice is mailed ends before the validation period",
      # 1006.38(b): 5 Jan + 30 = 4 Feb, before the 11 Feb end. The same demand no longer falls before the end
      # from 12 Jan (12 Jan + 30 = 11 Feb): 00:00 CST = 06:00 UTC.
      check("letter", "address:home", chi("2026-01-05 15:00"),
            message=message(text=f"{FROM_COLLECTOR} Please pay the balance within thirty (30) days.")),
      False, (OVERSHADOWING,), "2026-01-12T06:00:00Z"),
    S("an email demanding immediate payment inside the validation period overshadows it",
      # 1006.38(b): "immediately" is a deadline of today; from 11 Feb (the last day of the period) it no longer falls
      # before the end; 00:00 CST = 06:00 UTC. Emails are also time-gated: 06:00 is outside 08:00-21:00, so 08:00
      # CST = 14:00 UTC.
      check("email", EMAIL, chi("2026-01-20 10:00"),
            message=message(text=f"{FROM_COLLECTOR} You must pay immediately. {EMAIL_OPT_OUT}")),
      False, (OVERSHADOWING,), "2026-02-11T14:00:00Z"),
    S("the same ten-day demand after the validation period has ended does not overshadow anything",
      # 1006.38(b) runs "during the validation period" only.
      check("letter", "address:home", chi("2026-02-20 10:00"),
            message=message(text=f"{FROM_COLLECTOR} Pay the full balance within 10 days or we will escalate this "
                                 "account.")),
      True),
    S("a letter inside the validation period asking for payment without a deadline is allowed",
      # 1006.38(b): a request for payment is not in itself inconsistent with the dispute rights.
      check("letter", "address:home", chi("2026-01-20 10:00"),
            message=message(text=f"{FROM_COLLECTOR} You can pay your balance online at any time.")),
      True),
    # ---------------------------------------------------------------- California's first written notice
    S("California: a collector's first letter without the Rosenthal notice is blocked",
      # Cal. Civ. Code 1812.700 (catalogue STATE-CA-1812.700-notice): the first written notice to a California
      # debtor must include the state notice.
      check("letter", "address:home", at(LA, "2026-04-08 10:00"), message=message(text=INITIAL_DISCLOSURE)),
      False, (CA_FIRST,), None, base=False, debtor=LA_DEBTOR),
    S("California: a letter after the first written notice need not repeat the Rosenthal notice",
      # 1812.700 concerns the first written notice only (the base validation notice of 5 Jan was it).
      check("letter", "address:home", at(LA, "2026-04-08 10:00"), message=message()), True, debtor=LA_DEBTOR),
    # ---------------------------------------------------------------- time-barred debts: New York
    S("New York: three years after default a threat of suit is blocked",
      # CPLR 214-i (from 7 Apr 2022): default 15 Jan 2021 -> last day 15 Jan 2024; 1006.26(b) (time-barred under
      # the applicable law).
      check("letter", "address:home", chi("2026-04-08 10:00"), message=message(text=SUIT_THREAT)),
      False, (BARRED, NY_SOL), None, debtor=NY_DEBTOR, accounts={"D1": ny_dates("2021-01-15", "2021-01-02")}),
    S("New York: a payment after the three years ran out does not revive the debt",
      # CPLR 214-i: "any subsequent payment ... does not revive or extend the limitations period": the debt stays
      # time-barred under the applicable law, so 1006.26(b) bars the threat too (strict liability).
      check("letter", "address:home", chi("2026-04-08 10:00"), message=message(text=SUIT_THREAT)),
      False, (BARRED, NY_SOL), None, debtor=NY_DEBTOR, accounts={"D1": ny_dates("2021-01-15", "2024-06-01")}),
    # ---------------------------------------------------------------- Massachusetts with the federal rules
    S("Massachusetts: two calls and a conversation this week: the conversation week outlasts the state's",
      # 209 CMR 18.16(1)(d): calls 6 (voicemail) and 7 Apr (answered) -> 8-12 Apr over two; 7-13 Apr holds one
      # -> 13 Apr. 1006.14(b)(2)(i)(B): conversation 7 Apr -> 14 Apr 08:00 EDT = 12:00 UTC.
      check("call", "+16175550101", at(NYC, "2026-04-10 10:00")), False, (MA_COLLECTOR, POSTCONV),
      "2026-04-14T12:00:00Z", policy="13.10", debtor=BOSTON,
      events=[call(at(NYC, "2026-04-06 10:00"), "+16175550101", "voicemail_left"),
              call(at(NYC, "2026-04-07 10:00"), "+16175550101", "right_party_contact")]),
    S("Massachusetts: two calls to the mobile this week leave the work line's thirty-day allowance untouched",
      # 209 CMR 18.16(1)(d): separate limits "to a consumer's residence or cellular telephone" and "other than at
      # a consumer's residence, or cellular telephone".
      check("call", "+16175550103", at(NYC, "2026-04-10 10:00")), True, policy="13.10", debtor=BOSTON,
      events=[call(at(NYC, "2026-04-06 10:00"), "+16175550101", "voicemail_left"),
              call(at(NYC, "2026-04-07 10:00"), "+16175550101", "voicemail_left")]),
    # ---------------------------------------------------------------- passive credit reporting (1006.30(a))
    S("an email sent at 23:30 local on 1 May starts the 14 days on 1 May: furnishing opens 15 May at 00:00 local",
      # comment 30(a)(1)-2: the period begins on the date the message is sent (0.2: the consumer's local date, 1 May,
      # though it is 2 May in UTC); 15 May 00:00 CDT = 05:00 UTC.
      furnish(chi("2026-05-14 23:59")), False, (PASSIVE,), "2026-05-15T05:00:00Z", base=False, policy="0.2",
      events=[sent("email", chi("2026-05-01 23:30"), EMAIL)]),
    S("an email from the consumer is not a message we sent: furnishing stays blocked",
      # 1006.30(a)(1)(ii): the collector "sends an electronic message about the debt".
      furnish(chi("2026-05-20 12:00")), False, (PASSIVE,), None, base=False,
      events=[inbound("email", chi("2026-05-01 10:00"), EMAIL)]),
    S("speaking to someone else who answered the consumer's phone is not speaking to the consumer",
      # 1006.30(a)(1)(i): "speaks to the consumer about the debt".
      furnish(chi("2026-05-20 12:00")), False, (PASSIVE,), None, base=False,
      events=[call(chi("2026-05-01 10:00"), outcome="third_party")]),
]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.id for s in SCENARIOS])
def test_regulatory_scenario(player, scenario):
    judge(player, scenario)


def test_scenario_names_are_unique():
    assert len({s.name for s in SCENARIOS}) == len(SCENARIOS)
