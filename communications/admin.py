"""Back office for the outbound path: templates, outbox (with dead letters), strategies, queue health."""

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path

from communications.models import (
    Message,
    MessageTemplate,
    PrintBatch,
    StepRun,
    Strategy,
    StrategyAssignment,
    StrategyStep,
    StrategyVariant,
)
from communications.selectors import message_status_counts, queue_depths


@admin.register(MessageTemplate)
class MessageTemplateAdmin(admin.ModelAdmin):
    list_display = ("code", "channel", "language", "version", "purpose", "is_active", "updated_at")
    list_filter = ("channel", "language", "purpose", "is_active")
    search_fields = ("code", "subject", "body")


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ("id", "channel", "status", "source", "account", "template", "attempts", "created_at", "sent_at")
    list_filter = ("status", "channel", "source", "language")
    search_fields = ("=id", "=account__reference", "provider_id")
    raw_id_fields = ("account", "client", "template", "print_batch", "created_by")
    readonly_fields = [f.name for f in Message._meta.fields]
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # messages come only through the gate (message_request)

    def get_urls(self):  # type: ignore[no-untyped-def]
        return [path("queues/", self.admin_site.admin_view(self.queues_view), name="communications_queues"),
                *super().get_urls()]

    def queues_view(self, request: HttpRequest) -> HttpResponse:
        """Flower-free health: tasks waiting per Celery queue (from Redis) and messages per status."""
        context = {**self.admin_site.each_context(request), "title": "Queue health", "broker": queue_depths(),
                   "statuses": message_status_counts(), "opts": self.model._meta}
        return TemplateResponse(request, "admin/communications/queues.html", context)


@admin.register(PrintBatch)
class PrintBatchAdmin(admin.ModelAdmin):
    list_display = ("id", "client", "day", "closed_at", "created_at")
    list_filter = ("day",)


class VariantInline(admin.TabularInline):
    model = StrategyVariant
    extra = 0


@admin.register(Strategy)
class StrategyAdmin(admin.ModelAdmin):
    list_display = ("name", "priority", "is_active", "version", "updated_at")
    inlines = [VariantInline]


class StepInline(admin.TabularInline):
    model = StrategyStep
    extra = 0


@admin.register(StrategyVariant)
class StrategyVariantAdmin(admin.ModelAdmin):
    list_display = ("strategy", "name", "weight", "is_holdout")
    inlines = [StepInline]


@admin.register(StrategyAssignment)
class StrategyAssignmentAdmin(admin.ModelAdmin):
    list_display = ("account", "strategy", "variant", "next_order", "next_due_at", "last_step_at")
    list_filter = ("strategy", "variant")
    raw_id_fields = ("account",)


@admin.register(StepRun)
class StepRunAdmin(admin.ModelAdmin):
    list_display = ("assignment", "step_order", "outcome", "message", "task_id", "created_at")
    list_filter = ("outcome",)
    raw_id_fields = ("assignment", "message", "step")
