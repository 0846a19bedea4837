"""The admin of runs, their steps and approval requests; destructive bulk actions confirm first."""

from django.contrib import admin, messages
from django.db.models import Case, F, IntegerField, Value, When
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html

from generalbots.bots.admin.scoping import BotScopedAdminMixin
from generalbots.core.exceptions import ApplicationError
from workflows import services
from workflows.choices import ApprovalStatus
from workflows.models import WorkflowApproval, WorkflowExecution, WorkflowStep


def _confirm(modeladmin, request, queryset, *, action: str, title: str, question: str):
    """The intermediate page of a destructive bulk action; None once the user confirmed."""
    if request.POST.get("confirm") == "yes":
        return None
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title, "question": question, "objects": queryset, "action": action,
        "opts": modeladmin.model._meta, "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "admin/workflows/confirm_action.html", context)


def _run_action(modeladmin, request, queryset, service, done: str):
    """Call ``service(execution=...)`` per run; each domain error becomes an error message."""
    count = 0
    for execution in queryset.select_related("bot"):
        try:
            getattr(services, service)(execution=execution)
        except ApplicationError as exc:
            modeladmin.message_user(request, f"{execution}: {exc.message}", messages.ERROR)
        else:
            count += 1
    if count:
        modeladmin.message_user(request, f"{count} run(s) {done}.", messages.SUCCESS)


class WorkflowStepInline(admin.TabularInline):
    model = WorkflowStep
    fk_name = "execution"
    extra = 0
    can_delete = False
    fields = ["label", "attempt", "kind", "status", "line", "started_at", "duration", "error_line", "error", "child"]
    readonly_fields = fields
    ordering = ["started_at", "id"]

    def has_add_permission(self, request, obj=None):
        return False


class WorkflowApprovalInline(admin.TabularInline):
    model = WorkflowApproval
    extra = 0
    can_delete = False
    show_change_link = True
    fields = ["step_label", "approver", "status", "deadline", "decided_by", "decided_at", "comment"]
    readonly_fields = fields
    ordering = ["created_at"]

    def has_add_permission(self, request, obj=None):
        return False


class RunLevelFilter(admin.SimpleListFilter):
    """Top-level runs unless asked otherwise: one API-started run is one row, its BOT calls and
    branches (child runs) are listed on asking, or on the run's page."""

    title = "level"
    parameter_name = "level"

    def lookups(self, request, model_admin):
        return [("children", "Child runs"), ("all", "All runs")]

    def choices(self, changelist):
        yield {"selected": self.value() is None, "query_string": changelist.get_query_string(remove=[self.parameter_name]),
               "display": "Top-level runs"}
        for value, label in self.lookup_choices:
            yield {"selected": self.value() == value, "display": label,
                   "query_string": changelist.get_query_string({self.parameter_name: value})}

    def queryset(self, request, queryset):
        if self.value() == "all":
            return queryset
        return queryset.filter(parent__isnull=self.value() != "children")


@admin.register(WorkflowExecution)
class WorkflowExecutionAdmin(BotScopedAdminMixin, admin.ModelAdmin):
    """Runs, read-only: the engine writes them, and an operator changes one only through the
    actions (cancel, retry, resume), which call the services."""

    list_display = ["short_id", "workflow_name", "bot", "status", "current_step_label", "created_at", "finished_at",
                    "live_link"]
    list_filter = [RunLevelFilter, "status", "kind", "is_workflow", "bot", "workflow_name", "created_at"]
    search_fields = ["=id", "workflow_name", "bot__name", "waiting_for", "error"]
    ordering = ["-created_at"]
    date_hierarchy = "created_at"
    list_select_related = ["bot"]
    inlines = [WorkflowStepInline, WorkflowApprovalInline]
    actions = ["cancel", "retry", "resume_now"]

    def has_add_permission(self, request):
        return False  # runs start through the services: the console's start form, the API, gb run

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.concrete_fields]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The run's page without save buttons: nothing on it is edited by hand."""
        extra_context = {**(extra_context or {}), "show_save": False, "show_save_and_continue": False,
                         "show_save_and_add_another": False}
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.display(description="run", ordering="id")
    def short_id(self, obj: WorkflowExecution) -> str:
        return str(obj.id)[:8]

    @admin.display(description="live")
    def live_link(self, obj: WorkflowExecution) -> str:
        return format_html('<a href="{}">dashboard</a>', reverse("workflows:run", args=[obj.pk]))

    @admin.action(description="Cancel selected runs", permissions=["change"])
    def cancel(self, request, queryset):
        page = _confirm(self, request, queryset, action="cancel", title="Cancel runs?",
                        question="These runs and the child runs they wait for will be cancelled. This cannot be undone.")
        if page is not None:
            return page
        _run_action(self, request, queryset, "execution_cancel", "cancelled")

    @admin.action(description="Retry selected failed runs from the failed step", permissions=["change"])
    def retry(self, request, queryset):
        _run_action(self, request, queryset, "execution_retry", "retried")

    @admin.action(description="Resume selected waiting runs now", permissions=["change"])
    def resume_now(self, request, queryset):
        _run_action(self, request, queryset, "execution_resume_now", "resumed")


