"""One slice of one run (DESIGN §4.1-4.4): load the pinned program, restore or start the VM,
resume it with the wake-up value, run until it ends or suspends, settle the run.

Nothing here commits: ``slices.slice_run`` (workers) and ``bots.runtime.engine``
(conversations) call ``advance`` inside their transaction with the run locked, then flush the
``SliceRecorder``.

Choices:

- ``step_begin`` suspends with ``{"kind": "checkpoint"}``; ``drive`` saves the state there as
  the run's ``checkpoint`` and resumes at once, in the same slice. ``execution_retry`` restores
  it, so a failed run continues from the start of its failed step's attempt.
- An outside effect (HTTP, mail, LLM ...) of a worker-run slice suspends with
  ``{"kind": "effect"}`` right after it happened (see ``effects``): the slice commits the state
  and the recorded result together, and the same worker continues at once.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils import timezone

from generalbots.basic import VM, BasicError, BasicRuntimeError, SliceResult
from generalbots.basic.values import encode_value
from generalbots.bots.models import BotScript
from generalbots.bots.runtime.programs import program_for
from workflows.choices import ExecutionStatus, StepStatus
from workflows import events
from workflows.engine.recorder import SliceRecorder
from workflows.models import WorkflowApproval, WorkflowExecution, WorkflowStep

logger = logging.getLogger(__name__)

_LINE = re.compile(r"^line (\d+): ")


@dataclass
class Wake:
    """How a slice starts: ``start`` a new VM, ``resume`` with ``value``, or ``error`` (a child
    that failed in its own slice: ``value`` is the BasicError)."""

    mode: str
    value: Any = None


@dataclass
class SliceContext:
    """What the runs of one slice share: the recorder, the conversation turn (if any), whether
    outside effects checkpoint (worker slices), which runs to continue after the commit and
    the bots BOT steps already looked up in this slice (one transaction: they cannot change)."""

    turn: Any = None
    durable: bool = True
    recorder: SliceRecorder = field(default_factory=SliceRecorder)
    continue_ids: list = field(default_factory=list)
    now: datetime = field(default_factory=timezone.now)
    targets: dict = field(default_factory=dict)  # bot name -> (Bot, start script) of BOT steps


_SCRIPTS: dict[int, BotScript] = {}


def script_for(run: WorkflowExecution) -> BotScript:
    """The script version the run is pinned to (DESIGN §4.7). Versions are kept per process by
    id: a version's source never changes (a new source is a new row)."""
    script = _SCRIPTS.get(run.script_id) if run.script_id else None
    if script is None or script.source_hash != run.script_hash or script.bot_id != run.bot_id:
        script = None
        if run.script_id:
            script = BotScript.objects.filter(pk=run.script_id, source_hash=run.script_hash).first()
        if script is None:
            script = BotScript.objects.filter(bot_id=run.bot_id, source_hash=run.script_hash).first()
        if script is None:
            raise BasicRuntimeError(f"the version {run.script_hash[:12]} of the script of {run.workflow_name} is gone")
        if len(_SCRIPTS) > 1000:
            _SCRIPTS.clear()
        _SCRIPTS[script.pk] = script
    return script


def program_of(script: BotScript):
    return program_for(source=script.source, path=script.path, digest=script.source_hash)


def make_host(run: WorkflowExecution, script: BotScript, program, ctx: SliceContext):
    """The Django host of ``run`` wrapped by the effect cache."""
    from generalbots.bots.runtime.host import RunHost
    from workflows.engine.effects import EffectCache

    host = RunHost(run, script, turn=ctx.turn, slice=ctx)
    host.program = program
    return EffectCache(host, run, ctx)


def advance(run: WorkflowExecution, wake: Wake, ctx: SliceContext, *, variables: dict | None = None) -> SliceResult:
    """Run one slice of the locked ``run`` and settle it (see module docstring)."""
    try:
        script = script_for(run)
        program = program_of(script)
        host = make_host(run, script, program, ctx)
        if wake.mode == "start":
            if variables is None:
                from generalbots.bots.runtime.engine import config_variables
                variables = {**config_variables(run.bot), **(run.input or {})}
            vm = VM(program, host, variables=variables)
        else:
            vm = VM.restore(program, run.state, host)
    except BasicError as exc:
        return fail_run(run, exc, ctx, path=getattr(locals().get("script"), "path", None))
    return execute(run, vm, host, wake, ctx)


def execute(run: WorkflowExecution, vm: VM, host, wake: Wake, ctx: SliceContext) -> SliceResult:
    """Drive ``vm`` from ``wake`` to its next stop and settle ``run``."""
    if run.status != ExecutionStatus.RUNNING:
        run.transition_to(ExecutionStatus.RUNNING)
    if wake.mode == "start":
        result = vm.run()
    elif wake.mode == "error":
        result = vm.resume_error(wake.value)
    elif wake.mode == "event":  # an ON EVENT handler runs at this suspension (workflows.events)
        result = vm.deliver_event(*wake.value)
    else:
        result = vm.resume(wake.value)
    while result.status == "suspended" and (result.wait or {}).get("kind") == "checkpoint":
        run.checkpoint = vm.state
        result = vm.resume(None)
    settle(run, vm, host, result, ctx)
    return result


def _deadline(wait: dict) -> datetime | None:
    raw = wait.get("deadline") or wait.get("resume_at")
    return datetime.fromisoformat(raw) if raw else None


