"""A fourth adversarial regulatory review of the compliance gate, played through the HTTP API only.

Same method as the first three reviews (their harness, fixture date and conventions): every row was
written from the rule catalogue (``shared/reference/regf-rules.md``), 12 CFR part 1006 and its
official interpretations (Supplement I), 15 USC 1692, 11 USC 362/524 and the state texts the
catalogue cites, with the expected verdict, rule id and ``next_allowed_at`` worked out by hand in
the comment beside it. ``judge`` also checks that a given ``next_allowed_at`` passes and that one
second earlier does not, and that no rule id beyond the expected ones is reported.

This round is the examiner's: the textbook case of each catalogue rule id the first three reviews
left without one (the Massachusetts workplace request, 1006.34(a) timing, 1006.14(b)(4) "particular
debt", the 1006.14(b)(3) exclusions of voicemail outcomes, the discharge without the stay, the
deceased consumer, the opt-out of one medium against another, the cease notice effective on
receipt), and request shapes the earlier reviews did not use: the ``voicemail`` channel for every
rule a voicemail meets (time, place, workplace, frequency, post-conversation, attorney, opt-out),
``portal`` and ``in_person`` events, ``written`` omitted on a dispute or cease, ``direction`` and
``message`` omitted, and event-only blocks combined with time-based ones (``next_allowed_at`` null,
``unblocked_by`` named).

Rule-id checklist (catalogue sections 1-9 and 11; "r1".."r4" = review; "ex" = an exception or a
counting rule, proved by an *allowed* row; "open" = listed in the README's open questions):

=========================================  ==========================================
REGF-1006.2-coverage                        ex r1 (commercial, creditor), r2
REGF-1006.6b1i-inconvenient-time            r1 r2 r3 r4
REGF-1006.6b1-consumer-initiated            ex r1 r3
REGF-1006.6b1ii-inconvenient-place          r1 r2 r3 r4
REGF-1006.6b3-workplace                     r1 r2 r4
REGF-1006.6b4-prior-consent                 ex r1 r2 r3
REGF-1006.14b2iA-7in7                       r1 r2 r3 r4
REGF-1006.14b2iB-post-conversation          r1 r2 r3 r4
REGF-1006.14b3-excluded-calls               ex r1 r2 r3 r4
REGF-1006.14b4-particular-debt              ex r1 r2 r4 (counted per debt; a block reports 7in7)
REGF-1006.14a-cumulative-harassment         open (POLICY, no number in the regulation)
REGF-1006.14g-caller-identity               open (no call script in the contract)
REGF-1006.14h-medium-opt-out                r1 r2 r3 r4
REGF-1006.6c-cease                          r1 r2 r3 r4
REGF-1006.6b2-attorney                      r1 r2 r3 r4
REGF-1006.38d-dispute-cease                 r1 r2 r3 r4
REGF-1006.38c-original-creditor-request     r2 r4
REGF-1006.38b-overshadowing                 r3
BK-11USC362-automatic-stay                  r1 r2 r4
BK-11USC524-discharge-injunction            r2 r4
REGF-1006.6d1-third-party                   r1 r3
REGF-1006.10-location-info                  r3
REGF-1006.6a4-deceased-estate               r2 r4
REGF-1006.6e-electronic-opt-out-notice      r1 r3
REGF-1006.6d4-email-procedures              r1 r2
REGF-1006.6d5-sms-procedures                r1 r2
REGF-1006.22f3-employer-email               r1 r2
REGF-1006.22f4-social-media                 open (no social-media channel in the contract)
REGF-1006.2j-limited-content-message        r1 r3
REGF-1006.18e-mini-miranda                  r1 r3
REGF-1006.22f1-postcard / 22f2-envelope     open (already: no form or envelope text)
REGF-1006.26b-time-barred                   r1 r2 r3
REGF-1006.34a-validation-timing             r4 (a warning, README "Readings")
REGF-1006.34b5-validation-period            r2 r4
REGF-1006.34c-validation-contents           open (Model Form B-1 contents)
REGF-1006.42-delivery                       r1 r2 (r4: the other address, allowed)
REGF-1006.30a-passive-collection            r1 r2 r3 r4
REGF-1006.30b-paid-discharged-placement     open (placement/sale, not a contact)
STATE-MA-209CMR18.16-call-text-limit        r1 r2 r3 r4
STATE-MA-940CMR7.04-creditor-call-limit     r1
STATE-MA-209CMR18.16c-workplace-request     r4
STATE-WA-RCW19.16.250-presumptions          open (UNVERIFIED in the catalogue)
STATE-CA-1788.11f-license-number            open (no license number in the contract)
STATE-CA-1812.700-notice                    r3
STATE-CA-1788.14c-attorney                  r2
STATE-CA-1788.14d-time-barred-notice        r1 r2
STATE-CA-CCP337d-no-suit-after-SOL          r2
STATE-TX-392.307-time-barred                r2
STATE-NY-CPLR214i-3yr-SOL                   r3
STATE-NYC-6RCNY5-77-frequency               open (UNVERIFIED in the catalogue)
=========================================  ==========================================

Engine bug this review found and fixed (before -> after):

1. REGF-1006.14b2iB-post-conversation (12 CFR 1006.14(b)(2)(i)(B): "within a period of seven
   consecutive days after having had a *telephone* conversation with the person"; likewise the
   early end of a call consent, comment 14(b)(3)(i)-2). Every ``conversation`` event counted as a
   telephone conversation, whatever its channel. After a conversation held in person at the
   consumer's home on Wed 1 Apr 2026 (``channel: in_person``), a call on Thu 2 Apr was blocked
   (REGF-1006.14b2iB-post-conversation, next 2026-04-08T13:00:00Z) -> allowed. Only conversations
   by telephone (channel ``call``, ``voicemail`` or none) start the week now
   (``history.telephone_conversations``; the batch's ``PHONE_TALK_SQL`` agrees, and
   ``test_eligibility_batch.py`` now draws in-person conversations too). An in-person
   conversation still counts as speaking to the consumer for 1006.30(a)(1)(i) and as the initial
   communication for 1006.18(e) and 1006.34(a).

Every other row agreed with the engine on the first run. The rule ids the contract gives no way to
test (social media, caller identity, validation-notice contents, California's license number,
cumulative harassment, the UNVERIFIED Washington and New York City rules) are in the README's
open questions.

Calendar: 1 and 8 Apr 2026 are Wednesdays; Chicago is UTC-5 from 8 Mar to 1 Nov 2026 (UTC-6
otherwise), Boston one hour ahead. 2026: 6 Jul is a Monday, 4 Aug a Tuesday, 1 Jun a Monday.
10 Jan 2028 (the examiner's clock) is in CST, UTC-6.
"""

