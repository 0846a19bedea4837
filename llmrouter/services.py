"""Writes of the LLM router: registry sync from config.csv, run settings, routed calls, statistics.

``llm_chat`` is the one way the platform talks to a model: it routes (``router.route``), calls
the provider, falls back to the next-best model when a call fails or times out, logs every
attempt as an ``LLMCall`` and, once the caller's transaction commits, folds the attempt into
``model_performance`` and the model's failure counter (so a long conversation slice never holds
a lock on a shared statistics row).
"""

from __future__ import annotations

import os
import re
import time
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from generalbots.core.exceptions import ApplicationError
from llmrouter import router, selectors
from llmrouter.choices import ModelSource
from llmrouter.exceptions import BudgetExceededError, RoutingError, UnknownModelError
from llmrouter.models import LLMCall, LLMModel, ModelPerformance, RunLLMSettings
from llmrouter.providers import ChatResult, ModelConfig, ProviderError, TokenCallback, chat

OFFLINE_KEY = "offline"
MICRO = Decimal("0.000001")
# config.csv rows that describe a model: llm-<field> or llm-<field>-<alias>
_CONFIG_ROW = re.compile(r"^llm-(url|model|key|price-in|price-out|quality|tasks|context|latency)(?:-([a-z0-9_-]+))?$")


def _dollars(value, what: str) -> Decimal:
    try:
        amount = Decimal(str(value).strip().lstrip("$"))
    except (InvalidOperation, ValueError):
        raise ApplicationError(f"{what} must be an amount of dollars such as 0.50, not {value!r}.",
                               code="llmrouter.bad_amount") from None
    if not amount.is_finite() or amount < 0:
        raise ApplicationError(f"{what} must be zero or more dollars, not {value!r}.", code="llmrouter.bad_amount")
    return amount


# --------------------------------------------------------------------------- run settings

def run_budget_set(*, execution, limit) -> RunLLMSettings:
    """Give ``execution`` (and the runs it starts) an LLM budget of ``limit`` dollars.

    ``ORCHESTRATE WORKFLOW name BUDGET 0.50`` calls this. The spend counted against it is the
    cost of every LLM call of the run and of the runs whose root it is. ``limit`` None removes
    the budget. Raises ApplicationError for a negative or non-numeric limit.
    """
    budget = None if limit is None else _dollars(limit, "BUDGET")
    settings, _ = RunLLMSettings.objects.update_or_create(execution=execution, defaults={"budget": budget})
    return settings


def run_model_pin(*, execution, bot, alias: str) -> RunLLMSettings:
    """``USE MODEL alias``: every later LLM call of the run (and of its children) uses that model.

    Raises UnknownModelError when the bot has no enabled model of that alias.
    """
    alias = str(alias).strip().lower()
    known = selectors.model_aliases(bot=bot)
    if alias not in known:
        raise UnknownModelError(f"USE MODEL: bot {bot.name} has no enabled model named {alias!r} "
                                f"(known: {', '.join(sorted(known)) or 'none'}).", extra={"alias": alias})
    settings, _ = RunLLMSettings.objects.update_or_create(execution=execution, defaults={"pinned_alias": alias})
    return settings


# --------------------------------------------------------------------------- registry

def _config_models(config: dict) -> dict[str, dict[str, str]]:
    """alias -> {field: value} from a bot's config rows; the unaliased rows are alias "default"."""
    found: dict[str, dict[str, str]] = {}
    for key, value in (config or {}).items():
        match = _CONFIG_ROW.match(str(key).strip().lower())
        if match and str(value).strip():
            found.setdefault(match.group(2) or "default", {})[match.group(1)] = str(value).strip()
    base = found.get("default", {})
    models = {}
    for alias, fields in found.items():
        if "url" not in fields and "model" not in fields:
            continue  # prices or a key alone describe no model
        if alias != "default":  # an aliased model reuses the main endpoint and key unless it names its own
            fields = {**{k: v for k, v in base.items() if k in ("url", "key")}, **fields}
        models[alias] = fields
    return models


_NUMERIC = {"price-in": ("price_input_per_1k", Decimal, "dollars per 1000 tokens"),
            "price-out": ("price_output_per_1k", Decimal, "dollars per 1000 tokens"),
            "quality": ("quality", float, "from 0 to 1"),
            "context": ("context_window", int, "tokens"),
            "latency": ("latency_prior_ms", int, "milliseconds")}


