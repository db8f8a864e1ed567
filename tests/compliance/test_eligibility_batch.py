"""The batch form answers exactly what the gate answers account by account.

A few hundred varied accounts -- factories covering every fact the batch projects or sends to the
full engine, plus the demo seeder at a fixed date -- are decided by ``eligibility_batch`` and by
``contact_check(store=False)`` for every channel at several instants (window edges in two zones,
a DST switch, days around recent calls), and the two answers must be equal in every field.
"""

import datetime as dt
import random
import threading
from decimal import Decimal
from typing import Any

import psycopg
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from collections_app.demo.seeder import seed_portfolio
from collections_app.models import Account, CaseEvent, Client
from compliance import eligibility
from compliance.engine.constants import EventType
from compliance.models import EligibilityFacts
from compliance.services import contact_check, eligibility_batch
from tests.factories import AccountFactory, AddressFactory, ClientFactory, DebtorFactory, EmailFactory, PhoneFactory

pytestmark = pytest.mark.django_db

AS_OF = dt.datetime(2026, 3, 9, 12, 0, tzinfo=dt.UTC)
"""The day after the 2026 spring-forward switch in the US."""

ZONES = [
    ["America/New_York"], ["America/Chicago"], ["America/Los_Angeles", "America/New_York"], ["Pacific/Honolulu"],
    ["America/Phoenix", "America/Denver"], [], ["America/Chicago", "America/New_York"],
]
OUTCOMES = ["no_answer", "voicemail_left", "voicemail_no_message", "busy", "right_party_contact", "third_party",
            "wrong_number", "disconnected", ""]


def _clients() -> list[Client]:
    return [
        ClientFactory(name="Batch collector"),
        ClientFactory(name="Batch strict", call_window_start=dt.time(9), call_window_end=dt.time(18),
                      max_calls_per_7_days=3, sms_enabled=False, email_enabled=False),
        ClientFactory(name="Batch creditor", operator_type="first_party_creditor"),
        ClientFactory(name="Batch no calls", max_calls_per_7_days=0),
    ]


def _event(debtor, account_ids, type_, at, **fields) -> CaseEvent:  # type: ignore[no-untyped-def]
    return CaseEvent(client=debtor.client, debtor=debtor, account_ids=account_ids, type=type_, occurred_at=at,
                     **fields)


def _varied_portfolio(rng: random.Random, count: int) -> None:
    clients = _clients()
    events: list[CaseEvent] = []
    for n in range(count):
        client = rng.choice(clients)
        debtor = DebtorFactory(client=client, timezones=rng.choice(ZONES),
                               kind="business" if rng.random() < 0.1 else "person")
        state = rng.choice(["IL", "MA", "CA", "NY", "TX"])
        AddressFactory(debtor=debtor, state=state, kind=rng.choice(["home", "home", "mailing", "work"]),
                       status="undeliverable" if rng.random() < 0.1 else "active")
        numbers = []
        for k in range(rng.choice([0, 1, 1, 2, 3])):
            phone = PhoneFactory(debtor=debtor, number=f"+1617555{n:03d}{k}", kind=rng.choice(["mobile", "home",
                                                                                              "work", "other"]),
                                 sms_consent=rng.random() < 0.5,
                                 status=rng.choice(["active"] * 6 + ["wrong_number", "disconnected"]))
            numbers.append(phone.number)
        if rng.random() < 0.02 and numbers:
            PhoneFactory(debtor=debtor, number=numbers[0].replace("+1", "+1 "), kind="home")  # same number twice
        emails = []
        for _ in range(rng.choice([0, 1, 1, 2])):
            emails.append(EmailFactory(debtor=debtor, consent=rng.random() < 0.5,
                                       employer_provided=rng.random() < 0.2,
                                       status="bounced" if rng.random() < 0.1 else "active").address)
        accounts = [AccountFactory(debtor=debtor, kind="commercial" if rng.random() < 0.1 else "consumer",
                                   governing_state=rng.choice(["IL", "MA", "CA", ""]),
                                   validation_period_end=rng.choice([None, AS_OF.date() - dt.timedelta(days=20),
                                                                     AS_OF.date() + dt.timedelta(days=10)]))
                    for _ in range(rng.choice([1, 1, 2]))]
        ids = [a.id for a in accounts]

        def scope(ids: list[int] = ids) -> list[int]:
            return rng.choice([[], [ids[0]], ids[-1:]])

        def when(days: float) -> dt.datetime:
            return AS_OF - dt.timedelta(days=days, minutes=rng.randint(0, 600))

        for _ in range(rng.choice([0, 2, 5, 8, 12])):
            events.append(_event(debtor, scope(), rng.choice(["call_attempt"] * 4 + ["voicemail_left"]),
                                 when(rng.uniform(-0.3, 9)), direction=rng.choice(["outbound"] * 5 + ["inbound"]),
                                 # a neighbour's number (location calls) is not the consumer's: not counted
                                 target=rng.choice(numbers + ["", "+1 (312) 555-7777"]) if numbers else "",
                                 outcome=rng.choice(OUTCOMES)))
        if rng.random() < 0.3:
            # one held in person (1006.30(a)(1)(i)) starts no seven-day wait (1006.14(b)(2)(i)(B))
            events.append(_event(debtor, scope(), "conversation", when(rng.uniform(0, 10)),
                                 channel=rng.choice(["", "call", "in_person"])))
        if rng.random() < 0.6:
            events.append(_event(debtor, scope(), "validation_notice_sent", when(rng.uniform(20, 90)),
                                 direction="outbound", channel="letter"))
        if rng.random() < 0.3:
            events.append(_event(debtor, scope(), rng.choice(["letter_sent", "email_sent", "sms_sent"]),
                                 when(rng.uniform(0, 40)), direction="outbound",
                                 target=rng.choice(numbers + emails + [""]),
                                 data=rng.choice([{}, {"template": "validation_notice"}])))
        if rng.random() < 0.1 and numbers:
            events.append(_event(debtor, scope(), "sms_sent", when(rng.uniform(0, 20)), direction="outbound",
                                 target=rng.choice(numbers)))
        _stopping_and_complex(rng, debtor, scope, when, numbers, emails, events)
    CaseEvent.objects.bulk_create(events)