from __future__ import annotations

import pytest

from tests.compliance.regulatory_harness import (
    ANY,
    ATTORNEY,
    BOS,
    CEASE,
    CHI,
    DECEASED,
    DISCHARGE,
    DISPUTE,
    EMAIL,
    EMAIL_OPT_OUT,
    FROM_COLLECTOR,
    HOME_PHONE,
    INITIAL_DISCLOSURE,
    LCM_TEXT,
    MOBILE,
    NYC,
    OPTOUT,
    ORIGINAL_CREDITOR,
    PASSIVE,
    PLACE,
    POSTCONV,
    SEVEN,
    SMS_OPT_OUT,
    STAY,
    TEXTING,
    TIME,
    TWO_DEBTS,
    VALIDATION_PERIOD,
    VALIDATION_TIMING,
    WORK_PHONE,
    WORKPLACE,
    Scenario,
    at,
    call,
    call_check,
    check,
    chi,
    conversation,
    daily_calls,
    days,
    ev,
    home,
    judge,
    message,
    mobile,
    sent,
)

pytestmark = pytest.mark.django_db

MA_WORKPLACE = "STATE-MA-209CMR18.16c-workplace-request"
MA_COLLECTOR = "STATE-MA-209CMR18.16-call-text-limit"
DELIVERY = "REGF-1006.42-delivery"

