"""Generate a realistic demo portfolio and stream it into PostgreSQL with COPY.

Deterministic for (seed, as_of): the same arguments produce the same rows. Years of timeline
history per account: placement, validation notice, calls and conversations, letters, e-mails and
texts, disputes and verifications, cease notices, opt-outs, bankruptcies and deaths.
"""

import datetime as dt
import json
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection, transaction

from accounts.constants import Role
from accounts.models import User
from collections_app.constants import AccountStatus
from collections_app.demo import people
from collections_app.demo.money import MONEY_TABLES, DemoAccount, MoneyGenerator
from collections_app.fields import encrypt_text
from collections_app.geo.limitations import sol_expiry
from collections_app.geo.timezones import debtor_zones
from collections_app.models import Client
from collections_app.validation_period import validation_period_end

DEMO_PASSWORD = "collect-demo"
DEMO_USERS = (
    ("admin", Role.ADMIN, ("Acme Bank", "Globex Retail", "Initech Health")),
    ("supervisor", Role.SUPERVISOR, ("Acme Bank", "Initech Health")),
    ("collector", Role.COLLECTOR, ("Acme Bank",)),
    ("collector2", Role.COLLECTOR, ("Acme Bank", "Initech Health")),
    ("globex", Role.COLLECTOR, ("Globex Retail",)),
    ("compliance", Role.COMPLIANCE, ("Acme Bank", "Globex Retail", "Initech Health")),
)
DEMO_CLIENTS = (
    ("Acme Bank", "third_party_collector", 5),
    ("Globex Retail", "third_party_collector", 3),
    ("Initech Health", "first_party_creditor", 2),
)
STATUS_WEIGHTS = {
    AccountStatus.OPEN: 60, AccountStatus.IN_PLAN: 9, AccountStatus.DISPUTED: 4, AccountStatus.LEGAL: 2,
    AccountStatus.PAID: 8, AccountStatus.SETTLED: 5, AccountStatus.RECALLED: 3, AccountStatus.BANKRUPT: 2,
    AccountStatus.DECEASED: 1, AccountStatus.CLOSED: 6,
}
CALL_OUTCOMES = (("no_answer", 45), ("voicemail_left", 15), ("voicemail_no_message", 8), ("busy", 6),
                 ("right_party_contact", 14), ("third_party", 5), ("wrong_number", 2), ("disconnected", 1))
CENT = Decimal("0.01")


@dataclass
class Counts:
    clients: int = 0
    users: int = 0
    debtors: int = 0
    accounts: int = 0
    events: int = 0
    extra: dict[str, int] = field(default_factory=dict)


def _next_id(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"select coalesce(max(id), 0) + 1 from {table}")
        return int(cursor.fetchone()[0])


def _set_sequence(table: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"select setval(pg_get_serial_sequence('{table}', 'id'), coalesce((select max(id) from {table}), 1))"
        )


def _copy(table: str, columns: tuple[str, ...], rows: Iterator[tuple]) -> int:
    """Stream rows into a table with COPY (text format)."""
    count = 0
    sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    with connection.cursor() as cursor, cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def ensure_demo_clients_and_users() -> tuple[dict[str, Client], dict[str, User]]:
    clients = {}
    for name, operator_type, _ in DEMO_CLIENTS:
        clients[name], _created = Client.objects.get_or_create(name=name, defaults={"operator_type": operator_type})
    users = {}
    for username, role, client_names in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"role": role, "email": f"{username}@agency.example", "first_name": username.title(),
                      "is_staff": role in (Role.ADMIN, Role.SUPERVISOR, Role.COMPLIANCE),
                      "is_superuser": role == Role.ADMIN},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        for client_name in client_names:
            clients[client_name].members.add(user)
        users[username] = user
    return clients, users


