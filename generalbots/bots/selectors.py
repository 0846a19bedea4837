from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from generalbots.bots.models import Bot, BotAccess, Conversation, Message
from generalbots.core.exceptions import NotFoundError, PermissionDeniedError


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


# --------------------------------------------------------------------------- access to bots
# One rule for the dashboard, the workflow API and approvals: superusers reach every bot;
# everyone else reaches the bots a BotAccess row grants to them or to one of their groups.


def bots_visible_to(*, user, operate: bool = False) -> QuerySet[Bot]:
    """The bots ``user`` may see (``operate``: may also start, cancel, retry and decide)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Bot.objects.none()
    if user.is_superuser:
        return Bot.objects.all()
    grants = BotAccess.objects.for_user(user)
    if operate:
        grants = grants.filter(can_operate=True)
    return Bot.objects.filter(pk__in=grants.values("bot_id"))


def bot_access_check(*, user, bot: Bot, operate: bool = False) -> None:
    """Raise NotFoundError when ``user`` may not see ``bot`` and PermissionDeniedError when
    they may see it but ``operate`` is asked and not granted."""
    if not bots_visible_to(user=user).filter(pk=bot.pk).exists():
        raise NotFoundError(f"No bot named {bot.name!r}.", code="bots.not_found", extra={"name": bot.name})
    if operate and not bots_visible_to(user=user, operate=True).filter(pk=bot.pk).exists():
        raise PermissionDeniedError(f"You may watch {bot.name!r} but not operate it; ask for an operator grant.",
                                    code="bots.not_operator", extra={"name": bot.name})
