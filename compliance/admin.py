from django.contrib import admin

from compliance.models import Decision


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    """Evidence: read-only."""

    list_display = ("created_at", "account", "channel", "allowed", "rule_ids", "next_allowed_at", "source", "actor")
    list_filter = ("allowed", "channel", "source", "client")
    search_fields = ("account__reference",)
    raw_id_fields = ("account", "debtor", "actor")
    list_select_related = ("account", "actor")
    show_full_result_count = False

    @admin.display(description="Rules")
    def rule_ids(self, obj: Decision) -> str:
        return ", ".join(obj.rules) or "—"

    def has_add_permission(self, request) -> bool:  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False