def _stopping_and_complex(rng, debtor, scope, when, numbers, emails, events) -> None:  # type: ignore[no-untyped-def]
    roll = rng.random()
    written = rng.choice([True, False])
    if roll < 0.05:
        events.append(_event(debtor, scope(), "cease_notice_received", when(rng.uniform(0, 60)), written=written,
                             data=rng.choice([{}, {"channel": "call"}, {"channel": "email"}])))
    elif roll < 0.12:
        at = when(rng.uniform(1, 60))
        events.append(_event(debtor, scope(), "dispute_received", at, written=written,
                             data=rng.choice([{"portion": "entire"}, {"portion": "partial", "amount": "100.00"}])))
        if rng.random() < 0.5:
            events.append(_event(debtor, scope(), "verification_sent", at + dt.timedelta(days=rng.choice([0, 2])),
                                 direction="outbound"))
    elif roll < 0.15:
        events.append(_event(debtor, scope(), "original_creditor_request_received", when(rng.uniform(1, 30)),
                             written=True))
    elif roll < 0.2:
        at = when(rng.uniform(1, 300))
        events.append(_event(debtor, scope(), "bankruptcy_filed", at, data={"case_number": f"26-{rng.randint(1, 99)}"}))
        if rng.random() < 0.4:
            events.append(_event(debtor, scope(), "bankruptcy_discharged", at + dt.timedelta(days=30)))
    elif roll < 0.23:
        events.append(_event(debtor, [], "deceased_notice", when(rng.uniform(1, 100))))
    elif roll < 0.28:
        at = when(rng.uniform(1, 100))
        events.append(_event(debtor, scope(), "attorney_representation_notice", at, written=written,
                             data={"attorney": "A. Lawyer", "contact": rng.choice(["+15055550100"] + numbers)}))
        if rng.random() < 0.3:
            events.append(_event(debtor, scope(), "attorney_consent_to_direct_contact", at + dt.timedelta(days=1)))
    elif roll < 0.36:
        data = {"channel": rng.choice(["call", "sms", "email", "letter"])}
        if rng.random() < 0.5 and (numbers or emails):
            data["target"] = rng.choice(numbers + emails)
        events.append(_event(debtor, [], "medium_opt_out", when(rng.uniform(1, 100)), data=data))
    elif roll < 0.42:
        events.append(_event(debtor, [], "inconvenient_time_designation", when(rng.uniform(1, 100)),
                             data=rng.choice([{"weekdays": [0, 1, 2, 3, 4], "start": "09:00", "end": "17:00"},
                                              {"start": "20:00", "end": "10:00"}, {"weekdays": []}])))
    elif roll < 0.5:
        type_ = rng.choice(["prior_consent_recorded", "location_stated", "inconvenient_place_designation",
                            "employer_prohibits_contact", "undeliverable_notice_received", "inbound_email",
                            "inbound_sms"])
        data = {"timezone": "Pacific/Honolulu"} if type_ == "location_stated" else {"place": "home"}
        events.append(_event(debtor, scope(), type_, when(rng.uniform(0, 10)), direction="inbound",
                             target=rng.choice(numbers + emails + [""]), data=data))


