"""System checks of the model registry: misconfigurations an operator can fix from a hint."""

import os
from decimal import Decimal, InvalidOperation

from django.core.checks import Error, Warning, register
from django.db import DatabaseError

# The checks read the registry: with no database (not migrated, not reachable, or a process
# that may not touch it) there is nothing to check.
_NO_DATABASE = (DatabaseError, RuntimeError)


def _registry():
    from llmrouter.models import LLMModel, RouterSettings

    models = list(LLMModel.objects.enabled().select_related("bot__organization"))
    settings = RouterSettings.objects.select_related("default_model").order_by("pk").first()
    return models, settings


@register()
def check_model_registry(app_configs, **kwargs):
    """Enabled models can be called: a usable URL, their key's variable set, a usable default."""
    try:
        models, settings = _registry()
    except _NO_DATABASE:
        return []
    problems = []
    for m in models:
        if m.provider_url and not m.provider_url.startswith(("http://", "https://")):
            problems.append(Error(
                f"LLM model {m.key} has the provider URL {m.provider_url!r}, which is not http(s).",
                hint="Write the OpenAI-compatible base URL, e.g. https://api.openai.com/v1, or leave it empty "
                     "for the built-in offline model.", obj=m, id="llmrouter.E001"))
        if not m.key_variable_allowed:
            problems.append(Error(
                f"LLM model {m.key} reads its API key from ${m.api_key_env}, which organization "
                f"{m.bot.organization.slug} may not read: its calls fail.",
                hint=f"If ${m.api_key_env} holds that organization's own key, add it to the organization's LLM key "
                     "variables in the admin; otherwise give the model another variable.", obj=m, id="llmrouter.E005"))
        elif m.api_key_env and m.api_key_env not in os.environ:
            problems.append(Error(
                f"LLM model {m.key} reads its API key from ${m.api_key_env}, which is not set.",
                hint=f"Export {m.api_key_env} in the environment of every server and worker, or disable the model.",
                obj=m, id="llmrouter.E002"))
        if m.api_key:
            problems.append(Warning(
                f"LLM model {m.key} keeps a literal API key written in the config.csv of {m.bot}.",
                hint="Write llm-key as env:VARIABLE_NAME in config.csv and export the key in that variable.",
                obj=m, id="llmrouter.W001"))
    if settings is not None and settings.default_model is not None and not settings.default_model.enabled:
        problems.append(Error(
            f"The default LLM model {settings.default_model.key} is disabled.",
            hint="Choose an enabled default model in the admin (LLM routing > Router settings) or enable it.",
            obj=settings, id="llmrouter.E003"))
    return problems


@register()
def check_daily_budgets(app_configs, **kwargs):
    """Every llm-daily-budget row of a bot's config.csv is an amount of dollars."""
    from generalbots.bots.models import Bot

    try:
        bots = list(Bot.objects.filter(config__has_any_keys=["llm-daily-budget", "LLM-DAILY-BUDGET"])
                    .only("name", "config"))
    except _NO_DATABASE:
        return []
    problems = []
    for bot in bots:
        raw = bot.config_value("llm-daily-budget").strip()
        try:
            ok = Decimal(raw.lstrip("$")).is_finite() and Decimal(raw.lstrip("$")) >= 0
        except InvalidOperation:
            ok = False
        if not ok:
            problems.append(Error(
                f"Bot {bot.name}: llm-daily-budget is {raw!r}, not an amount of dollars; its LLM calls are refused.",
                hint="Write the budget in dollars per day, e.g. llm-daily-budget,5.00, and reload the package.",
                obj=bot, id="llmrouter.E004"))
    return problems
