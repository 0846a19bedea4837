"""Writes of bot memory (``SET BOT MEMORY``)."""

from typing import Any

from generalbots.bots.models import Bot
from memory.models import BotMemory


def bot_memory_set(*, bot: Bot, key: str, value: Any) -> BotMemory:
    """Store ``value`` (JSON) under ``key`` for ``bot``, replacing what was there."""
    memory, _ = BotMemory.objects.update_or_create(bot=bot, key=key, defaults={"value": value})
    return memory
