from typing import Any

from generalbots.bots.models import Bot
from memory.models import BotMemory


def bot_memory_get(*, bot: Bot, key: str, default: Any = None) -> Any:
    """The value ``bot`` keeps under ``key``, or ``default``."""
    values = list(BotMemory.objects.filter(bot=bot, key=key).values_list("value", flat=True)[:1])
    return values[0] if values else default
