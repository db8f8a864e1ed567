"""An independent regulatory review of the compliance gate, played through the HTTP API only.

Every row was written from the rule catalogue (``shared/reference/regf-rules.md``: the regulation
text, the official commentary, the engine conventions of 0.2 and the ambiguities of 13) and the API
contract, before reading the engine; each expected answer is worked out by hand in the comment
beside it. Times are written as local wall-clock times in the debtor's zone (``chi("2026-04-08
07:59")`` is 07:59 in Chicago, with the offset Chicago has then); expected ``next_allowed_at`` values
are written out in UTC by hand. A row marked ``policy=`` depends on a point the catalogue leaves to
the engine (13.x) and checks the documented choice (compliance/engine/README.md, "Readings").
Each row also checks that ``next_allowed_at``, when given, passes and that one second earlier
does not. ``test_scenarios_api.py`` (an earlier review) covers other facts; no row repeats one.

Calendar used below: 1 Apr 2026 and 8 Apr 2026 are Wednesdays; Chicago is UTC-6 (CST) until
8 Mar 2026 and from 1 Nov 2026, UTC-5 (CDT) between; New York one hour ahead, Los Angeles two
behind; Phoenix is UTC-7 all year; Honolulu UTC-10 all year. 2027: DST from 14 Mar to 7 Nov.
"""

from __future__ import annotations

import pytest

