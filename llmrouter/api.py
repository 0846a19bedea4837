"""REST API of the LLM router: ``/api/llm/models`` and ``/api/llm/performance`` (read only)."""

from django.db.models import Q
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.generics import ListAPIView

from generalbots.bots.selectors import bots_visible_to
from llmrouter.models import LLMModel, ModelPerformance
from llmrouter.selectors import model_list, performance_list


def _visible_filter(user, prefix: str = "") -> Q:
    """Global entries, plus those of the bots the user may see (staff see every one)."""
    if user.is_staff or user.is_superuser:
        return Q()
    return Q(**{f"{prefix}bot__isnull": True}) | Q(**{f"{prefix}bot__in": bots_visible_to(user=user)})


class LLMModelSerializer(serializers.ModelSerializer):
    bot = serializers.SlugRelatedField(slug_field="name", read_only=True)
    in_cooldown = serializers.SerializerMethodField()

    class Meta:
        model = LLMModel
        fields = ["id", "alias", "key", "bot", "provider_url", "model_id", "api_key_env", "price_input_per_1k",
                  "price_output_per_1k", "context_window", "task_types", "quality", "latency_prior_ms",
                  "enabled", "source", "in_cooldown", "cooldown_until"]

    def get_in_cooldown(self, obj: LLMModel) -> bool:
        return obj.cooldown_until is not None and obj.cooldown_until > self.context["now"]


class ModelPerformanceSerializer(serializers.ModelSerializer):
    success_rate = serializers.FloatField(read_only=True, allow_null=True)

    class Meta:
        model = ModelPerformance
        fields = ["model", "task_type", "requests", "successes", "success_rate", "latency_mean_ms", "latency_p50_ms",
                  "latency_p95_ms", "tokens_in", "tokens_out", "cost", "updated_at"]


@extend_schema(parameters=[OpenApiParameter("bot", str, description="only the models this bot may use"),
                           OpenApiParameter("enabled", bool)])
class LLMModelListApi(ListAPIView):
    """The model registry (API keys are never shown, only the variable that holds one)."""

    serializer_class = LLMModelSerializer

    def get_queryset(self):
        from generalbots.bots.models import Bot

        params = self.request.query_params
        bot = Bot.objects.filter(name=params["bot"]).first() if params.get("bot") else None
        rows = model_list(bot=bot) if bot is not None or not params.get("bot") else LLMModel.objects.none()
        if params.get("enabled") in ("true", "1", "false", "0"):
            rows = rows.filter(enabled=params["enabled"] in ("true", "1"))
        return rows.filter(_visible_filter(self.request.user)).order_by("bot__name", "alias")

    def get_serializer_context(self):
        from django.utils import timezone

        return {**super().get_serializer_context(), "now": timezone.now()}


@extend_schema(parameters=[OpenApiParameter("task_type", str), OpenApiParameter("model", str)])
class LLMPerformanceListApi(ListAPIView):
    """Calls, success rate, latency (mean, p50, p95), tokens and cost per model and task type."""

    serializer_class = ModelPerformanceSerializer

    def get_queryset(self):
        params = self.request.query_params
        rows = performance_list(task_type=params.get("task_type"), model=params.get("model"))
        user = self.request.user
        if user.is_staff or user.is_superuser:
            return rows
        return rows.filter(Q(llm_model__isnull=True) | _visible_filter(user, "llm_model__"))