@transaction.atomic
def models_sync_from_bot_config(*, bot) -> list[str]:
    """Make the bot's config.csv model rows its registry entries (``source`` = config).

    ``llm-url`` / ``llm-model`` / ``llm-key`` describe the bot's model "default"; the same rows
    with ``-<alias>`` (``llm-url-fast``) describe more models, reusing ``llm-url`` and ``llm-key``
    when they do not name their own. Optional rows: ``llm-price-in``, ``llm-price-out`` (dollars
    per 1000 tokens), ``llm-quality`` (0-1), ``llm-tasks`` (comma-separated), ``llm-context``
    (tokens), ``llm-latency`` (expected ms). ``llm-key`` written ``env:NAME`` names an environment
    variable; any other value is kept as the entry's key. Config entries that left the file are
    deleted; entries an operator made in the admin are never touched, and an operator's later
    edits of price, quality or tasks survive until the file sets them again.

    Returns the problems found (a row that is not a number, an unknown task type): those rows
    are ignored, the rest is loaded.
    """
    wanted = _config_models(bot.config)
    existing = {m.alias: m for m in LLMModel.objects.filter(bot=bot).select_related("bot__organization")}
    problems: list[str] = []
    for alias, fields in wanted.items():
        entry = existing.get(alias)
        if entry is not None and entry.source != ModelSource.CONFIG:
            problems.append(f"llm rows for {alias!r} are ignored: an operator made that model in the admin")
            continue
        entry = entry or LLMModel(bot=bot, alias=alias, source=ModelSource.CONFIG)
        entry.provider_url = fields.get("url", "")
        entry.model_id = fields.get("model", "")
        key = fields.get("key", "")
        entry.api_key_env, entry.api_key = (key[4:].strip(), "") if key.lower().startswith("env:") else ("", key)
        if not entry.key_variable_allowed:
            problems.append(f"llm-key{'' if alias == 'default' else '-' + alias} names ${entry.api_key_env}, which "
                            f"organization {bot.organization.slug} may not read; the model is kept but cannot call "
                            "until a superuser allows the variable on the organization (LLM key variables)")
        suffix = "" if alias == "default" else f"-{alias}"
        for name, (attribute, cast, unit) in _NUMERIC.items():
            if name not in fields:
                continue
            try:
                value = cast(fields[name])
                if value < 0 or (name == "quality" and value > 1):
                    raise ValueError
            except (ValueError, InvalidOperation):
                problems.append(f"llm-{name}{suffix} must be a number ({unit}), not {fields[name]!r}; ignored")
                continue
            setattr(entry, attribute, value)
        if "tasks" in fields:
            tasks = [t.strip().lower() for t in fields["tasks"].split(",") if t.strip()]
            unknown = [t for t in tasks if t not in router.TASK_TYPES]
            if unknown:
                problems.append(f"llm-tasks{suffix} names unknown task types {', '.join(unknown)} (known: "
                                f"{', '.join(router.TASK_TYPES)}); ignored")
            entry.task_types = [t for t in tasks if t in router.TASK_TYPES]
        entry.save()
    LLMModel.objects.filter(bot=bot, source=ModelSource.CONFIG).exclude(alias__in=list(wanted)).delete()
    return problems


def models_sync_on_package_loaded(*, sender, bot, package, status, **kwargs) -> list[dict]:
    """Receiver of ``generalbots.bots.signals.package_loaded``: sync the bot's model rows from
    its config.csv; returns the problems as warnings on that file."""
    return [{"path": f"{package.name}.gbot/config.csv", "line": 0, "col": 0, "severity": "warning",
             "message": message} for message in models_sync_from_bot_config(bot=bot)]


# --------------------------------------------------------------------------- calls

def _options(options: dict | None, prompt_text: str) -> dict:
    """Validated LLM options (the compiler's lower-case names) with clear errors."""
    options = {str(k).lower(): v for k, v in (options or {}).items()}
    goal = options.get("optimize for")
    if goal is not None:
        goal = str(goal).strip().lower()
        if goal not in router.GOALS:
            raise ApplicationError(f"OPTIMIZE FOR must be one of {', '.join(router.GOALS)}, not {options['optimize for']!r}.",
                                   code="llmrouter.bad_option")
    limits = {}
    for name, label in (("max_cost", "MAX_COST"), ("max_latency", "MAX_LATENCY")):
        if options.get(name) is None:
            continue
        try:
            value = float(str(options[name]).strip().lstrip("$"))
        except ValueError:
            value = -1.0
        if not value > 0:
            unit = "dollars per call" if name == "max_cost" else "milliseconds"
            raise ApplicationError(f"{label} must be a positive number of {unit}, not {options[name]!r}.",
                                   code="llmrouter.bad_option")
        limits[name] = value
    task = options.get("task")
    if task is not None:
        task = str(task).strip().lower()
        if task not in router.TASK_TYPES:
            raise ApplicationError(f"TASK must be one of {', '.join(router.TASK_TYPES)}, not {options['task']!r}.",
                                   code="llmrouter.bad_option")
    temperature = options.get("temperature")
    if temperature is not None:
        try:
            temperature = float(temperature)
        except (TypeError, ValueError):
            raise ApplicationError(f"TEMPERATURE must be a number, not {temperature!r}.",
                                   code="llmrouter.bad_option") from None
    return {"goal": goal, "max_cost": limits.get("max_cost"), "max_latency": limits.get("max_latency"),
            "task": task or router.classify_task(prompt_text), "task_given": task is not None,
            "temperature": temperature, "model": str(options["model"]).strip().lower() if options.get("model") else None}