INSTANTS = [
    AS_OF,
    dt.datetime(2026, 3, 9, 11, 59, 59, tzinfo=dt.UTC),  # 07:59:59 in New York (EDT)
    dt.datetime(2026, 3, 9, 13, 0, tzinfo=dt.UTC),  # 08:00 in Chicago
    dt.datetime(2026, 3, 10, 0, 59, 59, tzinfo=dt.UTC),  # 20:59:59 in New York
    dt.datetime(2026, 3, 8, 6, 30, tzinfo=dt.UTC),  # the switch night, 01:30 EST
]


def _agree(channel: str, at: dt.datetime) -> int:
    ids = list(Account.objects.order_by("id").values_list("id", flat=True))
    batch = eligibility_batch(ids, channel=channel, at=at)
    assert set(batch) == set(ids)
    accounts = Account.objects.select_related("client", "debtor").in_bulk(ids)
    blocked = 0
    for account_id in ids:
        one = contact_check(account=accounts[account_id], channel=channel, at=at, store=False)
        if batch[account_id] != one:
            print("MISMATCH", channel, at, account_id, "\nBATCH", batch[account_id], "\nONE  ", one)
        assert batch[account_id] == one, (channel, at, account_id)
        blocked += not one.allowed
    return blocked


@pytest.fixture
def varied() -> None:
    _varied_portfolio(random.Random(20260309), 220)


@pytest.mark.parametrize("at", INSTANTS, ids=lambda at: at.isoformat())
def test_calls_in_a_batch_get_the_gates_answer_at_window_edges_and_dst(varied: None, at: dt.datetime) -> None:
    assert _agree("call", at) > 0


@pytest.mark.parametrize("channel", ["voicemail", "sms", "email", "letter", "credit_report"])
def test_every_channel_in_a_batch_gets_the_gates_answer(varied: None, channel: str) -> None:
    for at in (AS_OF, INSTANTS[1]):
        _agree(channel, at)


def test_the_demo_portfolio_in_a_batch_gets_the_gates_answer() -> None:
    seed_portfolio(accounts=300, seed=11, as_of=AS_OF.date(), progress=lambda n: None)
    for channel, at in (("call", AS_OF), ("call", AS_OF + dt.timedelta(hours=10)), ("sms", AS_OF),
                        ("email", AS_OF), ("letter", AS_OF), ("credit_report", AS_OF)):
        _agree(channel, at)


def test_it_reads_the_portfolio_in_a_fixed_number_of_queries(varied: None) -> None:
    ids = list(Account.objects.values_list("id", flat=True))
    with CaptureQueriesContext(connection) as queries:
        eligibility.eligibility_in_sets(ids[:5], channel="call", at=AS_OF).__next__()
    few = len(queries)
    with CaptureQueriesContext(connection) as queries:
        list(eligibility.eligibility_in_sets(ids, channel="call", at=AS_OF))
    assert len(queries) <= few + 12  # the full engine's set loader for the complex accounts


def test_every_event_type_the_engine_reads_has_a_place_in_the_projection() -> None:
    placed = (eligibility.STOP_TYPES | eligibility.COMPLEX_TYPES | eligibility.PROJECTED_TYPES
              | eligibility.ANSWER_ONLY_TYPES)
    assert placed == set(EventType)


def test_an_empty_batch_is_empty() -> None:
    assert eligibility_batch([], channel="call", at=AS_OF) == {}
    assert eligibility_batch([10**9], channel="call", at=AS_OF) == {}


def test_a_partial_dispute_keeps_its_balances_in_the_batch(acme: Client) -> None:
    debtor = DebtorFactory(client=acme, timezones=["America/Chicago"])
    PhoneFactory(debtor=debtor, number="+13125550100", kind="mobile")
    account = AccountFactory(debtor=debtor, principal_balance=Decimal("50.00"),
                             validation_period_end=AS_OF.date() + dt.timedelta(days=5))
    CaseEvent.objects.create(client=acme, debtor=debtor, account_ids=[account.id], type="dispute_received",
                             occurred_at=AS_OF - dt.timedelta(days=2), written=True,
                             data={"portion": "partial", "amount": "10.00"})
    batch = eligibility_batch([account.id], channel="call", at=AS_OF)
    assert batch[account.id] == contact_check(account=account, channel="call", at=AS_OF, store=False)


