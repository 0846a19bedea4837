"""The model registry, the router's settings row, run budgets, the call log and per-task statistics."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from generalbots.bots.models import Bot
from generalbots.core.models import Organization
from llmrouter.choices import ModelSource
from llmrouter.router import TASK_TYPES


class LLMModelQuerySet(models.QuerySet):
    def enabled(self):
        return self.filter(enabled=True)

    def for_bot(self, bot: Bot | None):
        """Global entries and, when given, the bot's own ones."""
        if bot is None:
            return self.filter(bot__isnull=True)
        return self.filter(models.Q(bot__isnull=True) | models.Q(bot=bot))


class LLMModel(models.Model):
    """One model the router may call: where, at what price, how good, for which tasks.

    ``bot`` NULL means the entry serves every bot; a bot's ``config.csv`` rows ``llm-url``,
    ``llm-model``, ``llm-key`` (and ``-<alias>`` variants) become entries of that bot
    (``source`` = config). The API key is read from the environment variable named in
    ``api_key_env``; ``api_key`` holds a literal key only for entries that come from a
    ``config.csv`` that wrote one (see docs/guides/multi-agent.md, "LLM routing").
    """

    alias = models.SlugField(max_length=100, help_text="What USE MODEL names: fast, cheap, gpt4 ...")
    bot = models.ForeignKey(Bot, null=True, blank=True, on_delete=models.CASCADE, related_name="llm_models",
                            help_text="Empty: available to every bot.")
    provider_url = models.URLField(max_length=500, blank=True,
                                   help_text="OpenAI-compatible base URL (…/v1). Empty: the built-in offline model.")
    model_id = models.CharField(max_length=200, blank=True, help_text="The model name sent to the provider.")
    api_key_env = models.CharField(max_length=100, blank=True,
                                   help_text="Name of the environment variable holding the API key (never the key).")
    api_key = models.CharField(max_length=500, blank=True, editable=False,
                               help_text="A literal key written in a bot's config.csv (config entries only).")
    price_input_per_1k = models.DecimalField(max_digits=12, decimal_places=6, default=Decimal("0"),
                                             validators=[MinValueValidator(0)], help_text="Dollars per 1000 input tokens.")
    price_output_per_1k = models.DecimalField(max_digits=12, decimal_places=6, default=Decimal("0"),
                                              validators=[MinValueValidator(0)], help_text="Dollars per 1000 output tokens.")
    context_window = models.PositiveIntegerField(default=8192, help_text="Tokens the model accepts (prompt + answer).")
    task_types = models.JSONField(default=list, blank=True,
                                  help_text=f"Tasks it suits, among {', '.join(TASK_TYPES)}. Empty: all.")
    quality = models.FloatField(default=0.5, validators=[MinValueValidator(0), MaxValueValidator(1)],
                                help_text="Operator's prior of answer quality, 0 to 1.")
    latency_prior_ms = models.PositiveIntegerField(default=0, help_text="Expected latency before any call is "
                                                   "measured (0: unknown).")
    timeout_seconds = models.FloatField(default=60, validators=[MinValueValidator(0.1)])
    enabled = models.BooleanField(default=True)
    source = models.CharField(max_length=8, choices=ModelSource.choices, default=ModelSource.ADMIN, editable=False)
    consecutive_failures = models.PositiveIntegerField(default=0, editable=False)
    cooldown_until = models.DateTimeField(null=True, blank=True, editable=False,
                                          help_text="Excluded from routing until then after repeated failures.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = LLMModelQuerySet.as_manager()

    class Meta:
        db_table = "llm_models"
        ordering = ["alias"]
        verbose_name = "LLM model"
        constraints = [
            models.UniqueConstraint(fields=["bot", "alias"], name="llm_models_bot_alias_uniq"),
            models.UniqueConstraint(fields=["alias"], condition=models.Q(bot__isnull=True),
                                    name="llm_models_global_alias_uniq"),
        ]

    def __str__(self) -> str:
        return self.key

    @property
    def key(self) -> str:
        """The name statistics and logs use: ``alias`` for global entries, ``bot:alias`` otherwise."""
        return self.alias if self.bot_id is None else f"{self.bot.name}:{self.alias}"

    @property
    def key_variable_allowed(self) -> bool:
        """Whether the entry may read its key variable: a bot's entry only one its organization
        allows (``Organization.allows_key_variable``); a global entry, superusers', any."""
        return not self.api_key_env or self.bot_id is None or self.bot.organization.allows_key_variable(
            self.api_key_env)

    def clean(self) -> None:
        if not self.key_variable_allowed:
            raise ValidationError({"api_key_env": f"Organization {self.bot.organization.slug} may not read "
                                                  f"${self.api_key_env}: a superuser adds it to the organization's "
                                                  "LLM key variables first."})
        unknown = [t for t in self.task_types or [] if t not in TASK_TYPES]
        if not isinstance(self.task_types, list) or unknown:
            raise ValidationError({"task_types": f"Use a JSON list of {', '.join(TASK_TYPES)} "
                                                 f"(unknown: {', '.join(map(str, unknown)) or 'not a list'})."})


class RouterSettings(models.Model):
    """The knobs operators tune while the platform runs (one row, edited in the admin)."""

    default_model = models.ForeignKey(LLMModel, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                      limit_choices_to={"bot__isnull": True},
                                      help_text="Used when a bot has no model of its own and a call asks for nothing.")
    exploration = models.FloatField(default=0.15, validators=[MinValueValidator(0)],
                                    help_text="UCB1 exploration weight: 0 never explores, higher tries rarely used "
                                              "models more often.")
    cooldown_failures = models.PositiveIntegerField(default=3, validators=[MinValueValidator(1)],
                                                    help_text="Consecutive failures that put a model in cooldown.")
    cooldown_seconds = models.PositiveIntegerField(default=60, help_text="How long a model in cooldown is skipped.")
    expected_output_tokens = models.PositiveIntegerField(default=256, help_text="Answer length assumed for cost "
                                                         "estimates until a model's own average is measured.")
    daily_budget = models.DecimalField(max_digits=12, decimal_places=4, null=True, blank=True,
                                       validators=[MinValueValidator(0)],
                                       help_text="Dollars a bot may spend per day when its config.csv has no "
                                                 "llm-daily-budget. Empty: no limit.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "llm_router_settings"
        verbose_name = "router settings"
        verbose_name_plural = "router settings"

    def __str__(self) -> str:
        return "LLM router settings"


class RunLLMSettings(models.Model):
    """A run's LLM budget (ORCHESTRATE WORKFLOW ... BUDGET x) and its USE MODEL pin."""

    execution = models.OneToOneField("workflows.WorkflowExecution", on_delete=models.CASCADE,
                                     related_name="llm_settings")
    budget = models.DecimalField(max_digits=12, decimal_places=6, null=True, blank=True,
                                 help_text="Dollars the run and its children may spend on LLM calls.")
    pinned_alias = models.CharField(max_length=100, blank=True, help_text="The model USE MODEL chose.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "llm_run_settings"
        verbose_name = "run LLM settings"
        verbose_name_plural = "run LLM settings"

    def __str__(self) -> str:
        return f"run {str(self.execution_id)[:8]}"


class LLMCall(models.Model):
    """One attempt to call a model, with the router's reason for choosing it."""

    id = models.BigAutoField(primary_key=True)
    model = models.ForeignKey(LLMModel, null=True, blank=True, on_delete=models.SET_NULL, related_name="calls")
    model_key = models.CharField(max_length=200, help_text="The model's key when it was called.")
    bot = models.ForeignKey(Bot, null=True, blank=True, on_delete=models.SET_NULL, related_name="llm_calls")
    execution = models.ForeignKey("workflows.WorkflowExecution", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="llm_calls")
    root_execution = models.ForeignKey("workflows.WorkflowExecution", null=True, blank=True,
                                       on_delete=models.SET_NULL, related_name="+")
    task_type = models.CharField(max_length=32)
    goal = models.CharField(max_length=16, blank=True)
    latency_ms = models.PositiveIntegerField(default=0)
    tokens_in = models.PositiveIntegerField(default=0)
    tokens_out = models.PositiveIntegerField(default=0)
    cost = models.DecimalField(max_digits=12, decimal_places=6, default=Decimal("0"))
    success = models.BooleanField(default=True)
    error = models.TextField(blank=True)
    counts_toward_cooldown = models.BooleanField(
        default=True, help_text="A failure of the model (not one the provider blamed on the request: HTTP 400, 413, "
                                "422), so it counts toward the model's cooldown.")
    reason = models.TextField(blank=True, help_text="Why the router chose this model.")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        db_table = "llm_calls"
        ordering = ["-id"]
        verbose_name = "LLM call"
        indexes = [
            models.Index(fields=["bot", "created_at"], name="llm_calls_bot_created_idx"),
            models.Index(fields=["root_execution"], name="llm_calls_root_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.model_key} / {self.task_type} #{self.pk}"


class ModelPerformance(models.Model):
    """Running statistics of one model on one kind of task in one organization, which the
    router ranks by.

    Per organization: a global model serves every organization, and its statistics (requests,
    tokens, cost) are each organization's own use of it; pooled, they would show one
    organization's staff the activity of the others. ``organization`` is the calling bot's (the
    model's bot's for a bot's own model); calls made for no bot count under none, a row only
    superusers see.

    ``latency_window`` keeps the latencies of the last ``LATENCY_WINDOW`` successful calls:
    p50 and p95 are computed from it, so they follow a model whose speed changes.
    """

    LATENCY_WINDOW = 200

    # The row is the model's (``llm_model``); ``model`` is its key when last recorded, a label.
    # Keyed by the label, a renamed bot's row went to the next bot to take its name, in any
    # organization (that bot's router then ranked by it, its staff read it).
    model = models.CharField(max_length=200, help_text="The model's key when it was last recorded (a label).")
    llm_model = models.ForeignKey(LLMModel, null=True, blank=True, on_delete=models.CASCADE,
                                  related_name="performance")
    organization = models.ForeignKey(Organization, null=True, blank=True, on_delete=models.CASCADE,
                                     related_name="+", help_text="Whose calls these are (empty: calls for no bot).")
    task_type = models.CharField(max_length=100, default="general")
    requests = models.PositiveBigIntegerField(default=0)
    successes = models.PositiveBigIntegerField(default=0)
    total_latency_ms = models.PositiveBigIntegerField(default=0)
    latency_mean_ms = models.FloatField(default=0)
    latency_p50_ms = models.FloatField(default=0)
    latency_p95_ms = models.FloatField(default=0)
    latency_window = models.JSONField(default=list, blank=True, editable=False)
    tokens_in = models.PositiveBigIntegerField(default=0)
    tokens_out = models.PositiveBigIntegerField(default=0)
    cost = models.DecimalField(max_digits=14, decimal_places=6, default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "model_performance"
        ordering = ["model", "task_type"]
        verbose_name_plural = "model performance"
        constraints = [
            models.UniqueConstraint(fields=["llm_model", "organization", "task_type"],
                                    condition=models.Q(organization__isnull=False),
                                    name="model_performance_model_org_task_uniq"),
            models.UniqueConstraint(fields=["llm_model", "task_type"], condition=models.Q(organization__isnull=True),
                                    name="model_performance_model_task_no_org_uniq"),
            models.CheckConstraint(
                condition=models.Q(successes__lte=models.F("requests")),
                name="model_performance_successes_lte_requests",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.model} / {self.task_type}"

    @property
    def success_rate(self) -> float | None:
        return self.successes / self.requests if self.requests else None