def _api_key(model: LLMModel) -> str:
    if model.api_key_env:
        if not model.key_variable_allowed:
            raise ProviderError(f"The API key of model {model.key} is in ${model.api_key_env}, which organization "
                                f"{model.bot.organization.slug} may not read: a superuser allows it on the "
                                "organization (LLM key variables).", extra={"model": model.key})
        value = os.environ.get(model.api_key_env)
        if value is None:
            raise ProviderError(f"The environment variable {model.api_key_env} (the API key of model {model.key}) "
                                "is not set.", extra={"model": model.key})
        return value
    return model.api_key


def _cost(model: LLMModel | None, usage: dict) -> Decimal:
    if model is None:
        return Decimal(0)
    cost = (Decimal(usage.get("prompt_tokens", 0)) * model.price_input_per_1k
            + Decimal(usage.get("completion_tokens", 0)) * model.price_output_per_1k) / 1000
    return cost.quantize(MICRO, rounding=ROUND_HALF_UP)


def llm_chat(*, bot, messages: list[dict], tools: list[dict] | None = None, options: dict | None = None,
             execution=None, pinned: str | None = None, temperature: float | None = None,
             on_token: TokenCallback | None = None) -> dict:
    """Answer ``messages`` with the model the router chooses; falls back on failure.

    ``options`` are the ``LLM ... WITH`` options (``optimize for``, ``max_cost``, ``max_latency``,
    ``task``, ``model``, ``temperature``); ``execution`` the run making the call (its budget and
    USE MODEL pin apply, with its root's); ``pinned`` a pin that applies when the run has none.
    Returns the provider's result plus ``model`` (key), ``reason``, ``cost`` and ``call`` (the
    LLMCall id). Raises BudgetExceededError, RoutingError (no model fits, or every one failed)
    or ApplicationError for a bad option. With no model configured at all, the built-in offline
    model answers.
    """
    prompt_text = "\n".join(str(m.get("content") or "") for m in messages)
    opts = _options(options, prompt_text)
    settings = selectors.router_settings_get()
    run_settings = selectors.run_settings_for(execution=execution)
    pin = opts["model"] or next((s.pinned_alias for s in run_settings if s.pinned_alias), None) or pinned
    candidates = selectors.model_candidates(bot=bot, task=opts["task"], default=settings.default_model)
    if not candidates and not pin:
        return _offline(bot, messages, tools, execution, opts, on_token)
    request = router.Request(
        task=opts["task"], goal=opts["goal"], prompt_tokens=router.estimate_tokens(prompt_text),
        max_cost=opts["max_cost"], max_latency_ms=opts["max_latency"], pinned=pin,
        budgets=tuple(selectors.budgets_for(bot=bot, run_settings=run_settings, settings=settings)),
        exploration=settings.exploration, expected_output_tokens=settings.expected_output_tokens,
        now=time.time(),
    )
    try:
        decision = router.route(candidates, request)
    except router.NoRoute as exc:
        error = BudgetExceededError if exc.kind == "budget" else UnknownModelError if exc.kind == "pinned" else RoutingError
        raise error(exc.message, extra={"task": opts["task"]}) from None
    reason = decision.reason + ("" if opts["task_given"] else f" (task {opts['task']} guessed from the prompt)")
    failures: list[str] = []
    for candidate in (decision.candidate, *decision.fallbacks):
        model: LLMModel = candidate.ref
        started = time.perf_counter()
        try:
            config = ModelConfig(url=model.provider_url, model=model.model_id, key=_api_key(model),
                                 temperature=opts["temperature"] if opts["temperature"] is not None else temperature,
                                 timeout=model.timeout_seconds,
                                 guarded=model.source == ModelSource.CONFIG)  # written by a bot's package
            result = chat(messages, tools, config, on_token=on_token)
        except ProviderError as exc:
            latency = (time.perf_counter() - started) * 1000
            llm_call_record(model=model, bot=bot, execution=execution, task_type=opts["task"], goal=opts["goal"],
                            latency_ms=latency, usage={}, success=False, error=exc.message, reason=reason,
                            model_fault=exc.extra.get("status") not in REQUEST_FAULTS)
            failures.append(f"{model.key}: {exc.message}")
            reason = f"fallback after {model.key} failed ({exc.message[:120]}); first choice was: {decision.reason}"
            continue
        latency = (time.perf_counter() - started) * 1000
        call = llm_call_record(model=model, bot=bot, execution=execution, task_type=opts["task"], goal=opts["goal"],
                               latency_ms=latency, usage=result["usage"], success=True, error="", reason=reason)
        return {**result, "model": model.key, "reason": reason, "cost": call.cost, "call": call.pk}
    raise RoutingError(f"Every model tried for this call failed: {'; '.join(failures)}", extra={"task": opts["task"]})