@admin.register(WorkflowApproval)
class WorkflowApprovalAdmin(BotScopedAdminMixin, admin.ModelAdmin):
    """The approvals inbox: pending requests first, the nearest deadline on top."""

    bot_path = "execution__bot"

    list_display = ["approver", "run_link", "bot_name", "step_label", "status", "deadline", "decided_by",
                    "decided_at", "created_at"]
    list_filter = ["status", "deadline", "created_at"]
    search_fields = ["approver", "execution__workflow_name", "execution__bot__name", "comment"]
    list_select_related = ["execution__bot", "decided_by"]
    raw_id_fields = ["execution", "escalated_from", "decided_by"]
    readonly_fields = ["execution", "step_label", "approver", "status", "decided_by", "decided_at", "deadline",
                       "timeout_seconds", "escalated_from", "effect_key", "line", "created_at", "updated_at"]
    exclude = ["token"]
    actions = ["approve", "reject"]

    ordering = [Case(When(status=ApprovalStatus.PENDING, then=Value(0)), default=Value(1),
                     output_field=IntegerField()).asc(), F("deadline").asc(nulls_last=True), "-created_at"]

    def has_add_permission(self, request):
        return False

    @admin.display(description="run", ordering="execution__workflow_name")
    def run_link(self, obj: WorkflowApproval) -> str:
        return format_html('<a href="{}">{}</a>', reverse("workflows:run", args=[obj.execution_id]), obj.execution)

    @admin.display(description="bot", ordering="execution__bot__name")
    def bot_name(self, obj: WorkflowApproval) -> str:
        return obj.execution.bot.name

    def _decide(self, request, queryset, decision: str, done: str):
        count = 0
        for approval in queryset:
            try:
                services.approval_decide(approval=approval, decision=decision, user=request.user)
            except ApplicationError as exc:
                self.message_user(request, f"{approval.approver} on {approval.execution}: {exc.message}",
                                  messages.ERROR)
            else:
                count += 1
        if count:
            self.message_user(request, f"{count} request(s) {done}.", messages.SUCCESS)

    @admin.action(description="Approve selected requests", permissions=["change"])
    def approve(self, request, queryset):
        self._decide(request, queryset, ApprovalStatus.APPROVED, "approved")

    @admin.action(description="Reject selected requests", permissions=["change"])
    def reject(self, request, queryset):
        page = _confirm(self, request, queryset, action="reject", title="Reject requests?",
                        question="The waiting runs continue with approved = FALSE. A decision cannot be changed.")
        if page is not None:
            return page
        self._decide(request, queryset, ApprovalStatus.REJECTED, "rejected")


@admin.register(WorkflowStep)
class WorkflowStepAdmin(BotScopedAdminMixin, admin.ModelAdmin):
    """Step records, read-only: written by the engine only."""

    bot_path = "execution__bot"

    list_display = ["__str__", "execution", "kind", "status", "started_at", "duration"]
    list_filter = ["status", "kind", "started_at"]
    search_fields = ["label", "execution__workflow_name", "error"]
    list_select_related = ["execution"]
    raw_id_fields = ["execution", "child"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
