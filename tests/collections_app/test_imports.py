"""The contract's portfolio import, through the command, on a real PostgreSQL."""

import csv
import datetime as dt
import hashlib
import json
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from collections_app.geo.limitations import sol_expiry
from collections_app.geo.timezones import debtor_zones
from collections_app.imports.columns import PORTFOLIO_COLUMNS
from collections_app.imports.reader import chunks
from collections_app.imports.services import KNOWN_COLUMNS, import_run
from collections_app.models import (
    Account,
    Address,
    CaseEvent,
    ColumnMapping,
    Debtor,
    Email,
    ImportJob,
    ImportStatus,
    Phone,
)
from collections_app.selectors import account_placements
from tests.factories import AccountFactory, AddressFactory, DebtorFactory, PhoneFactory

pytestmark = pytest.mark.django_db

JANE = {
    "account_ref": "A1", "debtor_ref": "C1", "debtor_kind": "person", "first_name": "Jane", "last_name": "Doe",
    "business_name": "", "date_of_birth": "1980-04-02", "address_line1": "1 Main St", "address_line2": "Apt 2",
    "city": "Chicago", "state": "il", "postal_code": "60601-1234", "phone_mobile": "(312) 555-0101",
    "phone_home": "", "phone_work": "212.555.0199", "email": " Jane@Example.COM ", "original_creditor": "Acme Bank",
    "current_creditor": "Acme Bank", "product": "credit card", "account_kind": "consumer", "principal": "900.00",
    "interest": "80.00", "fees": "20", "open_date": "2021-03-01", "delinquency_date": "2023-01-15",
    "charge_off_date": "2023-07-01", "last_payment_date": "01/02/2023", "itemization_date": "2023-07-01",
}  # fmt: skip
JANE_CARD_2 = {**JANE, "account_ref": "A2", "product": "personal loan", "principal": "150.50", "interest": "0",
               "fees": "0", "phone_home": "773-555-0123"}  # fmt: skip
BOB_BUSINESS = {
    **JANE, "account_ref": "B1", "debtor_ref": "C2", "debtor_kind": "", "first_name": "", "last_name": "",
    "business_name": "Bob's Bakery LLC", "date_of_birth": "", "state": "NY", "city": "New York",
    "postal_code": "10001", "phone_mobile": "+12125550142", "phone_work": "", "email": "", "account_kind": "",
}  # fmt: skip


def write_csv(path: Path, rows: list[dict], columns=PORTFOLIO_COLUMNS) -> Path:
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(columns), extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def run(path: Path, client="Acme Bank", **options) -> ImportJob:
    call_command("import_portfolio", str(path), client=client, verbosity=0, **options)
    return ImportJob.objects.order_by("-id").first()


def errors_of(job: ImportJob) -> list[tuple[int, str, str]]:
    return list(job.row_errors.order_by("line", "id").values_list("line", "column", "reason"))


def test_it_loads_debtors_grouped_by_debtor_ref_with_normalised_contact_points(acme, tmp_path):
    job = run(write_csv(tmp_path / "placement.csv", [JANE, JANE_CARD_2, BOB_BUSINESS]))

    assert (job.status, job.rows_read, job.created, job.updated, job.unchanged, job.rejected) == (
        ImportStatus.SUCCEEDED, 3, 3, 0, 0, 0)
    assert job.duration_seconds is not None and job.progress == 1.0
    jane = Debtor.objects.get(client=acme, external_ref="C1")
    assert (jane.name, jane.kind, jane.date_of_birth) == ("Jane Doe", "person", dt.date(1980, 4, 2))
    assert sorted(jane.accounts.values_list("reference", flat=True)) == ["A1", "A2"]
    assert sorted(jane.phones.values_list("kind", "number")) == [
        ("home", "+17735550123"), ("mobile", "+13125550101"), ("work", "+12125550199")]
    assert list(jane.emails.values_list("address", flat=True)) == ["jane@example.com"]
    address = jane.addresses.get()
    assert (address.line1, address.line2, address.city, address.state, address.postal_code) == (
        "1 Main St", "Apt 2", "Chicago", "IL", "60601-1234")
    assert jane.timezones == debtor_zones([address], [p.number for p in jane.phones.order_by("id")])
    assert jane.timezones[:2] == ["America/Chicago", "America/New_York"]

    a1 = Account.objects.get(client=acme, reference="A1")
    assert (a1.principal, a1.interest, a1.fees, a1.balance) == (
        Decimal("900.00"), Decimal("80.00"), Decimal("20.00"), Decimal("1000.00"))
    assert (a1.principal_balance, a1.governing_state, a1.status, a1.kind) == (
        Decimal("900.00"), "IL", "open", "consumer")
    assert a1.last_payment_date == dt.date(2023, 1, 2)
    for account in Account.objects.filter(client=acme):
        assert account.sol_expires_on == sol_expiry(account.governing_state, account.product,
                                                    account.last_payment_date, account.delinquency_date,
                                                    account.charge_off_date, consumer=account.kind == "consumer")
    bob = Debtor.objects.get(client=acme, external_ref="C2")
    assert (bob.kind, bob.name, bob.date_of_birth) == ("business", "Bob's Bakery LLC", None)
    assert bob.accounts.get().kind == "commercial"
    assert bob.timezones == ["America/New_York"]


