"""Conversations: the first message runs start.bas, HEAR waits durably, the rest goes to the LLM.

Every entry point is one slice (DESIGN §4.2): lock the conversation row, restore the waiting
run, resume it with the message, run until it suspends or ends, and commit the state together
with the messages said in one transaction. The user's message is stored before the slice's
work starts; the work runs in a savepoint, so when it breaks (a model that does not answer, a
bug) only the work is undone: the user gets a short apology, the error is kept on the
conversation, the waiting run stays where it was and nothing already said is lost. A script
error (``file:line: message``) ends its run the same way.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from generalbots.bots.choices import Channel, MessageRole
from generalbots.bots.models import Bot, Conversation, Message
from generalbots.bots.runtime import engine
from generalbots.bots.runtime.llm import llm_answer
from generalbots.core.api_input import json_value_problem
from generalbots.core.exceptions import ApplicationError
from workflows.choices import ExecutionStatus

logger = logging.getLogger(__name__)

_STATE_FIELDS = ["run", "started_at", "system_prompt", "contexts", "tools", "suggestions", "user_memory",
                 "session", "last_error", "last_error_at"]


@dataclass
class TurnResult:
    """What one slice did: the bot's replies, the suggestions to show, what the bot waits for."""

    conversation: Conversation
    replies: list[Message] = field(default_factory=list)
    suggestions: list[str] = field(default_factory=list)
    waiting_for: str = ""
    user_message: Message | None = None

    def as_dict(self) -> dict:
        return {
            "conversation": str(self.conversation.pk),
            "replies": [m.as_dict() for m in self.replies],
            "suggestions": self.suggestions,
            "waiting_for": self.waiting_for or None,
        }


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


def _lock(conversation_id, *, skip_locked: bool = False) -> Conversation | None:
    return (Conversation.objects.select_for_update(of=("self",), skip_locked=skip_locked)
            .select_related("bot", "run").filter(pk=conversation_id).first())


def _guarded(turn: engine.Turn, work) -> None:
    """Run ``work`` in a savepoint; on an exception undo it, keep the error and apologise."""
    said = len(turn.replies)
    try:
        with transaction.atomic():
            work()
    except Exception as exc:
        if isinstance(exc, ApplicationError):
            error = exc.message
        else:
            logger.exception("Conversation %s failed", turn.conversation.pk)
            error = f"internal error: {type(exc).__name__}: {exc}"
        del turn.replies[said:]
        turn.conversation.refresh_from_db(fields=_STATE_FIELDS)
        turn.fail(error)


def _finish(turn: engine.Turn, user_message: Message | None = None) -> TurnResult:
    conversation = turn.conversation
    conversation.save(update_fields=[*_STATE_FIELDS, "updated_at"])
    run = conversation.run
    waiting_for = run.waiting_for if run is not None else ""
    suggestions = list(conversation.suggestions)
    if not suggestions and waiting_for == "hear":
        suggestions = list((run.state.get("wait") or {}).get("choices") or [])
    return TurnResult(conversation=conversation, replies=list(turn.replies), suggestions=suggestions,
                      waiting_for=waiting_for, user_message=user_message)


def _start(turn: engine.Turn) -> None:
    conversation = turn.conversation
    conversation.started_at = timezone.now()
    script = engine.script_current(turn.bot, "start")
    if script is not None:
        run, result = engine.run_start(turn, script)
        engine.continue_chain(turn, run, result)
    elif turn.bot.config_value("welcome-message"):
        turn.say(turn.bot.config_value("welcome-message"))


def conversation_start(*, conversation: Conversation) -> TurnResult:
    """Run the bot's ``start.bas`` (or say its welcome message) once per conversation."""
    with transaction.atomic():
        conversation = _lock(conversation.pk)
        turn = engine.Turn(conversation)
        if conversation.started_at is None:
            _guarded(turn, lambda: _start(turn))
        return _finish(turn)


def _validate_text(text) -> str:
    if not isinstance(text, str):
        raise ApplicationError("The message text must be a string.", code="bots.invalid_message")
    if not text.strip():
        raise ApplicationError("The message text is empty.", code="bots.invalid_message")
    problem = json_value_problem(text)  # NUL, lone surrogates: what the database cannot store
    if problem:
        raise ApplicationError(f"The message {problem.removeprefix('the text ')}.", code="bots.invalid_message")
    if len(text) > settings.GB_MESSAGE_MAX_CHARS:
        raise ApplicationError(f"The message is {len(text)} characters long; the limit is "
                               f"{settings.GB_MESSAGE_MAX_CHARS}.", code="bots.invalid_message")
    return text


def conversation_post_message(*, conversation: Conversation, text: str,
                              on_token: Callable[[str], None] | None = None) -> TurnResult:
    """Take one user message and answer it (see module docstring).

    The first message of a conversation runs start.bas; when start.bas then waits for an
    answer, that message only opened the conversation. A run waiting at HEAR gets the message
    as its answer; otherwise the bot's LLM answers, with the tools the conversation enabled,
    streaming the answer's text to ``on_token`` as it arrives when given (the stored reply,
    returned in the result, is what counts: a model that fails mid-answer is replaced).
    """
    text = _validate_text(text)
    with transaction.atomic():
        conversation = _lock(conversation.pk)
        turn = engine.Turn(conversation)
        user_message = turn.say(text, role=MessageRole.USER)

        def work() -> None:
            if conversation.started_at is None:
                _start(turn)
                if conversation.run is not None:
                    return
            run = conversation.run
            if run is not None and run.waiting_for == "hear":
                engine.run_resume(turn, run, text)
            else:
                llm_answer(turn, text, message_id=user_message.id, on_token=on_token)

        _guarded(turn, work)
        return _finish(turn, user_message)


TIMED_WAITS = ("timer", "hear")  # WAIT, and HEAR with hear-timeout-secs


def conversation_resume_timer(*, conversation_id, now: datetime | None = None) -> TurnResult | None:
    """Resume the conversation's run when its WAIT is due or its HEAR timed out (resumed with
    no answer: the HEAR's DEFAULT or NULL); None when there is nothing to do (not due, already
    resumed, or another worker holds the conversation)."""
    now = now or timezone.now()
    with transaction.atomic():
        conversation = _lock(conversation_id, skip_locked=True)
        run = conversation.run if conversation is not None else None
        if (run is None or run.status != ExecutionStatus.WAITING or run.waiting_for not in TIMED_WAITS
                or run.resume_at is None or run.resume_at > now):
            return None
        turn = engine.Turn(conversation)
        _guarded(turn, lambda: engine.run_resume(turn, run, None))
        return _finish(turn)


def conversations_resume_due(*, now: datetime | None = None, limit: int = 200) -> int:
    """The sweeper: resume every conversation whose WAIT is due or whose HEAR timed out;
    returns how many resumed."""
    now = now or timezone.now()
    due = list(
        Conversation.objects.filter(run__status=ExecutionStatus.WAITING, run__waiting_for__in=TIMED_WAITS,
                                    run__resume_at__lte=now)
        .order_by("run__resume_at").values_list("pk", flat=True)[:limit]
    )
    return sum(conversation_resume_timer(conversation_id=pk, now=now) is not None for pk in due)
