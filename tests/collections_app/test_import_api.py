"""``/api/v1/imports/``: upload, follow the job, download the rejected rows; the worker task."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from collections_app.imports.columns import PORTFOLIO_COLUMNS
from collections_app.imports.tasks import import_job_run
from collections_app.models import Account, ColumnMapping, ImportJob, ImportStatus
from tests.collections_app.test_imports import BOB_BUSINESS, JANE

pytestmark = pytest.mark.django_db


def upload(rows: list[dict], name: str = "placement.csv", columns=PORTFOLIO_COLUMNS) -> SimpleUploadedFile:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns))
    writer.writeheader()
    writer.writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode(), content_type="text/csv")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_a_small_upload_is_imported_in_the_request_with_counts_and_row_errors(api, acme, collector):
    bad = {**JANE, "account_ref": "A2", "delinquency_date": "yesterday"}
    response = api.post("/api/v1/imports/", {"client": acme.id, "file": upload([JANE, bad, BOB_BUSINESS])},
                        format="multipart")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["status"], body["rows_read"], body["created"], body["updated"], body["unchanged"],
            body["rejected"]) == ("succeeded", 3, 2, 0, 0, 1)
    assert body["row_errors"] == [{"line": 3, "column": "delinquency_date",
                               "reason": "not a date (YYYY-MM-DD or MM/DD/YYYY)"}]
    assert body["duration_seconds"] is not None and body["progress"] == 1.0
    assert ImportJob.objects.get(id=body["id"]).created_by == collector

    again = api.get(f"/api/v1/imports/{body['id']}/")
    assert again.status_code == 200 and again.json()["created"] == 2

    report = api.get(f"/api/v1/imports/{body['id']}/error-report/")
    assert report.status_code == 200 and report["Content-Type"].startswith("text/csv")
    text = b"".join(report.streaming_content).decode()
    assert text.splitlines() == ["line,column,reason", "3,delinquency_date,not a date (YYYY-MM-DD or MM/DD/YYYY)"]


def test_a_large_upload_is_queued_and_the_worker_task_runs_it(api, acme, settings, django_capture_on_commit_callbacks):
    settings.IMPORT_INLINE_MAX_BYTES = 10
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = api.post("/api/v1/imports/", {"client": acme.id, "file": upload([JANE])}, format="multipart")
    assert response.status_code == 202 and response.json()["status"] == "queued"
    assert len(callbacks) == 1  # enqueued only once the job is committed
    assert not Account.objects.exists()

    import_job_run(response.json()["id"])  # what the worker runs: the task function, with the job's id

    job = ImportJob.objects.get(id=response.json()["id"])
    assert (job.status, job.created) == (ImportStatus.SUCCEEDED, 1)
    import_job_run(job.id)  # delivered twice: the job is no longer queued, nothing happens
    assert ImportJob.objects.get(id=job.id).created == 1 and Account.objects.count() == 1


def test_a_saved_mapping_can_be_chosen_for_an_upload(api, acme):
    created = api.post("/api/v1/import-mappings/", {"client": acme.id, "name": "legacy",
                                                    "columns": {"Acct": "account_ref", "Cust": "debtor_ref",
                                                                "Surname": "last_name"}}, format="json")
    assert created.status_code == 201, created.json()
    file = SimpleUploadedFile("legacy.csv", b"Acct,Cust,Surname\nL1,K1,Lee\n", content_type="text/csv")
    response = api.post("/api/v1/imports/", {"client": acme.id, "mapping": created.json()["id"], "file": file},
                        format="multipart")
    assert response.status_code == 201 and response.json()["created"] == 1
    assert Account.objects.get(reference="L1").debtor.name == "Lee"


def test_a_mapping_naming_columns_we_do_not_have_is_a_400(api, acme):
    response = api.post("/api/v1/import-mappings/", {"client": acme.id, "name": "x", "columns": {"A": "shoe_size"}},
                        format="json")
    assert response.status_code == 400 and "shoe_size" in str(response.json()["columns"])
    assert not ColumnMapping.objects.exists()


def test_another_clients_import_is_invisible_and_uploading_for_it_is_a_404(api, other_api, acme, globex):
    mine = api.post("/api/v1/imports/", {"client": acme.id, "file": upload([JANE])}, format="multipart").json()
    assert other_api.get(f"/api/v1/imports/{mine['id']}/").status_code == 404
    assert other_api.get(f"/api/v1/imports/{mine['id']}/error-report/").status_code == 404
    assert other_api.get("/api/v1/imports/").json()["count"] == 0
    response = other_api.post("/api/v1/imports/", {"client": acme.id, "file": upload([JANE])}, format="multipart")
    assert response.status_code == 404
    assert ImportJob.objects.count() == 1


def test_a_file_that_is_not_csv_or_xlsx_is_a_400_that_changes_nothing(api, acme):
    file = SimpleUploadedFile("placement.pdf", b"%PDF-1.4", content_type="application/pdf")
    response = api.post("/api/v1/imports/", {"client": acme.id, "file": file}, format="multipart")
    assert response.status_code == 400 and "file" in response.json()
    assert not ImportJob.objects.exists()


def test_a_compliance_officer_may_read_imports_but_not_upload(compliance_officer, acme):
    from tests.conftest import api_for

    client = api_for(compliance_officer)
    assert client.get("/api/v1/imports/").status_code == 200
    assert client.post("/api/v1/imports/", {"client": acme.id, "file": upload([JANE])},
                       format="multipart").status_code == 403


def test_the_admin_shows_an_imports_progress_and_its_rejected_rows(admin_user, acme, api):
    from django.test import Client as Browser

    job_id = api.post("/api/v1/imports/", {"client": acme.id, "file": upload([{**JANE, "state": "XX"}])},
                      format="multipart").json()["id"]
    browser = Browser()
    browser.force_login(admin_user)
    listing = browser.get("/admin/collections_app/importjob/")
    assert listing.status_code == 200 and b"100%" in listing.content
    page = browser.get(f"/admin/collections_app/importjob/{job_id}/change/")
    assert page.status_code == 200 and b"unknown state" in page.content


def test_the_admin_uploads_a_file_under_a_saved_mapping_of_the_client(admin_user, acme, tmp_path):
    from django.test import Client as Browser

    from tests.factories import ClientFactory

    mapping = ColumnMapping.objects.create(client=acme, name="acme-weekly", columns={"Loan No": "account_ref"})
    other = ColumnMapping.objects.create(client=ClientFactory(name="Other Bank"), name="theirs", columns={})
    browser = Browser()
    browser.force_login(admin_user)
    form = browser.get("/admin/collections_app/importjob/add/")
    assert form.status_code == 200
    assert b"Acme Bank \xe2\x80\x94 acme-weekly" in form.content and b"Other Bank \xe2\x80\x94 theirs" in form.content

    theirs = {"Loan No": "A1", **{k: v for k, v in JANE.items() if k != "account_ref"}}
    refused = browser.post("/admin/collections_app/importjob/add/",
                           {"client": acme.id, "mapping": other.id, "upload": upload([theirs], columns=list(theirs))})
    assert refused.status_code == 200 and b"belongs to another client" in refused.content
    assert not ImportJob.objects.exists()

    done = browser.post("/admin/collections_app/importjob/add/",
                        {"client": acme.id, "mapping": mapping.id, "upload": upload([theirs], columns=list(theirs))})
    assert done.status_code == 302
    job = ImportJob.objects.get()
    assert (job.mapping, job.created_by, job.status, job.created) == (mapping, admin_user, "succeeded", 1)
    assert Account.objects.get(reference="A1").client == acme


def test_the_debtors_event_listing_holds_the_stored_events_and_no_placements(api, acme):
    """The contract's ``GET /debtors/{id}/events/`` lists the facts posted or written on the timeline;
    an account's placement is the account's own fact (``placed_at`` on ``GET /accounts/{id}/``), held
    on its row, and the desk's timeline shows it from there."""
    response = api.post("/api/v1/imports/", {"client": acme.id, "file": upload([JANE, {**JANE, "account_ref": "A2"}])},
                        format="multipart")
    assert response.status_code == 201, response.json()
    a1 = Account.objects.get(reference="A1")
    call = api.post("/api/v1/events/", {"debtor": a1.debtor_id, "accounts": [a1.id], "type": "call_attempt",
                                        "occurred_at": "2020-01-01T09:00:00-05:00", "direction": "outbound",
                                        "channel": "call", "target": "+13125550101", "outcome": "no_answer"},
                    format="json")
    assert call.status_code == 201, call.json()
    listed = api.get(f"/api/v1/debtors/{a1.debtor_id}/events/").json()
    assert listed["count"] == 1 and [e["id"] for e in listed["results"]] == [call.json()["id"]]
    assert api.get(f"/api/v1/accounts/{a1.id}/").json()["placed_at"]
