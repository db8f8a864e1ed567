"""Back-office screens for the money side: payments with their ledger rows, plans with their
schedules, promises and settlements. Ledger rows are read-only everywhere; money moves only
through the services (the API), never by editing a row here."""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from collections_app.models import Installment, LedgerEntry, Payment, Plan, Promise, Settlement
from collections_app.models.accounts import ZERO


class ReadOnlyMixin:
    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class LedgerEntryInline(ReadOnlyMixin, admin.TabularInline):
    model = LedgerEntry
    fk_name = "payment"
    extra = 0
    fields = ("created_at", "kind", "component", "amount", "account")
    readonly_fields = fields


@admin.register(Payment)
class PaymentAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("id", "received_at", "account", "amount", "unapplied", "method", "status", "external_id", "plan")
    list_filter = ("status", "method", "client")
    search_fields = ("external_id", "account__reference")
    date_hierarchy = "received_at"
    list_select_related = ("account",)
    inlines = [LedgerEntryInline]
    show_full_result_count = False


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("id", "created_at", "account", "kind", "component", "amount", "payment", "settlement")
    list_filter = ("kind", "component")
    search_fields = ("account__reference",)
    list_select_related = ("account",)
    show_full_result_count = False


class InstallmentInline(ReadOnlyMixin, admin.TabularInline):
    model = Installment
    extra = 0
    fields = ("seq", "due_date", "amount", "paid_amount", "status")
    readonly_fields = fields


@admin.register(Plan)
class PlanAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("id", "debtor", "status", "frequency", "total", "paid", "remaining", "balance_now", "created_at")
    list_filter = ("status", "frequency", "client")
    search_fields = ("debtor__name", "accounts__reference")
    list_select_related = ("debtor",)
    inlines = [InstallmentInline]
    fields = ("client", "debtor", "accounts", "status", "frequency", "payday", "grace_days", "total", "paid",
              "remaining", "balance_now", "signed_by_name", "signed_at", "activated_at", "closed_at", "created_by")
    readonly_fields = fields
    show_full_result_count = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Plan]:
        return super().get_queryset(request).prefetch_related("installments", "accounts")

    @admin.display(description="Paid")
    def paid(self, plan: Plan) -> str:
        return f"{sum((i.paid_amount for i in plan.installments.all()), ZERO):.2f}"

    @admin.display(description="Remaining")
    def remaining(self, plan: Plan) -> str:
        return f"{plan.total - sum((i.paid_amount for i in plan.installments.all()), ZERO):.2f}"

    @admin.display(description="Accounts' balance now")
    def balance_now(self, plan: Plan) -> str:
        return f"{sum((a.balance for a in plan.accounts.all()), ZERO):.2f}"


@admin.register(Promise)
class PromiseAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("id", "account", "amount", "due_date", "source", "status", "paid_amount", "made_at")
    list_filter = ("status", "source", "client")
    search_fields = ("account__reference", "debtor__name")
    list_select_related = ("account",)
    show_full_result_count = False


@admin.register(Settlement)
class SettlementAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("id", "debtor", "kind", "balance", "amount", "discount_pct", "status", "offered_by",
                    "decided_by", "created_at")
    list_filter = ("status", "kind", "client")
    search_fields = ("debtor__name", "accounts__reference")
    list_select_related = ("debtor", "offered_by", "decided_by")
    show_full_result_count = False