def test_date_of_birth_is_encrypted_at_rest(acme, tmp_path):
    run(write_csv(tmp_path / "placement.csv", [JANE]))
    with connection.cursor() as cursor:
        cursor.execute("select date_of_birth from collections_app_debtor where external_ref = 'C1'")
        (raw,) = cursor.fetchone()
    assert "1980" not in raw


def test_every_bad_row_is_reported_with_line_column_and_reason_and_good_rows_load(acme, tmp_path):
    rows = [
        JANE,                                                            # line 2: good
        {**JANE, "account_ref": "A2", "open_date": "2021-02-30"},        # 3: bad date
        {**JANE, "account_ref": "A3", "principal": "-5.00"},             # 4: negative money
        {**JANE, "account_ref": "A4", "state": "ZZ"},                    # 5: unknown state
        {**JANE, "account_ref": ""},                                     # 6: missing reference
        {**JANE, "account_ref": "A1"},                                   # 7: duplicate inside the file
        {**JANE, "account_ref": "A5", "phone_mobile": "555-0100"},       # 8: bad phone
        {**JANE, "account_ref": "A6", "interest": "1.005", "email": "nope"},  # 9: two bad columns
        {**BOB_BUSINESS},                                                # 10: good
    ]  # fmt: skip
    job = run(write_csv(tmp_path / "placement.csv", rows))

    assert errors_of(job) == [
        (3, "open_date", "not a date (YYYY-MM-DD or MM/DD/YYYY)"),
        (4, "principal", "negative amount"),
        (5, "state", "unknown state"),
        (6, "account_ref", "missing account reference"),
        (7, "account_ref", "duplicate account_ref: first on line 2"),
        (8, "phone_mobile", "not a valid phone number"),
        (9, "email", "not an e-mail address"),
        (9, "interest", "not an amount with at most two decimals"),
    ]
    assert (job.status, job.rows_read, job.created, job.rejected) == (ImportStatus.SUCCEEDED, 9, 2, 7)
    assert set(Account.objects.filter(client=acme).values_list("reference", flat=True)) == {"A1", "B1"}


def test_a_second_import_of_the_same_file_creates_nothing_and_reports_everything_unchanged(acme, tmp_path):
    path = write_csv(tmp_path / "placement.csv", [JANE, JANE_CARD_2, BOB_BUSINESS])
    run(path)
    before = (Debtor.objects.count(), Account.objects.count(), Phone.objects.count(), CaseEvent.objects.count())

    again = run(path)

    assert (again.created, again.updated, again.unchanged, again.rejected) == (0, 0, 3, 0)
    assert (Debtor.objects.count(), Account.objects.count(), Phone.objects.count(),
            CaseEvent.objects.count()) == before


