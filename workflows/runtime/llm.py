"""What the bot's language model is sent: model settings, context, history, enabled tools.

The messages are: the system prompt (BEGIN SYSTEM PROMPT, else config ``system-prompt``), one
system message per SET CONTEXT text, with knowledge bases in use (``USE KB``) one system message
with the ``KB_PASSAGES`` best passages for the new text and their sources (the model is asked to
cite them; the offline model answers with the best one), the last ``history-limit`` user and bot messages (10 by
default), then the new text. Every call goes through the LLM router
(``llmrouter.services.llm_chat``): the model is the one USE MODEL pinned for the conversation,
else the bot's default, with fallback to the next-best model when it fails. Free answers with
tools are ``workflows.conversations``.
"""

from __future__ import annotations

from generalbots.bots.choices import MessageRole
from generalbots.bots.models import Bot, BotScript, Conversation, Message
from generalbots.bots.programs import tool_name
from llmrouter.providers import ModelConfig, passages_message
from llmrouter.services import llm_chat
from memory.selectors import kb_passages

DEFAULT_HISTORY = 10
PIN_SESSION_KEY = "llm-model"  # where USE MODEL keeps the conversation's model (conversation.session)
KB_PASSAGES = 3


def model_config(bot: Bot) -> ModelConfig:
    """The bot's ``llm-url``, ``llm-model``, ``llm-key`` and ``llm-temperature`` rows."""
    return ModelConfig(url=bot.config_value("llm-url"), model=bot.config_value("llm-model"),
                       key=bot.config_value("llm-key"), temperature=bot_temperature(bot), guarded=True)


def bot_temperature(bot: Bot) -> float | None:
    temperature = bot.config_value("llm-temperature")
    try:
        return float(temperature) if temperature else None
    except ValueError:
        return None


def conversation_pin(conversation: Conversation | None) -> str | None:
    if conversation is None:
        return None
    return (conversation.session or {}).get(PIN_SESSION_KEY) or None


def context_messages(conversation: Conversation | None, bot: Bot | None = None) -> list[dict]:
    bot = conversation.bot if conversation is not None else bot
    messages = []
    if conversation is None:
        prompt = bot.config_value("system-prompt")
        return [{"role": "system", "content": prompt}] if prompt else []
    prompt = conversation.system_prompt or bot.config_value("system-prompt")
    if prompt:
        messages.append({"role": "system", "content": prompt})
    for name, text in (conversation.contexts or {}).items():
        messages.append({"role": "system", "content": text if name == "default" else f"{name}: {text}"})
    return messages


def kb_messages(bot: Bot, session_key: str, query: str) -> list[dict]:
    """The passages message for ``query`` from the bases in use in ``session_key`` (none: []);
    a passage's source is ``kb/document`` (a website's page: its address)."""
    hits = kb_passages(bot=bot, session_key=session_key, query=query, top=KB_PASSAGES)
    if not hits:
        return []
    return [passages_message([{"source": h.document if "://" in h.document else f"{h.kb}/{h.document}",
                               "text": h.text, "score": round(h.score, 4)} for h in hits])]


def session_key(conversation: Conversation | None, execution) -> str | None:
    """Where USE KB kept the bases: the conversation, else the root run (as session variables)."""
    if conversation is not None:
        return f"conversation:{conversation.pk}"
    if execution is not None:
        return f"run:{execution.root_id or execution.pk}"
    return None


def history_messages(conversation: Conversation, *, before_id: int | None) -> list[dict]:
    try:
        limit = int(conversation.bot.config_value("history-limit") or DEFAULT_HISTORY)
    except ValueError:
        limit = DEFAULT_HISTORY
    if limit <= 0:
        return []
    rows = Message.objects.filter(conversation=conversation, role__in=[MessageRole.USER, MessageRole.BOT])
    if before_id is not None:
        rows = rows.filter(id__lt=before_id)
    recent = list(rows.order_by("-id").values_list("role", "text")[:limit])
    return [{"role": "user" if role == MessageRole.USER else "assistant", "content": text}
            for role, text in reversed(recent)]


def llm_complete(conversation: Conversation | None, prompt: str, *, bot: Bot | None = None,
                 options: dict | None = None, execution=None) -> str:
    """``x = LLM prompt`` in a script: system prompt and contexts, then the prompt, routed."""
    bot = conversation.bot if conversation is not None else bot
    key = session_key(conversation, execution)
    passages = kb_messages(bot, key, prompt) if key else []
    result = llm_chat(bot=bot, messages=[*context_messages(conversation, bot), *passages,
                                         {"role": "user", "content": prompt}],
                      options=options, execution=execution, pinned=conversation_pin(conversation),
                      temperature=bot_temperature(bot))
    return result["content"] or ""


def enabled_tools(conversation: Conversation) -> dict[str, BotScript]:
    """Function name -> tool script, for the tools the conversation enabled."""
    if not conversation.tools:
        return {}
    scripts = BotScript.objects.tools().filter(bot=conversation.bot, name__in=conversation.tools)
    return {tool_name(s.name): s for s in scripts if s.tool_schema}
