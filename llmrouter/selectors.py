"""Reads of the LLM router: candidates with their statistics, budgets, settings, dashboard rows."""

from __future__ import annotations

from datetime import datetime, time as dtime
from decimal import Decimal, InvalidOperation

from django.db.models import Avg, Count, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from generalbots.bots.models import Bot
from generalbots.bots.selectors import bots_visible_to
from generalbots.core.exceptions import ApplicationError
from llmrouter import router
from llmrouter.models import LLMCall, LLMModel, ModelPerformance, RouterSettings, RunLLMSettings


def visible_filter(user) -> Q:
    """Registry entries: the global ones, plus those of the bots ``user`` may see. Superusers see
    every one; staff belong to an organization like anyone else and see only the bots granted
    to them."""
    if user.is_superuser:
        return Q()
    return Q(bot__isnull=True) | Q(bot__in=bots_visible_to(user=user))


def calls_visible_filter(user) -> Q:
    """Logged calls: those of the bots ``user`` may see. A call whose bot is gone (deleted bots
    leave their calls, and their costs, with no bot) or that was made for no bot is
    superusers' alone: nothing says whose it was."""
    if user.is_superuser:
        return Q()
    return Q(bot__in=bots_visible_to(user=user))


def performance_visible_filter(user) -> Q:
    """Statistics rows (``ModelPerformance``): of the models ``user`` may see, counted in an
    organization of the bots they see (a global model's row of another organization is that
    organization's use of it). Rows of no model or no organization are superusers' alone."""
    if user.is_superuser:
        return Q()
    bots = bots_visible_to(user=user)
    return (Q(llm_model__isnull=False, organization__in=bots.values("organization_id"))
            & (Q(llm_model__bot__isnull=True) | Q(llm_model__bot__in=bots)))


def router_settings_get() -> RouterSettings:
    """The settings row (created with defaults the first time)."""
    settings = RouterSettings.objects.select_related("default_model").order_by("pk").first()
    return settings or RouterSettings.objects.create()


def model_list(*, bot=None):
    """Registry entries: every one, or those a bot may use."""
    rows = LLMModel.objects.select_related("bot")
    return rows.for_bot(bot) if bot is not None else rows.all()


def _visible(models: list[LLMModel]) -> list[LLMModel]:
    """A bot's own entry hides a global entry of the same alias."""
    own = {m.alias for m in models if m.bot_id is not None}
    return [m for m in models if m.bot_id is not None or m.alias not in own]


def model_aliases(*, bot) -> set[str]:
    return {m.alias for m in _visible(list(LLMModel.objects.enabled().for_bot(bot)))}


def model_candidates(*, bot, task: str, default: LLMModel | None = None) -> list[router.Candidate]:
    """The enabled models ``bot`` may use, with their statistics for ``task``.

    The default is the bot's entry "default" (its unaliased ``llm-*`` rows), else ``default``
    (the global default of the router settings).
    """
    models = _visible(list(LLMModel.objects.enabled().for_bot(bot).select_related("bot__organization").order_by("bot_id", "alias")))
    stats = {p.llm_model_id: p for p in ModelPerformance.objects.filter(
        llm_model__in=models, task_type=task, organization_id=bot.organization_id if bot is not None else None)}
    own_default = next((m for m in models if m.bot_id is not None and m.alias == "default"), None)
    default_id = own_default.pk if own_default else default.pk if default is not None else None
    out = []
    for m in models:
        p = stats.get(m.pk)
        out.append(router.Candidate(
            key=m.key, alias=m.alias, price_in=float(m.price_input_per_1k), price_out=float(m.price_output_per_1k),
            quality=m.quality, context_window=m.context_window, task_types=tuple(m.task_types or ()),
            latency_prior_ms=float(m.latency_prior_ms), enabled=m.enabled,
            cooling_until=m.cooldown_until.timestamp() if m.cooldown_until else None,
            is_default=m.pk == default_id,
            stats=router.Stats(
                requests=p.requests, successes=p.successes, p50_ms=p.latency_p50_ms, p95_ms=p.latency_p95_ms,
                mean_output_tokens=p.tokens_out / p.successes if p.successes else None,
            ) if p else router.Stats(),
            ref=m,
        ))
    return out


def run_settings_for(*, execution) -> list[RunLLMSettings]:
    """The LLM settings of a run and of its root, the run's own first."""
    if execution is None:
        return []
    ids = [execution.pk] + ([execution.root_id] if execution.root_id else [])
    rows = {s.execution_id: s for s in RunLLMSettings.objects.filter(execution_id__in=ids)}
    return [rows[i] for i in ids if i in rows]