def test_a_bankruptcy_recorded_on_one_debt_stays_the_debtors_others_in_the_batch_but_not_a_later_debt(
        acme: Client) -> None:
    debtor = DebtorFactory(client=acme, timezones=["America/Chicago"])
    PhoneFactory(debtor=debtor, number="+13125550100", kind="mobile")
    filed_on = AS_OF - dt.timedelta(days=3)
    named, older, later, undated = (AccountFactory(debtor=debtor, open_date=opened) for opened in (
        dt.date(2020, 1, 1), dt.date(2021, 5, 1), filed_on.date() + dt.timedelta(days=1), None))
    CaseEvent.objects.create(client=acme, debtor=debtor, account_ids=[named.id], type="bankruptcy_filed",
                             occurred_at=filed_on, written=True, data={"case_number": "26-1", "chapter": 7})
    accounts = (named, older, later, undated)
    batch = eligibility_batch([a.id for a in accounts], channel="call", at=AS_OF)
    for account in accounts:
        assert batch[account.id] == contact_check(account=account, channel="call", at=AS_OF, store=False)
    stayed = {a.id for a in accounts if any(r.rule == "BK-11USC362-automatic-stay" for r in batch[a.id].reasons)}
    assert stayed == {named.id, older.id, undated.id}


# -- random timelines: the batch answers exactly as the engine ------------------------------------

EVENT_TYPES = ["call_attempt"] * 6 + ["voicemail_left", "conversation", "sms_sent", "email_sent", "letter_sent",
                                      "validation_notice_sent", "verification_sent", "dispute_received",
                                      "original_creditor_request_received", "cease_notice_received",
                                      "medium_opt_out", "attorney_representation_notice",
                                      "attorney_consent_to_direct_contact", "bankruptcy_filed",
                                      "bankruptcy_discharged", "deceased_notice", "inconvenient_time_designation",
                                      "inbound_call", "inbound_sms", "prior_consent_recorded", "location_stated"]
NUMBERS = ["+16175550100", "+13125550100", "+12125550100"]

timeline_events = st.lists(st.tuples(
    st.sampled_from(EVENT_TYPES),
    st.integers(min_value=0, max_value=40 * 24 * 60),  # minutes before the instant
    st.sampled_from(["all", "first", "last"]),
    st.sampled_from(OUTCOMES),
    st.sampled_from(["outbound", "outbound", "inbound"]),
    st.booleans(),
    st.sampled_from(NUMBERS + ["", "+15055550100"]),
    st.sampled_from([{}, {"channel": "call"}, {"channel": "sms", "target": NUMBERS[0]}, {"portion": "partial",
                     "amount": "10.00"}, {"attorney": "A. Lawyer", "contact": NUMBERS[1]},
                     {"weekdays": [0, 1, 2, 3, 4], "start": "09:00", "end": "17:00"},
                     {"timezone": "Pacific/Honolulu"}, {"case_number": "26-1"}]),
), max_size=14)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(events=timeline_events, zones=st.sampled_from(ZONES), state=st.sampled_from(["IL", "MA", "CA", "NY"]),
       phones=st.lists(st.sampled_from(NUMBERS), min_size=0, max_size=2, unique=True),
       operator=st.sampled_from(["third_party_collector", "first_party_creditor"]),
       vpe=st.sampled_from([None, -10, 10]), hour=st.sampled_from([3, 12, 13, 16, 23]),
       channel=st.sampled_from(["call", "voicemail", "sms", "email", "letter", "credit_report"]))
