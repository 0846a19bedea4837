"""Conversation turns (a turn is a run, DESIGN §1): the one path that runs a conversation's
slices, whatever woke it — a user message, the bot's first hello, a timer or HEAR timeout the
sweeper queued, a child that ended, an approval decided, an event.

A run of a conversation is a ``workflow_executions`` row (DESIGN §4.1): ``workflow_name`` is
the script name, ``script_hash`` the source hash of the BotScript version it started with (old
versions are kept, so a run always continues on its own script), ``state`` the VM state. The
conversation's ``run`` is the run that waits for the user (the deepest one: a CALLed script
that HEARs, not its caller). When a CALLed script ends, its caller resumes with its RETURN
value in the same turn (``continue_chain``).

Guarantees of every turn (``turn_guarded``): the work runs in a savepoint. When it breaks (a
model that does not answer, a bug, a broken slice) only the work is undone: the user gets a
short apology, the error is kept on the conversation, the waiting run stays where it was and
nothing said before the work started (the user's message) is lost. A script error
(``file:line: message``) ends its run and is reported the same way.

Every function here runs inside the caller's transaction with the conversation row locked;
nothing here commits.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from generalbots.basic import SliceResult, SliceStatus, WaitKind
from generalbots.bots.choices import MessageRole
from generalbots.bots.models import Bot, BotScript, Conversation, Message
from generalbots.bots.selectors import bot_config_variables
from generalbots.bots.services import message_add
from generalbots.core.exceptions import ApplicationError
from workflows.choices import ExecutionKind, ExecutionStatus
from workflows.engine.core import SliceContext, Wake, WakeMode, advance
from workflows.models import WorkflowExecution

logger = logging.getLogger(__name__)

APOLOGY = "Sorry, something went wrong on my side. Please try again."

# What a turn changes on the conversation row (saved once, when the turn ends).
STATE_FIELDS = ["run", "started_at", "system_prompt", "contexts", "tools", "suggestions", "user_memory",
                "session", "last_error", "last_error_at"]


class Turn:
    """One slice of a conversation: the locked conversation and what the bot says in it."""

    def __init__(self, conversation: Conversation):
        self.conversation = conversation
        self.bot: Bot = conversation.bot
        self.replies: list[Message] = []

    def say(self, text: str, *, role: str = MessageRole.BOT, data: dict | None = None) -> Message:
        """Store a message and announce it on the conversation's group when the slice commits."""
        message = message_add(conversation=self.conversation, text=text, role=role, data=data)
        if role == MessageRole.BOT:
            self.replies.append(message)
        return message

    def fail(self, error: str) -> None:
        """Keep ``error`` on the conversation for the admin and apologise to the user."""
        logger.warning("bot %s, conversation %s: %s", self.bot.name, self.conversation.pk, error)
        self.conversation.last_error = error
        self.conversation.last_error_at = timezone.now()
        self.say(APOLOGY, data={"error": True})

    def run_waits(self, run: WorkflowExecution) -> None:
        """The engine left ``run`` waiting: a run of this conversation that waits for anything
        but a CALLed script becomes the conversation's run (what the next message answers)."""
        if run.conversation_id == self.conversation.pk and run.wait.get("kind") != WaitKind.SCRIPT:
            self.conversation.run = run


def turn_open(conversation_id, *, skip_locked: bool = False) -> Turn | None:
    """The turn of the conversation, its row locked (None when missing or, with
    ``skip_locked``, held by another worker)."""
    conversation = (Conversation.objects.select_for_update(of=("self",), skip_locked=skip_locked)
                    .select_related("bot", "run").filter(pk=conversation_id).first())
    return Turn(conversation) if conversation is not None else None


def turn_guarded(turn: Turn, work: Callable[[], None], *, reraise: tuple = ()) -> Exception | None:
    """Run ``work`` in a savepoint; on an exception undo it, keep the error and apologise (see
    the module docstring); returns that exception. Exceptions of the ``reraise`` types are
    undone and raised instead (a worker lets the database's errors fail its task)."""
    said = len(turn.replies)
    try:
        with transaction.atomic():
            work()
    except reraise:
        raise
    except Exception as exc:
        if isinstance(exc, ApplicationError):
            error = exc.message
        else:
            logger.exception("Conversation %s failed", turn.conversation.pk)
            error = f"internal error: {type(exc).__name__}: {exc}"
        del turn.replies[said:]
        turn.conversation.refresh_from_db(fields=STATE_FIELDS)
        turn.fail(error)
        return exc
    return None


def turn_close(turn: Turn) -> None:
    """Save what the turn changed on the conversation."""
    turn.conversation.save(update_fields=[*STATE_FIELDS, "updated_at"])


def run_start(turn: Turn, script: BotScript, *, variables: dict | None = None) -> tuple[WorkflowExecution,
                                                                                         SliceResult]:
    """Start ``script`` as a new run of the conversation and settle its first slice (does not
    continue parents). TALK and HEAR of the run reach the user."""
    conversation = turn.conversation
    run = WorkflowExecution.objects.create(
        bot=turn.bot, workflow_name=script.name, script_hash=script.source_hash, script=script,
        started_by=conversation.user, conversation=conversation, kind=ExecutionKind.CONVERSATION,
    )
    ctx = SliceContext(turn=turn, durable=False)
    variables = {**bot_config_variables(bot=turn.bot), **(variables or {})}
    result = advance(run, Wake(WakeMode.START), ctx, variables=variables)
    ctx.recorder.flush()
    return run, result


def run_resume(turn: Turn, run: WorkflowExecution, value) -> SliceResult:
    """Resume a waiting run with ``value``, then any parents its ending wakes up."""
    ctx = SliceContext(turn=turn, durable=False)
    result = advance(run, Wake(WakeMode.RESUME, value), ctx)
    ctx.recorder.flush()
    return continue_chain(turn, run, result)


def continue_chain(turn: Turn, run: WorkflowExecution, result: SliceResult) -> SliceResult:
    """After a slice of the conversation: a CALLed script that ended resumes its caller (with
    its RETURN value); a failure fails the callers and is reported once; the conversation's run
    is cleared when it is one of these runs and it ended."""
    chain = {run.pk}
    while result.status == SliceStatus.FINISHED and run.parent_id is not None:
        run = WorkflowExecution.objects.get(pk=run.parent_id)
        chain.add(run.pk)
        ctx = SliceContext(turn=turn, durable=False)
        result = advance(run, Wake(WakeMode.RESUME, result.value), ctx)
        ctx.recorder.flush()
    if result.status in (SliceStatus.FAILED, SliceStatus.CANCELLED):
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
        if result.status == SliceStatus.FAILED:
            turn.fail(error)
    if result.status != SliceStatus.SUSPENDED and turn.conversation.run_id in (None, *chain):
        turn.conversation.run = None  # it ended; a run that took its place since is kept
    return result


def conversation_slice(turn: Turn, run: WorkflowExecution, ctx: SliceContext,
                       work: Callable[[WorkflowExecution, SliceContext], SliceResult], *, reraise: tuple = ()):
    """A run of ``turn``'s conversation woken by a worker (a timer or HEAR timeout, its BOT
    child ended, its approval was decided, an event): the slice ``work(run, ctx)`` runs as a
    guarded turn, so TALK reaches the user; returns the exception the turn apologised for."""
    ctx.turn, ctx.durable = turn, False

    def body() -> None:
        result = work(run, ctx)
        ctx.recorder.flush()
        continue_chain(turn, run, result)

    failure = turn_guarded(turn, body, reraise=reraise)
    turn_close(turn)
    return failure
