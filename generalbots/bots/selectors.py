from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from generalbots.bots.models import Bot, Conversation, Message
from generalbots.core.exceptions import NotFoundError


def bot_get(*, name: str) -> Bot:
    try:
        return Bot.objects.select_related("organization").get(name=name)
    except Bot.DoesNotExist:
        raise NotFoundError(f"No bot named {name!r}.", code="bots.not_found", extra={"name": name}) from None


def conversation_get_for_user(*, bot: Bot, user, conversation_id) -> Conversation:
    """A conversation of ``user`` with ``bot``; NotFoundError for anyone else's or a bad id."""
    try:
        return Conversation.objects.select_related("bot").get(pk=conversation_id, bot=bot, user=user)
    except (Conversation.DoesNotExist, ValidationError, ValueError, TypeError):  # missing or not a UUID
        raise NotFoundError(f"No conversation {conversation_id} of yours with {bot.name}.",
                            code="bots.conversation_not_found", extra={"conversation": str(conversation_id)}) from None


def conversation_messages(*, conversation: Conversation) -> QuerySet[Message]:
    """The messages of a conversation in delivery order."""
    return Message.objects.filter(conversation=conversation).order_by("id")


def conversation_recent_messages(*, conversation: Conversation, limit: int = 50) -> list[Message]:
    return list(reversed(Message.objects.filter(conversation=conversation).order_by("-id")[:limit]))
