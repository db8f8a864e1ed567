"""The back office: every model, searchable and filterable; the timeline read-only."""

from pathlib import Path
from typing import Any

from django import forms
from django.contrib import admin
from django.utils.html import format_html, format_html_join

from collections_app.imports.reader import SUFFIXES
from collections_app.imports.services import import_job_submit
from collections_app.models import (
    Account,
    Address,
    CaseEvent,
    Client,
    ColumnMapping,
    Debtor,
    Email,
    ImportJob,
    ImportKind,
    Note,
    Phone,
    Task,
)


@admin.register(Client)
class ClientAdmin(admin.ModelAdmin):
    list_display = ("name", "operator_type", "max_calls_per_7_days", "sms_enabled", "email_enabled", "created_at")
    list_filter = ("operator_type", "sms_enabled", "email_enabled")
    search_fields = ("name",)
    filter_horizontal = ("members",)


class AddressInline(admin.TabularInline):
    model = Address
    extra = 0


class PhoneInline(admin.TabularInline):
    model = Phone
    extra = 0


class EmailInline(admin.TabularInline):
    model = Email
    extra = 0


class AccountInline(admin.TabularInline):
    model = Account
    extra = 0
    fields = ("reference", "kind", "status", "principal_balance", "interest_balance", "fees_balance")
    readonly_fields = fields
    show_change_link = True
    can_delete = False


@admin.register(Debtor)
class DebtorAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "client", "external_ref", "timezones_display", "created_at")
    list_filter = ("kind", "client", "preferred_language")
    search_fields = ("name", "external_ref", "phones__number", "emails__address")
    readonly_fields = ("timezones", "ssn_index")
    exclude = ("ssn",)
    list_select_related = ("client",)
    inlines = [AddressInline, PhoneInline, EmailInline, AccountInline]
    show_full_result_count = False

    @admin.display(description="Time zones")
    def timezones_display(self, obj: Debtor) -> str:
        return ", ".join(obj.timezones)


@admin.register(Account)
class AccountAdmin(admin.ModelAdmin):
    list_display = ("reference", "debtor", "client", "kind", "status", "balance", "governing_state", "placed_at")
    list_filter = ("status", "kind", "client", "governing_state")
    search_fields = ("reference", "debtor__name", "debtor__external_ref")
    list_select_related = ("debtor", "client")
    raw_id_fields = ("debtor", "assigned_to")
    readonly_fields = ("balance", "sol_expires_on", "validation_notice_sent_at", "validation_period_end", "status")
    show_full_result_count = False


@admin.register(CaseEvent)
class CaseEventAdmin(admin.ModelAdmin):
    """The timeline is append-only: no edits, no deletes, here or anywhere."""

    list_display = ("occurred_at", "type", "debtor", "channel", "direction", "outcome", "created_by")
    list_filter = ("type", "channel", "direction", "client")
    search_fields = ("debtor__name", "debtor__external_ref")
    date_hierarchy = "occurred_at"
    list_select_related = ("debtor", "created_by")
    show_full_result_count = False

    def has_change_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False

    def get_readonly_fields(self, request, obj=None):  # type: ignore[no-untyped-def]
        return [f.name for f in CaseEvent._meta.fields]


@admin.register(Note)
class NoteAdmin(admin.ModelAdmin):
    list_display = ("debtor", "account", "author", "created_at")
    search_fields = ("body", "debtor__name")
    raw_id_fields = ("debtor", "account")


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "status", "due_at", "assigned_to", "debtor")
    list_filter = ("kind", "status", "assigned_to")
    search_fields = ("title", "debtor__name")
    raw_id_fields = ("debtor", "account")


class ImportUploadForm(forms.ModelForm):
    """Upload a client's file, in the standard layout or under one of the client's saved mappings."""

    upload = forms.FileField(label="File", help_text="A .csv or .xlsx file.")
    kind = forms.ChoiceField(choices=[("", "Detect from the columns"), *ImportKind.choices], required=False)

    class Meta:
        model = ImportJob
        fields = ("client", "mapping")
        help_texts = {"mapping": "A column mapping saved for this client (files in another layout)."}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        mapping = self.fields["mapping"]
        mapping.queryset = ColumnMapping.objects.select_related("client").order_by("client__name", "name")  # type: ignore[attr-defined]
        mapping.label_from_instance = lambda m: f"{m.client} — {m.name}"  # type: ignore[attr-defined]

    def clean_upload(self) -> Any:
        upload = self.cleaned_data["upload"]
        if Path(upload.name).suffix.lower() not in SUFFIXES:
            raise forms.ValidationError("Only .csv and .xlsx files can be imported.")
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        mapping, client = data.get("mapping"), data.get("client")
        if mapping is not None and client is not None and mapping.client_id != client.id:
            self.add_error("mapping", "This mapping belongs to another client.")
        return data


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    """Imports run by the command, the API or an upload here (small files at once, large ones in the
    Celery worker); the back office watches their progress, counts and rejected rows."""

    list_display = ("id", "client", "kind", "status", "progress_display", "rows_read", "created", "updated",
                    "unchanged", "rejected", "duration_display", "created_at")
    list_filter = ("status", "kind", "client")
    search_fields = ("filename",)
    list_select_related = ("client",)
    readonly_fields = ("client", "kind", "status", "file", "filename", "sha256", "mapping", "created_by",
                       "rows_total", "rows_read", "created", "updated", "unchanged", "rejected", "progress_display",
                       "duration_display", "error", "first_errors", "started_at", "finished_at", "created_at",
                       "updated_at")

    def get_form(self, request, obj=None, change=False, **kwargs):  # type: ignore[no-untyped-def]
        if obj is None:
            kwargs["form"] = ImportUploadForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):  # type: ignore[no-untyped-def]
        return ("client", "mapping", "upload", "kind") if obj is None else self.readonly_fields

    def get_readonly_fields(self, request, obj=None):  # type: ignore[no-untyped-def]
        return () if obj is None else self.readonly_fields

    def has_change_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False

    def save_model(self, request, obj, form, change) -> None:  # type: ignore[no-untyped-def]
        job, finished = import_job_submit(client=form.cleaned_data["client"], upload=form.cleaned_data["upload"],
                                          mapping=form.cleaned_data.get("mapping"),
                                          kind=form.cleaned_data.get("kind") or "", created_by=request.user)
        obj.pk = job.pk  # the admin's "added" message and redirect name this job
        if not finished:
            self.message_user(request, f"Import #{job.pk} is queued; its progress shows in this list.")

    @admin.display(description="Progress")
    def progress_display(self, obj: ImportJob) -> str:
        return "-" if obj.progress is None else f"{obj.progress:.0%}"

    @admin.display(description="Rejected rows (first 50)")
    def first_errors(self, obj: ImportJob) -> str:
        rows = obj.row_errors.order_by("line", "id")[:50]
        report = format_html('<a href="/api/v1/imports/{}/error-report/">every rejected row (CSV)</a>', obj.id)
        return format_html_join("", "<div>line {}: {} — {}</div>", ((e.line, e.column or "record", e.reason)
                                                                    for e in rows)) + report

    @admin.display(description="Duration")
    def duration_display(self, obj: ImportJob) -> str:
        seconds = obj.duration_seconds
        return "-" if seconds is None else f"{seconds:,.1f} s"


@admin.register(ColumnMapping)
class ColumnMappingAdmin(admin.ModelAdmin):
    list_display = ("name", "client", "kind", "updated_at")
    list_filter = ("kind", "client")
    search_fields = ("name",)


from collections_app import admin_money  # noqa: E402,F401 — registers the money screens