def settle(run: WorkflowExecution, vm: VM, host, result: SliceResult, ctx: SliceContext) -> None:
    """Save the run after a slice: state, status, what wakes it, result or error."""
    inner = getattr(host, "inner", host)
    run.state = vm.state
    run.waiting_for, run.resume_at, run.wait, run.swept_at = "", None, {}, None
    if inner.turn is None:
        run.output = list(inner.talks)
    if result.status == "suspended":
        wait = dict(result.wait or {})
        kind = wait.get("kind", "")
        run.transition_to(ExecutionStatus.WAITING)
        run.wait = wait
        run.waiting_for = (f"{kind}:{wait.get('name', '')}" if kind in ("script", "event") else kind)[:200]
        run.resume_at = _deadline(wait)
        inner.steps_suspend()
        events.run_suspended(run, wait)
        if kind == "effect":
            ctx.continue_ids.append(run.pk)
        if ctx.turn is not None and kind != "script" and run.conversation_id == ctx.turn.conversation.pk:
            ctx.turn.conversation.run = run
    elif result.status == "finished":
        run.transition_to(ExecutionStatus.COMPLETED)
        run.result = encode_value(result.value)
        run.changes = vm.changed_variables() if vm.base is not None else {}
        run.checkpoint = None
    elif result.status == "cancelled":
        run.transition_to(ExecutionStatus.CANCELLED)
        cancel_tree(run, ctx, reason="the run was cancelled")
    else:
        error = result.error
        run.transition_to(ExecutionStatus.FAILED)
        run.error = format_error(inner.script.path, error)
        run.error_line = error.line or None
        run.error_step = inner.failed_step or ""
        cancel_tree(run, ctx, reason="the run failed")
    save_run(run, ctx)
    if result.status != "suspended" and run.parent_id and not ctx.recorder.is_new(run):
        notify_parent(run, ctx)


def format_error(path: str, error: BasicError) -> str:
    return f"{path}:{error.line}: {error.message}"


def save_run(run: WorkflowExecution, ctx: SliceContext) -> None:
    if not ctx.recorder.is_new(run):
        ctx.recorder.save_run(run)  # written with the slice's other rows at the flush


def fail_run(run: WorkflowExecution, error: BasicError, ctx: SliceContext, *, path: str | None = None) -> SliceResult:
    """End ``run`` as failed before its VM could run (script gone, does not compile ...)."""
    if run.status != ExecutionStatus.RUNNING and run.can_transition_to(ExecutionStatus.RUNNING):
        run.transition_to(ExecutionStatus.RUNNING)
    run.transition_to(ExecutionStatus.FAILED)
    run.error = format_error(path or f"{run.workflow_name}.bas", error)
    run.error_line = error.line or None
    run.waiting_for, run.resume_at, run.wait = "", None, {}
    save_run(run, ctx)
    if run.parent_id and not ctx.recorder.is_new(run):
        notify_parent(run, ctx)
    return SliceResult("failed", error=error)


def notify_parent(child: WorkflowExecution, ctx: SliceContext) -> None:
    """A child ended in its own slice: wake its parent when the join it waits on is complete.

    The parent row is locked first, so two siblings ending at once are counted one after the
    other and exactly one of them sees the join complete (DESIGN §4.6: joins count rows).
    """
    parent = WorkflowExecution.objects.select_for_update().filter(pk=child.parent_id).first()
    if parent is None or parent.status != ExecutionStatus.WAITING:
        return
    if (parent.wait or {}).get("key") != child.parent_key:
        if parent.conversation_id and parent.waiting_for.startswith("script:"):
            return  # CALL children of conversations wake their parent through the turn
        return
    open_siblings = (WorkflowExecution.objects.filter(parent_id=parent.pk, parent_key=child.parent_key)
                     .exclude(pk=child.pk).exclude(status__in=ExecutionStatus.finished()))
    if child.status == ExecutionStatus.FAILED or not open_siblings.exists():
        ctx.continue_ids.append(parent.pk)


def cancel_tree(run: WorkflowExecution, ctx: SliceContext, *, reason: str) -> int:
    """Cancel the unfinished descendants of ``run`` (in memory and in the database), their open
    steps and pending approvals; returns how many runs were cancelled."""
    now = timezone.now()
    count = 0
    for child in list(ctx.recorder.new_runs.values()):
        if child.parent_id == run.pk and not child.is_finished:
            child.transition_to(ExecutionStatus.CANCELLED)
            child.error = child.error or reason
            child.waiting_for, child.resume_at = "", None
            count += 1 + cancel_tree(child, ctx, reason=reason)
    for step in ctx.recorder.new_steps:
        if step.execution_id != run.pk and not step.is_finished and ctx.recorder.new_runs.get(step.execution_id) \
                and ctx.recorder.new_runs[step.execution_id].status == ExecutionStatus.CANCELLED:
            step.transition_to(StepStatus.CANCELLED)
    ids = [run.pk]
    while ids:
        children = list(WorkflowExecution.objects.filter(parent_id__in=ids)
                        .exclude(status__in=ExecutionStatus.finished()).values_list("pk", flat=True))
        if not children:
            break
        WorkflowExecution.objects.filter(pk__in=children).update(
            status=ExecutionStatus.CANCELLED, finished_at=now, updated_at=now, waiting_for="", resume_at=None,
            error=reason)
        WorkflowStep.objects.filter(execution_id__in=children, status__in=[StepStatus.RUNNING, StepStatus.WAITING]) \
            .update(status=StepStatus.CANCELLED, finished_at=now)
        WorkflowApproval.objects.filter(execution_id__in=children).pending().update(
            status="cancelled", decided_at=now)
        count += len(children)
        ids = children
    return count


def error_line_of(message: str) -> int | None:
    m = _LINE.match(message or "")
    return int(m.group(1)) if m else None