from accounts.constants import Role
from tests.compliance.regulatory_harness import (
    ANY,
    ATTORNEY,
    BARRED,
    BOS,
    CA_NOTICE,
    CEASE,
    CHI,
    DELIVERY,
    DISPUTE,
    E_NOTICE,
    EMAIL,
    EMAIL2,
    EMAIL_OPT_OUT,
    EMAIL_PROC,
    EMPLOYER_EMAIL,
    ET_MOBILE_PT_ADDRESS,
    FROM_COLLECTOR,
    HNL,
    HOME_PHONE,
    INITIAL_DISCLOSURE,
    LA,
    LA_DEBTOR,
    LCM,
    LCM_TEXT,
    MA_COLLECTOR,
    MA_CREDITOR,
    MIRANDA,
    MOBILE,
    NYC,
    OPTOUT,
    P_EMAIL,
    P_WINDOW,
    PASSIVE,
    PHX,
    PHX_DEBTOR,
    PLACE,
    POSTCONV,
    SEVEN,
    SMS_OPT_OUT,
    SMS_PROC,
    STALE_DATES,
    STAY,
    TEXTING,
    THIRD_PARTY,
    TIME,
    TWO_DEBTS,
    TX_BARRED,
    TX_DEBTOR,
    VALIDATION_TIMING,
    WORK_EMAIL,
    WORK_PHONE,
    WORKPLACE,
    Player,
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
from tests.conftest import api_for
from tests.factories import ClientFactory, UserFactory

pytestmark = pytest.mark.django_db



NY_DEBTOR = {"addresses": home("New York", "NY", "10001"), "phones": [mobile("+12125550101")]}
HNL_DEBTOR = {"addresses": home("Honolulu", "HI", "96813"), "phones": [mobile("+18085550101")]}
PA_DEBTOR = {"addresses": home("Philadelphia", "PA", "19103"), "phones": [mobile("+12155550101")]}
PHX_ADDRESS_DEN_PHONE = {"addresses": home("Phoenix", "AZ", "85004"), "phones": [mobile("+13035550101")]}
HNL_ADDRESS_ET_MOBILE = {"addresses": home("Honolulu", "HI", "96813"), "phones": [mobile("+12125550101")]}
CHI_ADDRESS_HNL_MOBILE = {"addresses": home("Chicago", "IL", "60601"), "phones": [mobile("+18085550101")]}
BOSTON = {
    "addresses": home("Boston", "MA", "02108"),
    "phones": [mobile("+16175550101"), {"kind": "work", "number": "+16175550103"}],
}



S = Scenario
SCENARIOS: list[Scenario] = [
    # ---------------------------------------------------------------- 1006.6(b)(1)(i): the default window
    S("a call at 00:30 after midnight waits until 08:00 the same day",
      call_check(chi("2026-04-09 00:30")), False, (TIME,), "2026-04-09T13:00:00Z"),
    S("a call at 07:59:59 in New York is blocked until 08:00 Eastern",
      check("call", "+12125550101", at(NYC, "2026-04-08 07:59:59")), False, (TIME,), "2026-04-08T12:00:00Z",
      debtor=NY_DEBTOR, timezones=[NYC]),
    S("a call at 21:00 in Los Angeles waits until 08:00 Pacific the next day",
      check("call", "+12135550101", at(LA, "2026-04-08 21:00")), False, (TIME,), "2026-04-09T15:00:00Z",
      debtor=LA_DEBTOR, timezones=[LA]),
    S("on the 2027 spring-forward Sunday Phoenix still opens at 15:00 UTC",
      check("call", "+16025550101", at(PHX, "2027-03-14 07:59:59")), False, (TIME,), "2027-03-14T15:00:00Z",
      debtor=PHX_DEBTOR),
    S("a call at 21:00 in Honolulu waits until 08:00 HST, 18:00 UTC the next day",
      check("call", "+18085550101", at(HNL, "2026-07-01 21:00")), False, (TIME,), "2026-07-02T18:00:00Z",
      debtor=HNL_DEBTOR, timezones=[HNL]),
    S("on the 2027 fall-back Sunday Honolulu (no DST) still opens at 18:00 UTC",
      check("call", "+18085550101", at(HNL, "2027-11-07 07:00")), False, (TIME,), "2027-11-07T18:00:00Z",
      debtor=HNL_DEBTOR),
    S("a text at 21:00 is blocked because an electronic message occurs when it is sent",
      check("sms", MOBILE, chi("2026-04-08 21:00"), message=message(text=f"{FROM_COLLECTOR} {SMS_OPT_OUT}")),
      False, (TIME,), "2026-04-09T13:00:00Z", events=TEXTING),
    S("an email at 07:59 is blocked until 08:00",
      check("email", EMAIL, chi("2026-04-08 07:59")), False, (TIME,), "2026-04-08T13:00:00Z"),
    S("a voicemail at 21:30 is an attempt at an inconvenient time",
      check("voicemail", MOBILE, chi("2026-04-08 21:30")), False, (TIME,), "2026-04-09T13:00:00Z"),
    S("furnishing to a credit bureau at 23:00 is not a communication with the consumer",
      {"channel": "credit_report", "at": chi("2026-04-08 23:00")}, True,
      events=[conversation(chi("2026-03-02 10:00"))]),
    # ---------------------------------------------------------------- DST switch days
    S("a call at 21:00 CST the Saturday before spring-forward waits until 08:00 CDT (13:00 UTC)",
      call_check("2026-03-07T21:00:00-06:00"), False, (TIME,), "2026-03-08T13:00:00Z"),
    S("a call at 21:00 EST the Saturday before the 2027 spring-forward waits until 08:00 EDT",
      check("call", "+12125550101", "2027-03-13T21:00:00-05:00"), False, (TIME,), "2027-03-14T12:00:00Z",
      debtor=NY_DEBTOR),
    S("on the 2027 spring-forward Sunday 07:59:59 EDT is blocked until 12:00 UTC",
      check("call", "+12125550101", "2027-03-14T07:59:59-04:00"), False, (TIME,), "2027-03-14T12:00:00Z",
      debtor=NY_DEBTOR),
    S("a call at 21:00 PDT the Saturday before the 2027 fall-back waits until 08:00 PST (16:00 UTC)",
      check("call", "+12135550101", "2027-11-06T21:00:00-07:00"), False, (TIME,), "2027-11-07T16:00:00Z",
      debtor=LA_DEBTOR),
    S("on the 2027 fall-back Sunday 20:59:59 PST is still allowed in Los Angeles",
      check("call", "+12135550101", "2027-11-07T20:59:59-08:00"), True, debtor=LA_DEBTOR),
    # ---------------------------------------------------------------- several candidate zones (6(b)(1)(i)-2)
    S("a Honolulu address with an Eastern mobile is blocked at 13:00 Eastern until 08:00 in Honolulu",
      check("call", "+12125550101", at(NYC, "2026-04-08 13:00")), False, (TIME,), "2026-04-08T18:00:00Z",
      debtor=HNL_ADDRESS_ET_MOBILE),
    S("a Phoenix address with a Denver number in January shares one window: 08:00 is allowed in both",
      check("call", "+13035550101", "2027-01-12T15:00:00Z"), True, debtor=PHX_ADDRESS_DEN_PHONE),
    S("Eastern and Pacific zones on the spring-forward night: 21:30 EST waits until 08:00 PDT (15:00 UTC)",
      check("call", "+12125550101", "2026-03-08T02:30:00Z"), False, (TIME,), "2026-03-08T15:00:00Z",
      debtor=ET_MOBILE_PT_ADDRESS),
    S("a Chicago address with a Honolulu mobile on fall-back Sunday waits until 08:00 in Honolulu",
      check("call", "+18085550101", "2026-11-01T10:00:00-06:00"), False, (TIME,), "2026-11-01T18:00:00Z",
      debtor=CHI_ADDRESS_HNL_MOBILE, timezones=[CHI, HNL]),
    # ---------------------------------------------------------------- location_stated replaces inference
    S("a Chicago debtor who says she is in Honolulu cannot be called at 10:00 Chicago time",
      call_check(chi("2026-04-08 10:00")), False, (TIME,), "2026-04-08T18:00:00Z",
      events=[ev("location_stated", chi("2026-04-02 12:00"), data={"timezone": HNL})], timezones=[HNL]),
    S("an Eastern-mobile, Pacific-address debtor who says he is in New York may be called at 09:00 Eastern",
      check("call", "+12125550101", at(NYC, "2026-04-08 09:00")), True, debtor=ET_MOBILE_PT_ADDRESS,
      events=[ev("location_stated", at(NYC, "2026-04-02 12:00"), data={"timezone": NYC})], timezones=[NYC]),
    S("the latest location statement wins: Honolulu, then back in Chicago, allows a 10:00 Chicago call",
      call_check(chi("2026-04-08 10:00")), True,
      events=[ev("location_stated", chi("2026-04-01 12:00"), data={"timezone": HNL}),
              ev("location_stated", chi("2026-04-05 12:00"), data={"timezone": CHI})], timezones=[CHI]),
    # ---------------------------------------------------------------- 1006.14(b)(2)(i)(A): 7 calls in 7 days
    S("the seventh call in seven days is allowed",
      call_check(chi("2026-04-07 15:00")), True, events=daily_calls(CHI, days("2026-04-01", 6))),
    S("seven calls all on 1 April still block until 8 April because the window is counted in days",
      call_check(chi("2026-04-07 20:59")), False, (SEVEN,), "2026-04-08T13:00:00Z",
      events=[call(chi(f"2026-04-01 10:{m:02d}")) for m in range(0, 35, 5)]),
    S("a rolling window: calls 30 March to 5 April block until 6 April when 30 March drops out",
      call_check(chi("2026-04-05 15:00")), False, (SEVEN,), "2026-04-06T13:00:00Z",
      events=daily_calls(CHI, days("2026-03-30", 7))),
    S("a call to a number not in service is not counted",
      call_check(chi("2026-04-07 15:00")), True,
      events=daily_calls(CHI, days("2026-04-01", 6)) + [call(chi("2026-04-07 09:30"), HOME_PHONE, "disconnected")]),
    S("voicemails count: calls reaching voicemail with or without a message make seven",
      call_check(chi("2026-04-07 15:00")), False, (SEVEN,), "2026-04-08T13:00:00Z",
      events=daily_calls(CHI, days("2026-04-01", 4))
      + [call(chi("2026-04-05 10:00"), outcome="voicemail_left"), call(chi("2026-04-06 10:00"), outcome="voicemail_left"),
         call(chi("2026-04-07 10:00"), outcome="voicemail_no_message")]),
    S("ringless voicemails count as calls",
      call_check(chi("2026-04-07 15:00")), False, (SEVEN,), "2026-04-08T13:00:00Z",
      events=daily_calls(CHI, days("2026-04-01", 5))
      + [sent("voicemail", chi("2026-04-06 10:00"), MOBILE), sent("voicemail", chi("2026-04-07 10:00"), MOBILE)]),
    S("after seven calls, leaving a voicemail is an eighth call",
      check("voicemail", MOBILE, chi("2026-04-07 15:00")), False, (SEVEN,), "2026-04-08T13:00:00Z",
      events=daily_calls(CHI, days("2026-04-01", 7))),
    S("after seven calls a text is not limited by the call presumption",
      check("sms", MOBILE, chi("2026-04-07 15:00")), True, events=TEXTING + daily_calls(CHI, days("2026-04-01", 7))),
    S("texts and emails do not count toward the seven calls",
      call_check(chi("2026-04-07 15:00")), True,
      events=TEXTING + daily_calls(CHI, days("2026-04-01", 6))
      + [sent("sms", chi(f"{d} 11:00"), MOBILE) for d in days("2026-04-01", 7)]
      + [sent("email", chi(f"{d} 12:00"), EMAIL) for d in days("2026-04-01", 7)]),
    S("calls the consumer places to us do not count",
      call_check(chi("2026-04-07 15:00")), True,
      events=daily_calls(CHI, days("2026-04-01", 6))
      + [inbound("call", chi(f"2026-04-0{d} 17:00"), MOBILE) for d in (2, 4, 6)]),
    S("calls to all of one person's numbers count together",
      call_check(chi("2026-04-07 15:00")), False, (SEVEN,), "2026-04-08T13:00:00Z",
      events=daily_calls(CHI, days("2026-04-01", 4)) + daily_calls(CHI, days("2026-04-05", 3), target=HOME_PHONE)),
    S("calls logged for every debt of the debtor count for each debt",
      call_check(chi("2026-04-07 15:00"), account="D2"), False, (SEVEN,), "2026-04-08T13:00:00Z",
      accounts=TWO_DEBTS, events=daily_calls(CHI, days("2026-04-01", 7))),
    S("calls logged after the checked instant are not counted at it",
      call_check(chi("2026-04-05 15:00")), True, events=daily_calls(CHI, days("2026-04-01", 7))),
    S("a number learned to be a wrong number may not be called again: it reaches a third party",
      check("call", HOME_PHONE, chi("2026-04-08 10:00")), False, (THIRD_PARTY,), None,
      events=[call(chi("2026-04-07 11:00"), HOME_PHONE, "wrong_number")]),
    S("days are counted where the consumer says she is: seven calls by Honolulu days block until 08:00 there",
      # calls at 12:00 HST on 1-7 April; at 20:30 HST on 7 April it is already 8 April in Chicago,
      # but the window 1-7 April (Honolulu days) holds seven calls.
      call_check(at(HNL, "2026-04-07 20:30")), False, (SEVEN,), "2026-04-08T18:00:00Z",
      events=[ev("location_stated", chi("2026-03-30 12:00"), data={"timezone": HNL})]
      + daily_calls(HNL, days("2026-04-01", 7), hour="12:00")),
    # ---------------------------------------------------------------- 1006.14(b)(3)(i): prior consent
    S("calls placed with prior consent given directly to us are not counted",
      call_check(chi("2026-04-05 15:00")), True,
      events=[call(chi(f"2026-04-0{d} {h}")) for d in (1, 2) for h in ("10:00", "14:00")]
      + [consent(chi("2026-04-03 09:00"))] + daily_calls(CHI, days("2026-04-03", 3))),
    S("consent covers seven days with the day it was received as day 1, so day-8 calls count",
      # consent received 25 Mar 10:00: days 1-7 are 25-31 Mar; three calls at 09:00 on 1 Apr (day 8,
      # still within 168 hours of receipt) count, with four more on 2-5 Apr: 7 counted -> blocked
      # until 8 Apr, the first day whose window (2-8 Apr) holds at most six.
      call_check(chi("2026-04-05 15:00")), False, (SEVEN,), "2026-04-08T13:00:00Z",
      events=[consent(chi("2026-03-25 10:00"))]
      + [call(chi(f"2026-04-01 09:{m}")) for m in ("00", "10", "20")] + daily_calls(CHI, days("2026-04-02", 4))),
    S("consent to texts does not exclude calls from the count",
      call_check(chi("2026-04-07 15:00")), False, (SEVEN,), "2026-04-08T13:00:00Z",
      events=[consent(chi("2026-03-31 10:00"), channel="sms", target=MOBILE)]
      + daily_calls(CHI, days("2026-04-01", 7))),
    S("a conversation ends the consent early, so the post-conversation wait applies",
      # consent 1 Apr, conversation 2 Apr (day 1) -> no call 2-8 Apr; allowed from 08:00 on 9 Apr.
      call_check(chi("2026-04-04 10:00")), False, (POSTCONV,), "2026-04-09T13:00:00Z",
      events=[consent(chi("2026-04-01 09:00")), conversation(chi("2026-04-02 10:00"))]),
    S("a callback the consumer asked for during the conversation is excluded from the seven-day wait",
      call_check(chi("2026-04-03 10:00")), True,
      events=[conversation(chi("2026-04-01 10:00")),
              consent(chi("2026-04-01 10:05"), starts_at=chi("2026-04-03 09:00"), ends_at=chi("2026-04-03 12:00"))]),
    S("after the consented callback window closes the post-conversation wait applies again",
      call_check(chi("2026-04-03 13:00")), False, (POSTCONV,), "2026-04-08T13:00:00Z",
      events=[conversation(chi("2026-04-01 10:00")),
              consent(chi("2026-04-01 10:05"), starts_at=chi("2026-04-03 09:00"), ends_at=chi("2026-04-03 12:00"))]),
    # ---------------------------------------------------------------- 1006.14(b)(2)(i)(B): after a conversation
    S("a call later on the day of a conversation is blocked for the week",
      call_check(chi("2026-04-01 15:00")), False, (POSTCONV,), "2026-04-08T13:00:00Z",
      events=[conversation(chi("2026-04-01 09:00"))]),
    S("a conversation the consumer initiated starts the seven-day wait too",
      call_check(chi("2026-04-03 10:00")), False, (POSTCONV,), "2026-04-08T13:00:00Z",
      events=[conversation(chi("2026-04-01 10:00"), direction="inbound")]),
    S("a right-party contact logged on a call attempt is a conversation",
      call_check(chi("2026-04-03 10:00")), False, (POSTCONV,), "2026-04-08T13:00:00Z",
      events=[call(chi("2026-04-01 10:00"), outcome="right_party_contact")]),
    S("a conversation late in the evening local time counts on that local day, not the UTC day",
      call_check(chi("2026-04-08 10:00")), True,
      events=[conversation(chi("2026-04-01 23:30"), direction="inbound")]),
    S("a conversation about one debt does not restrict calls about another",
      call_check(chi("2026-04-03 10:00"), account="D2"), True, accounts=TWO_DEBTS,
      events=[conversation(chi("2026-04-01 10:00"), accounts=["D1"])]),
    S("a conversation about all of the debtor's debts restricts calls about each",
      call_check(chi("2026-04-03 10:00"), account="D2"), False, (POSTCONV,), "2026-04-08T13:00:00Z",
      accounts=TWO_DEBTS, events=[conversation(chi("2026-04-01 10:00"))]),
    S("a conversation does not restrict emails",
      check("email", EMAIL, chi("2026-04-03 10:00")), True, events=[conversation(chi("2026-04-01 10:00"))]),
    S("the post-conversation wait across the 2026 fall-back ends at 08:00 CST",
      call_check(chi("2026-11-06 20:00")), False, (POSTCONV,), "2026-11-07T14:00:00Z",
      events=[conversation(chi("2026-10-31 10:00"))]),
    S("seven calls across the 2026 fall-back block until 08:00 CST on 4 November",
      call_check(chi("2026-11-03 15:00")), False, (SEVEN,), "2026-11-04T14:00:00Z",
      events=daily_calls(CHI, days("2026-10-28", 7))),
    S("seven calls across the 2026 spring-forward block until 08:00 CDT on 10 March",
      call_check(chi("2026-03-09 16:00")), False, (SEVEN,), "2026-03-10T13:00:00Z",
      events=daily_calls(CHI, days("2026-03-03", 7))),
    S("seven calls across the 2027 spring-forward in New York block until 08:00 EDT on 17 March",
      check("call", "+12125550101", at(NYC, "2027-03-16 12:00")), False, (SEVEN,), "2027-03-17T12:00:00Z",
      debtor=NY_DEBTOR, events=daily_calls(NYC, days("2027-03-10", 7), target="+12125550101")),
    S("the post-conversation wait across the 2027 fall-back in Los Angeles ends at 08:00 PST",
      check("call", "+12135550101", at(LA, "2027-11-05 12:00")), False, (POSTCONV,), "2027-11-08T16:00:00Z",
      debtor=LA_DEBTOR, events=[conversation(at(LA, "2027-11-01 18:00"), target="+12135550101")]),
    # ---------------------------------------------------------------- consumer-designated times (6(b)(1)-1)
    *[
        S(name, call_check(chi(when)), allowed, (TIME,) if not allowed else (), nxt,
          events=[ev("inconvenient_time_designation", chi("2026-03-20 12:00"),
                     data={"weekdays": [0, 1, 2, 3, 4], "start": "15:00", "end": "17:00"})])
        for name, when, allowed, nxt in [
            ("a call at 14:59:59 just before the designated inconvenient time is allowed",
             "2026-04-08 14:59:59", True, None),
            ("a call at 15:00 when the designated inconvenient time starts is blocked",
             "2026-04-08 15:00", False, "2026-04-08T22:00:00Z"),
            ("a call at 17:00 when the designated inconvenient time ends is allowed", "2026-04-08 17:00", True, None),
            ("a call on Saturday at 15:30 is outside a weekday-only designation", "2026-04-11 15:30", True, None),
        ]
    ],
    S("a designated inconvenient time applies to texts too",
      check("sms", MOBILE, chi("2026-04-08 15:30")), False, (TIME,), "2026-04-08T22:00:00Z",
      events=TEXTING + [ev("inconvenient_time_designation", chi("2026-03-20 12:00"),
                           data={"weekdays": [0, 1, 2, 3, 4], "start": "15:00", "end": "17:00"})]),
    S("an overnight designation 19:00-10:00 blocks a 09:00 call until 10:00",
      call_check(chi("2026-04-08 09:00")), False, (TIME,), "2026-04-08T15:00:00Z",
      events=[ev("inconvenient_time_designation", chi("2026-03-20 12:00"),
                 data={"weekdays": [0, 1, 2, 3, 4, 5, 6], "start": "19:00", "end": "10:00"})]),
    S("an overnight designation 19:00-10:00 blocks a 19:30 call until 10:00 the next day",
      call_check(chi("2026-04-08 19:30")), False, (TIME,), "2026-04-09T15:00:00Z",
      events=[ev("inconvenient_time_designation", chi("2026-03-20 12:00"),
                 data={"weekdays": [0, 1, 2, 3, 4, 5, 6], "start": "19:00", "end": "10:00"})]),
    S("a Sunday-morning designation on the spring-forward Sunday waits until 12:00 CDT",
      call_check("2026-03-08T07:59:00-05:00"), False, (TIME,), "2026-03-08T17:00:00Z",
      events=[ev("inconvenient_time_designation", chi("2026-02-20 12:00"),
                 data={"weekdays": [6], "start": "08:00", "end": "12:00"})]),
    # ---------------------------------------------------------------- respond once (comment 6(b)(1)-2)
    *[
        S(name, chk, allowed, (TIME,) if not allowed else (), None if allowed else "2026-04-08T22:00:00Z",
          events=[ev("inconvenient_time_designation", chi("2026-03-20 12:00"),
                     data={"weekdays": [0, 1, 2, 3, 4], "start": "15:00", "end": "17:00"})] + extra)
        for name, chk, allowed, extra in [
            ("the consumer texting at a designated inconvenient time may get one text reply then",
             check("sms", MOBILE, chi("2026-04-08 15:20"), direction="inbound_response"), True,
             [inbound("sms", chi("2026-04-08 15:10"), MOBILE)]),
            ("the consumer texting at a designated inconvenient time does not open it to outbound texts",
             check("sms", MOBILE, chi("2026-04-08 15:20")), False, [inbound("sms", chi("2026-04-08 15:10"), MOBILE)]),
            ("once the reply was sent a second response at the designated time is blocked",
             check("sms", MOBILE, chi("2026-04-08 15:20"), direction="inbound_response"), False,
             [inbound("sms", chi("2026-04-08 15:10"), MOBILE), sent("sms", chi("2026-04-08 15:15"), MOBILE)]),
            ("a consumer who texts again may get one reply to each message",
             check("sms", MOBILE, chi("2026-04-08 15:20"), direction="inbound_response"), True,
             [inbound("sms", chi("2026-04-08 15:10"), MOBILE), sent("sms", chi("2026-04-08 15:12"), MOBILE),
              inbound("sms", chi("2026-04-08 15:18"), MOBILE)]),
            ("the one response must use the medium the consumer used",
             check("email", EMAIL, chi("2026-04-08 15:20"), direction="inbound_response"), False,
             [inbound("sms", chi("2026-04-08 15:10"), MOBILE)]),
            ("a text the consumer sent a week ago at a convenient time does not open a designated time to a reply",
             check("sms", MOBILE, chi("2026-04-08 15:20"), direction="inbound_response"), False, TEXTING),
        ]
    ],
    S("the one reply to a text sent at a designated time is for that day only, not the next day's window",
      # comment 6(b)(1)-2.i: a consumer's email at 15:30 Wednesday may be answered once "before 5:00 p.m. on
      # that day"; Thursday 15:00-17:00 is inconvenient again.
      check("sms", MOBILE, chi("2026-04-09 15:20"), direction="inbound_response"), False, (TIME,),
      "2026-04-09T22:00:00Z",
      events=[ev("inconvenient_time_designation", chi("2026-03-20 12:00"),
                 data={"weekdays": [0, 1, 2, 3, 4], "start": "15:00", "end": "17:00"}),
              inbound("sms", chi("2026-04-08 15:10"), MOBILE)]),
    # ---------------------------------------------------------------- places (6(b)(1)(ii), 6(b)(3))
    S("after 'don't call me at work' the work phone is an inconvenient place",
      check("call", WORK_PHONE, chi("2026-04-08 10:00")), False, (PLACE,), None,
      events=[ev("inconvenient_place_designation", chi("2026-04-01 10:00"), data={"place": "work"})]),
    S("after 'don't call me at work' the mobile may still be called",
      call_check(chi("2026-04-08 10:00")), True,
      events=[ev("inconvenient_place_designation", chi("2026-04-01 10:00"), data={"place": "work"})]),
    S("after 'don't contact me at home' a letter to the home address is blocked",
      check("letter", "address:home", chi("2026-04-08 10:00")), False, (PLACE,), None,
      events=[ev("inconvenient_place_designation", chi("2026-04-01 10:00"), data={"place": "home"})]),
    S("after 'don't contact me at home' a call to the home landline is blocked",
      check("call", HOME_PHONE, chi("2026-04-08 10:00")), False, (PLACE,), None,
      events=[ev("inconvenient_place_designation", chi("2026-04-01 10:00"), data={"place": "home"})]),
    S("after 'don't contact me at home' an email, not tied to a place, is allowed",
      check("email", EMAIL, chi("2026-04-08 10:00")), True,
      events=[ev("inconvenient_place_designation", chi("2026-04-01 10:00"), data={"place": "home"})]),
    S("when the employer prohibits contact a letter to the work address is blocked",
      check("letter", "address:work", chi("2026-04-08 10:00")), False, (WORKPLACE,), None,
      events=[ev("employer_prohibits_contact", chi("2026-04-01 10:00"))]),
    S("a call at 07:30 that the consumer asked for directly is allowed under the prior-consent exception",
      call_check(chi("2026-04-08 07:30")), True,
      events=[consent(chi("2026-04-07 14:00"), starts_at=chi("2026-04-08 07:15"), ends_at=chi("2026-04-08 07:45"))]),
    S("consent to further calls does not make a 22:00 call convenient",
      # comment 14(b)(3)(i)-1: consent for more calls never permits what 1006.6(b) forbids.
      call_check(chi("2026-04-02 22:00")), False, (TIME,), "2026-04-03T13:00:00Z",
      events=[consent(chi("2026-04-01 10:00"))]),
    S("consent to use an email address does not make an email at 23:00 convenient",
      check("email", EMAIL2, chi("2026-04-03 23:00")), False, (TIME,), "2026-04-04T13:00:00Z",
      events=[consent(chi("2026-04-02 10:00"), channel="email", target=EMAIL2)]),
    # ---------------------------------------------------------------- coverage (section 1)
    S("a commercial debt is outside Regulation F: a call at 22:00 is allowed",
      call_check(chi("2026-04-08 22:00")), True, accounts={"D1": {"kind": "commercial"}}, policy="13.15"),
    S("the bankruptcy stay applies to a commercial debt too",
      call_check(chi("2026-04-08 10:00")), False, (STAY,), None, accounts={"D1": {"kind": "commercial"}},
      events=[ev("bankruptcy_filed", chi("2026-04-01 10:00"), data={"case_number": "26-1", "chapter": 7})]),
    S("a creditor collecting its own debt is not bound by a written cease notice under Regulation F",
      call_check(chi("2026-04-08 10:00")), True, client={"operator_type": "first_party_creditor"},
      events=[ev("cease_notice_received", chi("2026-04-01 10:00"), channel="letter", direction="inbound")]),
    S("a commercial debt may be furnished to a credit bureau without first contacting the debtor",
      {"channel": "credit_report", "at": chi("2026-04-08 12:00")}, True, base=False,
      accounts={"D1": {"kind": "commercial"}}),
    S("a creditor collecting its own debt may furnish without the 1006.30(a) wait",
      {"channel": "credit_report", "at": chi("2026-04-08 12:00")}, True, base=False,
      client={"operator_type": "first_party_creditor"}),
    S("a business debtor cannot owe a consumer debt: a call at 22:00 is allowed",
      call_check(chi("2026-04-08 22:00")), True, debtor={"kind": "business"}),
    # ---------------------------------------------------------------- cease (1006.6(c))
    S("after a cease notice a termination notice may also go by email",
      check("email", EMAIL, chi("2026-04-08 10:00"),
            message=message("termination_notice", f"{FROM_COLLECTOR} We are ending our efforts. {EMAIL_OPT_OUT}")),
      True, events=[ev("cease_notice_received", chi("2026-04-01 10:00"), channel="letter", direction="inbound")]),
    S("a cease notice takes effect on receipt: an email sent before it arrived was allowed",
      # comment 6(c)(1)-1: letter mailed 3 Aug, email sent 4 Aug, letter received 6 Aug.
      check("email", EMAIL, chi("2026-08-04 10:00")), True,
      events=[ev("cease_notice_received", chi("2026-08-06 10:00"), channel="letter", direction="inbound")]),
    S("a cease notice about one debt does not stop calls about another",
      call_check(chi("2026-04-08 10:00"), account="D2"), True, accounts=TWO_DEBTS,
      events=[ev("cease_notice_received", chi("2026-04-01 10:00"), channel="letter", direction="inbound",
                 accounts=["D1"])]),
    S("a cease notice does not stop furnishing to a credit bureau, which is not a communication with the consumer",
      {"channel": "credit_report", "at": chi("2026-04-08 12:00")}, True,
      events=[ev("cease_notice_received", chi("2026-04-01 10:00"), channel="letter", direction="inbound")]),
    S("a cease notice naming no debt stops calls about every debt",
      call_check(chi("2026-04-08 10:00"), account="D2"), False, (CEASE,), None, accounts=TWO_DEBTS,
      events=[ev("cease_notice_received", chi("2026-04-01 10:00"), channel="letter", direction="inbound")],
      policy="13.9"),
    # ---------------------------------------------------------------- attorney (1006.6(b)(2))
    S("a represented consumer who called us may not be called back outbound",
      call_check(chi("2026-04-08 10:10")), False, (ATTORNEY,), None,
      events=[ev("attorney_representation_notice", chi("2026-04-01 10:00"),
                 data={"attorney": "Saul Goodman", "contact": "+13125559999"}),
              inbound("call", chi("2026-04-08 10:00"), MOBILE)]),
    S("attorney representation for one debt does not bar calls about another",
      call_check(chi("2026-04-08 10:00"), account="D2"), True, accounts=TWO_DEBTS,
      events=[ev("attorney_representation_notice", chi("2026-04-01 10:00"), accounts=["D1"],
                 data={"attorney": "Saul Goodman", "contact": "+13125559999"})]),
    S("attorney representation bars letters to the consumer too",
      check("letter", "address:home", chi("2026-04-08 10:00")), False, (ATTORNEY,), None,
      events=[ev("attorney_representation_notice", chi("2026-04-01 10:00"),
                 data={"attorney": "Saul Goodman", "contact": "+13125559999"})]),
    # ---------------------------------------------------------------- disputes (1006.38); period ends 11 Feb 2026
    S("an original-creditor request after the validation period does not suspend calls",
      call_check(chi("2026-02-13 10:00")), True,
      events=[ev("original_creditor_request_received", chi("2026-02-12 10:00"), channel="letter",
                 direction="inbound")]),
    S("a dispute of one debt does not suspend collection of another",
      call_check(chi("2026-02-12 10:00"), account="D2"), True, accounts=TWO_DEBTS,
      events=[ev("dispute_received", chi("2026-02-10 10:00"), channel="letter", direction="inbound",
                 accounts=["D1"], data={"portion": "entire"})]),
    S("a pending dispute also stops collection emails",
      check("email", EMAIL, chi("2026-02-12 10:00")), False, (DISPUTE,), None, unblocked_by="verification_sent",
      events=[ev("dispute_received", chi("2026-02-10 10:00"), channel="letter", direction="inbound",
                 data={"portion": "entire"})]),
    S("a notice mailed Friday 12 June 2026 skips Juneteenth: a dispute on 22 July is inside the period",
      call_check(chi("2026-07-23 10:00")), False, (DISPUTE,), None, base=False, period_end="2026-07-22",
      events=[ev("validation_notice_sent", chi("2026-06-12 10:00"), channel="letter", direction="outbound",
                 target="address:home"),
              ev("dispute_received", chi("2026-07-22 10:00"), channel="letter", direction="inbound",
                 data={"portion": "entire"})]),
    S("a notice mailed Friday 12 June 2026: a dispute on 23 July is after the period",
      call_check(chi("2026-07-24 10:00")), True, base=False,
      events=[ev("validation_notice_sent", chi("2026-06-12 10:00"), channel="letter", direction="outbound",
                 target="address:home"),
              ev("dispute_received", chi("2026-07-23 10:00"), channel="letter", direction="inbound",
                 data={"portion": "entire"})]),
    S("a notice mailed Monday 6 July 2026: the period ends Wednesday 12 August",
      call_check(chi("2026-08-13 10:00")), False, (DISPUTE,), None, base=False, period_end="2026-08-12",
      events=[ev("validation_notice_sent", chi("2026-07-06 10:00"), channel="letter", direction="outbound",
                 target="address:home"),
              ev("dispute_received", chi("2026-08-12 16:00"), channel="letter", direction="inbound",
                 data={"portion": "entire"})]),
    S("a notice mailed Thursday 5 November 2026 skips Veterans Day: a dispute on 13 December is in time",
      # 6, 9, 10, (11 Nov skipped), 12, 13 Nov -> assumed receipt Fri 13 Nov -> end Sun 13 Dec 2026.
      call_check(chi("2026-12-14 10:00")), False, (DISPUTE,), None, base=False, period_end="2026-12-13",
      events=[ev("validation_notice_sent", chi("2026-11-05 10:00"), channel="letter", direction="outbound",
                 target="address:home"),
              ev("dispute_received", chi("2026-12-13 12:00"), channel="letter", direction="inbound",
                 data={"portion": "entire"})]),
    S("a notice mailed Monday 23 November 2026 skips Thanksgiving: a dispute on 1 January 2027 is too late",
      # 24, 25, (26 Nov skipped), 27, 30 Nov, 1 Dec -> receipt Tue 1 Dec -> end Thu 31 Dec 2026.
      call_check(chi("2027-01-04 10:00")), True, base=False, period_end="2026-12-31",
      events=[ev("validation_notice_sent", chi("2026-11-23 10:00"), channel="letter", direction="outbound",
                 target="address:home"),
              ev("dispute_received", chi("2027-01-01 12:00"), channel="letter", direction="inbound",
                 data={"portion": "entire"})]),
    S("a notice mailed Monday 29 June 2026: Friday 3 July, when Independence Day is observed, is not skipped",
      # 6103(a) lists 4 July itself (a Saturday): 30 Jun, 1, 2, 3, 6 Jul -> receipt 6 Jul -> end 5 Aug.
      call_check(chi("2026-08-07 10:00")), True, base=False, period_end="2026-08-05", policy="13.5",
      events=[ev("validation_notice_sent", chi("2026-06-29 10:00"), channel="letter", direction="outbound",
                 target="address:home"),
              ev("dispute_received", chi("2026-08-06 10:00"), channel="letter", direction="inbound",
                 data={"portion": "entire"})]),
    S("a partial dispute suspends collection of the disputed part: demanding the whole balance is blocked",
      check("letter", "address:home", chi("2026-02-12 10:00"), message=message(amount_demanded="1000.00")),
      False, (DISPUTE,), None, unblocked_by="verification_sent",
      events=[ev("dispute_received", chi("2026-02-10 10:00"), channel="letter", direction="inbound",
                 data={"portion": "partial", "amount": "35.00"})]),
    S("a partial dispute leaves the undisputed part collectable",
      check("letter", "address:home", chi("2026-02-12 10:00"), message=message(amount_demanded="965.00")), True,
      events=[ev("dispute_received", chi("2026-02-10 10:00"), channel="letter", direction="inbound",
                 data={"portion": "partial", "amount": "35.00"})]),
    S("a later validation-period end stated on the notice is honoured",
      call_check(chi("2026-02-16 10:00")), False, (DISPUTE,), None, base=False, period_end="2026-02-20",
      events=[ev("validation_notice_sent", chi("2026-01-05 10:00"), channel="letter", direction="outbound",
                 target="address:home", data={"validation_period_end": "2026-02-20"}),
              ev("dispute_received", chi("2026-02-15 10:00"), channel="letter", direction="inbound",
                 data={"portion": "entire"})]),
    S("an earlier end date stated on the notice does not shorten the consumer's 30 days",
      call_check(chi("2026-02-09 10:00")), False, (DISPUTE,), None, base=False, period_end="2026-02-11",
      events=[ev("validation_notice_sent", chi("2026-01-05 10:00"), channel="letter", direction="outbound",
                 target="address:home", data={"validation_period_end": "2026-02-05"}),
              ev("dispute_received", chi("2026-02-08 10:00"), channel="letter", direction="inbound",
                 data={"portion": "entire"})]),
    # ---------------------------------------------------------------- validation timing (1006.34(a))
    S("with no history at all the first call is allowed", call_check(chi("2026-04-08 10:00")), True, base=False),
    S("five days after an initial letter without validation information a call is still allowed",
      call_check(chi("2026-04-06 10:00")), True, base=False,
      events=[sent("letter", chi("2026-04-01 10:00"), "address:home")]),
    S("six days after an initial letter without a validation notice a call carries an overdue-notice warning",
      # 1006.34(a) sets a deadline, not a stop (and the information may have been given orally,
      # 1006.34(a)(1)(ii)): the engine warns and does not block (documented choice).
      call_check(chi("2026-04-07 10:00")), True, base=False, warnings=(VALIDATION_TIMING,),
      events=[sent("letter", chi("2026-04-01 10:00"), "address:home")], policy="34a advisory"),
    S("a late validation notice itself may still be sent",
      check("letter", "address:home", chi("2026-04-07 10:00"), message={"purpose": "validation_notice"}), True,
      base=False, events=[sent("letter", chi("2026-04-01 10:00"), "address:home")]),
    S("a validation notice sent as the initial communication satisfies the timing rule",
      call_check(chi("2026-04-10 10:00")), True, base=False,
      events=[ev("validation_notice_sent", chi("2026-04-01 10:00"), channel="letter", direction="outbound",
                 target="address:home")]),
    # ---------------------------------------------------------------- email procedures (1006.6(d)(4), 22(f)(3))
    S("an email address the consumer never used nor consented to is not a safe-harbour address",
      check("email", EMAIL2, chi("2026-04-08 10:00")), False, (EMAIL_PROC,), None, policy="0.2 safe harbors"),
    S("an email address the consumer used to write to us may be emailed",
      check("email", EMAIL2, chi("2026-04-08 10:00")), True, events=[inbound("email", chi("2026-04-02 10:00"), EMAIL2)]),
    S("an email address the consumer consented to directly may be emailed",
      check("email", EMAIL2, chi("2026-04-08 10:00")), True,
      events=[consent(chi("2026-04-02 10:00"), channel="email", target=EMAIL2)]),
    S("an email address the employer provided may not be emailed without the consumer's consent",
      check("email", WORK_EMAIL, chi("2026-04-08 10:00")), False, (EMPLOYER_EMAIL,), None, may_also=(EMAIL_PROC,)),
    S("an employer-provided address the consumer used to write to us may be emailed",
      check("email", WORK_EMAIL, chi("2026-04-08 10:00")), True,
      events=[inbound("email", chi("2026-04-02 10:00"), WORK_EMAIL)]),
    S("an opt-out from one email address blocks that address",
      check("email", EMAIL, chi("2026-04-08 10:00")), False, (OPTOUT,), None, may_also=(EMAIL_PROC,),
      events=[ev("medium_opt_out", chi("2026-04-02 10:00"), data={"channel": "email", "target": EMAIL})]),
    S("an opt-out from one email address leaves a text allowed",
      check("sms", MOBILE, chi("2026-04-08 10:00")), True,
      events=TEXTING + [ev("medium_opt_out", chi("2026-04-02 10:00"), data={"channel": "email", "target": EMAIL})]),
    S("an opt-out from email without an address blocks every email address",
      check("email", EMAIL2, chi("2026-04-08 10:00")), False, (OPTOUT,), None, may_also=(EMAIL_PROC,),
      events=[inbound("email", chi("2026-04-01 10:00"), EMAIL2),
              ev("medium_opt_out", chi("2026-04-02 10:00"), data={"channel": "email"})]),
    S("the one confirmation of an email opt-out may be sent",
      check("email", EMAIL, chi("2026-04-02 10:05"), message={"purpose": "opt_out_confirmation"}), True,
      events=[ev("medium_opt_out", chi("2026-04-02 10:00"), data={"channel": "email", "target": EMAIL})]),
    S("a consumer who opted out of email and then emails us may get one email reply",
      check("email", EMAIL, chi("2026-04-08 10:10"), direction="inbound_response"), True,
      events=[ev("medium_opt_out", chi("2026-04-02 10:00"), data={"channel": "email", "target": EMAIL}),
              inbound("email", chi("2026-04-08 10:00"), EMAIL)]),
    S("'stop calling' also bars voicemails",
      check("voicemail", MOBILE, chi("2026-04-08 10:00")), False, (OPTOUT,), None,
      events=[ev("medium_opt_out", chi("2026-04-02 10:00"), data={"channel": "call"})]),
    # ---------------------------------------------------------------- text procedures (1006.6(d)(5))
    S("a text to a number the consumer texted us from 59 days ago is allowed",
      check("sms", MOBILE, chi("2026-04-08 10:00")), True, events=[inbound("sms", chi("2026-02-08 10:00"), MOBILE)]),
    S("a text to a number last used by the consumer 61 days ago is not a safe-harbour number",
      check("sms", MOBILE, chi("2026-04-08 10:00")), False, (SMS_PROC,), None,
      events=[inbound("sms", chi("2026-02-06 10:00"), MOBILE)], policy="0.2 safe harbors"),
    S("a phone call from a number does not qualify it for texts",
      check("sms", MOBILE, chi("2026-04-08 10:00")), False, (SMS_PROC,), None,
      events=[inbound("call", chi("2026-04-02 10:00"), MOBILE)], policy="0.2 safe harbors"),
    S("consent to texts given directly to us 30 days ago qualifies the number",
      check("sms", MOBILE, chi("2026-04-08 10:00")), True,
      events=[consent(chi("2026-03-09 10:00"), channel="sms", target=MOBILE)]),
    S("consent to texts obtained 61 days ago and not renewed no longer qualifies the number",
      check("sms", MOBILE, chi("2026-04-08 10:00")), False, (SMS_PROC,), None,
      events=[consent(chi("2026-02-06 10:00"), channel="sms", target=MOBILE)], policy="0.2 safe harbors"),
    # ---------------------------------------------------------------- content (1006.6(e), 18(e), 2(j), 26(b))
    S("a text without opt-out instructions is blocked",
      check("sms", MOBILE, chi("2026-04-08 10:00"), message=message()), False, (E_NOTICE,), None, events=TEXTING),
    S("a later letter must say it is from a debt collector",
      check("letter", "address:home", chi("2026-04-08 10:00"), message=message(text="Please pay your balance.")),
      False, (MIRANDA,), None),
    S("a later letter saying it is from a debt collector is allowed",
      check("letter", "address:home", chi("2026-04-08 10:00"), message=message()), True),
    S("the initial communication must also say information will be used to collect the debt",
      check("letter", "address:home", chi("2026-04-08 10:00"), message=message()), False, (MIRANDA,), None,
      base=False),
    S("an initial letter with the full disclosure is allowed",
      check("letter", "address:home", chi("2026-04-08 10:00"), message=message(text=INITIAL_DISCLOSURE)), True,
      base=False),
    S("a limited-content voicemail that mentions a debt collector is not limited content",
      check("voicemail", MOBILE, chi("2026-04-08 10:00"),
            message={"purpose": "limited_content", "text": f"{LCM_TEXT} This is a debt collector."}),
      False, (LCM,), None),
    S("a voicemail about the debt that is not limited content is blocked",
      check("voicemail", MOBILE, chi("2026-04-08 10:00"),
            message=message(text=f"{FROM_COLLECTOR} Call us about your credit card balance of $1,000.")),
      False, (), None, may_also=(LCM, THIRD_PARTY), policy="13.7"),
    S("a letter threatening suit on a time-barred debt is blocked",
      check("letter", "address:home", chi("2026-04-08 10:00"),
            message=message(text=f"{FROM_COLLECTOR} Pay now or we will file a lawsuit against you.")),
      False, (BARRED,), None, debtor=PA_DEBTOR, accounts={"D1": {**STALE_DATES, "governing_state": "PA"}},
      account_fields={"time_barred": True}),
    S("a letter asking for payment of a time-barred debt without threatening suit is allowed",
      check("letter", "address:home", chi("2026-04-08 10:00"), message=message()), True,
      debtor=PA_DEBTOR, accounts={"D1": {**STALE_DATES, "governing_state": "PA"}}),
    S("a letter mentioning a lawsuit on a debt that is not time-barred is not a time-barred threat",
      check("letter", "address:home", chi("2026-04-08 10:00"),
            message=message(text=f"{FROM_COLLECTOR} If unpaid, the creditor may file a lawsuit.")), True,
      account_fields={"time_barred": False}),
    S("a Texas time-barred debt: a threat of suit is blocked",
      check("letter", "address:home", chi("2026-04-08 10:00"),
            message=message(text=f"{FROM_COLLECTOR} We will sue you unless you pay.")),
      False, (BARRED,), None, may_also=(TX_BARRED,), debtor=TX_DEBTOR,
      accounts={"D1": {**STALE_DATES, "governing_state": "TX"}}),
    S("a California letter on a time-barred debt without the state notice is blocked",
      check("letter", "address:home", chi("2026-04-08 10:00"), message=message()), False, (CA_NOTICE,), None,
      debtor=LA_DEBTOR, accounts={"D1": {**STALE_DATES, "governing_state": "CA"}}),
    # ---------------------------------------------------------------- passive credit reporting (1006.30(a))
    S("furnishing before any contact with the consumer is blocked",
      {"channel": "credit_report", "at": chi("2026-05-20 12:00")}, False, (PASSIVE,), None, base=False,
      unblocked_by=ANY),
    S("furnishing on day 14 after mailing a letter waits until the day 15",
      {"channel": "credit_report", "at": chi("2026-05-14 23:59")}, False, (PASSIVE,), "2026-05-15T05:00:00Z",
      base=False, events=[sent("letter", chi("2026-05-01 10:00"), "address:home")]),
    S("furnishing on day 15 after mailing a letter is allowed",
      {"channel": "credit_report", "at": chi("2026-05-15 00:00")}, True, base=False,
      events=[sent("letter", chi("2026-05-01 10:00"), "address:home")]),
    S("a letter returned undeliverable during the 14 days blocks furnishing until a new step",
      {"channel": "credit_report", "at": chi("2026-05-20 12:00")}, False, (PASSIVE,), None, base=False,
      unblocked_by=ANY, events=[sent("letter", chi("2026-05-01 10:00"), "address:home"),
                                ev("undeliverable_notice_received", chi("2026-05-10 10:00"),
                                   data={"item_event": "#0"})]),
    S("a new letter after a returned one restarts the 14 days",
      {"channel": "credit_report", "at": chi("2026-05-20 12:00")}, False, (PASSIVE,), "2026-05-26T05:00:00Z",
      base=False, events=[sent("letter", chi("2026-05-01 10:00"), "address:home"),
                          ev("undeliverable_notice_received", chi("2026-05-10 10:00"), data={"item_event": "#0"}),
                          sent("letter", chi("2026-05-12 10:00"), "address:home")]),
    S("speaking to the consumer by telephone allows furnishing at once",
      {"channel": "credit_report", "at": chi("2026-05-01 12:00")}, True, base=False,
      events=[conversation(chi("2026-05-01 10:00"))]),
    S("a validation notice is a letter about the debt for the 14-day wait",
      {"channel": "credit_report", "at": chi("2026-05-15 00:00")}, True, base=False,
      events=[ev("validation_notice_sent", chi("2026-05-01 10:00"), channel="letter", direction="outbound",
                 target="address:home")]),
    S("an email about the debt also starts the 14-day wait",
      {"channel": "credit_report", "at": chi("2026-05-15 09:00")}, True, base=False,
      events=[sent("email", chi("2026-05-01 10:00"), EMAIL)]),
    S("a validation notice known to be undeliverable at an address may not be re-sent there",
      check("letter", "address:home", chi("2026-04-10 10:00"), message={"purpose": "validation_notice"}),
      False, (DELIVERY,), None, base=False,
      events=[ev("validation_notice_sent", chi("2026-04-01 10:00"), channel="letter", direction="outbound",
                 target="address:home"),
              ev("undeliverable_notice_received", chi("2026-04-06 10:00"), data={"item_event": "#0"})]),
    # ---------------------------------------------------------------- bankruptcy, deceased
    S("the automatic stay blocks collection letters",
      check("letter", "address:home", chi("2026-04-08 10:00")), False, (STAY,), None,
      events=[ev("bankruptcy_filed", chi("2026-04-01 10:00"), data={"case_number": "26-1", "chapter": 7})]),
    # ---------------------------------------------------------------- Massachusetts (209 CMR 18.16, 940 CMR 7.04)
    S("in Massachusetts texts count with calls toward two in seven days",
      check("sms", "+16175550101", at(BOS, "2026-04-05 10:00")), False, (MA_COLLECTOR,), "2026-04-08T12:00:00Z",
      debtor=BOSTON, events=[consent(at(BOS, "2026-03-31 10:00"), channel="sms", target="+16175550101"),
                             call(at(BOS, "2026-04-01 08:00"), target="+16175550101", outcome="voicemail_left"),
                             sent("sms", at(BOS, "2026-04-03 10:00"), "+16175550101")]),
    S("in Massachusetts the two-in-seven limit is per debt",
      check("call", "+16175550101", at(BOS, "2026-04-05 10:00"), account="D2"), True, debtor=BOSTON,
      accounts=TWO_DEBTS,
      events=[call(at(BOS, "2026-04-01 08:00"), target="+16175550101", outcome="voicemail_left", accounts=["D1"]),
              call(at(BOS, "2026-04-03 10:00"), target="+16175550101", outcome="voicemail_left", accounts=["D1"])]),
    S("in Massachusetts unanswered calls that left no message do not count",
      check("call", "+16175550101", at(BOS, "2026-04-05 10:00")), True, debtor=BOSTON, policy="13.10",
      events=daily_calls(BOS, days("2026-04-01", 4), target="+16175550101")),
    S("in Massachusetts a work number gets two calls in thirty days",
      check("call", "+16175550103", at(BOS, "2026-04-20 10:00")), False, (MA_COLLECTOR,), "2026-05-01T12:00:00Z",
      debtor=BOSTON, events=[call(at(BOS, "2026-04-01 08:00"), target="+16175550103", outcome="voicemail_left"),
                             call(at(BOS, "2026-04-10 10:00"), target="+16175550103", outcome="voicemail_left")]),
    S("a Massachusetts creditor collecting its own debts gets two calls per debtor in seven days",
      # No time-of-day rule binds a creditor here (Regulation F does not apply); counted in local
      # calendar days (0.2), the 1 April call drops out at 00:00 on 8 April.
      check("call", "+16175550101", at(BOS, "2026-04-05 10:00"), account="D2"), False, (MA_CREDITOR,),
      "2026-04-08T04:00:00Z", policy="13.10", debtor=BOSTON, accounts=TWO_DEBTS, client={"operator_type": "first_party_creditor"},
      events=[call(at(BOS, "2026-04-01 08:00"), target="+16175550101", outcome="voicemail_left", accounts=["D1"]),
              call(at(BOS, "2026-04-03 10:00"), target="+16175550101", outcome="voicemail_left", accounts=["D1"])]),
    # ---------------------------------------------------------------- client policy: stricter, never looser
    S("a client's call window applies to voicemails",
      check("voicemail", MOBILE, chi("2026-04-08 08:30")), False, (P_WINDOW,), "2026-04-08T14:00:00Z",
      client={"call_window_start": "09:00", "call_window_end": "17:00"}),
    S("a client's window holds in every candidate zone: 11:00 Eastern is only 08:00 Pacific",
      check("call", "+12125550101", at(NYC, "2026-04-08 11:00")), False, (P_WINDOW,), "2026-04-08T16:00:00Z",
      debtor=ET_MOBILE_PT_ADDRESS, client={"call_window_start": "09:00", "call_window_end": "17:00"}),
    S("a client that allows no emails blocks an email the law would allow",
      check("email", EMAIL, chi("2026-04-08 10:00")), False, (P_EMAIL,), None, client={"email_enabled": False}),
    # ---------------------------------------------------------------- combined blocks: next_allowed_at
    S("seven calls plus a client window from 10:00: the next call is 10:00 on 8 April",
      call_check(chi("2026-04-07 15:00")), False, (SEVEN,), "2026-04-08T15:00:00Z",
      client={"call_window_start": "10:00", "call_window_end": "18:00"}, events=daily_calls(CHI, days("2026-04-01", 7))),
    S("post-conversation wait, a Wednesday-morning designation and a client window combine to noon Wednesday",
      call_check(chi("2026-04-07 15:00")), False, (POSTCONV,), "2026-04-08T17:00:00Z",
      client={"call_window_start": "09:00", "call_window_end": "17:00"},
      events=[conversation(chi("2026-04-01 10:00")),
              ev("inconvenient_time_designation", chi("2026-04-01 10:05"),
                 data={"weekdays": [2], "start": "08:00", "end": "12:00"})]),
    S("seven calls and an overnight designation at 19:30: the next call is 10:00 the next day",
      call_check(chi("2026-04-07 19:30")), False, (SEVEN, TIME), "2026-04-08T15:00:00Z",
      events=daily_calls(CHI, days("2026-04-01", 7))
      + [ev("inconvenient_time_designation", chi("2026-03-20 12:00"),
            data={"weekdays": [0, 1, 2, 3, 4, 5, 6], "start": "19:00", "end": "10:00"})]),
    S("a designation 15:00-17:00 and a client window ending 16:00 push a 15:30 call to 09:00 the next day",
      call_check(chi("2026-04-08 15:30")), False, (TIME,), "2026-04-09T14:00:00Z", may_also=(P_WINDOW,),
      client={"call_window_start": "09:00", "call_window_end": "16:00"},
      events=[ev("inconvenient_time_designation", chi("2026-03-20 12:00"),
                 data={"weekdays": [0, 1, 2, 3, 4, 5, 6], "start": "15:00", "end": "17:00"})]),
    S("seven calls ending the Saturday before spring-forward wait until 08:00 CDT on Sunday",
      call_check("2026-03-07T15:00:00-06:00"), False, (SEVEN,), "2026-03-08T13:00:00Z",
      events=daily_calls(CHI, days("2026-03-01", 7))),
]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.id for s in SCENARIOS])
def test_regulatory_scenario(player, scenario):
    judge(player, scenario)