BOSTON_MOBILE, BOSTON_WORK = "+16175550101", "+16175550103"
BOSTON = {
    "addresses": home("Boston", "MA", "02108"),
    "phones": [mobile(BOSTON_MOBILE), {"kind": "work", "number": BOSTON_WORK}],
}
LCM_VOICEMAIL = {"purpose": "limited_content", "text": LCM_TEXT}
EMAIL_TEXT = f"{FROM_COLLECTOR} {EMAIL_OPT_OUT}"
PETITION = {"case_number": "26-10001", "chapter": 7}


def voicemail(target: str, when: str, **extra: object) -> dict[str, object]:
    """A limited-content voicemail (1006.2(j)) left at ``target``: the request the examiner sends."""
    return check("voicemail", target, when, message=LCM_VOICEMAIL, **extra)


def letter(when: str, place: str = "home", **extra: object) -> dict[str, object]:
    return check("letter", f"address:{place}", when, **extra)


def visit(when: str) -> dict[str, object]:
    """A conversation with the consumer held in person at home (contract channel ``in_person``)."""
    return ev("conversation", when, direction="outbound", channel="in_person", target="address:home")


def place(when: str, where: str, **fields: object) -> dict[str, object]:
    return ev("inconvenient_place_designation", when, data={"place": where}, **fields)


