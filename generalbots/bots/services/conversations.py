"""Conversations as data: the one conversation of (bot, user, channel) and its messages.

Running a conversation's scripts (its turns) is the workflows layer's job
(``workflows.conversations``); these writes are what every layer above may use.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction

from generalbots.bots.choices import Channel, MessageRole
from generalbots.bots.models import Bot, Conversation, Message
from generalbots.core.exceptions import ApplicationError
from generalbots.core.realtime import publish


def conversation_get_or_create(*, bot: Bot, channel: str, user=None, user_key: str = "") -> Conversation:
    """The one conversation of (bot, user, channel); ``user_key`` names users without an account."""
    if channel not in Channel.values:
        raise ApplicationError(f"Unknown channel {channel!r}.", code="bots.invalid_channel")
    key = user_key or (f"user:{user.pk}" if user is not None else "")
    if not key:
        raise ApplicationError("A conversation needs a user.", code="bots.no_user")
    if not bot.is_active:
        raise ApplicationError(f"The bot {bot.name} is not active.", code="bots.inactive", extra={"bot": bot.name})
    try:
        with transaction.atomic():
            conversation, _ = Conversation.objects.get_or_create(
                bot=bot, user_key=key, channel=channel, defaults={"user": user})
    except IntegrityError:  # created by a concurrent request
        conversation = Conversation.objects.get(bot=bot, user_key=key, channel=channel)
    return conversation


def message_add(*, conversation: Conversation, text: str, role: str = MessageRole.BOT,
                data: dict | None = None) -> Message:
    """Store a message and announce it (``bot.message``) on the conversation's group when the
    transaction commits."""
    message = Message.objects.create(conversation=conversation, role=role, text=text, data=data or {})
    publish(group=conversation.group_name, type="bot.message",
            data={"conversation": str(conversation.pk), "message": message.as_dict()})
    return message
