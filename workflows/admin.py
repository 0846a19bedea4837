from django.contrib import admin, messages

from generalbots.core.exceptions import ApplicationError
from workflows import services
from workflows.models import WorkflowEvent, WorkflowExecution


@admin.register(WorkflowExecution)
class WorkflowExecutionAdmin(admin.ModelAdmin):
    list_display = ["short_id", "workflow_name", "bot", "status", "current_step", "created_at", "finished_at"]
    list_filter = ["status", "bot"]
    search_fields = ["=id", "workflow_name", "bot__name", "waiting_for"]
    ordering = ["-created_at"]
    date_hierarchy = "created_at"
    list_select_related = ["bot"]
    autocomplete_fields = ["bot"]
    raw_id_fields = ["parent", "root", "started_by"]
    readonly_fields = ["id", "script_hash", "created_at", "updated_at", "finished_at"]
    actions = ["cancel"]

    @admin.display(description="run", ordering="id")
    def short_id(self, obj: WorkflowExecution) -> str:
        return str(obj.id)[:8]

    @admin.action(description="Cancel selected runs", permissions=["change"])
    def cancel(self, request, queryset):
        cancelled = 0
        for execution in queryset:
            try:
                services.execution_cancel(execution=execution)
            except ApplicationError as exc:
                self.message_user(request, exc.message, messages.ERROR)
            else:
                cancelled += 1
        if cancelled:
            self.message_user(request, f"{cancelled} run(s) cancelled.", messages.SUCCESS)


@admin.register(WorkflowEvent)
class WorkflowEventAdmin(admin.ModelAdmin):
    list_display = ["id", "event_name", "organization", "source_bot", "workflow", "created_at"]
    list_filter = ["organization", "created_at"]
    search_fields = ["event_name", "source_bot__name"]
    ordering = ["-id"]
    date_hierarchy = "created_at"
    list_select_related = ["organization", "source_bot", "workflow"]
    autocomplete_fields = ["organization", "source_bot"]
    raw_id_fields = ["workflow"]
    readonly_fields = ["created_at"]