def test_scenario_names_are_unique():
    assert len({s.name for s in SCENARIOS}) == len(SCENARIOS)


# -- The contract's shape for the gate's endpoints ------------------------------------------------------

def _check_body(player: Player, **extra: object) -> tuple[dict[str, object], Scenario]:
    scenario = S("shape", call_check(chi("2026-04-08 07:00")), False)
    accounts, _ = player.setup(scenario)
    return {"account": accounts["D1"], "channel": "call", "target": MOBILE, "at": chi("2026-04-08 07:00"),
            **extra}, scenario


def test_a_check_answers_every_contract_field_and_its_decision_replays(player):
    body, _ = _check_body(player)
    response = player.api.post("/api/v1/compliance/check/", body, format="json")
    assert response.status_code == 200
    answer = response.json()
    assert {"allowed", "reasons", "next_allowed_at", "timezones", "decision"} <= set(answer)
    assert answer["allowed"] is False and answer["timezones"] == [CHI]
    assert answer["reasons"] == [{"rule": TIME, "message": answer["reasons"][0]["message"], "unblocked_by": None}]
    assert answer["next_allowed_at"] == "2026-04-08T13:00:00Z"
    stored = player.api.get(f"/api/v1/compliance/decisions/{answer['decision']}/?replay=1")
    assert stored.status_code == 200
    record = stored.json()
    assert record["decision"] == answer["decision"] and record["ruleset_version"]
    assert record["snapshot"]["request"]["channel"] == "call"  # the inputs the engine saw
    replay = record["replay"]
    assert (replay["allowed"], replay["reasons"], replay["next_allowed_at"]) == (
        answer["allowed"], answer["reasons"], answer["next_allowed_at"])


