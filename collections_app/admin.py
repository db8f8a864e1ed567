"""The back office: every model, searchable and filterable; the timeline read-only."""

from django.contrib import admin
from django.utils.html import format_html, format_html_join

from collections_app.models import (
    Account,
    Address,
    CaseEvent,
    Client,
    ColumnMapping,
    Debtor,
    Email,
    ImportJob,
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


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    """Imports are run by the command or the API; the back office watches them."""

    list_display = ("id", "client", "kind", "status", "progress_display", "rows_read", "created", "updated",
                    "unchanged", "rejected", "duration_display", "created_at")
    list_filter = ("status", "kind", "client")
    search_fields = ("filename",)
    list_select_related = ("client",)
    readonly_fields = ("client", "kind", "status", "file", "filename", "sha256", "mapping", "created_by",
                       "rows_total", "rows_read", "created", "updated", "unchanged", "rejected", "progress_display",
                       "duration_display", "error", "first_errors", "started_at", "finished_at", "created_at",
                       "updated_at")

    def has_add_permission(self, request) -> bool:  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False

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