class PortfolioGenerator:
    """Yields the rows of one demo portfolio; ids are assigned from the given starting points."""

    def __init__(self, *, accounts: int, seed: int, as_of: dt.date, clients: dict[str, Client],
                 collectors: dict[int, list[int]], first_ids: dict[str, int],
                 money_first_ids: dict[str, int] | None = None) -> None:
        self.total_accounts = accounts
        self.rng = random.Random(seed)
        self.as_of = as_of
        self.clients = [(clients[name].id, operator, share) for name, operator, share in DEMO_CLIENTS]
        self.client_names = {clients[name].id: name for name, _, _ in DEMO_CLIENTS}
        self.collectors = collectors
        self.debtor_id = first_ids["debtor"]
        self.account_id = first_ids["account"]
        self.event_id = first_ids["event"]
        self.address_id = first_ids["address"]
        self.phone_id = first_ids["phone"]
        self.email_id = first_ids["email"]
        self.debtors: list[tuple] = []
        self.addresses: list[tuple] = []
        self.phones: list[tuple] = []
        self.emails: list[tuple] = []
        self.accounts: list[tuple] = []
        self.events: list[tuple] = []
        self.now = dt.datetime.combine(as_of, dt.time(12), tzinfo=dt.UTC)
        self.dob_cache: dict[dt.date, str] = {}
        self.allocation_orders = {clients[name].id: clients[name].allocation_components for name, _, _ in DEMO_CLIENTS}
        self.money = MoneyGenerator(seed=seed, now=self.now, event=self._money_event,
                                    first_ids=money_first_ids or dict.fromkeys(MONEY_TABLES, 1))

    def batches(self, batch_accounts: int, progress: Callable[[int], None]) -> Iterator["PortfolioGenerator"]:
        made = 0
        while made < self.total_accounts:
            self._reset()
            target = min(batch_accounts, self.total_accounts - made)
            while len(self.accounts) < target:
                self._debtor(max_accounts=target - len(self.accounts))
            made += len(self.accounts)
            progress(len(self.accounts))
            yield self

    def _reset(self) -> None:
        for rows in (self.debtors, self.addresses, self.phones, self.emails, self.accounts, self.events):
            rows.clear()
        self.money.reset()

    # -- one debtor and their accounts -------------------------------------------------------
    def _debtor(self, max_accounts: int) -> None:
        rng = self.rng
        client_id, _operator, _ = rng.choices(self.clients, [c[2] for c in self.clients])[0]
        is_business = rng.random() < 0.08
        place = people.pick_place(rng)
        debtor_id, self.debtor_id = self.debtor_id, self.debtor_id + 1
        name = people.business_name(rng) if is_business else people.person_name(rng)
        dob = None if is_business else dt.date(rng.randint(1945, 2003), rng.randint(1, 12), rng.randint(1, 28))
        address_id, self.address_id = self.address_id, self.address_id + 1
        self.addresses.append((address_id, debtor_id, "home", people.street(rng), "", place.city, place.state,
                               place.zip_code, "US", "active", self.now, self.now))
        numbers = [people.phone_for(rng, place)]
        if rng.random() < 0.12:  # moved, or kept an old mobile: a second zone
            numbers.append(people.phone_for(rng, people.pick_place(rng)))
        if rng.random() < 0.25:
            numbers.append(people.phone_for(rng, place))
        phone_ids = []
        for i, number in enumerate(numbers):
            phone_id, self.phone_id = self.phone_id, self.phone_id + 1
            phone_ids.append((phone_id, number))
            kind = ("mobile", "home", "work")[min(i, 2)] if not is_business else "work"
            self.phones.append((phone_id, debtor_id, kind, number, kind == "mobile" and rng.random() < 0.6,
                                "active", self.now, self.now))
        email = None
        if rng.random() < 0.7:
            email = f"{name.split()[0].lower()}.{debtor_id}@example.com"
            email_id, self.email_id = self.email_id, self.email_id + 1
            self.emails.append((email_id, debtor_id, email, False, rng.random() < 0.5, "active", self.now, self.now))
        zones = debtor_zones([{"postal_code": place.zip_code, "state": place.state, "country": "US"}],
                             [n for _, n in phone_ids])
        self.debtors.append((debtor_id, client_id, "business" if is_business else "person", name,
                             f"C-{debtor_id:07d}", self._encrypted_dob(dob), None, "",
                             "es" if rng.random() < 0.12 else "en", "{" + ",".join(zones) + "}", self.now, self.now))
        n_accounts = min(max_accounts, rng.choices((1, 2, 3), (80, 16, 4))[0])
        for _ in range(n_accounts):
            self._account(debtor_id, client_id, place.state, is_business, phone_ids, email)

    def _encrypted_dob(self, dob: dt.date | None) -> str | None:
        if dob is None:
            return None
        if dob not in self.dob_cache:  # one token per date keeps 1M rows fast; still encrypted at rest
            self.dob_cache[dob] = encrypt_text(dob.isoformat())
        return self.dob_cache[dob]

    def _account(self, debtor_id: int, client_id: int, state: str, is_business: bool,
                 phones: list[tuple[int, str]], email: str | None) -> None:
        rng = self.rng
        account_id, self.account_id = self.account_id, self.account_id + 1
        product = people.pick_product(rng)
        placed = self.now - dt.timedelta(days=rng.randint(1, 3 * 365), minutes=rng.randint(0, 1439))
        charge_off = placed.date() - dt.timedelta(days=rng.randint(30, 900))
        delinquency = charge_off - dt.timedelta(days=rng.randint(120, 200))
        last_payment = delinquency - dt.timedelta(days=rng.randint(1, 40))
        opened = last_payment - dt.timedelta(days=rng.randint(200, 3000))
        principal = Decimal(rng.lognormvariate(7.0, 0.9)).quantize(CENT)
        interest = (principal * Decimal(rng.uniform(0, 0.25))).quantize(CENT)
        fees = Decimal(rng.choice((0, 0, 25, 35, 50, 75))).quantize(CENT)
        status = rng.choices(list(STATUS_WEIGHTS), list(STATUS_WEIGHTS.values()))[0]
        balances = (principal, interest, fees)
        if status in (AccountStatus.PAID, AccountStatus.SETTLED):
            balances = (Decimal("0.00"),) * 3
        elif status == AccountStatus.IN_PLAN:
            balances = ((principal * Decimal(rng.uniform(0.3, 0.9))).quantize(CENT), Decimal("0.00"), Decimal("0.00"))
        # Payments, plans, promises and settlements whose ledger rows explain the balances.
        balances = self.money.account(
            DemoAccount(id=account_id, client_id=client_id, debtor_id=debtor_id,
                        order=self.allocation_orders[client_id], placed_at=placed,
                        balances={"principal": principal, "interest": interest, "fees": fees}),
            status, balances,
        )
        band = "low" if principal < 500 else "mid" if principal < 2500 else "high"
        collectors: list[int | None] = [*self.collectors.get(client_id, [])] or [None]
        kind = "commercial" if is_business else "consumer"
        sol = sol_expiry(state, product, last_payment, delinquency, charge_off)
        notice_at = placed + dt.timedelta(days=1, hours=2)
        creditor = self.client_names[client_id]
        self.accounts.append((
            account_id, client_id, debtor_id, f"D{account_id:08d}", kind, people.original_creditor(rng, product, creditor),
            creditor, product, principal, interest, fees, *balances, opened, delinquency, charge_off,
            last_payment, charge_off, state, status, placed, principal + interest + fees, rng.choice(collectors) if status == "open" else None,
            f"{band}-{'fresh' if (self.now - placed).days < 180 else 'aged'}", round(rng.random(), 4), sol,
            notice_at, validation_period_end(notice_at.date()), self.now, self.now,
        ))
        self._history(debtor_id, client_id, account_id, placed, notice_at, status, phones, email)

    def _money_event(self, acct: DemoAccount, type_: str, at: dt.datetime, data: dict) -> None:
        self._event(acct.debtor_id, acct.client_id, acct.id, type_, at, data=data)

    def _event(self, debtor_id: int, client_id: int, account_id: int, type_: str, at: dt.datetime, *,
               direction: str = "", channel: str = "", target: str = "", outcome: str = "", written: bool = False,
               data: dict | None = None) -> None:
        if at > self.now:
            return
        event_id, self.event_id = self.event_id, self.event_id + 1
        self.events.append((event_id, client_id, debtor_id, f"{{{account_id}}}", type_, at, direction, channel,
                            target, outcome, written, json.dumps(data or {}), at))

    def _history(self, debtor_id: int, client_id: int, account_id: int, placed: dt.datetime,
                 notice_at: dt.datetime, status: str, phones: list[tuple[int, str]], email: str | None) -> None:
        rng = self.rng
        ev = lambda *a, **k: self._event(debtor_id, client_id, account_id, *a, **k)  # noqa: E731
        ev("validation_notice_sent", notice_at, channel="letter", direction="outbound",
           data={"validation_period_end": validation_period_end(notice_at.date()).isoformat()})
        days = max(1, (self.now - placed).days)
        # Calls: most in the first months, some recent, in the debtor's daytime.
        for _ in range(rng.randint(2, 12)):
            offset = min(days - 1, int(rng.expovariate(1 / 60))) if rng.random() < 0.8 else rng.randint(0, days - 1)
            at = placed + dt.timedelta(days=offset + 2, hours=rng.randint(0, 8), minutes=rng.randint(0, 59))
            at = at.replace(hour=rng.randint(14, 23))  # 14:00–23:59 UTC ≈ daytime across US zones
            outcome = rng.choices([o for o, _ in CALL_OUTCOMES], [w for _, w in CALL_OUTCOMES])[0]
            ev("call_attempt", at, direction="outbound", channel="call", target=rng.choice(phones)[1],
               outcome=outcome)
            if outcome == "right_party_contact":
                ev("conversation", at + dt.timedelta(minutes=1), direction="outbound", channel="call",
                   target=phones[0][1])
        if rng.random() < 0.35:  # recent activity, so the desk shows live frequency limits
            for _ in range(rng.randint(1, 8)):
                at = self.now - dt.timedelta(days=rng.randint(0, 6), hours=rng.randint(0, 20))
                ev("call_attempt", at, direction="outbound", channel="call", target=phones[0][1],
                   outcome=rng.choice(("no_answer", "voicemail_no_message", "busy")))
        if email and rng.random() < 0.6:
            ev("email_sent", placed + dt.timedelta(days=rng.randint(3, 40)), direction="outbound", channel="email",
               target=email, data={"template": "payment_reminder"})
        if rng.random() < 0.3:
            ev("letter_sent", placed + dt.timedelta(days=rng.randint(30, 120)), direction="outbound",
               channel="letter", data={"template": "settlement_offer"})
        if rng.random() < 0.15:
            ev("inbound_call", placed + dt.timedelta(days=rng.randint(2, 90)), direction="inbound", channel="call",
               target=phones[0][1])
        self._stopping_events(ev, placed, status, phones, email)

    def _stopping_events(self, ev: Callable, placed: dt.datetime, status: str, phones: list[tuple[int, str]],
                         email: str | None) -> None:
        rng = self.rng
        if status == AccountStatus.DISPUTED or rng.random() < 0.03:
            at = placed + dt.timedelta(days=rng.randint(5, 30))
            ev("dispute_received", at, direction="inbound", channel="letter", written=True,
               data={"portion": "entire"})
            if status != AccountStatus.DISPUTED:
                ev("verification_sent", at + dt.timedelta(days=rng.randint(5, 25)), direction="outbound",
                   channel="letter")
        if status == AccountStatus.BANKRUPT:
            ev("bankruptcy_filed", placed + dt.timedelta(days=rng.randint(20, 300)),
               data={"case_number": f"{rng.randint(20, 26)}-{rng.randint(10000, 99999)}", "chapter": 7})
        if status == AccountStatus.DECEASED:
            ev("deceased_notice", placed + dt.timedelta(days=rng.randint(20, 300)), direction="inbound",
               channel="letter")
        roll = rng.random()
        if roll < 0.01:
            ev("cease_notice_received", placed + dt.timedelta(days=rng.randint(10, 200)), direction="inbound",
               channel="letter", written=True)
        elif roll < 0.015:
            ev("attorney_representation_notice", placed + dt.timedelta(days=rng.randint(10, 200)),
               data={"attorney": "Saul Goodman", "contact": "+15055550100"})
        elif roll < 0.035:
            ev("medium_opt_out", placed + dt.timedelta(days=rng.randint(10, 200)), direction="inbound",
               channel="sms", data={"channel": rng.choice(("sms", "email", "call")), "target": phones[0][1]})
        elif roll < 0.055:
            ev("inconvenient_time_designation", placed + dt.timedelta(days=rng.randint(10, 200)),
               direction="inbound", channel="call",
               data={"weekdays": [0, 1, 2, 3, 4], "start": "09:00", "end": "17:00"})