def test_random_timelines_get_the_engines_answer_in_a_batch(acme, events, zones, state, phones, operator, vpe, hour,
                                                            channel) -> None:
    at = dt.datetime(2026, 3, 9, hour, 0, tzinfo=dt.UTC)
    client = ClientFactory(operator_type=operator)
    debtor = DebtorFactory(client=client, timezones=zones)
    AddressFactory(debtor=debtor, state=state)
    for kind, number in zip(["mobile", "home"], phones, strict=False):
        PhoneFactory(debtor=debtor, number=number, kind=kind, sms_consent=True)
    EmailFactory(debtor=debtor)
    period_end = None if vpe is None else at.date() + dt.timedelta(days=vpe)
    accounts = [AccountFactory(debtor=debtor, governing_state=state, validation_period_end=period_end)
                for _ in range(2)]
    scopes = {"all": [], "first": [accounts[0].id], "last": [accounts[1].id]}
    CaseEvent.objects.bulk_create([
        _event(debtor, scopes[scope], type_, at - dt.timedelta(minutes=minutes), outcome=outcome if
               type_ == "call_attempt" else "", direction=direction, written=written, target=target, data=data)
        for type_, minutes, scope, outcome, direction, written, target, data in events])
    batch = eligibility_batch([a.id for a in accounts], channel=channel, at=at)
    for account in accounts:
        one = contact_check(account=account, channel=channel, at=at, store=False)
        got = batch[account.id]
        assert (got.allowed, got.rules, got.next_allowed_at) == (one.allowed, one.rules, one.next_allowed_at)
        assert got == one


# -- the kept facts ---------------------------------------------------------------------------------

def _kept(account_ids: list[int]) -> set[int]:
    return set(EligibilityFacts.objects.filter(account_id__in=account_ids).values_list("account_id", flat=True))


def test_a_batch_keeps_its_facts_and_reads_them_again_without_refreshing(varied: None) -> None:
    ids = list(Account.objects.values_list("id", flat=True))
    first = eligibility_batch(ids, channel="call", at=AS_OF)
    assert _kept(ids) == set(ids)
    with CaptureQueriesContext(connection) as queries:
        again = eligibility_batch(ids, channel="call", at=AS_OF + dt.timedelta(hours=2))
    assert not any("compliance_eligibilityfacts in share row exclusive mode" in q["sql"] for q in queries)
    assert set(again) == set(first)
    _agree("call", AS_OF + dt.timedelta(hours=2))


def test_facts_kept_for_a_later_instant_are_worked_out_again_for_an_earlier_one(varied: None) -> None:
    ids = list(Account.objects.values_list("id", flat=True))
    eligibility_batch(ids, channel="call", at=AS_OF)
    earlier = AS_OF - dt.timedelta(days=3)
    _agree("call", earlier)
    assert set(EligibilityFacts.objects.values_list("as_of", flat=True).distinct()) == {earlier}


def test_every_change_to_what_the_facts_came_from_deletes_them_and_the_batch_still_agrees(acme: Client) -> None:
    debtor = DebtorFactory(client=acme, timezones=["America/Chicago"])
    phone = PhoneFactory(debtor=debtor, number="+13125550100", kind="mobile")
    email = EmailFactory(debtor=debtor)
    address = AddressFactory(debtor=debtor, state="IL")
    accounts = [AccountFactory(debtor=debtor), AccountFactory(debtor=debtor)]
    bystander = AccountFactory(debtor=DebtorFactory(client=acme))
    ids = [a.id for a in [*accounts, bystander]]

    def change(make_it: Any, *channels: str, gone: tuple[Account, ...] = tuple(accounts)) -> None:
        eligibility_batch(ids, channel="call", at=AS_OF)
        assert _kept(ids) == set(ids)
        make_it()
        assert _kept(ids) == set(ids) - {a.id for a in gone}, make_it
        for channel in channels or ("call",):
            _agree(channel, AS_OF)

    at = AS_OF - dt.timedelta(hours=3)
    change(lambda: CaseEvent.objects.create(client=acme, debtor=debtor, account_ids=[], type="conversation",
                                            occurred_at=at, channel="call"))
    change(lambda: PhoneFactory(debtor=debtor, number="+13125550199", kind="mobile", status="active"))
    change(lambda: type(phone).objects.filter(id=phone.id).update(status="wrong_number"))
    change(lambda: type(phone).objects.filter(id=phone.id).delete())
    change(lambda: type(email).objects.filter(id=email.id).update(status="bounced"), "email")
    change(lambda: type(address).objects.filter(id=address.id).update(state="MA"))
    change(lambda: type(debtor).objects.filter(id=debtor.id).update(timezones=["America/New_York"]))
    change(lambda: Account.objects.filter(id=accounts[0].id).update(governing_state="CA"), gone=(accounts[0],))
    # What the facts do not hold changes nothing: a balance, a debtor's name.
    eligibility_batch(ids, channel="call", at=AS_OF)
    Account.objects.filter(id=accounts[0].id).update(principal_balance=Decimal("1.00"))
    type(debtor).objects.filter(id=debtor.id).update(name="Renamed")
    assert _kept(ids) == set(ids)


