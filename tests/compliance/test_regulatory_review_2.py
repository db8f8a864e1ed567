"""A second, adversarial regulatory review of the compliance gate, played through the HTTP API only.

Same method as ``test_regulatory_review.py`` (its harness, its fixture date, its conventions):
every row was written from the rule catalogue (``shared/reference/regf-rules.md``), 12 CFR part
1006 and its official interpretations, 11 USC 362/524 and the state texts the catalogue quotes,
with the expected verdict, rule id and ``next_allowed_at`` worked out by hand in the comment or
name beside it. This round looks for boundaries and interactions the first review left out:
windows rolling off in local days, DST, several candidate zones, designations combined with the
08:00-21:00 window, the permitted exceptions of each stopping event, who the *person* called is,
which debt a consumer's own message was about, validation-period holidays, the passive
credit-reporting wait, bankruptcy stay versus discharge, coverage and state overlays.

Calendar: 1 Apr 2026 and 8 Apr 2026 are Wednesdays; Chicago is UTC-6 until 8 Mar 2026 and from
1 Nov 2026, UTC-5 between; 2027 DST runs 14 Mar - 7 Nov. 5 USC 6103(a) holidays used: 1 Jan,
19 Jan 2026 (3rd Monday), 12 Oct 2026 (2nd Monday), 11 Nov, 25 Dec.
"""

from __future__ import annotations

import pytest