S = Scenario
SCENARIOS: list[Scenario] = [
    # ---------------------------------------------------------------- voicemails meet every telephone rule
    S("a limited-content voicemail at 21:00 is an attempt at an inconvenient time: it waits for 08:00",
      # 1006.2(j) (an LCM is an attempt to communicate), 1006.6(b)(1)(i), catalogue 13.1: 21:00:00 CDT is
      # inconvenient; next 08:00 CDT Thu 9 Apr = 13:00 UTC.
      voicemail(MOBILE, chi("2026-04-08 21:00")), False, (TIME,), "2026-04-09T13:00:00Z", policy="13.1"),
    S("the eighth ringless voicemail in seven days is a presumed violation",
      # comment 14(b)-1 (ringless voicemails are calls), 1006.14(b)(2)(i)(A): seven voicemail_left on 1-7 Apr;
      # on 8 Apr the window 2-8 Apr holds six: 08:00 CDT 8 Apr = 13:00 UTC.
      voicemail(MOBILE, chi("2026-04-07 15:00")), False, (SEVEN,), "2026-04-08T13:00:00Z",
      events=[sent("voicemail", chi(f"{day} 10:00"), MOBILE) for day in days("2026-04-01", 7)]),
    S("calls that reached voicemail without a message count toward seven",
      # comment 14(b)(3)(ii)-1: a call is connected if it reaches voicemail "even if no message can be left";
      # seven such calls 1-7 Apr block the eighth until 08:00 CDT 8 Apr.
      call_check(chi("2026-04-07 15:00")), False, (SEVEN,), "2026-04-08T13:00:00Z",
      events=daily_calls(CHI, days("2026-04-01", 7), outcome="voicemail_no_message")),
    S("busy and not-in-service calls do not count: six connected calls leave room for a seventh and eighth",
      # 1006.14(b)(3)(ii); comment 14(b)(3)(ii)-1: eight attempts 1-7 Apr, one busy and one disconnected -> six
      # counted; the call on 7 Apr 15:00 is the seventh counted call: allowed.
      call_check(chi("2026-04-07 15:00")), True,
      events=daily_calls(CHI, days("2026-04-01", 6))
      + [call(chi("2026-04-07 09:00"), outcome="busy"), call(chi("2026-04-07 09:30"), outcome="disconnected")]),
    S("a voicemail during the week after a conversation waits for day eight",
      # 1006.14(b)(2)(i)(B), comment 14(b)(2)(i)-1.ii: conversation Wed 1 Apr (day 1) -> calls barred through
      # Tue 7 Apr; 08:00 CDT Wed 8 Apr = 13:00 UTC.
      voicemail(MOBILE, chi("2026-04-07 12:00")), False, (POSTCONV,), "2026-04-08T13:00:00Z",
      events=[conversation(chi("2026-04-01 10:00"))]),
    S("the consumer's own call that became a conversation starts the week too",
      # comment 14(b)(2)(i)-1.ii ("regardless of who initiated"): inbound conversation Fri 3 Apr -> calls barred
      # through Thu 9 Apr; 08:00 CDT Fri 10 Apr = 13:00 UTC.
      call_check(chi("2026-04-09 20:00")), False, (POSTCONV,), "2026-04-10T13:00:00Z",
      events=[conversation(chi("2026-04-03 18:00"), direction="inbound")]),
    S("a conversation does not restrict emails",
      # catalogue REGF-1006.14b2iB "Does not restrict: emails, texts, letters".
      check("email", EMAIL, chi("2026-04-02 10:00"), message=message(text=EMAIL_TEXT)), True,
      events=[conversation(chi("2026-04-01 10:00"))]),
    S("seven calls about one debt do not block a call about another",
      # 1006.14(b)(4), comment 14(b)(4)-2: calls tagged to D1 count for D1 only; D2 has none.
      call_check(chi("2026-04-07 15:00"), account="D2"), True, accounts=TWO_DEBTS,
      events=daily_calls(CHI, days("2026-04-01", 7), accounts=["D1"])),
    S("calls to the mobile, home and work numbers all count toward the one person",
      # 1006.14(b)(2)(i)(A) counts calls "to a particular person", not per number: 3 mobile, 2 home, 2 work on
      # 1-7 Apr -> an eighth call (to the home line) on 7 Apr waits for 08:00 CDT 8 Apr.
      check("call", HOME_PHONE, chi("2026-04-07 15:00")), False, (SEVEN,), "2026-04-08T13:00:00Z",
      events=[call(chi(f"2026-04-0{d} 10:00"), target=t) for d, t in
              ((1, MOBILE), (2, MOBILE), (3, MOBILE), (4, HOME_PHONE), (5, HOME_PHONE), (6, WORK_PHONE),
               (7, WORK_PHONE))]),
    S("answering the consumer's own call does not lift the seven-in-seven presumption",
      # 1006.14(b)(2)(i)(A) counts calls the collector places; a call responding to the consumer's request is
      # only a factor that may rebut a presumed violation (comment 14(b)(2)(ii)-2), which the catalogue leaves
      # to an override: blocked until 08:00 CDT 8 Apr.
      call_check(chi("2026-04-07 15:00"), direction="inbound_response"), False, (SEVEN,), "2026-04-08T13:00:00Z",
      events=daily_calls(CHI, days("2026-04-01", 7)) + [ev("inbound_call", chi("2026-04-07 14:00"),
                                                           direction="inbound", channel="call", target=MOBILE)]),
    S("Massachusetts: a third voicemail to the cell phone in seven days waits for the first to roll off",
      # 209 CMR 18.16(1)(d) (voicemails are communications, DOB opinion 97-208): voicemails 1 and 3 Apr; on
      # 8 Apr the window 2-8 Apr holds one -> 00:00 EDT, but 1006.6(b)(1)(i) waits for 08:00 EDT = 12:00 UTC.
      voicemail(BOSTON_MOBILE, at(BOS, "2026-04-05 10:00")), False, (MA_COLLECTOR,), "2026-04-08T12:00:00Z",
      debtor=BOSTON, policy="13.10",
      events=[sent("voicemail", at(BOS, "2026-04-01 10:00"), BOSTON_MOBILE),
              sent("voicemail", at(BOS, "2026-04-03 10:00"), BOSTON_MOBILE)]),
    # ---------------------------------------------------------------- places and the workplace, by voicemail
    S("after 'don't contact me at home' a voicemail on the home landline is blocked",
      # comment 6(b)(1)-1.iii: the home landline is a medium associated with the home; no time-based end.
      voicemail(HOME_PHONE, chi("2026-04-08 10:00")), False, (PLACE,), None,
      events=[place(chi("2026-04-01 10:00"), "home")]),
    S("after 'I can't take personal calls at work' a voicemail on the work line is blocked",
      # 1006.6(b)(3), comment 6(b)(3)-1; no time-based end.
      voicemail(WORK_PHONE, chi("2026-04-08 10:00")), False, (WORKPLACE,), None,
      events=[ev("employer_prohibits_contact", chi("2026-04-01 10:00"))]),
    S("the employer's prohibition does not reach the mobile",
      # 1006.6(b)(3): "at the consumer's place of employment"; a mobile number is not tied to a place
      # (comment 6(b)(1)(ii)-1.i).
      voicemail(MOBILE, chi("2026-04-08 10:00")), True,
      events=[ev("employer_prohibits_contact", chi("2026-04-01 10:00"))]),
    # ---------------------------------------------------------------- Massachusetts workplace request (18.16(1)(c))
    S("Massachusetts: an oral 'don't call me at work' blocks the work line under state and federal law",
      # 209 CMR 18.16(1)(c) (oral request, ten days) and 1006.6(b)(1)(ii) ("don't call me at work" makes the
      # workplace inconvenient): both block; the federal one has no time-based end -> null.
      check("call", BOSTON_WORK, at(BOS, "2026-04-03 10:00")), False, (PLACE, MA_WORKPLACE), None,
      debtor=BOSTON, events=[place(at(BOS, "2026-04-01 10:00"), "work", written=False)]),
    S("Massachusetts: a written request not to be called at work blocks the work line",
      # 209 CMR 18.16(1)(c): a written request does not lapse; 1006.6(b)(1)(ii) blocks too.
      check("call", BOSTON_WORK, at(BOS, "2026-04-20 10:00")), False, (PLACE, MA_WORKPLACE), None,
      debtor=BOSTON, events=[place(at(BOS, "2026-04-01 10:00"), "work", written=True)]),
    S("Massachusetts: after the oral request's ten days only the federal place rule remains",
      # 209 CMR 18.16(1)(c): the oral request of 1 Apr 10:00 lapses on 11 Apr 10:00; 1006.104: the state lapse
      # does not loosen 1006.6(b)(1)(ii) -> the place rule alone, no time-based end.
      check("call", BOSTON_WORK, at(BOS, "2026-04-15 10:00")), False, (PLACE,), None,
      debtor=BOSTON, events=[place(at(BOS, "2026-04-01 10:00"), "work", written=False)]),
    S("Massachusetts: the workplace request does not reach the mobile",
      # 209 CMR 18.16(1)(c) "telephone calls ... at the place of employment"; a mobile is not tied to a place.
      check("call", BOSTON_MOBILE, at(BOS, "2026-04-03 10:00")), True,
      debtor=BOSTON, events=[place(at(BOS, "2026-04-01 10:00"), "work", written=False)]),
    # ---------------------------------------------------------------- in-person and portal events
    S("a conversation in person is not a telephone conversation: a call the next day is allowed",
      # 1006.14(b)(2)(i)(B): "after having had a telephone conversation with the person"; the visit of 1 Apr
      # (channel in_person) starts no seven-day wait.
      call_check(chi("2026-04-02 10:00")), True,
      events=[visit(chi("2026-04-01 10:00"))]),
    S("speaking to the consumer in person opens credit reporting at once",
      # 1006.30(a)(1)(i): the collector "speaks to the consumer about the debt in person or by telephone".
      {"channel": "credit_report", "at": chi("2026-05-01 12:00")}, True, base=False,
      events=[visit(chi("2026-05-01 10:00"))]),
    S("a dispute sent through our portal is a written dispute, 'written' omitted",
      # comment 38-1 (a website or portal the collector accepts communications through is "in writing");
      # 1006.38(d)(2): received Mon 2 Feb 2026, within the period ending 11 Feb -> suspended until
      # verification is sent; no time-based end.
      call_check(chi("2026-02-10 10:00")), False, (DISPUTE,), None, unblocked_by="verification_sent",
      events=[ev("dispute_received", chi("2026-02-02 10:00"), channel="portal", direction="inbound",
                 data={"portion": "entire"})]),
    S("an original-creditor request through the portal suspends a voicemail too",
      # 1006.38(c); comment 38-1 (portal = writing); a voicemail (even limited-content) is an attempt to collect.
      voicemail(MOBILE, chi("2026-02-10 10:00")), False, (ORIGINAL_CREDITOR,), None, unblocked_by=ANY,
      events=[ev("original_creditor_request_received", chi("2026-02-02 10:00"), channel="portal",
                 direction="inbound")]),
    # ---------------------------------------------------------------- cease (1006.6(c))
    S("a cease notice by email is in writing: a letter afterwards is blocked",
      # 1006.6(c)(1) ("in writing ... electronically through a medium the collector accepts"); no time-based end.
      letter(chi("2026-04-08 10:00"), message=message()), False, (CEASE,), None,
      events=[ev("cease_notice_received", chi("2026-04-01 10:00"), channel="email", direction="inbound",
                 target=EMAIL)]),
    S("comment 6(c)(1)-1: an email sent on 4 Aug before the 6 Aug receipt of a cease letter is allowed",
      # the notice is effective on receipt (6 Aug); the check asks about 4 Aug 10:00 CDT.
      check("email", EMAIL, chi("2026-08-04 10:00"), message=message(text=EMAIL_TEXT)), True,
      events=[ev("cease_notice_received", chi("2026-08-06 10:00"), channel="letter", direction="inbound",
                 written=True)]),
    S("comment 6(c)(1)-1: the same email once the letter is received is blocked",
      check("email", EMAIL, chi("2026-08-06 12:00"), message=message(text=EMAIL_TEXT)), False, (CEASE,), None,
      events=[ev("cease_notice_received", chi("2026-08-06 10:00"), channel="letter", direction="inbound",
                 written=True)]),
    S("a cease notice naming one debt leaves the other debt's letters allowed",
      # 1006.6(c)(1): "with respect to such debt"; the notice names D1 only.
      letter(chi("2026-04-08 10:00"), account="D2", message=message()), True, accounts=TWO_DEBTS,
      events=[ev("cease_notice_received", chi("2026-04-01 10:00"), channel="letter", direction="inbound",
                 accounts=["D1"])]),
    S("a dispute of one debt does not suspend collection of the other",
      # 1006.38(d)(2): the collector "must cease collection of the debt, or any disputed portion"; D1 only.
      call_check(chi("2026-02-10 10:00"), account="D2"), True, accounts=TWO_DEBTS,
      events=[ev("dispute_received", chi("2026-02-02 10:00"), channel="letter", direction="inbound",
                 written=True, accounts=["D1"], data={"portion": "entire"})]),
    S("every block is listed: a collection call at 22:00 after a cease notice, and no next time",
      # 1006.6(c) (event-only) and 1006.6(b)(1)(i) (time): the contract lists every blocking rule; an event-only
      # block leaves next_allowed_at null.
      call_check(chi("2026-04-08 22:00")), False, (CEASE, TIME), None,
      events=[ev("cease_notice_received", chi("2026-04-01 10:00"), channel="letter", direction="inbound")]),
    S("a remedy notice by letter after a cease notice is allowed",
      # 1006.6(c)(2)(ii): notifying the consumer that the collector or creditor may invoke specified remedies.
      letter(chi("2026-04-08 10:00"), message=message("remedy_notice")), True,
      events=[ev("cease_notice_received", chi("2026-04-01 10:00"), channel="letter", direction="inbound")]),
    # ---------------------------------------------------------------- opt-out of one medium
    S("'stop calling' bars voicemails, which are telephone calls",
      # comment 14(h)(1)-3.i, comment 14(b)-1: no time-based end.
      voicemail(MOBILE, chi("2026-04-08 10:00")), False, (OPTOUT,), None,
      events=[ev("medium_opt_out", chi("2026-04-01 10:00"), data={"channel": "call"})]),
    S("'stop calling' leaves texts to a number the consumer texts from",
      # 1006.14(h)(1): only the medium named; 1006.6(d)(5)(i) (the consumer texted on 1 Apr).
      check("sms", MOBILE, chi("2026-04-08 10:00"), message=message(text=f"{FROM_COLLECTOR} {SMS_OPT_OUT}")),
      True, events=TEXTING + [ev("medium_opt_out", chi("2026-04-01 10:00"), data={"channel": "call"})]),
    # ---------------------------------------------------------------- attorney, bankruptcy, deceased
    S("a represented consumer: a voicemail waits for the attorney's consent, with no time",
      # 1006.6(b)(2): no time-based end; unblocked by attorney_consent_to_direct_contact.
      voicemail(MOBILE, chi("2026-04-08 10:00")), False, (ATTORNEY,), None,
      unblocked_by="attorney_consent_to_direct_contact",
      events=[ev("attorney_representation_notice", chi("2026-04-01 10:00"),
                 data={"attorney": "Saul Goodman", "contact": "+13125559999"})]),
    S("a represented consumer after the attorney consents to direct contact may be called",
      # 1006.6(b)(2)(ii)/(iii): the attorney consents to direct communication.
      call_check(chi("2026-04-08 10:00")), True,
      events=[ev("attorney_representation_notice", chi("2026-04-01 10:00"),
                 data={"attorney": "Saul Goodman", "contact": "+13125559999"}),
              ev("attorney_consent_to_direct_contact", chi("2026-04-03 10:00"))]),
    S("the stay and a late hour together: next_allowed_at is null",
      # 11 USC 362(a)(6) (event-only) with 1006.6(b)(1)(i): both listed, no time-based end.
      call_check(chi("2026-04-08 21:30")), False, (STAY, TIME), None,
      events=[ev("bankruptcy_filed", chi("2026-04-01 10:00"), data=PETITION)]),
    S("after the discharge only the discharge injunction blocks: the stay has ended",
      # 11 USC 362(c)(2)(C) (the stay of acts against the debtor ends when a discharge is granted) and
      # 524(a)(2) (the injunction replaces it): one reason, no time-based end.
      letter(chi("2026-06-10 10:00"), message=message()), False, (DISCHARGE,), None,
      events=[ev("bankruptcy_filed", chi("2026-03-02 10:00"), data=PETITION),
              ev("bankruptcy_discharged", chi("2026-06-01 10:00"), data=PETITION)]),
    S("a termination notice during the stay is not an act to collect",
      # 11 USC 362(a)(6) bars acts "to collect"; telling the debtor collection has ended is not one.
      letter(chi("2026-04-08 10:00"), message=message("termination_notice")), True,
      events=[ev("bankruptcy_filed", chi("2026-04-01 10:00"), data=PETITION)]),
    S("after a deceased notice a collection letter to the decedent's home is blocked",
      # 1006.6(a)(4), comment 6(a)(4)-1: only the estate's representative (or the spouse) is the consumer; no
      # contact point names one (README open question) -> no time-based end.
      letter(chi("2026-04-08 10:00"), message=message()), False, (DECEASED,), None,
      events=[ev("deceased_notice", chi("2026-04-01 10:00"))]),
    S("after a deceased notice a location inquiry to a relative is still allowed",
      # 1006.10; comment 10(b)(2)-1: seeking the person authorized to act for the estate.
      check("call", "+13125558888", chi("2026-04-08 10:00"), message={"purpose": "location_inquiry"}), True,
      events=[ev("deceased_notice", chi("2026-04-01 10:00"))]),
    # ---------------------------------------------------------------- validation notice and delivery
    S("an oral first conversation with no notice within five days: allowed, with the timing warning",
      # 1006.34(a)(1)(i)(B): notice due by 6 Apr (1 Apr + 5 days); on 8 Apr it is overdue -- README "Readings":
      # a warning, not a block. The letter repeats the 1006.18(e)(1) disclosure (first written communication).
      letter(chi("2026-04-08 10:00"), message=message(text=INITIAL_DISCLOSURE)), True, base=False,
      warnings=(VALIDATION_TIMING,), events=[conversation(chi("2026-04-01 10:00"))]),
    S("a validation notice sent Mon 6 Jul 2026 stating 11 Aug states too early an end",
      # 1006.34(b)(5): assumed receipt Mon 13 Jul (7, 8, 9, 10, 13 Jul), end Wed 12 Aug 2026 (catalogue worked
      # example); a stated 11 Aug is earlier. Sending later only moves the earliest end later -> never passes:
      # null.
      letter(chi("2026-07-06 10:00"), message=message("validation_notice", INITIAL_DISCLOSURE,
                                                      validation_period_end="2026-08-11")),
      False, (VALIDATION_PERIOD,), None, base=False),
    S("the same notice stating Wed 12 Aug is allowed",
      letter(chi("2026-07-06 10:00"), message=message("validation_notice", INITIAL_DISCLOSURE,
                                                      validation_period_end="2026-08-12")), True, base=False),
    S("a letter returned undeliverable bars that address for required disclosures, not the other",
      # 1006.42(a)(1), comment 42(a)(1)-2: the home address is known undeliverable; the work address is not.
      letter(chi("2026-04-08 10:00"), "work", message=message("validation_notice", INITIAL_DISCLOSURE)), True,
      base=False, events=[ev("validation_notice_sent", chi("2026-04-01 10:00"), channel="letter",
                             direction="outbound", target="address:home"),
                          ev("undeliverable_notice_received", chi("2026-04-06 10:00"), data={"item_event": "#0"})]),
    S("passive collection: nothing sent and nobody spoken to -- only an event lifts the block",
      # 1006.30(a)(1): no furnishing before speaking to the consumer or sending a message and waiting; the
      # contract: next_allowed_at null, unblocked_by names an event.
      {"channel": "credit_report", "at": chi("2026-05-01 12:00")}, False, (PASSIVE,), None, base=False,
      unblocked_by=ANY),
    # ---------------------------------------------------------------- request shapes: optional fields omitted
    S("a call check with direction and message omitted is an outbound collection call",
      # contract: direction defaults to outbound, purpose to collection; 08:00 CDT is convenient (13.1).
      {"channel": "call", "target": MOBILE, "at": chi("2026-04-08 08:00")}, True, policy="13.1"),
    S("a letter check with no message at all during the stay is still blocked",
      # 11 USC 362(a)(6): a letter about the debt (purpose defaults to collection) is an act to collect.
      {"channel": "letter", "target": "address:home", "at": chi("2026-04-08 10:00")}, False, (STAY,), None,
      events=[ev("bankruptcy_filed", chi("2026-04-01 10:00"), data=PETITION)]),
    S("a check with 'at' omitted is asked now: 06:00 in Chicago on 10 Jan 2028 waits for 08:00",
      # contract: "at" optional, default now; the examiner's clock is 10 Jan 2028 12:00 UTC = 06:00 CST
      # (conftest) -> 1006.6(b)(1)(i); next 08:00 CST = 14:00 UTC.
      {"channel": "call", "target": MOBILE}, False, (TIME,), "2028-01-10T14:00:00Z"),
    S("a 07:59:59 call given with a New York offset is judged at the consumer's Chicago time",
      # instants carry their offset; 08:59:59 EDT = 07:59:59 CDT -> inconvenient; next 08:00 CDT = 13:00 UTC.
      call_check(at(NYC, "2026-04-08 08:59:59")), False, (TIME,), "2026-04-08T13:00:00Z", policy="13.1"),
]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.id for s in SCENARIOS])
def test_regulatory_scenario(player, scenario):
    judge(player, scenario)


def test_scenario_names_are_unique():
    assert len({s.name for s in SCENARIOS}) == len(SCENARIOS)


def test_checklist_rule_ids_are_the_engines():
    """Every id this review expects is one the engine documents (constants.py) or the catalogue's."""
    from compliance.engine import constants

    documented = {v for k, v in vars(constants).items() if k.isupper() and isinstance(v, str) and "-" in v}
    expected = {rule for s in SCENARIOS for rule in s.rules}
    assert expected <= documented, expected - documented
