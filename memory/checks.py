"""System checks of the memory app: misconfigurations an operator can fix from a hint."""

from django.core.checks import Error, register
from django.db import DatabaseError

from generalbots.core.exceptions import ApplicationError

# With no database (not migrated, not reachable) there is nothing to check.
_NO_DATABASE = (DatabaseError, RuntimeError)


@register()
def check_kb_second_model(app_configs, **kwargs):
    """Every kb-second-model row of a bot's config.csv is on or off."""
    from generalbots.bots.models import Bot
    from memory.embeddings import SECOND_MODEL_KEY, second_model_enabled

    try:  # every bot: config keys are read in any case (``Bot.config_value``)
        bots = list(Bot.objects.only("name", "config"))
    except _NO_DATABASE:
        return []
    problems = []
    for bot in bots:
        try:
            second_model_enabled(bot)
        except ApplicationError as exc:
            problems.append(Error(
                f"Bot {bot.name}: {exc.message} Its knowledge bases cannot be indexed or searched.",
                hint=f"Write {SECOND_MODEL_KEY},off (or on, the default) in config.csv and reload the package.",
                obj=bot, id="memory.E001"))
    return problems