def _offline(bot, messages, tools, execution, opts, on_token) -> dict:
    started = time.perf_counter()
    result: ChatResult = chat(messages, tools, None, on_token=on_token)
    reason = "no model is configured for this bot: the built-in offline model answered"
    call = llm_call_record(model=None, bot=bot, execution=execution, task_type=opts["task"], goal=opts["goal"],
                           latency_ms=(time.perf_counter() - started) * 1000, usage=result["usage"], success=True,
                           error="", reason=reason)
    return {**result, "model": OFFLINE_KEY, "reason": reason, "cost": call.cost, "call": call.pk}


# HTTP statuses with which a provider refuses the request itself (malformed, too large, not
# processable): the caller's fault, not the model's. Such a failure does not count toward the
# model's cooldown, so one organization's bad prompts cannot put a model that every organization
# uses (a global one) out of service for the others.
REQUEST_FAULTS = frozenset({400, 413, 422})


def llm_call_record(*, model: LLMModel | None, bot, execution, task_type: str, goal: str | None, latency_ms: float,
                    usage: dict, success: bool, error: str, reason: str, model_fault: bool = True) -> LLMCall:
    """Log one attempt; its statistics and the model's failure counter follow on commit.
    ``model_fault``: a failure counts toward the model's cooldown (see ``REQUEST_FAULTS``)."""
    root_id = None
    if execution is not None:
        root_id = execution.root_id or execution.pk
    call = LLMCall.objects.create(
        model=model, model_key=model.key if model is not None else OFFLINE_KEY, bot=bot, execution=execution,
        root_execution_id=root_id, task_type=task_type, goal=goal or "", latency_ms=round(latency_ms),
        tokens_in=int(usage.get("prompt_tokens") or 0), tokens_out=int(usage.get("completion_tokens") or 0),
        cost=_cost(model, usage) if success else Decimal(0), success=success, error=error[:2000], reason=reason,
        counts_toward_cooldown=success or model_fault,
    )
    if model is not None:
        transaction.on_commit(lambda: performance_record(call_id=call.pk))
    return call


def performance_record(*, call_id: int) -> None:
    """Fold one logged call into ``model_performance`` and the model's cooldown state."""
    call = LLMCall.objects.select_related("model__bot", "bot").filter(pk=call_id).first()
    if call is None or call.model is None:
        return
    model = call.model
    owner = call.bot if call.bot_id is not None else model.bot
    with transaction.atomic():
        perf, _ = ModelPerformance.objects.get_or_create(
            llm_model=model, organization_id=owner.organization_id if owner is not None else None,
            task_type=call.task_type, defaults={"model": model.key})
        perf = ModelPerformance.objects.select_for_update().get(pk=perf.pk)
        perf.model = model.key  # the label follows a renamed bot
        perf.requests += 1
        perf.cost += call.cost
        if call.success:
            perf.successes += 1
            perf.total_latency_ms += call.latency_ms
            perf.latency_mean_ms = perf.total_latency_ms / perf.successes
            perf.tokens_in += call.tokens_in
            perf.tokens_out += call.tokens_out
            window = [*perf.latency_window, call.latency_ms][-ModelPerformance.LATENCY_WINDOW:]
            perf.latency_window = window
            perf.latency_p50_ms = quantile(window, 0.50)
            perf.latency_p95_ms = quantile(window, 0.95)
        perf.save()
        if call.success:
            LLMModel.objects.filter(pk=model.pk).update(consecutive_failures=0)
        elif call.counts_toward_cooldown:
            settings = selectors.router_settings_get()
            LLMModel.objects.filter(pk=model.pk).update(consecutive_failures=F("consecutive_failures") + 1)
            # Half-open after a cooldown: the counter is only reset by a success, so one more
            # failure sends the model straight back into cooldown.
            LLMModel.objects.filter(pk=model.pk, consecutive_failures__gte=settings.cooldown_failures).update(
                cooldown_until=timezone.now() + timedelta(seconds=settings.cooldown_seconds))


def quantile(values: list, q: float) -> float:
    """Nearest-rank quantile of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * q // 1))  # ceil(n * q), at least 1
    return float(ordered[int(rank) - 1])
