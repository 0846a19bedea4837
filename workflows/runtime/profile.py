"""A bot's profile for the offline model (``llmrouter.offline``): who it is and what it does,
read from what the bot already has — its config.csv ``Title`` and ``Description`` rows, its
start dialog (the workflow it runs with that workflow's DESCRIPTION or header comment and its
inputs, or the dialog's header comment) and the tools the conversation enabled."""

from __future__ import annotations

from generalbots.bots.models import Bot, BotScript
from generalbots.bots.selectors import script_current
from workflows.selectors import script_header, workflow_inputs, workflow_summary


def bot_profile(bot: Bot, tools: dict[str, BotScript] | None = None) -> dict:
    """The profile of ``bot`` (``offline.profile_message`` lists its keys); ``tools`` are the
    conversation's enabled tools by function name. The inputs are the start dialog's (PARAM
    lines, variables read before they are set: ``workflow_inputs``). One query for the start
    dialog, and one when it calls other bots."""
    script = script_current(bot=bot, name="start")
    summary = workflow_summary(script) if script is not None else None
    described = bot.config_value("description") or (summary[1] if summary else
                                                      script_header(script.source) if script else "")
    profile = {"name": bot.name, "title": bot.title or bot.config_value("title") or bot.name,
               "description": described, "workflow": summary[0] if summary else "", "inputs": [],
               "tools": [{"name": name, "description": (script.tool_schema or {}).get("function", {}).get(
                   "description", "")} for name, script in (tools or {}).items()]}
    if script is not None:
        profile["inputs"] = [{"name": item.name, "type": item.type_name, "description": item.description,
                              "required": item.required, "default": item.default}
                             for item in workflow_inputs(bot=bot, script=script)]
    return profile
