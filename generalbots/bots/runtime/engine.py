"""Conversation runs: starting, resuming and settling scripts in one locked slice.

A run is a ``workflow_executions`` row (DESIGN §4.1): ``workflow_name`` is the script name,
``script_hash`` the source hash of the BotScript version it started with (old versions are kept,
so a run always continues on its own script), ``state`` the VM state. ``CALL name`` of another
script of the bot runs it as a child execution (``parent`` link): inline when it finishes at
once, and when it waits (HEAR, WAIT) the conversation's ``run`` becomes the child; when the
child later ends, its parent resumes with the child's RETURN value. A called script starts
with its caller's call depth (``nesting``), so a script calling itself fails on its CALL line
(``CALL name: calls nested deeper than N``) instead of recursing in Python; a limit error of a
called script reaches its callers once, not wrapped again at every level (``call_failed``).

Every function here runs inside the caller's transaction with the conversation row locked
(``bots.services``); nothing here commits.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.utils import timezone

from generalbots.basic import VM, BasicError, BasicLimitError, BasicRuntimeError, SliceResult
from generalbots.bots.choices import MessageRole
from generalbots.bots.models import Bot, BotScript, Conversation, Message
from generalbots.bots.runtime.programs import program_for
from generalbots.core.realtime import publish
from workflows.choices import ExecutionStatus
from workflows.models import WorkflowExecution

logger = logging.getLogger(__name__)

APOLOGY = "Sorry, something went wrong on my side. Please try again."


class Turn:
    """One slice of a conversation: the locked conversation and what the bot says in it."""

    def __init__(self, conversation: Conversation):
        self.conversation = conversation
        self.bot: Bot = conversation.bot
        self.replies: list[Message] = []

    def say(self, text: str, *, role: str = MessageRole.BOT, data: dict | None = None) -> Message:
        """Store a message and announce it on the conversation's group when the slice commits."""
        message = Message.objects.create(conversation=self.conversation, role=role, text=text, data=data or {})
        if role == MessageRole.BOT:
            self.replies.append(message)
        publish(group=self.conversation.group_name, type="bot.message",
                data={"conversation": str(self.conversation.pk), "message": message.as_dict()})
        return message

    def fail(self, error: str) -> None:
        """Keep ``error`` on the conversation for the admin and apologise to the user."""
        logger.warning("bot %s, conversation %s: %s", self.bot.name, self.conversation.pk, error)
        self.conversation.last_error = error
        self.conversation.last_error_at = timezone.now()
        self.say(APOLOGY, data={"error": True})


# --------------------------------------------------------------------------- scripts

def script_current(bot: Bot, name: str) -> BotScript | None:
    return BotScript.objects.current().filter(bot=bot, name=name.lower()).order_by().first()  # one current per name


def config_variables(bot: Bot) -> dict:
    """``param-NAME`` config rows as variables: number, boolean or text."""
    variables = {}
    for key, raw in (bot.config or {}).items():
        if key.lower().startswith("param-") and len(key) > 6:
            variables[key[6:].lower()] = coerce_param(raw)
    return variables


def coerce_param(raw: str):
    text = str(raw).strip()
    if text.lower() in ("true", "false"):
        return text.lower() == "true"
    try:
        number = float(text)
    except ValueError:
        return text
    return int(number) if number.is_integer() and "." not in text and "e" not in text.lower() else number


def format_error(script_path: str, error: BasicError) -> str:
    return f"{script_path}:{error.line}: {error.message}"


# --------------------------------------------------------------------------- runs

def run_start(turn: Turn | None, script: BotScript, *, variables: dict | None = None,
              parent: WorkflowExecution | None = None,
              nesting: tuple[int, int] = (0, 0)) -> tuple[WorkflowExecution, SliceResult]:
    """Start ``script`` as a new run and settle its first slice (does not continue parents).

    The slice runs on the workflow engine (``workflows.engine.advance``) inside the caller's
    transaction; a conversation turn makes it a conversation run (TALK and HEAR reach the user).
    ``nesting`` is the caller's call depth when a script CALLs it (``Effect.nesting``).
    """
    from workflows.choices import ExecutionKind
    from workflows.engine import SliceContext, Wake, advance

    conversation = turn.conversation if turn is not None else None
    bot = turn.bot if turn is not None else script.bot
    run = WorkflowExecution.objects.create(
        bot=bot, workflow_name=script.name, script_hash=script.source_hash, script=script,
        started_by=conversation.user if conversation is not None else (parent.started_by if parent else None),
        parent=parent, root=(parent.root or parent) if parent is not None else None,
        conversation=conversation,
        kind=ExecutionKind.SCRIPT if parent is not None else ExecutionKind.CONVERSATION,
    )
    ctx = SliceContext(turn=turn, durable=False)
    result = advance(run, Wake("start"), ctx, variables={**config_variables(bot), **(variables or {})},
                     nesting=nesting)
    ctx.recorder.flush()
    return run, result


def call_failed(name: str, child: WorkflowExecution, result: SliceResult) -> BasicRuntimeError:
    """The error of ``CALL name`` whose child run ``child`` failed (or was cancelled) at once.

    A limit error stays one (ON ERROR cannot swallow it); one that already came up from a
    deeper CALL is passed on as it is, so a chain of 20 scripts reports the failing line once.
    """
    error = result.error
    if isinstance(error, BasicLimitError):
        if getattr(error, "called", False):
            passed = BasicLimitError(error.message)
        else:
            passed = BasicLimitError(f"{name}.bas failed: {child.error}")
        passed.called = True
        return passed
    return BasicRuntimeError(f"{name}.bas failed: {child.error or 'cancelled'}")


def run_resume(turn: Turn, run: WorkflowExecution, value) -> SliceResult:
    """Resume a waiting run with ``value``, then any parents its ending wakes up."""
    return continue_chain(turn, run, run_resume_one(turn, run, value))


def continue_chain(turn: Turn, run: WorkflowExecution, result: SliceResult) -> SliceResult:
    """After a top-level slice: wake parents of a finished child; report a failure once."""
    while result.status == "finished" and run.parent_id is not None:
        run = WorkflowExecution.objects.get(pk=run.parent_id)
        result = run_resume_one(turn, run, result.value)
    if result.status in ("failed", "cancelled"):
        error = run.error or "the run was cancelled"
        ancestor_id = run.parent_id
        while ancestor_id is not None:
            ancestor = WorkflowExecution.objects.get(pk=ancestor_id)
            if not ancestor.is_finished:
                ancestor.transition_to(ExecutionStatus.FAILED)
                ancestor.error = f"a called script failed: {error}"
                ancestor.waiting_for, ancestor.resume_at = "", None
                ancestor.save()
            ancestor_id = ancestor.parent_id
        if result.status == "failed":
            turn.fail(error)
    if result.status != "suspended":
        turn.conversation.run = None
    return result


def run_resume_one(turn: Turn | None, run: WorkflowExecution, value) -> SliceResult:
    """Resume one run without continuing its parents (``continue_chain`` does that)."""
    from workflows.engine import SliceContext, Wake, advance

    ctx = SliceContext(turn=turn, durable=False)
    result = advance(run, Wake("resume", value), ctx)
    ctx.recorder.flush()
    return result


def timer_wait(seconds: float) -> dict:
    resume_at = timezone.now() + timedelta(seconds=float(seconds))
    return {"kind": "timer", "seconds": seconds, "resume_at": resume_at.isoformat()}