def run_spend(*, execution_id) -> Decimal:
    """Cost of the LLM calls of a run and of every run whose root it is."""
    total = LLMCall.objects.filter(Q(execution_id=execution_id) | Q(root_execution_id=execution_id)).aggregate(
        s=Sum("cost"))["s"]
    return total or Decimal(0)


def bot_spend_today(*, bot) -> Decimal:
    start = timezone.make_aware(datetime.combine(timezone.localdate(), dtime.min))
    total = LLMCall.objects.filter(bot=bot, created_at__gte=start).aggregate(s=Sum("cost"))["s"]
    return total or Decimal(0)


def bot_daily_budget(*, bot, settings: RouterSettings) -> Decimal | None:
    """config.csv ``llm-daily-budget``, else the router settings' daily budget, else None."""
    raw = bot.config_value("llm-daily-budget").strip() if bot is not None else ""
    if not raw:
        return settings.daily_budget if bot is not None else None
    try:
        value = Decimal(raw.lstrip("$"))
    except InvalidOperation:
        value = Decimal(-1)
    if not value.is_finite() or value < 0:
        raise ApplicationError(f"config.csv of {bot.name}: llm-daily-budget must be an amount of dollars such as "
                               f"5.00, not {raw!r}.", code="llmrouter.bad_config")
    return value


def budgets_for(*, bot, run_settings: list[RunLLMSettings], settings: RouterSettings) -> list[router.Budget]:
    budgets = []
    for row in run_settings:
        if row.budget is not None:
            budgets.append(router.Budget("this run", float(row.budget), float(run_spend(execution_id=row.execution_id))))
    daily = bot_daily_budget(bot=bot, settings=settings)
    if daily is not None:
        budgets.append(router.Budget(f"bot {bot.name} today", float(daily), float(bot_spend_today(bot=bot))))
    return budgets


def performance_list(*, task_type: str | None = None, model: str | None = None):
    rows = ModelPerformance.objects.select_related("llm_model__bot", "organization").order_by(
        "model", "organization__name", "task_type")
    if task_type:
        rows = rows.filter(task_type=task_type)
    if model:
        rows = rows.filter(model=model)
    return rows


def call_counts_by_reason_kind() -> dict:
    """How many calls were first choices and how many were fallbacks (dashboard)."""
    return LLMCall.objects.aggregate(total=Count("id"), failed=Count("id", filter=Q(success=False)),
                                     fallbacks=Count("id", filter=Q(reason__startswith="fallback")))


def calls_by_day(*, user, since: datetime) -> list[dict]:
    """LLM calls ``user`` may see since ``since``, per day and model: ``{"day", "model_key",
    "calls", "cost", "latency_ms"}`` (mean latency), oldest day first. One query."""
    return list(LLMCall.objects.filter(calls_visible_filter(user), created_at__gte=since)
                .annotate(day=TruncDate("created_at")).values("day", "model_key")
                .annotate(calls=Count("id"), cost=Sum("cost"), latency_ms=Avg("latency_ms"))
                .order_by("day", "model_key"))


def budget_use_by_day(*, user, since: datetime) -> list[dict]:
    """Daily budgets against spend: for each bot ``user`` may see that spent on LLM calls since
    ``since`` and has a daily budget (``bot_daily_budget``), ``{"bot", "limit", "days": {day:
    spent}}``, by bot name (a bot whose config.csv budget is malformed is left out: the router
    names that error where it applies). Two queries."""
    settings = router_settings_get()
    rows = (LLMCall.objects.filter(calls_visible_filter(user), bot__isnull=False, created_at__gte=since)
            .annotate(day=TruncDate("created_at")).values("bot__name", "bot__config", "day")
            .annotate(spent=Sum("cost")).order_by("bot__name", "day"))
    use: dict[str, dict] = {}
    for row in rows:
        if row["bot__name"] not in use:
            try:
                limit = bot_daily_budget(bot=Bot(name=row["bot__name"], config=row["bot__config"]), settings=settings)
            except ApplicationError:
                limit = None
            use[row["bot__name"]] = {"bot": row["bot__name"], "limit": limit, "days": {}}
        use[row["bot__name"]]["days"][row["day"].isoformat()] = row["spent"] or Decimal(0)
    return [entry for entry in use.values() if entry["limit"] is not None]
