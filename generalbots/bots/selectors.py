from generalbots.bots.models import Bot
from generalbots.core.exceptions import NotFoundError


def bot_get(*, name: str) -> Bot:
    try:
        return Bot.objects.select_related("organization").get(name=name)
    except Bot.DoesNotExist:
        raise NotFoundError(f"No bot named {name!r}.", code="bots.not_found", extra={"name": name}) from None