def test_a_row_the_same_as_the_one_that_placed_its_account_goes_no_further(acme, tmp_path):
    """The account keeps a digest of the row that placed or last updated it: the same row again is
    unchanged without a comparison or a write, even where the account was worked on since (the
    file did not change: a later correction by a collector is not undone); a changed row is
    applied as before."""
    path = write_csv(tmp_path / "placement.csv", [JANE, JANE_CARD_2, BOB_BUSINESS])
    run(path)
    assert Account.objects.filter(import_digest=None).count() == 0
    digests = dict(Account.objects.values_list("reference", "import_digest"))
    assert len(set(digests.values())) == 3
    a1 = Account.objects.get(reference="A1")
    Debtor.objects.filter(id=a1.debtor_id).update(name="Jane Doe-Smith")  # corrected by a collector since
    history = a1.history.count()

    again = run(path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert Debtor.objects.get(id=a1.debtor_id).name == "Jane Doe-Smith"
    assert a1.history.count() == history  # not written
    assert dict(Account.objects.values_list("reference", "import_digest")) == digests

    contact_points = (Phone.objects.count(), Email.objects.count(), Address.objects.count())
    changed = run(write_csv(tmp_path / "week2.csv", [{**JANE, "principal": "950.00"}, JANE_CARD_2, BOB_BUSINESS]))
    # Its contact points were looked up (on file already: none added twice).
    assert (Phone.objects.count(), Email.objects.count(), Address.objects.count()) == contact_points
    # A2 counts as updated too: its debtor's name was set back by A1's row (the debtor's first).
    assert (changed.created, changed.updated, changed.unchanged) == (0, 2, 1)
    a1.refresh_from_db()
    assert a1.principal == Decimal("950.00") and a1.import_digest != digests["A1"]
    assert Debtor.objects.get(id=a1.debtor_id).name == "Jane Doe"  # the changed row carries its debtor's details


def test_an_account_placed_before_digests_is_compared_once_then_skipped(acme, tmp_path):
    path = write_csv(tmp_path / "placement.csv", [JANE])
    run(path)
    Account.objects.update(import_digest=None)  # as placed before migration 0009, or through the API

    first = run(path)
    assert (first.updated, first.unchanged) == (0, 1)  # compared: the same; only the digest is written
    account = Account.objects.get(reference="A1")
    assert account.import_digest is not None
    history = account.history.count()
    assert (run(path).updated, account.history.count()) == (0, history)


def test_each_new_account_holds_its_placement_which_the_debtors_timeline_shows(acme, tmp_path, collector):
    """No stored placement event per imported account: the account holds the job, placed_at and the
    opening balance, and the debtor's timeline shows the placement from there."""
    path = write_csv(tmp_path / "placement.csv", [JANE, JANE_CARD_2, BOB_BUSINESS])
    job = ImportJob.objects.create(client=acme, filename="placement.csv", created_by=collector)
    import_run(job, path)
    assert not CaseEvent.objects.exists()
    accounts = Account.objects.filter(client=acme).order_by("reference")
    assert {(a.placed_by_import_id, a.opening_balance) for a in accounts} == {
        (job.id, Decimal("1000.00")), (job.id, Decimal("150.50"))}
    events = {e.account_ids[0]: e for e in account_placements(Account.objects.filter(client=acme))}
    assert sorted(events) == sorted(a.id for a in accounts)
    for account in accounts:
        event = events[account.id]
        assert (event.id, event.type, event.debtor_id, event.client_id, event.occurred_at, event.created_by_id) == (
            None, "placement", account.debtor_id, acme.id, account.placed_at, collector.id)
        assert event.data == {"balance": str(account.balance), "reference": account.reference, "source": "import",
                              "import_job": job.id}

    # A payment since and a later file that changes the amount: the placement keeps the opening balance.
    a1 = accounts.get(reference="A1")
    Account.objects.filter(id=a1.id).update(principal_balance=Decimal("600.00"))
    run(write_csv(tmp_path / "week2.csv", [{**JANE, "principal": "950.00"}, JANE_CARD_2, BOB_BUSINESS]))
    assert [e.type for e in a1.debtor.events.all()] == ["balance_adjusted"]
    placement = account_placements(Account.objects.filter(id=a1.id))[0]
    assert placement.data["balance"] == "1000.00"
    assert CaseEvent.objects.filter(type="placement").count() == 0


def test_a_changed_amount_moves_the_balance_and_writes_balance_adjusted(acme, tmp_path):
    run(write_csv(tmp_path / "week1.csv", [JANE, JANE_CARD_2]))
    account = Account.objects.get(client=acme, reference="A1")
    Account.objects.filter(id=account.id).update(principal_balance=Decimal("600.00"))  # 300 paid since

    week2 = [{**JANE, "principal": "950.00", "phone_home": "+13125550177"}, JANE_CARD_2]
    job = run(write_csv(tmp_path / "week2.csv", week2))

    assert (job.created, job.updated, job.unchanged) == (0, 2, 0)  # A2's debtor gained a phone
    account.refresh_from_db()
    assert (account.principal, account.principal_balance, account.balance) == (
        Decimal("950.00"), Decimal("650.00"), Decimal("750.00"))
    event = CaseEvent.objects.get(type="balance_adjusted")
    assert event.account_ids == [account.id]
    assert event.data["principal"] == ["900.00", "950.00"]
    assert event.data["balance"] == ["700.00", "750.00"]
    assert event.data["import_job"] == job.id
    history = account.history.order_by("pgh_id").last()
    assert history.pgh_label == "update" and history.pgh_context.metadata["import_job"] == job.id


def test_an_existing_debtor_who_gains_a_phone_gets_their_zones_recomputed_from_every_contact_point(acme, tmp_path):
    debtor = DebtorFactory(client=acme, external_ref="C1", name="Jane Doe", timezones=[])
    AddressFactory(debtor=debtor, postal_code="98101", state="WA", city="Seattle")  # added by a collector
    PhoneFactory(debtor=debtor, number="+19075550100")  # Alaska

    run(write_csv(tmp_path / "placement.csv", [{**JANE, "date_of_birth": ""}]))

    debtor.refresh_from_db()
    assert debtor.timezones == debtor_zones(list(debtor.addresses.order_by("id")),
                                            list(debtor.phones.order_by("id").values_list("number", flat=True)))
    assert {"America/Los_Angeles", "America/Anchorage", "America/Chicago"} <= set(debtor.timezones)


def test_a_date_of_birth_entered_elsewhere_is_compared_not_overwritten(acme, tmp_path):
    DebtorFactory(client=acme, external_ref="C1", name="Jane Doe", date_of_birth=dt.date(1980, 4, 2))
    path = write_csv(tmp_path / "placement.csv", [JANE])
    run(path)
    again = run(path)
    assert (again.updated, again.unchanged) == (0, 1)

    changed = run(write_csv(tmp_path / "fixed.csv", [{**JANE, "date_of_birth": "1980-04-03"}]))
    assert changed.updated == 1
    assert Debtor.objects.get(external_ref="C1").date_of_birth == dt.date(1980, 4, 3)


def test_an_account_is_never_moved_to_another_debtor(acme, tmp_path):
    run(write_csv(tmp_path / "week1.csv", [JANE]))
    job = run(write_csv(tmp_path / "week2.csv", [{**JANE, "debtor_ref": "C9"}]))
    assert errors_of(job) == [(2, "account_ref", "this account belongs to another debtor_ref")]
    assert Account.objects.get(reference="A1").debtor.external_ref == "C1"


def test_rows_sharing_a_debtor_ref_must_agree_on_the_debtor(acme, tmp_path):
    job = run(write_csv(tmp_path / "placement.csv", [JANE, {**JANE_CARD_2, "last_name": "Smith"}]))
    assert errors_of(job) == [(3, "last_name", "differs from the same debtor_ref on line 2")]


def test_chunks_share_what_they_saw_debtors_and_references_across_chunk_boundaries(acme, tmp_path):
    rows = [JANE, JANE_CARD_2, {**JANE, "account_ref": "A3"}, BOB_BUSINESS, {**JANE, "account_ref": "A2"}]
    path = write_csv(tmp_path / "placement.csv", rows)
    assert [len(c.frame) for c in chunks(path, None, KNOWN_COLUMNS, 2)] == [2, 2, 1]  # really three chunks
    call_command("import_portfolio", str(path), client="Acme Bank", chunk_rows=2, verbosity=0)
    job = ImportJob.objects.get()
    assert errors_of(job) == [(6, "account_ref", "duplicate account_ref: first on line 3")]
    assert Debtor.objects.filter(external_ref="C1").count() == 1
    assert Debtor.objects.get(external_ref="C1").accounts.count() == 3
    assert (job.created, job.rows_read) == (4, 5)


def test_it_reads_xlsx_files_whose_spreadsheet_ate_the_zip_codes_leading_zero(acme, tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(list(PORTFOLIO_COLUMNS))
    boston = {**JANE, "city": "Boston", "state": "MA", "postal_code": 2134, "phone_work": "",
              "open_date": dt.datetime(2021, 3, 1), "principal": 900.5, "fees": 0}
    sheet.append([boston[c] for c in PORTFOLIO_COLUMNS])
    sheet.append([None] * len(PORTFOLIO_COLUMNS))  # formatted but empty
    workbook.save(tmp_path / "placement.xlsx")

    job = run(tmp_path / "placement.xlsx")

    assert (job.created, job.rejected) == (1, 0)
    account = Account.objects.get(reference="A1")
    assert (account.open_date, account.principal, account.fees) == (dt.date(2021, 3, 1), Decimal("900.50"), 0)
    assert account.debtor.addresses.get().postal_code == "02134"
    assert account.debtor.timezones[0] == "America/New_York"


def test_a_mapping_file_renames_another_layout_and_is_saved_for_the_client(acme, tmp_path):
    mapping = tmp_path / "acme-layout.json"
    mapping.write_text(json.dumps({"columns": {"Acct No": "account_ref", "Customer": "debtor_ref",
                                               "Surname": "last_name", "Given": "first_name", "Owed": "principal",
                                               "Opened": "open_date"},
                                   "date_format": "%d.%m.%Y"}))
    path = tmp_path / "theirs.csv"
    path.write_text("Acct No,Customer,Given,Surname,Owed,Opened,Ignored\nX1,K1,Ann,Lee,10.00,31.12.2020,zzz\n")

    job = run(path, mapping=str(mapping))

    assert (job.created, job.rejected) == (1, 0)
    account = Account.objects.get(reference="X1")
    assert (account.debtor.name, account.principal, account.open_date) == ("Ann Lee", Decimal("10.00"),
                                                                           dt.date(2020, 12, 31))
    saved = ColumnMapping.objects.get(client=acme, name="acme-layout")
    assert saved.columns["Acct No"] == "account_ref" and job.mapping == saved


def test_columns_absent_from_the_file_are_left_as_they_are(acme, tmp_path):
    run(write_csv(tmp_path / "full.csv", [JANE]))
    partial = tmp_path / "balances.csv"
    partial.write_text("account_ref,debtor_ref,principal\nA1,C1,900.00\n")
    job = run(partial)
    assert (job.updated, job.unchanged) == (0, 1)
    account = Account.objects.get(reference="A1")
    assert (account.fees, account.debtor.name, account.product) == (Decimal("20.00"), "Jane Doe", "credit card")


def test_an_unknown_client_is_an_error_that_loads_nothing(db, tmp_path):
    with pytest.raises(CommandError, match="no client named"):
        run(write_csv(tmp_path / "placement.csv", [JANE]), client="Nobody Inc")
    assert not ImportJob.objects.exists() and not Account.objects.exists()


@pytest.mark.parametrize(("name", "content", "message"), [
    ("placement.txt", "account_ref\nA1\n", "only .csv and .xlsx"),
    ("placement.xlsx", "this is not a workbook", "cannot read"),
    ("placement.csv", "acct,who\nA1,C1\n", "no account_ref, debtor_ref column"),
])  # fmt: skip
def test_a_file_that_cannot_be_read_fails_the_job_and_exits_non_zero(acme, tmp_path, name, content, message):
    path = tmp_path / name
    path.write_text(content)
    with pytest.raises(CommandError, match=message):
        run(path)
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.FAILED and message in job.error
    assert not Account.objects.exists()


def test_a_malformed_record_is_reported_and_the_rest_load(acme, tmp_path):
    path = write_csv(tmp_path / "placement.csv", [JANE, BOB_BUSINESS])
    lines = path.read_text().splitlines()
    lines.insert(2, lines[1].replace("A1", "A7") + ",extra,fields")
    path.write_text("\n".join(lines) + "\n")
    job = run(path)
    assert [(line, column) for line, column, _ in errors_of(job)] == [(3, "")]
    assert "malformed record" in errors_of(job)[0][2]
    assert (job.created, job.rows_read) == (2, 3)
    assert Account.objects.get(reference="B1")


def test_csv_chunks_hold_exactly_chunk_rows_rows_and_their_own_malformed_lines(tmp_path):
    rows = [{**JANE, "account_ref": f"A{i}"} for i in range(7)]
    path = write_csv(tmp_path / "placement.csv", rows)
    lines = path.read_text().splitlines()
    lines.insert(4, lines[1] + ",extra")  # line 5 of the file
    lines.append(lines[1] + ",extra")  # the file's last line, after the last good row
    path.write_text("\n".join(lines) + "\n")

    read = list(chunks(path, None, KNOWN_COLUMNS, 3))

    assert [list(c.frame["line"]) for c in read] == [[2, 3, 4], [6, 7, 8], [9]]
    assert [[line for line, _ in c.malformed] for c in read] == [[], [5], [10]]
    assert [list(c.frame["account_ref"]) for c in read] == [["A0", "A1", "A2"], ["A3", "A4", "A5"], ["A6"]]


def test_the_first_chunk_may_be_smaller_and_the_rest_hold_chunk_rows_rows(tmp_path):
    rows = [{**JANE, "account_ref": f"A{i}"} for i in range(7)]
    path = write_csv(tmp_path / "placement.csv", rows)
    read = list(chunks(path, None, KNOWN_COLUMNS, 3, first_rows=1))
    assert [list(c.frame["line"]) for c in read] == [[2], [3, 4, 5], [6, 7, 8]]

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(list(PORTFOLIO_COLUMNS))
    for row in rows:
        sheet.append([row[c] for c in PORTFOLIO_COLUMNS])
    workbook.save(tmp_path / "placement.xlsx")
    read = list(chunks(tmp_path / "placement.xlsx", None, KNOWN_COLUMNS, 3, first_rows=2))
    assert [list(c.frame["line"]) for c in read] == [[2, 3], [4, 5, 6], [7, 8]]


def test_a_small_first_chunk_loads_the_same_rows_as_one_chunk(acme, tmp_path, monkeypatch):
    from collections_app.imports import services

    rows = [JANE, JANE_CARD_2, BOB_BUSINESS, {**JANE, "account_ref": "A3"}, {**JANE, "account_ref": "A1"}]
    monkeypatch.setattr(services, "FIRST_CHUNK_ROWS", 1)
    job = run(write_csv(tmp_path / "placement.csv", rows), chunk_rows=3)
    assert (job.created, job.rejected, job.rows_read) == (4, 1, 5)
    assert errors_of(job) == [(6, "account_ref", "duplicate account_ref: first on line 2")]
    assert Debtor.objects.get(external_ref="C1").accounts.count() == 3


def test_the_job_keeps_the_files_sha256(acme, tmp_path):
    path = write_csv(tmp_path / "placement.csv", [JANE])
    job = run(path)
    assert job.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert job.status == ImportStatus.SUCCEEDED


@pytest.mark.parametrize("mode", ["untracked", "audited"])
def test_the_slower_trigger_modes_load_the_same_rows(acme, tmp_path, settings, mode):
    """Without superuser rights the import skips only the insert-history triggers; audited skips none."""
    settings.IMPORT_INSERT_MODE = mode
    job = ImportJob.objects.create(client=acme, filename="placement.csv")
    import_run(job, write_csv(tmp_path / "placement.csv", [JANE, JANE_CARD_2, BOB_BUSINESS]))
    assert (job.created, job.rejected) == (3, 0)
    account = Account.objects.get(reference="A1")
    assert account.history.filter(pgh_label="insert").exists() == (mode == "audited")


def test_rows_created_without_insert_history_are_traceable_to_the_audited_job(acme, tmp_path, collector):
    job = ImportJob.objects.create(client=acme, filename="placement.csv", created_by=collector)
    import_run(job, write_csv(tmp_path / "placement.csv", [JANE]))
    account = Account.objects.get(reference="A1")
    assert not account.history.exists()
    job_history = job.history.order_by("pgh_id").last()
    assert job_history.pgh_context.metadata == {"import_job": job.id, "user": collector.id, "via": "import"}
    assert (job_history.created, job.sha256) == (1, job.sha256)
    assert len(job.sha256) == 64


def test_the_import_keeps_up_with_a_portfolio_imported_through_the_api_before(acme, tmp_path):
    existing = AccountFactory(debtor=DebtorFactory(client=acme, external_ref="C1", name="Jane Doe"), reference="A1",
                              principal=Decimal("900.00"), interest=Decimal("80.00"), fees=Decimal("20.00"))
    job = run(write_csv(tmp_path / "placement.csv", [JANE]))
    assert (job.created, job.updated) == (0, 1)  # dates, creditor and contact points arrive
    existing.refresh_from_db()
    assert existing.balance == Decimal("1000.00") and not CaseEvent.objects.filter(type="balance_adjusted").exists()


def test_phone_numbers_in_any_punctuation_become_e164_and_other_countries_go_through_phonenumbers(acme, tmp_path):
    rows = [
        {**JANE, "phone_mobile": "1-312-555-0101", "phone_home": "+44 20 7946 0958", "phone_work": "+13125550102"},
        {**JANE, "account_ref": "A2", "debtor_ref": "C2", "phone_mobile": "555-0100"},  # too short
        {**JANE, "account_ref": "A3", "debtor_ref": "C3", "phone_mobile": "+44 20 7946"},  # not a UK number
    ]
    job = run(write_csv(tmp_path / "placement.csv", rows))
    assert errors_of(job) == [(3, "phone_mobile", "not a valid phone number"),
                              (4, "phone_mobile", "not a valid phone number")]
    numbers = set(Phone.objects.values_list("number", flat=True))
    assert numbers == {"+13125550101", "+442079460958", "+13125550102"}
