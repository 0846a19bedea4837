"""The admin of scheduled dialogs (``SET SCHEDULE``): read-only rows written at package load,
with enable / disable actions (only on the bots the user operates: ``BotScopedAdminMixin``)."""

from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html

from generalbots.bots.admin.scoping import BotScopedAdminMixin
from workflows.models import BotSchedule

FIELDS = ["bot", "script_name", "schedule_text", "cron", "source_path", "line", "enabled", "next_run_at",
          "last_run_at", "last_run", "last_error", "problem", "created_at", "updated_at"]


@admin.register(BotSchedule)
class BotScheduleAdmin(BotScopedAdminMixin, admin.ModelAdmin):
    """Scheduled dialogs per bot: what runs when, the last run (a link to it) and why one
    cannot fire. Rows come from the packages; only ``enabled`` changes, through the actions."""

    list_display = ["script_name", "bot", "schedule_text", "cron", "enabled", "next_run_at", "last_run", "problem"]
    list_filter = ["enabled", "bot"]
    search_fields = ["script_name", "schedule_text", "bot__name"]
    list_select_related = ["bot", "last_execution"]
    fields = FIELDS
    readonly_fields = FIELDS
    actions = ["enable", "disable"]

    @admin.display(description="last run", ordering="last_run_at")
    def last_run(self, obj: BotSchedule):
        if obj.last_execution_id is None:
            return obj.last_run_at or "—"
        link = reverse("admin:workflows_workflowexecution_change", args=[obj.last_execution_id])
        return format_html('<a href="{}">{}</a>', link, obj.last_run_at or obj.last_execution_id)

    def has_add_permission(self, request):
        return False

    def _set_enabled(self, request, queryset, enabled: bool) -> None:
        changed = queryset.exclude(enabled=enabled).update(enabled=enabled)
        self.message_user(request, f"{changed} schedule(s) {'enabled' if enabled else 'disabled'}.", messages.SUCCESS)

    @admin.action(description="Enable selected schedules", permissions=["change"])
    def enable(self, request, queryset):
        self._set_enabled(request, queryset, True)

    @admin.action(description="Disable selected schedules", permissions=["change"])
    def disable(self, request, queryset):
        self._set_enabled(request, queryset, False)