@pytest.mark.django_db(transaction=True)
def test_a_change_committed_while_facts_are_worked_out_deletes_what_they_wrote() -> None:
    """The refresh holds SHARE ROW EXCLUSIVE on the table from before it reads: a writer whose
    trigger comes later waits for it, then deletes the rows it wrote from what it read before."""
    account = AccountFactory()
    settings_ = connection.settings_dict
    dsn = f"dbname={settings_['NAME']} user={settings_['USER']} host={settings_['HOST']} port={settings_['PORT']}"
    refresher = psycopg.connect(dsn, password=settings_["PASSWORD"] or None)
    refresher.execute("lock table compliance_eligibilityfacts in share row exclusive mode")
    inserted = threading.Event()

    def log_a_call() -> None:
        with psycopg.connect(dsn, password=settings_["PASSWORD"] or None, autocommit=True) as writer:
            writer.execute("insert into collections_app_caseevent (client_id, debtor_id, account_ids, type, occurred_at, "
                           "direction, channel, target, outcome, written, data, created_at) values (%s, %s, '{}', "
                           "'call_attempt', now(), 'outbound', 'call', '', 'no_answer', false, '{}', now())",
                           [account.client_id, account.debtor_id])
            inserted.set()

    writer = threading.Thread(target=log_a_call)
    writer.start()
    assert not inserted.wait(0.5)  # its trigger waits for the refresh
    # What a refresh that read before the call would write.
    stale = EligibilityFacts(
        account_id=account.id, debtor_id=account.debtor_id, client_id=account.client_id, as_of=AS_OF, zone="UTC",
        sig_phone=0, sig_email=0, sig_letter=0, sig_none=0, notice=True, talked=False, target_calls_count=True,
        wrong_other=False, attorney_contact=False, engine_channels=0)
    fields = [f.column for f in EligibilityFacts._meta.fields]
    refresher.execute(f"insert into compliance_eligibilityfacts ({', '.join(fields)}) values "
                      f"({', '.join(['%s'] * len(fields))})",
                      [getattr(stale, f.attname) for f in EligibilityFacts._meta.fields])
    refresher.commit()
    writer.join(10)
    refresher.close()
    assert inserted.is_set()
    assert not EligibilityFacts.objects.filter(account_id=account.id).exists()


def test_many_classes_are_decided_in_two_processes_and_agree(varied: None, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    forked: list[bool] = []
    in_two = eligibility._in_two_processes

    def spy(parent, child, fork):  # type: ignore[no-untyped-def]
        forked.append(fork)
        return in_two(parent, child, fork)

    monkeypatch.setattr(eligibility, "PARALLEL_MIN", 1)
    monkeypatch.setattr(eligibility, "_in_two_processes", spy)
    for at in (AS_OF, INSTANTS[3]):
        _agree("call", at)
    _agree("sms", AS_OF)
    assert forked == [True, True, True]


@pytest.mark.django_db(transaction=True)
def test_a_large_batch_outside_a_transaction_reads_its_facts_on_two_connections_and_agrees(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    _varied_portfolio(random.Random(20260310), 120)
    reads: list[str] = []
    elsewhere = eligibility._copy_out_elsewhere

    def spy(query: str, into: Any) -> None:
        reads.append(query)
        elsewhere(query, into)

    monkeypatch.setattr(eligibility, "_copy_out_elsewhere", spy)
    monkeypatch.setattr(eligibility, "TWO_READS_FROM", 10)
    for at in (AS_OF, INSTANTS[3]):
        _agree("call", at)
    assert len(reads) >= 2  # the second half of every batch's read


def test_a_few_accounts_facts_are_looked_up_by_key_and_many_by_their_runs_of_ids(varied: None, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A queue page's 25 accounts must not scan the whole table (it holds a row per account)."""
    ids = list(Account.objects.order_by("id").values_list("id", flat=True))
    eligibility_batch(ids, channel="call", at=AS_OF)

    def reads() -> list[str]:
        with CaptureQueriesContext(connection) as queries:
            eligibility_batch(ids[:25], channel="call", at=AS_OF)
        return [q["sql"] for q in queries if "from compliance_eligibilityfacts where" in q["sql"]]

    assert len(few := reads()) == 1 and "account_id = any(" in few[0]
    monkeypatch.setattr(eligibility, "RANGES_FROM", 10)
    assert len(many := reads()) == 1 and "account_id <@" in many[0] and "int8multirange" in many[0]
    _agree("call", AS_OF)