from tests.compliance.regulatory_harness import (
    ANY,
    ATTORNEY,
    BARRED,
    CA_ATTORNEY,
    CA_NO_SUIT,
    CA_NOTICE,
    CEASE,
    CHI,
    DECEASED,
    DISCHARGE,
    DISPUTE,
    EMAIL,
    EMAIL2,
    EMAIL_OPT_OUT,
    EMAIL_PROC,
    EMPLOYER_EMAIL,
    ET_MOBILE_PT_ADDRESS,
    FROM_COLLECTOR,
    HOME_PHONE,
    LA,
    LA_DEBTOR,
    MA_COLLECTOR,
    MOBILE,
    NYC,
    OPTOUT,
    ORIGINAL_CREDITOR,
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
    TIME,
    TWO_DEBTS,
    TX_BARRED,
    TX_DEBTOR,
    VALIDATION_PERIOD,
    WORK_EMAIL,
    WORK_PHONE,
    WORKPLACE,
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


ATTORNEY_PHONE = "+13125559999"
NEIGHBOUR_PHONE = "+13125557777"
TOLL_FREE = "+18005550199"
CA_TIME_BARRED_NOTICE = (
    "The law limits how long you can be sued on a debt. Because of the age of your debt, we will not sue you "
    "for it, and we will not report it to any credit reporting agency."
)


CHI_ADDRESS_TOLL_FREE = {"addresses": home("Chicago", "IL", "60601"), "phones": [mobile(TOLL_FREE)]}
BOSTON = {"addresses": home("Boston", "MA", "02108"), "phones": [mobile("+16175550101")]}
REPRESENTED = ev("attorney_representation_notice", chi("2026-04-01 10:00"),
                 data={"attorney": "Saul Goodman", "contact": ATTORNEY_PHONE})


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


def furnish(when: str, **extra: object) -> dict[str, object]:
    return {"channel": "credit_report", "at": when, **extra}


EVERY_DAY = [0, 1, 2, 3, 4, 5, 6]
WEEKDAYS = [0, 1, 2, 3, 4]

S = Scenario
SCENARIOS: list[Scenario] = [
    # ---------------------------------------------------------------- who is "the person" called (1006.14(b), 6(d)(1))
    S("a represented consumer's attorney may be called: communicating with the attorney is what 6(b)(2) requires",
      # 1006.6(b)(2) bars communicating with the consumer; 1006.6(d)(1)(ii) permits the consumer's attorney.
      check("call", ATTORNEY_PHONE, chi("2026-04-08 10:00")), True, events=[REPRESENTED]),
    S("calls to the consumer do not count toward calls to the consumer's attorney",
      # 1006.14(b)(2)(i)(A) counts calls "to a particular person"; seven calls to the consumer do not limit the
      # attorney, and 1006.14(b)(3)(iii) excludes calls to the attorney from the consumer's count anyway.
      check("call", ATTORNEY_PHONE, chi("2026-04-07 15:00")), True,
      events=daily_calls(CHI, days("2026-04-01", 7)) + [REPRESENTED]),
    S("a represented consumer's attorney may be emailed at the address the notice gives",
      # 1006.6(d)(1)(ii); the email procedures of 1006.6(d)(4) concern the consumer's addresses.
      check("email", "saul@goodman-law.example", chi("2026-04-08 10:00"),
            message=message(text=f"{FROM_COLLECTOR} {EMAIL_OPT_OUT}")), True,
      events=[ev("attorney_representation_notice", chi("2026-04-01 10:00"),
                 data={"attorney": "Saul Goodman", "contact": "saul@goodman-law.example"})]),
    S("a conversation with the consumer does not hold back a call to her attorney",
      # 1006.14(b)(2)(i)(B) restricts calls to the person conversed with; 1006.14(b)(3)(iii).
      check("call", ATTORNEY_PHONE, chi("2026-04-03 10:00")), True,
      events=[conversation(chi("2026-04-01 10:00"), direction="inbound"), REPRESENTED]),
    S("location calls to a neighbour do not count toward the seven calls to the consumer",
      # 1006.14(b)(2)(i)(A) "to a particular person": six calls to the consumer plus two location calls to a
      # neighbour (comment 14(b)(2)(i)-1.iii counts those toward the neighbour) leave the seventh call allowed.
      call_check(chi("2026-04-07 15:00")), True,
      events=daily_calls(CHI, days("2026-04-01", 6))
      + [call(chi("2026-04-06 12:00"), NEIGHBOUR_PHONE, "third_party"),
         call(chi("2026-04-06 12:30"), NEIGHBOUR_PHONE, "third_party")]),
    S("a call to the consumer's number answered by someone else still counts toward the seven",
      # comment 14(b)(3)(ii)-1: a call answered is connected; placed to the consumer's own number.
      call_check(chi("2026-04-07 15:00")), False, (SEVEN,), "2026-04-08T13:00:00Z",
      events=daily_calls(CHI, days("2026-04-01", 6)) + [call(chi("2026-04-07 09:00"), HOME_PHONE, "third_party")]),
    # ---------------------------------------------------------------- 7-in-7 rolling off in local days
    S("two calls on 2 April keep the window full on 6 April; the next call is 7 April when 31 March drops out",
      # calls 31 Mar, 1, 2, 2, 3, 4, 5 Apr: windows 30 Mar-5 Apr and 31 Mar-6 Apr hold 7; 1-7 Apr holds 6.
      call_check(chi("2026-04-06 09:00")), False, (SEVEN,), "2026-04-07T13:00:00Z",
      events=daily_calls(CHI, ["2026-03-31", "2026-04-01", "2026-04-02", "2026-04-03", "2026-04-04", "2026-04-05"])
      + [call(chi("2026-04-02 16:00"))]),
    S("three calls on 1 April and four more by 4 April block until 8 April, when all three drop out at once",
      # window 2-8 Apr holds 4 (<7) but 7 Apr's window 1-7 Apr still holds 7.
      call_check(chi("2026-04-05 10:00")), False, (SEVEN,), "2026-04-08T13:00:00Z",
      events=[call(chi(f"2026-04-01 {h}")) for h in ("09:00", "12:00", "15:00")]
      + daily_calls(CHI, days("2026-04-01", 4), hour="18:00")),
    S("in Phoenix, seven calls up to the 2027 spring-forward Sunday still clear at 08:00 MST (15:00 UTC) Monday",
      # 1006.14(b)(2)(i)(A); comment 14(b)(2)(i)-1.i (days, not hours); America/Phoenix has no DST.
      check("call", "+16025550101", at(PHX, "2027-03-14 15:00")), False, (SEVEN,), "2027-03-15T15:00:00Z",
      debtor=PHX_DEBTOR, events=daily_calls(PHX, days("2027-03-08", 7), target="+16025550101")),
    S("seven calls across the 2027 fall-back in Los Angeles clear at 08:00 PST on 8 November",
      # 1006.14(b)(2)(i)(A); comment 14(b)(2)(i)-1.i; 0.2 local days.
      check("call", "+12135550101", at(LA, "2027-11-07 15:00")), False, (SEVEN,), "2027-11-08T16:00:00Z",
      debtor=LA_DEBTOR, events=daily_calls(LA, days("2027-11-01", 7), target="+12135550101")),
    S("an Eastern mobile and a Pacific address: the call window 11:00-21:00 Eastern applies after seven calls too",
      # days counted in Los Angeles (address first, 0.2); window 2-8 Apr clears on 8 Apr, first convenient in
      # both zones at 08:00 PDT = 11:00 EDT = 15:00 UTC.
      check("call", "+12125550101", at(NYC, "2026-04-07 15:00")), False, (SEVEN,), "2026-04-08T15:00:00Z",
      debtor=ET_MOBILE_PT_ADDRESS, events=daily_calls(NYC, days("2026-04-01", 7), hour="14:00", target="+12125550101")),
    S("a conversation on the Saturday before spring-forward blocks through Friday; 08:00 CDT Saturday is next",
      # 1006.14(b)(2)(i)(B): conversation 7 Mar is day 1, calls allowed from 14 Mar.
      call_check(chi("2026-03-10 10:00")), False, (POSTCONV,), "2026-03-14T13:00:00Z",
      events=[conversation("2026-03-07T16:00:00-06:00")]),
    # ---------------------------------------------------------------- several candidate zones, one unknown
    S("a toll-free mobile says nothing about where the consumer is: only the Chicago address counts",
      # comment 6(b)(1)(i)-2: only information indicating a location makes a candidate zone.
      check("call", TOLL_FREE, chi("2026-04-08 08:00")), True, debtor=CHI_ADDRESS_TOLL_FREE, timezones=[CHI]),
    S("a Chicago address and a toll-free mobile: 07:59 Chicago time is still too early",
      # 1006.6(b)(1)(i); comment 6(b)(1)(i)-2.
      check("call", TOLL_FREE, chi("2026-04-08 07:59")), False, (TIME,), "2026-04-08T13:00:00Z",
      debtor=CHI_ADDRESS_TOLL_FREE, timezones=[CHI]),
    # ---------------------------------------------------------------- designated times with the 8-21 window
    S("a designation 20:00-09:00 every day moves a 07:00 call to 09:00, past the 08:00 opening",
      # 1006.6(b)(1)(i); comment 6(b)(1)-1 (designated times) with the default window.
      call_check(chi("2026-04-08 07:00")), False, (TIME,), "2026-04-08T14:00:00Z",
      events=[designation(chi("2026-03-20 12:00"), EVERY_DAY, "20:00", "09:00")]),
    S("a designation 18:00-21:00 every day moves an 18:30 call to 08:00 the next day",
      # 1006.6(b)(1)(i); comment 6(b)(1)-1.
      call_check(chi("2026-04-08 18:30")), False, (TIME,), "2026-04-09T13:00:00Z",
      events=[designation(chi("2026-03-20 12:00"), EVERY_DAY, "18:00", "21:00")]),
    S("a designation 08:00-12:00 on weekdays holds in both candidate zones: 12:30 Eastern waits until noon Pacific",
      # comment 6(b)(1)(i)-2 with comment 6(b)(1)-1: 09:30 PDT is inside the designation; 12:00 PDT = 19:00 UTC.
      check("call", "+12125550101", at(NYC, "2026-04-08 12:30")), False, (TIME,), "2026-04-08T19:00:00Z",
      debtor=ET_MOBILE_PT_ADDRESS, events=[designation(at(NYC, "2026-03-20 12:00"), WEEKDAYS, "08:00", "12:00")]),
    S("a Friday-evening designation and the weekend: a Friday 19:00 call waits for 08:00 Saturday",
      # comment 6(b)(1)-1: the designation covers Fridays only.
      call_check(chi("2026-04-10 19:00")), False, (TIME,), "2026-04-11T13:00:00Z",
      events=[designation(chi("2026-03-20 12:00"), [4], "17:00", "21:00")]),
    S("a whole-weekend designation after seven calls ending Friday: the next call is 08:00 Monday",
      # 1006.14(b)(2)(i)(A) clears 11 Apr; comment 6(b)(1)-1 keeps the weekend closed.
      call_check(chi("2026-04-10 15:00")), False, (SEVEN,), "2026-04-13T13:00:00Z",
      events=daily_calls(CHI, days("2026-04-04", 7)) + [designation(chi("2026-03-20 12:00"), [5, 6], "00:00", "23:59")]),
    # ---------------------------------------------------------------- workplace and places (6(b)(1)(ii), 6(b)(3))
    S("when the employer prohibits contact a text to the work phone is blocked",
      # 1006.6(b)(3); comment 6(b)(3)-1 (texts to the work number are at the workplace).
      check("sms", WORK_PHONE, chi("2026-04-08 10:00"), message=message(text=f"{FROM_COLLECTOR} {SMS_OPT_OUT}")),
      False, (WORKPLACE,), None, may_also=(SMS_PROC,),
      events=[ev("employer_prohibits_contact", chi("2026-04-01 10:00"))]),
    S("when the employer prohibits contact a voicemail on the work phone is blocked",
      # 1006.6(b)(3): communications and attempts.
      check("voicemail", WORK_PHONE, chi("2026-04-08 10:00")), False, (WORKPLACE,), None,
      events=[ev("employer_prohibits_contact", chi("2026-04-01 10:00"))]),
    S("when the employer prohibits contact the mobile may still be called",
      # 1006.6(b)(3); comment 6(b)(1)(ii)-1 (a mobile is not tied to a place).
      call_check(chi("2026-04-08 10:00")), True, events=[ev("employer_prohibits_contact", chi("2026-04-01 10:00"))]),
    S("an employer's prohibition does not reach an employer email address the consumer wrote to us from",
      # email is not a place (comment 6(b)(1)(ii)-1); 1006.22(f)(3) yields to 1006.6(d)(4)(i).
      check("email", WORK_EMAIL, chi("2026-04-08 10:00")), True,
      events=[ev("employer_prohibits_contact", chi("2026-04-01 10:00")), inbound("email", chi("2026-04-02 10:00"), WORK_EMAIL)]),
    S("after 'don't call me at work' the consumer's own call from work may be returned once",
      # comment 6(b)(1)-2: respond once, through the same medium, to a contact from the designated place.
      check("call", WORK_PHONE, chi("2026-04-08 10:10"), direction="inbound_response"), True,
      events=[ev("inconvenient_place_designation", chi("2026-04-01 10:00"), data={"place": "work"}),
              inbound("call", chi("2026-04-08 10:00"), WORK_PHONE)]),
    S("after returning that call once, a second call to work is blocked again",
      # comment 6(b)(1)-2: respond once, then the designation applies again.
      check("call", WORK_PHONE, chi("2026-04-08 10:30"), direction="inbound_response"), False, (PLACE,), None,
      events=[ev("inconvenient_place_designation", chi("2026-04-01 10:00"), data={"place": "work"}),
              inbound("call", chi("2026-04-08 10:00"), WORK_PHONE), call(chi("2026-04-08 10:10"), WORK_PHONE)]),
    # ---------------------------------------------------------------- electronic media: about which debt
    S("an address the consumer used only about another debt is not a safe-harbour address for this one",
      # 1006.6(d)(4)(i)(A): "used the email address to communicate with the debt collector about the debt".
      check("email", EMAIL2, chi("2026-04-08 10:00"), account="D2"), False, (EMAIL_PROC,), None,
      accounts=TWO_DEBTS, events=[inbound("email", chi("2026-04-02 10:00"), EMAIL2, accounts=["D1"])],
      unblocked_by=ANY),
    S("a number the consumer texted from only about another debt is not a safe-harbour number for this one",
      # 1006.6(d)(5)(i): "used the telephone number to communicate with the debt collector by text message about
      # the debt".
      check("sms", MOBILE, chi("2026-04-08 10:00"), account="D2"), False, (SMS_PROC,), None,
      accounts=TWO_DEBTS, events=[inbound("sms", chi("2026-04-02 10:00"), MOBILE, accounts=["D1"])],
      unblocked_by=ANY),
    S("an employer-provided address used by the consumer only about another debt stays barred for this one",
      # 1006.22(f)(3) with 1006.6(d)(4)(i)(A) ("about the debt").
      check("email", WORK_EMAIL, chi("2026-04-08 10:00"), account="D2"), False, (EMPLOYER_EMAIL,), None,
      may_also=(EMAIL_PROC,), accounts=TWO_DEBTS,
      events=[inbound("email", chi("2026-04-02 10:00"), WORK_EMAIL, accounts=["D1"])]),
    S("an employer-provided address the consumer consented to directly may be emailed",
      # 1006.22(f)(3); 1006.6(d)(4)(i)(B).
      check("email", WORK_EMAIL, chi("2026-04-08 10:00")), True,
      events=[consent(chi("2026-04-02 10:00"), channel="email", target=WORK_EMAIL)]),
    # ---------------------------------------------------------------- opt-out of one medium, not another
    S("an opt-out of texts to the mobile leaves calls to the mobile allowed",
      # 1006.14(h)(1); comment 14(h)(1)-3.ii (electronic communications to that number only).
      call_check(chi("2026-04-08 10:00")), True, events=TEXTING + [opt_out(chi("2026-04-02 10:00"), "sms", MOBILE)]),
    S("'stop calling' leaves texts to the same number allowed",
      # 1006.14(h)(1); comment 14(h)(1)-3.i (telephone calls only).
      check("sms", MOBILE, chi("2026-04-08 10:00"), message=message(text=f"{FROM_COLLECTOR} {SMS_OPT_OUT}")), True,
      events=TEXTING + [opt_out(chi("2026-04-02 10:00"), "call")]),
    S("an opt-out of calls to the home landline leaves the mobile allowed",
      # comment 14(h)(1)-2: one number within a medium.
      call_check(chi("2026-04-08 10:00")), True, events=[opt_out(chi("2026-04-02 10:00"), "call", HOME_PHONE)]),
    S("an opt-out of calls to the home landline blocks it",
      # 1006.14(h)(1); comment 14(h)(1)-2.
      check("call", HOME_PHONE, chi("2026-04-08 10:00")), False, (OPTOUT,), None,
      events=[opt_out(chi("2026-04-02 10:00"), "call", HOME_PHONE)]),
    S("after 'stop calling' the consumer's own call may be returned once",
      # 1006.14(h)(2)(ii): respond once through the medium the person used.
      call_check(chi("2026-04-08 10:10"), direction="inbound_response"), True,
      events=[opt_out(chi("2026-04-02 10:00"), "call"), inbound("call", chi("2026-04-08 10:00"), MOBILE)]),
    S("after 'stop calling' a returned call is the one response: the next is blocked",
      # 1006.14(h)(2)(ii): once.
      call_check(chi("2026-04-08 11:00"), direction="inbound_response"), False, (OPTOUT,), None,
      events=[opt_out(chi("2026-04-02 10:00"), "call"), inbound("call", chi("2026-04-08 10:00"), MOBILE),
              call(chi("2026-04-08 10:10"))]),
    S("an opt-out of one email address leaves another address the consumer wrote from allowed",
      # comment 14(h)(1)-2: a person may exclude one address within a medium.
      check("email", EMAIL2, chi("2026-04-08 10:00"), message=message(text=f"{FROM_COLLECTOR} {EMAIL_OPT_OUT}")),
      True, events=[inbound("email", chi("2026-04-01 10:00"), EMAIL2), opt_out(chi("2026-04-02 10:00"), "email", EMAIL)]),
    S("an opt-out of letters leaves email allowed",
      # 1006.14(h)(1): the medium named only.
      check("email", EMAIL, chi("2026-04-08 10:00")), True, events=[opt_out(chi("2026-04-02 10:00"), "letter")]),
    # ---------------------------------------------------------------- cease (1006.6(c)) and its exceptions
    S("a cease notice sent by email through a medium we accept is written: calls stop",
      # 1006.6(c)(1); comment 6(c)(1)-1 (electronic writing through an accepted medium).
      call_check(chi("2026-04-08 10:00")), False, (CEASE,), None,
      events=[ev("cease_notice_received", chi("2026-04-01 10:00"), channel="email", direction="inbound",
                 target=EMAIL, written=True)]),
    S("after a cease notice a letter naming a remedy we ordinarily invoke is allowed",
      # 1006.6(c)(2)(ii).
      check("letter", "address:home", chi("2026-04-08 10:00"),
            message=message("remedy_notice", f"{FROM_COLLECTOR} The creditor may report this account.")),
      True, events=[cease(chi("2026-04-01 10:00"))]),
    S("after a cease notice a collection letter is blocked",
      # 1006.6(c)(1).
      check("letter", "address:home", chi("2026-04-08 10:00"), message=message()), False, (CEASE,), None,
      events=[cease(chi("2026-04-01 10:00"))]),
    S("a cease notice received at 23:30 local is in force for a call at 08:00 the next morning",
      # 1006.6(c)(1); comment 6(c)(1)-1 (effective on receipt).
      call_check(chi("2026-04-02 08:00")), False, (CEASE,), None, events=[cease(chi("2026-04-01 23:30"))]),
    # ---------------------------------------------------------------- attorney (1006.6(b)(2))
    S("after the attorney consents to direct contact the consumer may be called",
      # 1006.6(b)(2)(ii): the attorney consents to direct communication.
      call_check(chi("2026-04-08 10:00")), True,
      events=[REPRESENTED, ev("attorney_consent_to_direct_contact", chi("2026-04-03 10:00"))]),
    S("a represented consumer: the block names the attorney's consent as what lifts it",
      # 1006.6(b)(2); contract: unblocked_by names the lifting event.
      check("email", EMAIL, chi("2026-04-08 10:00")), False, (ATTORNEY,), None,
      unblocked_by="attorney_consent_to_direct_contact", events=[REPRESENTED]),
    S("a creditor collecting its own debt outside California is not bound by 1006.6(b)(2)",
      # 15 USC 1692a(6); 1006.2(i) (a creditor is not a debt collector).
      call_check(chi("2026-04-08 10:00")), True, client={"operator_type": "first_party_creditor"},
      events=[REPRESENTED]),
    S("a California creditor collecting its own debt is bound by the Rosenthal attorney rule",
      # Cal. Civ. Code 1788.2(c), 1788.14(c) (catalogue STATE-CA-1788.14c-attorney).
      check("call", "+12135550101", at(LA, "2026-04-08 10:00")), False, (CA_ATTORNEY,), None,
      debtor=LA_DEBTOR, client={"operator_type": "first_party_creditor"},
      events=[ev("attorney_representation_notice", at(LA, "2026-04-01 10:00"), written=True,
                 data={"attorney": "Saul Goodman", "contact": ATTORNEY_PHONE})]),
    # ---------------------------------------------------------------- disputes (1006.38); base period ends 11 Feb
    S("once verification is sent calls resume",
      # 1006.38(d)(2)(i).
      call_check(chi("2026-02-20 10:00")), True,
      events=[dispute(chi("2026-02-10 10:00")),
              ev("verification_sent", chi("2026-02-18 10:00"), channel="letter", direction="outbound",
                 target="address:home")]),
    S("a new written dispute after verification but still within the period suspends collection again",
      # base notice 5 Jan 2026, period ends 11 Feb: dispute 20 Jan, verification 27 Jan, new dispute 9 Feb.
      call_check(chi("2026-02-12 10:00")), False, (DISPUTE,), None, unblocked_by="verification_sent",
      events=[dispute(chi("2026-01-20 10:00")),
              ev("verification_sent", chi("2026-01-27 10:00"), channel="letter", direction="outbound",
                 target="address:home"),
              dispute(chi("2026-02-09 10:00"))]),
    S("a dispute received at 23:30 Chicago time on the last day of the period is in time",
      # 1006.38(d)(2); 1006.34(b)(5) (period ends 11 Feb); 0.2 local days.
      call_check(chi("2026-02-12 10:00")), False, (DISPUTE,), None, events=[dispute(chi("2026-02-11 23:30"))]),
    S("a dispute received at 00:30 Chicago time the day after the period ends is late",
      # 1006.38(d)(2): outside the validation period.
      call_check(chi("2026-02-12 10:00")), True, events=[dispute(chi("2026-02-12 00:30"))]),
    S("an original-creditor request within the period suspends letters too until answered",
      # 1006.38(c).
      check("letter", "address:home", chi("2026-02-12 10:00"), message=message()), False, (ORIGINAL_CREDITOR,),
      None, unblocked_by="verification_sent",
      events=[ev("original_creditor_request_received", chi("2026-02-10 10:00"), channel="letter",
                 direction="inbound")]),
    S("a notice re-sent after the first came back restarts the period: a dispute on 18 February is in time",
      # comment 34(b)(5)-2. Re-sent Wed 14 Jan 2026: 15, 16, (17, 18 weekend), (19 MLK day), 20, 21, 22 Jan ->
      # assumed receipt Thu 22 Jan -> end Sat 21 Feb 2026.
      call_check(chi("2026-02-19 10:00")), False, (DISPUTE,), None, base=False, period_end="2026-02-21",
      events=[notice(chi("2026-01-05 10:00")),
              ev("undeliverable_notice_received", chi("2026-01-12 10:00"), data={"item_event": "#0"}),
              notice(chi("2026-01-14 10:00")),
              dispute(chi("2026-02-18 10:00"))]),
    S("after the notice came back from home, re-sending it to the work address is allowed",
      # 1006.42(a)(1), comment 42(a)(1)-2: only the address known to be undeliverable is excluded.
      check("letter", "address:work", chi("2026-01-14 10:00"), message={"purpose": "validation_notice"}), True,
      base=False, events=[notice(chi("2026-01-05 10:00")),
                          ev("undeliverable_notice_received", chi("2026-01-12 10:00"), data={"item_event": "#0"})]),
    # ---------------------------------------------------------------- validation-period arithmetic (1006.34(b)(5))
    S("a notice mailed on Saturday 3 January 2026: receipt Friday 9 January, period ends Sunday 8 February",
      # 1006.34(b)(5): 5, 6, 7, 8, 9 Jan -> receipt Fri 9 Jan -> end Sun 8 Feb 2026.
      call_check(chi("2026-02-09 10:00")), False, (DISPUTE,), None, base=False, period_end="2026-02-08",
      events=[notice(chi("2026-01-03 10:00")), dispute(chi("2026-02-08 12:00"))]),
    S("a notice mailed on Martin Luther King Day 2026: receipt Monday 26 January, period ends 25 February",
      # 1006.34(b)(5): 20, 21, 22, 23, 26 Jan -> receipt Mon 26 Jan -> end Wed 25 Feb.
      call_check(chi("2026-02-26 10:00")), True, base=False, period_end="2026-02-25",
      events=[notice(chi("2026-01-19 10:00")), dispute(chi("2026-02-26 09:00"))]),
    S("a notice mailed Monday 21 December 2026 skips Christmas: a dispute on Thursday 28 January 2027 is in time",
      # 22, 23, 24, (25 Dec), (26, 27 weekend), 28, 29 Dec -> receipt Tue 29 Dec -> end Thu 28 Jan 2027.
      call_check(chi("2027-01-29 10:00")), False, (DISPUTE,), None, base=False, period_end="2027-01-28",
      events=[notice(chi("2026-12-21 10:00")), dispute(chi("2027-01-28 15:00"))]),
    S("a validation notice mailed 7 October 2026 may not state 13 November: Columbus Day is skipped",
      # 8, 9, (10, 11 weekend), (12 Oct Columbus Day), 13, 14, 15 Oct -> receipt Thu 15 Oct -> earliest end 14 Nov.
      check("letter", "address:home", chi("2026-10-07 10:00"),
            message={"purpose": "validation_notice", "validation_period_end": "2026-11-13"}),
      False, (VALIDATION_PERIOD,), None),
    S("a validation notice mailed 7 October 2026 may state 14 November",
      # 1006.34(b)(5); comment 34(b)(5)-1 (a later end is permitted).
      check("letter", "address:home", chi("2026-10-07 10:00"),
            message={"purpose": "validation_notice", "validation_period_end": "2026-11-14"}), True),
    S("a validation notice mailed 28 December 2026 may not state 3 February 2027: New Year's Day is skipped",
      # 29, 30, 31 Dec, (1 Jan), (2, 3 weekend), 4, 5 Jan -> receipt Tue 5 Jan 2027 -> earliest end Thu 4 Feb 2027.
      check("letter", "address:home", chi("2026-12-28 10:00"),
            message={"purpose": "validation_notice", "validation_period_end": "2027-02-03"}),
      False, (VALIDATION_PERIOD,), None),
    # ---------------------------------------------------------------- passive credit reporting (1006.30(a))
    S("voicemails alone are not speaking to the consumer: furnishing stays blocked",
      # 1006.30(a)(1)(i): speaks to the consumer in person or by telephone.
      furnish(chi("2026-05-20 12:00")), False, (PASSIVE,), None, base=False, unblocked_by=ANY,
      events=[call(chi("2026-05-01 10:00"), outcome="voicemail_left"), sent("voicemail", chi("2026-05-02 10:00"), MOBILE)]),
    S("a conversation about another debt does not open furnishing on this one",
      # 1006.30(a)(1)(i): "about the debt".
      furnish(chi("2026-05-20 12:00")), False, (PASSIVE,), None, base=False, unblocked_by=ANY, accounts=TWO_DEBTS,
      events=[conversation(chi("2026-05-01 10:00"), accounts=["D2"])]),
    S("a conversation the consumer started by calling us opens furnishing",
      # 1006.30(a)(1)(i); comment 14(b)(2)(i)-1.ii (whoever initiated).
      furnish(chi("2026-05-01 12:00")), True, base=False,
      events=[conversation(chi("2026-05-01 10:00"), direction="inbound")]),
    S("an email bounced on day 14 blocks furnishing on day 15",
      # 1006.30(a)(1)(ii); comment 30(a)(1)-2 (undeliverable within the period).
      furnish(chi("2026-05-15 12:00")), False, (PASSIVE,), None, base=False, unblocked_by=ANY,
      events=[sent("email", chi("2026-05-01 10:00"), EMAIL),
              ev("undeliverable_notice_received", chi("2026-05-14 22:00"), data={"item_event": "#0"})]),
    S("a text about the debt starts the 14-day wait too",
      # 1006.30(a)(1)(ii): "an electronic message about the debt".
      furnish(chi("2026-05-14 23:59")), False, (PASSIVE,), "2026-05-15T05:00:00Z", base=False,
      events=[sent("sms", chi("2026-05-01 10:00"), MOBILE)]),
    S("the 14 days are counted in the consumer's local days across the fall-back",
      # letter 26 Oct 2026 -> monitor 26 Oct - 8 Nov -> furnish from 00:00 CST 9 Nov = 06:00 UTC.
      furnish(chi("2026-11-08 23:00")), False, (PASSIVE,), "2026-11-09T06:00:00Z", base=False,
      events=[sent("letter", chi("2026-10-26 10:00"), "address:home")]),
    # ---------------------------------------------------------------- bankruptcy
    S("a discharge ends the automatic stay: a debt excepted from the discharge may be collected again",
      # 11 USC 362(c)(2)(C): the stay of acts against the debtor ends when a discharge is granted; D2 (a student
      # loan) was not discharged, so 524(a)(2) does not reach it.
      call_check(chi("2026-07-08 10:00"), account="D2"), True, accounts={"D1": {}, "D2": {"product": "student loan"}},
      events=[ev("bankruptcy_filed", chi("2026-03-02 10:00"), data={"case_number": "26-1", "chapter": 7}),
              ev("bankruptcy_discharged", chi("2026-07-01 10:00"), accounts=["D1"],
                 data={"case_number": "26-1", "chapter": 7})]),
    S("the discharged debt itself may never be collected again",
      # 11 USC 524(a)(2); 12 CFR 1006.30(b).
      call_check(chi("2026-07-08 10:00")), False, (DISCHARGE,), None, accounts={"D1": {}, "D2": {"product": "student loan"}},
      events=[ev("bankruptcy_filed", chi("2026-03-02 10:00"), data={"case_number": "26-1", "chapter": 7}),
              ev("bankruptcy_discharged", chi("2026-07-01 10:00"), accounts=["D1"],
                 data={"case_number": "26-1", "chapter": 7})]),
    S("a discharge in an earlier case does not end the stay of a later petition",
      # 362(c)(2)(C) ends the stay of the case in which the discharge is granted.
      call_check(chi("2026-07-08 10:00"), account="D2"), False, (STAY,), None, accounts=TWO_DEBTS,
      events=[ev("bankruptcy_discharged", chi("2026-01-20 10:00"), accounts=["D1"],
                 data={"case_number": "25-9", "chapter": 7}),
              ev("bankruptcy_filed", chi("2026-03-02 10:00"), data={"case_number": "26-1", "chapter": 13})]),
    S("the automatic stay blocks a creditor's own call about a commercial debt too",
      # 11 USC 362(a)(6): every entity, any claim.
      call_check(chi("2026-04-08 10:00")), False, (STAY,), None, client={"operator_type": "first_party_creditor"},
      accounts={"D1": {"kind": "commercial"}},
      events=[ev("bankruptcy_filed", chi("2026-04-01 10:00"), data={"case_number": "26-2", "chapter": 11})]),
    S("a call placed before the petition was filed was allowed",
      # 11 USC 362(a): the stay runs from the petition.
      call_check(chi("2026-04-01 09:00")), True,
      events=[ev("bankruptcy_filed", chi("2026-04-01 10:00"), data={"case_number": "26-1", "chapter": 7})]),
    # ---------------------------------------------------------------- deceased consumer (1006.6(a)(4), 1006.10)
    S("after a death, a collection letter to the decedent's address is blocked",
      # 1006.6(a)(4); comment 6(a)(4)-1 (only the estate's representative is the consumer).
      check("letter", "address:home", chi("2026-04-08 10:00"), message=message()), False, (DECEASED,), None,
      events=[ev("deceased_notice", chi("2026-04-01 10:00"))]),
    S("after a death, a location call seeking the estate's representative is allowed",
      # 1006.10; comment 10(b)(2)-1.
      check("call", HOME_PHONE, chi("2026-04-08 10:00"), message={"purpose": "location_inquiry"}), True,
      events=[ev("deceased_notice", chi("2026-04-01 10:00"))]),
    # ---------------------------------------------------------------- time-barred debts and state overlays
    S("a California time-barred debt: an email without the 1788.14(d) notice is blocked",
      # Cal. Civ. Code 1788.14(d) (catalogue STATE-CA-1788.14d).
      check("email", EMAIL, chi("2026-04-08 10:00"), message=message(text=f"{FROM_COLLECTOR} {EMAIL_OPT_OUT}")),
      False, (CA_NOTICE,), None, debtor=LA_DEBTOR | {"emails": [{"address": EMAIL, "consent": True}]},
      accounts={"D1": {**STALE_DATES, "governing_state": "CA"}}),
    S("a California time-barred debt: an email with the notice and the opt-out is allowed",
      # Cal. Civ. Code 1788.14(d); 1006.6(e).
      check("email", EMAIL, chi("2026-04-08 10:00"),
            message=message(text=f"{FROM_COLLECTOR} {CA_TIME_BARRED_NOTICE} {EMAIL_OPT_OUT}")),
      True, debtor=LA_DEBTOR | {"emails": [{"address": EMAIL, "consent": True}]},
      accounts={"D1": {**STALE_DATES, "governing_state": "CA"}}),
    S("a California time-barred debt: the notice does not excuse a threat of suit",
      # 1006.26(b); CCP 337(d).
      check("letter", "address:home", chi("2026-04-08 10:00"),
            message=message(text=f"{FROM_COLLECTOR} {CA_TIME_BARRED_NOTICE} Pay now or we will file a lawsuit.")),
      False, (BARRED, CA_NO_SUIT), None, debtor=LA_DEBTOR, accounts={"D1": {**STALE_DATES, "governing_state": "CA"}}),
    S("a Texas time-barred debt: a letter without the notice is blocked for a debt buyer",
      # Tex. Fin. Code 392.307 (catalogue STATE-TX-392.307).
      check("letter", "address:home", chi("2026-04-08 10:00"), message=message()), False, (TX_BARRED,), None,
      debtor=TX_DEBTOR, accounts={"D1": {**STALE_DATES, "governing_state": "TX"}}),
    S("a Texas time-barred debt: a letter with the notice is allowed",
      # Tex. Fin. Code 392.307.
      check("letter", "address:home", chi("2026-04-08 10:00"),
            message=message(text=f"{FROM_COLLECTOR} The law limits how long you can be sued on a debt. Because of "
                                 "the age of your debt, we will not sue you for it.")),
      True, debtor=TX_DEBTOR, accounts={"D1": {**STALE_DATES, "governing_state": "TX"}}),
    S("a time-barred Illinois debt may be asked for without threatening suit",
      # 1006.26(b) bars suits and threats, not requests for payment (88 FR 26475).
      check("letter", "address:home", chi("2026-04-08 10:00"), message=message()), True,
      accounts={"D1": {**STALE_DATES, "open_date": "2010-03-01", "delinquency_date": "2014-01-15",
                       "charge_off_date": "2014-07-01", "last_payment_date": "2014-01-02",
                       "itemization_date": "2014-07-01"}}),
    S("a Pennsylvania debt a month before its four years run out: mentioning suit is not a time-barred threat",
      # 1006.26(b) and 42 Pa.C.S. 5525: every date 1 June 2022, so no accrual reading ends the period before
      # 1 June 2026; on 1 May 2026 the debt is not time-barred.
      check("letter", "address:home", chi("2026-05-01 10:00"),
            message=message(text=f"{FROM_COLLECTOR} If unpaid, the creditor may file a lawsuit.")), True,
      accounts={"D1": {"governing_state": "PA", "open_date": "2020-01-01", "delinquency_date": "2022-06-01",
                       "charge_off_date": "2022-06-01", "last_payment_date": "2022-06-01",
                       "itemization_date": "2022-06-01"}}),
    S("the same Pennsylvania debt a month after its four years ran out: the same letter is a time-barred threat",
      # 1006.26(b); 42 Pa.C.S. 5525.
      check("letter", "address:home", chi("2026-07-01 10:00"),
            message=message(text=f"{FROM_COLLECTOR} If unpaid, the creditor may file a lawsuit.")), False, (BARRED,),
      None,
      accounts={"D1": {"governing_state": "PA", "open_date": "2020-01-01", "delinquency_date": "2022-06-01",
                       "charge_off_date": "2022-06-01", "last_payment_date": "2022-06-01",
                       "itemization_date": "2022-06-01"}}),
    S("a Texas creditor collecting its own time-barred debt is not a debt buyer under 392.307",
      # catalogue STATE-TX-392.307: the notice duty falls on debt buyers; Regulation F does not apply either.
      check("letter", "address:home", chi("2026-04-08 10:00"), message=message(text="Please pay your balance.")),
      True, debtor=TX_DEBTOR, client={"operator_type": "first_party_creditor"},
      accounts={"D1": {**STALE_DATES, "governing_state": "TX"}}),
    S("an employer's prohibition gives way to the consumer's later consent to a call at work",
      # 1006.6(b)(4)(i): prior consent given directly to the collector.
      check("call", WORK_PHONE, chi("2026-04-08 10:00")), True,
      events=[ev("employer_prohibits_contact", chi("2026-04-01 10:00")),
              consent(chi("2026-04-07 10:00"), channel="call", target=WORK_PHONE,
                      starts_at=chi("2026-04-08 09:00"), ends_at=chi("2026-04-08 11:00"))]),
    S("the one confirmation of a text opt-out has been sent: a second confirmation is blocked",
      # 1006.14(h)(2)(i): a single communication confirming the request.
      check("sms", MOBILE, chi("2026-04-02 10:10"), message={"purpose": "opt_out_confirmation"}), False, (OPTOUT,),
      None, events=TEXTING + [opt_out(chi("2026-04-02 10:00"), "sms", MOBILE),
                              sent("sms", chi("2026-04-02 10:01"), MOBILE)]),
    S("seven calls ending on the 2026 fall-back Sunday clear at 08:00 CST on Monday (14:00 UTC)",
      # 1006.14(b)(2)(i)(A); 0.2 local days, DST-aware.
      call_check(chi("2026-11-01 15:00")), False, (SEVEN,), "2026-11-02T14:00:00Z",
      events=daily_calls(CHI, days("2026-10-26", 7))),
    S("seven calls ending on the 2026 spring-forward Sunday clear at 08:00 CDT on Monday (13:00 UTC)",
      # 1006.14(b)(2)(i)(A); 0.2 local days, DST-aware.
      call_check(chi("2026-03-08 15:00")), False, (SEVEN,), "2026-03-09T13:00:00Z",
      events=daily_calls(CHI, days("2026-03-02", 7))),
    S("a daily 08:00-09:00 designation on the spring-forward Sunday: a 07:30 CDT call waits until 09:00 CDT",
      # comment 6(b)(1)-1; 0.2 (DST-aware local time).
      call_check("2026-03-08T07:30:00-05:00"), False, (TIME,), "2026-03-08T14:00:00Z",
      events=[designation(chi("2026-02-20 12:00"), EVERY_DAY, "08:00", "09:00")]),
    S("in Massachusetts location calls to a neighbour are not calls to the consumer's telephone",
      # 209 CMR 18.16(1)(d) counts communications "to a consumer's residence or cellular telephone".
      check("call", "+16175550101", at(NYC, "2026-04-10 10:00")), True, debtor=BOSTON,
      events=[call(at(NYC, "2026-04-06 10:00"), "+16175557777", "third_party"),
              call(at(NYC, "2026-04-07 10:00"), "+16175557777", "third_party")]),
    # ---------------------------------------------------------------- Massachusetts
    S("in Massachusetts two answered calls in seven days: the third waits for the rolling week",
      # calls reached the consumer's voicemail Mon 6 and Tue 7 Apr; a third on Fri 10 Apr is over the limit;
      # 6 Apr drops out at 00:00 on 13 Apr, then 08:00 EDT = 12:00 UTC.
      check("call", "+16175550101", at(NYC, "2026-04-10 10:00")), False, (MA_COLLECTOR,), "2026-04-13T12:00:00Z",
      debtor=BOSTON,
      events=[call(at(NYC, "2026-04-06 10:00"), "+16175550101", "voicemail_left"),
              call(at(NYC, "2026-04-07 10:00"), "+16175550101", "voicemail_left")]),
    S("a commercial debt of a Massachusetts resident is outside the consumer call limits",
      # catalogue section 11: the Massachusetts limits reach consumer debts only (1006.2(h) for the federal rules).
      check("call", "+16175550101", at(NYC, "2026-04-10 10:00")), True, debtor=BOSTON,
      accounts={"D1": {"kind": "commercial"}},
      events=[call(at(NYC, "2026-04-06 10:00"), "+16175550101", "voicemail_left"),
              call(at(NYC, "2026-04-07 10:00"), "+16175550101", "voicemail_left")]),
]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.id for s in SCENARIOS])
def test_regulatory_scenario(player, scenario):
    judge(player, scenario)


def test_scenario_names_are_unique():
    assert len({s.name for s in SCENARIOS}) == len(SCENARIOS)