DEBTOR_COLS = ("id", "client_id", "kind", "name", "external_ref", "date_of_birth", "ssn", "ssn_index",
               "preferred_language", "timezones", "created_at", "updated_at")
ADDRESS_COLS = ("id", "debtor_id", "kind", "line1", "line2", "city", "state", "postal_code", "country", "status",
                "created_at", "updated_at")
PHONE_COLS = ("id", "debtor_id", "kind", "number", "sms_consent", "status", "created_at", "updated_at")
EMAIL_COLS = ("id", "debtor_id", "address", "employer_provided", "consent", "status", "created_at", "updated_at")
ACCOUNT_COLS = ("id", "client_id", "debtor_id", "reference", "kind", "original_creditor", "current_creditor",
                "product", "principal", "interest", "fees", "principal_balance", "interest_balance", "fees_balance",
                "open_date", "delinquency_date", "charge_off_date", "last_payment_date", "itemization_date",
                "governing_state", "status", "placed_at", "opening_balance", "assigned_to_id", "segment", "score", "sol_expires_on",
                "validation_notice_sent_at", "validation_period_end", "created_at", "updated_at")
EVENT_COLS = ("id", "client_id", "debtor_id", "account_ids", "type", "occurred_at", "direction", "channel", "target",
              "outcome", "written", "data", "created_at")
