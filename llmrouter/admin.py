from django.contrib import admin

from llmrouter.models import ModelPerformance


@admin.register(ModelPerformance)
class ModelPerformanceAdmin(admin.ModelAdmin):
    list_display = [
        "model", "task_type", "requests", "success_rate_display", "latency_mean_ms", "latency_p95_ms",
        "tokens_in", "tokens_out", "cost", "updated_at",
    ]
    list_filter = ["task_type"]
    search_fields = ["model", "task_type"]
    ordering = ["model", "task_type"]
    readonly_fields = ["updated_at"]

    @admin.display(description="success rate")
    def success_rate_display(self, obj: ModelPerformance) -> str:
        rate = obj.success_rate
        return "-" if rate is None else f"{rate:.1%}"
