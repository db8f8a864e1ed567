"""The back office: every model, searchable and filterable; the timeline read-only."""

from django.contrib import admin

from collections_app.models import Account, Address, CaseEvent, Client, Debtor, Email, Note, Phone, Task


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


from collections_app import admin_money  # noqa: E402,F401 — registers the money screens