TABLES = {
    "debtor": "collections_app_debtor", "address": "collections_app_address", "phone": "collections_app_phone",
    "email": "collections_app_email", "account": "collections_app_account", "event": "collections_app_caseevent",
}


def seed_portfolio(*, accounts: int, seed: int, as_of: dt.date, progress: Callable[[int], None],
                   batch_accounts: int = 20_000) -> Counts:
    """Create the demo clients and users, then ``accounts`` accounts with their debtors and history."""
    clients, users = ensure_demo_clients_and_users()
    collectors: dict[int, list[int]] = {}
    for user in users.values():
        if user.role == Role.COLLECTOR:
            for client in user.clients.all():
                collectors.setdefault(client.id, []).append(user.id)
    counts = Counts(clients=len(clients), users=len(users))
    with transaction.atomic():
        with connection.cursor() as cursor:
            for table in [*TABLES.values(), *(t for t, _ in MONEY_TABLES.values())]:
                cursor.execute(f"LOCK TABLE {table} IN EXCLUSIVE MODE")
            # Bulk demo load: skip the per-row audit triggers (a superuser-only switch; ignored otherwise).
            cursor.execute("select rolsuper from pg_roles where rolname = current_user")
            if cursor.fetchone()[0]:
                cursor.execute("SET LOCAL session_replication_role = replica")
        generator = PortfolioGenerator(
            accounts=accounts, seed=seed, as_of=as_of, clients=clients, collectors=collectors,
            first_ids={key: _next_id(table) for key, table in TABLES.items()},
            money_first_ids={key: _next_id(table) for key, (table, _) in MONEY_TABLES.items()},
        )
        for batch in generator.batches(batch_accounts, progress):
            counts.debtors += _copy(TABLES["debtor"], DEBTOR_COLS, iter(batch.debtors))
            _copy(TABLES["address"], ADDRESS_COLS, iter(batch.addresses))
            _copy(TABLES["phone"], PHONE_COLS, iter(batch.phones))
            _copy(TABLES["email"], EMAIL_COLS, iter(batch.emails))
            counts.accounts += _copy(TABLES["account"], ACCOUNT_COLS, iter(batch.accounts))
            counts.events += _copy(TABLES["event"], EVENT_COLS, iter(batch.events))
            for key, (table, columns) in MONEY_TABLES.items():
                counts.extra[key] = counts.extra.get(key, 0) + _copy(table, columns, iter(batch.money.rows[key]))
        for table in [*TABLES.values(), *(t for t, _ in MONEY_TABLES.values())]:
            _set_sequence(table)
    with connection.cursor() as cursor:
        for table in [*TABLES.values(), *(t for t, _ in MONEY_TABLES.values())]:
            cursor.execute(f"ANALYZE {table}")
    return counts
