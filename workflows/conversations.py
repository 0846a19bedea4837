"""Conversation turns as services: the first message runs start.bas, HEAR waits durably, the
rest goes to the LLM.

Every entry point is one turn of the conversation (``workflows.engine.turns``, DESIGN §4.2):
lock the conversation row, store the user's message (the row that wakes the run, as an event
row wakes an event waiter), then run the one guarded slice path: resume the waiting run with
the message, or start start.bas, or answer with the model, and commit the state together with
the messages said in one transaction. The slice runs inline, so the reply is in the result (and
on the socket) at once, in embedded and full mode alike. Timers and HEAR timeouts of a
conversation are wake-ups the engine's sweeper queues like any other (``engine.slices``).

Answers of the model (``llm_answer``): the bot's profile goes first (``runtime.profile``: what
the offline model answers greetings and "what can you do" from; built only when that model
answers, never sent to an endpoint),
the tools enabled with USE TOOL are offered as
functions; a tool call runs the tool script with the arguments as its variables and its RETURN
value (JSON text for lists and objects) goes back to the model, for at most
``MAX_TOOL_ROUNDS`` rounds. A tool that stops to HEAR becomes the conversation's waiting run and
ends the model's turn. ``on_token`` streams the answer's text as it arrives.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from generalbots.basic import SliceStatus, WaitKind
from generalbots.basic.values import to_json_text, to_text
from generalbots.bots.choices import MessageRole
from generalbots.bots.models import BotScript, Conversation, Message
from generalbots.bots.selectors import script_current
from generalbots.core.exceptions import ApplicationError, ConflictError
from generalbots.core.json_values import json_value_problem
from llmrouter.offline import profile_message
from llmrouter.providers import TokenCallback
from llmrouter.services import llm_chat
from workflows.engine.turns import Turn, continue_chain, run_resume, run_start, turn_close, turn_guarded, turn_open
from workflows.runtime.llm import (bot_temperature, context_messages, conversation_pin, enabled_tools, history_messages,
                                   kb_messages, session_key)
from workflows.runtime.profile import bot_profile
from workflows.selectors import workflow_summary

MAX_TOOL_ROUNDS = 5


@dataclass
class TurnResult:
    """What one turn did: the bot's replies, the suggestions to show, what the bot waits for."""

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


def _result(turn: Turn, user_message: Message | None = None) -> TurnResult:
    turn_close(turn)
    conversation = turn.conversation
    run = conversation.run
    waiting_for = run.waiting_for if run is not None else ""
    suggestions = list(conversation.suggestions)
    if not suggestions and waiting_for == WaitKind.HEAR:
        suggestions = list((run.state.get("wait") or {}).get("choices") or [])
    return TurnResult(conversation=conversation, replies=list(turn.replies), suggestions=suggestions,
                      waiting_for=waiting_for, user_message=user_message)


def _start(turn: Turn) -> None:
    conversation = turn.conversation
    conversation.started_at = timezone.now()
    script = script_current(bot=turn.bot, name="start")
    if script is not None:
        run, result = run_start(turn, script)
        continue_chain(turn, run, result)
    elif turn.bot.config_value("welcome-message"):
        turn.say(turn.bot.config_value("welcome-message"))


@dataclass(frozen=True)
class RunToConfirm:
    """What a conversation would start: the workflow of the bot's start.bas and what it does."""

    bot: str
    workflow: str
    summary: str

    def as_dict(self) -> dict:
        return {"bot": self.bot, "workflow": self.workflow, "summary": self.summary,
                "question": f"Chatting with {self.bot} starts a real run of the workflow {self.workflow!r}"
                            f"{': ' + self.summary.rstrip('.') if self.summary else ''}. Start it?"}


def conversation_run_to_confirm(*, conversation: Conversation) -> RunToConfirm | None:
    """The run a first message would start without asking, when the bot's start.bas is a
    workflow (ORCHESTRATE WORKFLOW) and the conversation has not started; None otherwise."""
    if conversation.started_at is not None:
        return None
    script = script_current(bot=conversation.bot, name="start")
    summary = workflow_summary(script) if script is not None else None
    return RunToConfirm(conversation.bot.name, *summary) if summary is not None else None


def _check_confirmed(conversation: Conversation, confirmed: bool) -> None:
    """A workflow bot's conversation starts its run only once the user said yes (DESIGN §9)."""
    if confirmed:
        return
    pending = conversation_run_to_confirm(conversation=conversation)
    if pending is not None:
        raise ConflictError(f"{pending.as_dict()['question']} Confirm first: send "
                            '{"type": "confirm"} on the chat socket, or "confirm_run": true to the API.',
                            code="bots.confirm_run", extra=pending.as_dict())


