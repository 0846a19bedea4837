from django.contrib import admin, messages
from django.db import models
from django.db.models import Q
from django.utils import timezone

from generalbots.bots.admin.scoping import BotScopedAdminMixin
from llmrouter.models import LLMCall, LLMModel, ModelPerformance, RouterSettings, RunLLMSettings
from llmrouter.selectors import performance_visible_filter

# Global registry entries and the router settings (no bot) are shown read-only to everyone who
# may view these models, as on the /llm/ dashboard and the /api/llm/ endpoints
# (llmrouter.selectors.visible_filter); only superusers change them. Calls and statistics are
# each organization's own (calls_visible_filter, performance_visible_filter).


@admin.register(LLMModel)
class LLMModelAdmin(BotScopedAdminMixin, admin.ModelAdmin):
    global_rows_visible = True  # global entries serve every bot; a bot's own entries only its people
    list_display = ["alias", "bot", "model_id", "provider_url", "price_input_per_1k", "price_output_per_1k",
                    "quality", "context_window", "enabled", "source", "cooldown_until"]
    list_filter = ["enabled", "source", ("bot", admin.EmptyFieldListFilter)]
    list_select_related = ["bot"]
    search_fields = ["alias", "model_id", "provider_url", "bot__name"]
    autocomplete_fields = ["bot"]
    ordering = ["bot__name", "alias"]
    # a provider URL typed without a scheme is taken as https (Django 6's default, stated now)
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    readonly_fields = ["source", "consecutive_failures", "cooldown_until", "has_literal_key", "created_at",
                       "updated_at"]
    fieldsets = [
        (None, {"fields": ["alias", "bot", "enabled", "source"]}),
        ("Provider", {"fields": ["provider_url", "model_id", "api_key_env", "has_literal_key", "timeout_seconds"]}),
        ("What it costs and suits", {"fields": ["price_input_per_1k", "price_output_per_1k", "context_window",
                                                "task_types", "quality", "latency_prior_ms"]}),
        ("Health", {"fields": ["consecutive_failures", "cooldown_until", "created_at", "updated_at"]}),
    ]
    actions = ["end_cooldown"]

    @admin.display(description="literal key from config.csv", boolean=True)
    def has_literal_key(self, obj: LLMModel) -> bool:
        return bool(obj.api_key)

    @admin.action(description="End the cooldown of the selected models", permissions=["change"])
    def end_cooldown(self, request, queryset):
        count = queryset.filter(cooldown_until__gt=timezone.now()).update(cooldown_until=None, consecutive_failures=0)
        self.message_user(request, f"{count} model(s) back in routing.", messages.SUCCESS)


@admin.register(RouterSettings)
class RouterSettingsAdmin(BotScopedAdminMixin, admin.ModelAdmin):
    bot_path = None  # one platform-wide row: read-only but for superusers
    global_rows_visible = True
    list_display = ["__str__", "default_model", "exploration", "cooldown_failures", "cooldown_seconds",
                    "daily_budget", "updated_at"]
    list_select_related = ["default_model"]
    search_fields = ["default_model__alias"]
    readonly_fields = ["updated_at"]

    def has_add_permission(self, request) -> bool:
        return super().has_add_permission(request) and not RouterSettings.objects.exists()


@admin.register(RunLLMSettings)
class RunLLMSettingsAdmin(BotScopedAdminMixin, admin.ModelAdmin):
    bot_path = "execution__bot"
    list_display = ["execution", "budget", "pinned_alias", "updated_at"]
    list_select_related = ["execution"]
    search_fields = ["execution__workflow_name", "pinned_alias"]
    raw_id_fields = ["execution"]
    readonly_fields = ["updated_at"]


@admin.register(LLMCall)
class LLMCallAdmin(BotScopedAdminMixin, admin.ModelAdmin):
    """The routing decisions: every attempt with the router's reason."""

    # A call of no bot (made for none, or its bot deleted) is superusers' alone, as on the /llm/
    # dashboard (selectors.calls_visible_filter): nothing says which organization's it was.

    list_display = ["id", "created_at", "model_key", "task_type", "goal", "bot", "success", "latency_ms",
                    "tokens_in", "tokens_out", "cost", "reason"]
    list_filter = ["success", "task_type", "goal", "created_at"]
    list_select_related = ["bot"]
    search_fields = ["model_key", "reason", "error", "bot__name"]
    date_hierarchy = "created_at"
    raw_id_fields = ["model", "bot", "execution", "root_execution"]
    ordering = ["-id"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ModelPerformance)
class ModelPerformanceAdmin(BotScopedAdminMixin, admin.ModelAdmin):
    """Statistics the calls write (``llmrouter.services.performance_record``): read-only but for
    superusers, and a row is seen where ``selectors.performance_visible_filter`` says — a global
    model's row per organization, only by that organization's people."""

    bot_path = "llm_model__bot"
    list_display = [
        "model", "organization", "task_type", "requests", "success_rate_display", "latency_mean_ms", "latency_p50_ms",
        "latency_p95_ms", "tokens_in", "tokens_out", "cost", "updated_at",
    ]
    list_filter = ["task_type", "organization"]
    list_select_related = ["organization", "llm_model__bot"]
    search_fields = ["model", "task_type"]
    ordering = ["model", "task_type"]
    readonly_fields = ["updated_at", "latency_window"]
    raw_id_fields = ["llm_model"]

    def scope_filter(self, request, *, operate: bool) -> Q:
        return performance_visible_filter(request.user) if not operate else super().scope_filter(request, operate=True)

    def has_add_permission(self, request) -> bool:
        return request.user.is_superuser and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser and super().has_change_permission(request, obj)

    @admin.display(description="success rate")
    def success_rate_display(self, obj: ModelPerformance) -> str:
        rate = obj.success_rate
        return "-" if rate is None else f"{rate:.1%}"
