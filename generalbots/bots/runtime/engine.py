"""Conversation runs: starting, resuming and settling scripts in one locked slice.

A run is a ``workflow_executions`` row (DESIGN §4.1): ``workflow_name`` is the script name,
``script_hash`` the source hash of the BotScript version it started with (old versions are kept,
so a run always continues on its own script), ``state`` the VM state. ``CALL name`` of another
script of the bot runs it as a child execution (``parent`` link): inline when it finishes at
once, and when it waits (HEAR, WAIT) the conversation's ``run`` becomes the child; when the
child later ends, its parent resumes with the child's RETURN value.

Every function here runs inside the caller's transaction with the conversation row locked
(``bots.services``); nothing here commits.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.utils import timezone

from generalbots.basic import VM, BasicError, BasicRuntimeError, SliceResult
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
    return BotScript.objects.current().filter(bot=bot, name=name.lower()).first()


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

def run_start(turn: Turn, script: BotScript, *, variables: dict | None = None,
              parent: WorkflowExecution | None = None) -> tuple[WorkflowExecution, SliceResult]:
    """Start ``script`` as a new run and settle its first slice (does not continue parents)."""
    from generalbots.bots.runtime.host import ConversationHost

    run = WorkflowExecution.objects.create(
        bot=turn.bot, workflow_name=script.name, script_hash=script.source_hash,
        started_by=turn.conversation.user, parent=parent,
        root=(parent.root or parent) if parent is not None else None,
    )
    run.transition_to(ExecutionStatus.RUNNING)
    try:
        program = program_for(source=script.source, path=script.path, digest=script.source_hash)
    except BasicError as exc:
        return run, _settle_error(run, script, exc)
    vm = VM(program, ConversationHost(turn, run, script), variables={**config_variables(turn.bot), **(variables or {})})
    result = vm.run()
    settle(turn, run, vm, script, result)
    return run, result


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


def run_resume_one(turn: Turn, run: WorkflowExecution, value) -> SliceResult:
    """Resume one run without continuing its parents (``continue_chain`` does that)."""
    from generalbots.bots.runtime.host import ConversationHost

    script = BotScript.objects.filter(bot=turn.bot, name=run.workflow_name, source_hash=run.script_hash).first()
    run.transition_to(ExecutionStatus.RUNNING)
    try:
        if script is None:
            raise BasicRuntimeError(f"the version {run.script_hash[:12]} of {run.workflow_name}.bas is gone")
        program = program_for(source=script.source, path=script.path, digest=script.source_hash)
        vm = VM.restore(program, run.state, ConversationHost(turn, run, script))
    except BasicError as exc:
        return _settle_error(run, script, exc)
    result = vm.resume(value)
    settle(turn, run, vm, script, result)
    return result


def settle(turn: Turn, run: WorkflowExecution, vm: VM, script: BotScript, result: SliceResult) -> None:
    """Save the run after a slice: state, status, what it waits for, its error."""
    run.state = vm.state
    run.waiting_for, run.resume_at = "", None
    if result.status == "suspended":
        wait = result.wait or {}
        kind = wait.get("kind", "")
        run.transition_to(ExecutionStatus.WAITING)
        if kind == "script":
            run.waiting_for = f"script:{wait.get('name', '')}"[:200]
        else:
            run.waiting_for = kind
            if kind == "timer":
                run.resume_at = datetime.fromisoformat(wait["resume_at"])
            turn.conversation.run = run
    elif result.status == "finished":
        run.transition_to(ExecutionStatus.COMPLETED)
    elif result.status == "cancelled":
        run.transition_to(ExecutionStatus.CANCELLED)
    else:
        run.transition_to(ExecutionStatus.FAILED)
        run.error = format_error(script.path, result.error)
    run.save()


def _settle_error(run: WorkflowExecution, script: BotScript | None, error: BasicError) -> SliceResult:
    run.transition_to(ExecutionStatus.FAILED)
    run.error = format_error(script.path if script else f"{run.workflow_name}.bas", error)
    run.waiting_for, run.resume_at = "", None
    run.save()
    return SliceResult("failed", error=error)


def timer_wait(seconds: float) -> dict:
    resume_at = timezone.now() + timedelta(seconds=float(seconds))
    return {"kind": "timer", "seconds": seconds, "resume_at": resume_at.isoformat()}