@pytest.mark.parametrize(("change", "field"), [
    ({"channel": "fax"}, "channel"),
    ({"account": "twelve"}, "account"),
    ({"target": "not a number"}, "target"),
    ({"at": "yesterday"}, "at"),
    ({"at": "2026-04-08T07:00:00"}, "at"),  # an instant without a UTC offset is ambiguous
    ({"direction": "sideways"}, "direction"),
    ({"message": {"purpose": "threat"}}, "message"),
])
def test_invalid_input_is_a_400_naming_the_field_and_stores_no_decision(player, change, field):
    from compliance.models import Decision

    body, _ = _check_body(player, **change)
    before = Decision.objects.count()
    response = player.api.post("/api/v1/compliance/check/", body, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert Decision.objects.count() == before


def test_another_clients_account_and_decision_are_404_and_nothing_is_stored(player):
    from compliance.models import Decision

    body, _ = _check_body(player)
    mine = player.api.post("/api/v1/compliance/check/", body, format="json").json()["decision"]
    other = UserFactory(username="outsider", role=Role.COLLECTOR, password=None)
    ClientFactory(name="Another creditor").members.add(other)
    outsider = api_for(other)
    before = Decision.objects.count()
    assert outsider.post("/api/v1/compliance/check/", body, format="json").status_code == 404
    assert outsider.get(f"/api/v1/compliance/decisions/{mine}/").status_code == 404
    assert Decision.objects.count() == before


def test_a_check_without_a_token_is_a_401(player):
    from rest_framework.test import APIClient

    body, _ = _check_body(player)
    assert APIClient().post("/api/v1/compliance/check/", body, format="json").status_code == 401