def conversation_start(*, conversation: Conversation, confirmed: bool = False) -> TurnResult:
    """Run the bot's ``start.bas`` (or say its welcome message) once per conversation. A start
    dialog that is a workflow starts only when ``confirmed`` (ConflictError ``bots.confirm_run``
    naming the workflow otherwise; nothing is stored)."""
    with transaction.atomic():
        turn = turn_open(conversation.pk)
        _check_confirmed(turn.conversation, confirmed)
        if turn.conversation.started_at is None:
            turn_guarded(turn, lambda: _start(turn))
        return _result(turn)


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
                              on_token: Callable[[str], None] | None = None, confirmed: bool = False) -> TurnResult:
    """Take one user message and answer it (see module docstring).

    The first message to a bot whose start.bas is a workflow starts a real run: without
    ``confirmed`` it is refused (ConflictError ``bots.confirm_run`` saying what the workflow
    does) and nothing is stored or run.

    The first message of a conversation runs start.bas; when start.bas then waits for an
    answer, that message only opened the conversation. A run waiting at HEAR gets the message
    as its answer; otherwise the bot's LLM answers, with the tools the conversation enabled,
    streaming the answer's text to ``on_token`` as it arrives when given (the stored reply,
    returned in the result, is what counts: a model that fails mid-answer is replaced).
    """
    text = _validate_text(text)
    with transaction.atomic():
        turn = turn_open(conversation.pk)
        conversation = turn.conversation
        _check_confirmed(conversation, confirmed)
        user_message = turn.say(text, role=MessageRole.USER)

        def work() -> None:
            if conversation.started_at is None:
                _start(turn)
                if conversation.run is not None:
                    return
            run = conversation.run
            if run is not None and run.waiting_for == WaitKind.HEAR:
                run_resume(turn, run, text)
            else:
                llm_answer(turn, text, message_id=user_message.id, on_token=on_token)

        turn_guarded(turn, work)
        return _result(turn, user_message)


def llm_answer(turn: Turn, text: str, *, message_id: int | None, on_token: TokenCallback | None = None) -> None:
    """Answer ``text`` (the user message ``message_id``) with the model, running tool calls."""
    conversation = turn.conversation
    tools = enabled_tools(conversation)
    messages = [profile_message(lambda: bot_profile(turn.bot, tools)), *context_messages(conversation),
                *kb_messages(turn.bot, session_key(conversation, None), text),
                *history_messages(conversation, before_id=message_id),
                {"role": "user", "content": text}]
    schemas = [s.tool_schema for s in tools.values()] or None
    pin, temperature = conversation_pin(conversation), bot_temperature(turn.bot)
    for _round in range(MAX_TOOL_ROUNDS):
        result = llm_chat(bot=turn.bot, messages=messages, tools=schemas, pinned=pin, temperature=temperature,
                          on_token=on_token)
        if not result["tool_calls"]:
            turn.say(result["content"] or "", data={"usage": result["usage"], "model": result["model"]})
            return
        messages.append({"role": "assistant", "content": result["content"],
                         "tool_calls": [{"id": c["id"], "type": "function",
                                         "function": {"name": c["name"], "arguments": c["arguments"]}}
                                        for c in result["tool_calls"]]})
        for call in result["tool_calls"]:
            output, waiting = run_tool(turn, tools, call)
            turn.say(output, role=MessageRole.TOOL,
                     data={"tool": call["name"], "arguments": call["arguments"], "call_id": call["id"]})
            if waiting:
                return
            messages.append({"role": "tool", "tool_call_id": call["id"], "content": output})
    turn.say(result["content"] or "I could not finish that request with my tools.")


def run_tool(turn: Turn, tools: dict[str, BotScript], call: dict) -> tuple[str, bool]:
    """Run one tool call; (result text for the model, whether the tool now waits for the user)."""
    script = tools.get(call["name"])
    if script is None:
        return f"error: there is no tool named {call['name']!r}", False
    try:
        arguments = json.loads(call["arguments"] or "{}")
    except ValueError:
        return "error: the arguments are not valid JSON", False
    if not isinstance(arguments, dict):
        return "error: the arguments must be a JSON object", False
    run, result = run_start(turn, script, variables=arguments)
    if result.status == SliceStatus.SUSPENDED:
        return f"{script.name} is asking the user for more information", True
    if result.status == SliceStatus.FAILED:
        turn.conversation.last_error = run.error
        return f"error: {run.error}", False
    value = result.value
    if value is None:
        return "done", False
    return (value if isinstance(value, str) else to_json_text(value) if isinstance(value, (list, dict))
            else to_text(value)), False
