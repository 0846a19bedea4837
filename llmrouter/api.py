"""REST API of the LLM router: ``/api/llm/models`` and ``/api/llm/performance`` (read only)."""

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers

from generalbots.bots.selectors import bots_visible_to
from generalbots.core.api import PaginatedApiView
from llmrouter.models import LLMModel, ModelPerformance
from llmrouter.selectors import model_list, performance_list, performance_visible_filter, visible_filter


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
    organization = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True,
                                                help_text="Whose calls these are (a global model has a row per organization).")

    class Meta:
        model = ModelPerformance
        fields = ["model", "organization", "task_type", "requests", "successes", "success_rate", "latency_mean_ms", "latency_p50_ms",
                  "latency_p95_ms", "tokens_in", "tokens_out", "cost", "updated_at"]


class LLMModelFilterSerializer(serializers.Serializer):
    bot = serializers.CharField(required=False, max_length=200, help_text="Only the models this bot may use.")
    enabled = serializers.BooleanField(required=False)


class LLMPerformanceFilterSerializer(serializers.Serializer):
    task_type = serializers.CharField(required=False, max_length=100)
    model = serializers.CharField(required=False, max_length=200)


class LLMModelListApi(PaginatedApiView):
    """The model registry (API keys are never shown, only the variable that holds one)."""

    @extend_schema(parameters=[LLMModelFilterSerializer], responses=LLMModelSerializer(many=True))
    def get(self, request):
        query = self.query(LLMModelFilterSerializer)
        # A bot the user may not see is filtered like a bot that does not exist: no rows.
        bot = bots_visible_to(user=request.user).filter(name=query["bot"]).first() if query.get("bot") else None
        rows = model_list(bot=bot) if bot is not None or not query.get("bot") else LLMModel.objects.none()
        if "enabled" in query:
            rows = rows.filter(enabled=query["enabled"])
        rows = rows.filter(visible_filter(request.user)).order_by("bot__name", "alias")
        return self.paginated(rows, LLMModelSerializer, context={"now": timezone.now()})


class LLMPerformanceListApi(PaginatedApiView):
    """Calls, success rate, latency (mean, p50, p95), tokens and cost per model and task type."""

    @extend_schema(parameters=[LLMPerformanceFilterSerializer], responses=ModelPerformanceSerializer(many=True))
    def get(self, request):
        query = self.query(LLMPerformanceFilterSerializer)
        rows = performance_list(task_type=query.get("task_type"), model=query.get("model"))
        rows = rows.filter(performance_visible_filter(request.user))
        return self.paginated(rows, ModelPerformanceSerializer)
