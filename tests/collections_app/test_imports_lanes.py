"""A portfolio of several chunks loaded by two lanes (threads with a connection each), committed for real."""

import itertools
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from django.core.management import call_command

from collections_app.imports.columns import PORTFOLIO_COLUMNS
from collections_app.models import Account, CaseEvent, Debtor, ImportJob, Phone
from tests.collections_app.test_imports import JANE, write_csv

pytestmark = pytest.mark.django_db(transaction=True)


def rows() -> list[dict]:
    """40 debtors with 1–3 accounts each, rows of one debtor side by side (across chunk boundaries too)."""
    out = []
    for d in range(40):
        for a in range(1 + d % 3):
            out.append({**JANE, "debtor_ref": f"C{d}", "account_ref": f"A{d}-{a}", "last_name": f"Doe{d}",
                        "phone_mobile": f"(312) 555-{d:04d}", "principal": f"{100 + d}.{a:02d}"})
    out[7]["state"] = "ZZ"  # line 9
    out[20]["account_ref"] = out[19]["account_ref"]  # line 22
    return out


def write_xlsx(path: Path, data: list[dict]) -> Path:
    """A workbook: its reader makes chunks of exactly ``chunk_rows`` rows (Arrow's CSV reader gathers whole blocks)."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(list(PORTFOLIO_COLUMNS))
    for row in data:
        sheet.append([row.get(column, "") for column in PORTFOLIO_COLUMNS])
    workbook.save(path)
    return path


def load(path, chunk_rows=5) -> ImportJob:
    call_command("import_portfolio", str(path), client="Acme Bank", chunk_rows=chunk_rows, verbosity=0)
    return ImportJob.objects.order_by("-id").first()


def test_two_lanes_load_what_one_lane_loads_and_a_second_run_changes_nothing(acme, tmp_path):
    data = rows()
    path = write_xlsx(tmp_path / "placement.xlsx", data)
    job = load(path)

    assert [(e.line, e.column) for e in job.row_errors.order_by("line")] == [(9, "state"), (22, "account_ref")]
    good = len(data) - 2
    assert (job.rows_read, job.created, job.rejected, job.rows_total) == (len(data), good, 2, len(data))
    assert Debtor.objects.count() == 40 and Account.objects.count() == good
    assert Phone.objects.count() == 80  # a mobile of its own and the work number each
    assert Account.objects.filter(placed_by_import=job).count() == good  # each holds its placement
    for debtor in Debtor.objects.all():  # grouped by debtor_ref whichever lane and chunk held the rows
        expected = {r["account_ref"] for i, r in enumerate(data) if r["debtor_ref"] == debtor.external_ref
                    and i not in (7, 20)}
        assert set(debtor.accounts.values_list("reference", flat=True)) == expected
    # Both lanes recorded chunks: the job's history rows come from two contexts with the job's metadata.
    contexts = {h.pgh_context_id: h.pgh_context.metadata for h in job.history.exclude(pgh_context=None)}
    assert len(contexts) >= 2
    assert all(m == {"import_job": job.id, "user": None, "via": "import"} for m in contexts.values())

    again = load(path)
    assert (again.created, again.updated, again.unchanged, again.rejected) == (0, 0, good, 2)
    assert Account.objects.count() == good and not CaseEvent.objects.exists()


def test_a_file_of_one_chunk_is_loaded_by_one_lane(acme, tmp_path):
    job = load(write_csv(tmp_path / "placement.csv", rows()[:4]), chunk_rows=50)
    assert job.created == 4
    assert len({h.pgh_context_id for h in job.history.exclude(pgh_context=None)}) == 1


def test_a_lane_that_fails_stops_the_import_and_fails_the_job_without_hanging(acme, tmp_path, monkeypatch):
    from collections_app.imports.portfolio_load import PortfolioLoader

    real_load, calls = PortfolioLoader.load, itertools.count(1)  # next() is atomic: the lanes call at once

    def load_then_fail(self, prepared):
        if next(calls) == 3:
            raise RuntimeError("the database went away")
        return real_load(self, prepared)

    monkeypatch.setattr(PortfolioLoader, "load", load_then_fail)
    with pytest.raises(RuntimeError, match="went away"):
        load(write_xlsx(tmp_path / "placement.xlsx", rows()))
    job = ImportJob.objects.get()
    assert (job.status, job.error) == ("failed", "stopped by an unexpected error (see the logs)")
    assert job.created == Account.objects.count() < 77  # what committed is counted, nothing more


def test_only_references_the_client_had_are_looked_up_and_a_stale_snapshot_falls_back(acme, tmp_path, monkeypatch):
    """Rows whose references the client did not have when the job started are inserted without a
    lookup; one created by someone else since (here: the snapshot is made stale on purpose) makes the
    unique constraint refuse the chunk, which is then loaded again with every row looked up."""
    from collections_app.imports import portfolio_load, services
    from collections_app.imports.portfolio_rows import KnownReferences

    data = rows()
    path = write_xlsx(tmp_path / "placement.xlsx", data)
    first = load(path)
    assert first.created == len(data) - 2

    snapshot = services.known_references(acme.id)  # what a second job sees: every reference known
    keys = pd.util.hash_pandas_object
    assert snapshot.account_known(keys(pd.Series(["A0-0", "nope"]), index=False).to_numpy()).tolist() == [True, False]
    assert snapshot.debtor_known(keys(pd.Series(["C0", "C99"]), index=False).to_numpy()).tolist() == [True, False]

    real_load, retried = portfolio_load.PortfolioLoader.load, []

    def load_and_count(self, prepared, *, look_up_all=False):  # type: ignore[no-untyped-def]
        if look_up_all:
            retried.append(prepared.read)
        return real_load(self, prepared, look_up_all=look_up_all)

    monkeypatch.setattr(services, "known_references", lambda client_id: KnownReferences.of(
        pd.Series([], dtype=object), pd.Series([], dtype=object)))
    monkeypatch.setattr(portfolio_load.PortfolioLoader, "load", load_and_count)
    again = load(path)
    assert retried  # the unique constraint refused the "new" rows; the chunks were looked up in full
    assert (again.created, again.updated, again.unchanged, again.rejected) == (0, 0, len(data) - 2, 2)
    assert Account.objects.count() == len(data) - 2 and Debtor.objects.count() == 40
