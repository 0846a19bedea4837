"""One slice of one run (DESIGN §4.1-4.4): load the pinned program, restore or start the VM,
resume it with the wake-up value, run until it ends or suspends, settle the run.

Nothing here commits: ``slices.slice_run`` (workers) and ``turns`` (conversations) call
``advance`` inside their transaction with the run locked, then flush the ``SliceRecorder``.

Choices:

- A keyword that starts child runs (BOT, DELEGATE, PARALLEL, CALL) suspends with a request
  (``basic.StartChildren``) that ``execute`` fulfils in the same slice: it creates the children
  (``children``), runs each one inline, in order, and resumes the VM with the joined value (or
  the error of a child that failed), or, when a child suspended, leaves the run waiting on the
  join. Children run inside one another at most ``script_depth`` deep.

- ``step_begin`` suspends with ``{"kind": "checkpoint"}``; ``execute`` saves the state there as
  the run's ``checkpoint`` and resumes at once, in the same slice. ``execution_retry`` restores
  it, so a failed run continues from the start of its failed step's attempt. The step's row
  keeps the checkpoint's variables too (``WorkflowStep.variables``: what a re-run starts with).
- An outside effect (HTTP, mail, LLM ...) of a worker-run slice suspends with
  ``{"kind": "effect"}`` right after it happened (see ``effects``): the slice commits the state
  and the recorded result together, and the same worker continues at once.
- What a run keeps between slices is bounded by ``GB_STATE_MAX_BYTES``: its VM state (weighed
  while it is encoded, shared references counted each time) and its TALK output. A slice whose
  state would pass it, or would hold a value jsonb cannot store (``values.codec``), fails the
  run on the line it stands on, keeping the state last committed (a checkpoint that cannot be
  saved fails the STEP on its line). Every settled slice clears ``slice_attempts``, or sets it
  to 1 when the same worker continues the run at once (the next attempt, counted in this
  commit: see ``slices``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone

from generalbots.basic import (VM, BasicError, BasicLimitError, BasicRuntimeError, Limits, SliceResult, SliceStatus,
                               StartChildren, WaitKind, waiting_for)
from generalbots.basic.host import wait_deadline
from generalbots.basic.vm import error_for
from generalbots.basic.values import encode_value
from generalbots.bots.models import BotScript
from generalbots.bots.programs import program_for
from generalbots.bots.selectors import bot_config_variables
from workflows import events
from workflows.choices import ExecutionStatus, StepStatus
from workflows.engine import children
from workflows.engine.children import cancel_tree, notify_parent
from workflows.engine.effects import EffectCache
from workflows.engine.recorder import SliceRecorder
from workflows.models import WorkflowExecution
from workflows.runtime.host import RunHost

logger = logging.getLogger(__name__)

CHILD_DEPTH = Limits().script_depth


class WakeMode(StrEnum):
    START = "start"  # a new VM
    RESUME = "resume"  # the value of the call the run waits on
    ERROR = "error"  # that call failed (a child that failed in its own slice): value is the BasicError
    EVENT = "event"  # an ON EVENT handler runs at this suspension: value is (name, data)


@dataclass
class Wake:
    """How a slice starts (``WakeMode``) and with what ``value``."""

    mode: WakeMode
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
    armed: set = field(default_factory=set)  # continue_ids whose next attempt this commit counts
    now: datetime = field(default_factory=timezone.now)
    targets: dict = field(default_factory=dict)  # (organization id, bot name) -> (Bot, start script)
    child_depth: int = 0  # children running inline inside one another (BOT steps, branches)


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


_LIMITS: dict[int, Limits] = {}


def engine_limits() -> Limits:
    """The sandbox limits of engine runs: the defaults, with ``GB_STATE_MAX_BYTES``."""
    state_bytes = settings.GB_STATE_MAX_BYTES
    limits = _LIMITS.get(state_bytes)
    if limits is None:
        limits = _LIMITS[state_bytes] = Limits(state_bytes=state_bytes)
    return limits


def make_host(run: WorkflowExecution, script: BotScript, ctx: SliceContext):
    """The run host of ``run`` wrapped by the effect cache."""
    return EffectCache(RunHost(run, script, turn=ctx.turn, slice=ctx), run, ctx)


def advance(run: WorkflowExecution, wake: Wake, ctx: SliceContext, *, variables: dict | None = None,
            nesting: tuple[int, int] = (0, 0)) -> SliceResult:
    """Run one slice of the locked ``run`` and settle it (see module docstring). ``nesting``:
    a script CALLed by another starts with its caller's depth (``Effect.nesting``)."""
    try:
        script = script_for(run)
        program = program_of(script)
        host = make_host(run, script, ctx)
        limits = engine_limits()
        if wake.mode == WakeMode.START:
            if variables is None:
                variables = {**bot_config_variables(bot=run.bot), **(run.input or {})}
            vm = VM(program, host, variables=variables, limits=limits, nesting=nesting)
        else:
            vm = VM.restore(program, run.state, host, limits=limits)
    except BasicError as exc:
        return fail_run(run, exc, ctx, path=getattr(locals().get("script"), "path", None))
    return execute(run, vm, host, wake, ctx)


class SliceBroken(Exception):
    """The slice's transaction cannot commit: an exception inside the ORM made Django mark it
    for rollback (a RecursionError deep in a query, say), and the VM went on. ``error`` is
    how the run ended; ``slices.slice_run`` undoes the slice and fails the run with it in a new
    transaction (or, when a database error broke it, lets the task fail to be retried)."""

    def __init__(self, error: BasicError | None, path: str):
        self.error, self.path = error, path
        super().__init__(f"{path}:{error.line}: {error.message}" if error is not None else
                         f"{path}: the slice's transaction was broken")

    def database_error(self):
        """The database error that broke the transaction, if that is what happened."""
        from django.db import DatabaseError

        seen, todo = set(), [self.error]
        while todo:
            exc = todo.pop()
            if exc is None or id(exc) in seen:
                continue
            seen.add(id(exc))
            if isinstance(exc, DatabaseError):
                return exc
            todo += [exc.__cause__, exc.__context__, getattr(exc, "error", None)]
        return None


def execute(run: WorkflowExecution, vm: VM, host, wake: Wake, ctx: SliceContext) -> SliceResult:
    """Drive ``vm`` from ``wake`` to its next stop and settle ``run``; returns how the slice
    ended (failed when its state could not be saved). Raises SliceBroken when the VM stopped
    with the transaction marked for rollback."""
    if run.status != ExecutionStatus.RUNNING:
        run.transition_to(ExecutionStatus.RUNNING)
    if wake.mode == WakeMode.START:
        result = vm.run()
    elif wake.mode == WakeMode.ERROR:
        result = vm.resume_error(wake.value)
    elif wake.mode == WakeMode.EVENT:  # an ON EVENT handler runs at this suspension (workflows.events)
        result = vm.deliver_event(*wake.value)
    else:
        result = vm.resume(wake.value)
    while result.status == SliceStatus.SUSPENDED:
        if result.request is not None:
            result = _fulfil(run, vm, host, result.request, ctx)
        elif result.wait["kind"] == WaitKind.CHECKPOINT:
            try:
                run.checkpoint = vm.snapshot()
                host.inner.step_checkpoint(run.checkpoint)
            except BasicError as exc:  # fails the STEP on its line, as an error of its first statement would
                result = vm.resume_error(exc)
                continue
            result = vm.resume(None)
        else:
            break
    if connection.needs_rollback:
        raise SliceBroken(result.error, host.inner.script.path)
    return settle(run, vm, host, result, ctx)


def _fulfil(run: WorkflowExecution, vm: VM, host, request: StartChildren, ctx: SliceContext) -> SliceResult:
    """Start the children ``request`` asks for and go on (see module docstring). An exception
    becomes the error of the call, as one raised by a host would."""
    try:
        if request.kind == WaitKind.SCRIPT:
            return _call_script(run, vm, host.inner, request, ctx)
        return _join_inline(run, vm, host.inner, request, ctx)
    except BasicError as exc:
        return vm.resume_error(exc)
    except Exception as exc:  # a bug or a database error: the VM's rule for host exceptions
        return vm.resume_error(error_for(exc))


def _join_inline(run: WorkflowExecution, vm: VM, inner: RunHost, request: StartChildren,
                 ctx: SliceContext) -> SliceResult:
    """BOT, DELEGATE, PARALLEL: each child runs inline, in order, in this slice (the fast path)."""
    started, waiting = [], False
    for position, spec in enumerate(request.children):
        child = children.child_row(run, request, spec, position)
        depth = ctx.child_depth
        if depth >= CHILD_DEPTH:  # bots calling each other are bounded like scripts calling scripts
            what = "PARALLEL" if request.kind == WaitKind.PARALLEL else "BOT"
            raise BasicLimitError(f"{what}: bots and branches nested deeper than {CHILD_DEPTH} "
                                  "(does a bot call itself?)")
        ctx.recorder.add_run(child)
        if request.kind != WaitKind.PARALLEL:
            inner.step_child(request.step, child)
        script = spec.target[1]
        program = program_of(script)
        child_host = make_host(child, script, ctx)
        child_vm = VM.for_unit(program, spec.unit, spec.variables, child_host, limits=engine_limits())
        ctx.child_depth = depth + 1
        try:
            result = execute(child, child_vm, child_host, Wake(WakeMode.START), ctx)
        finally:
            ctx.child_depth = depth
        if result.status in (SliceStatus.FAILED, SliceStatus.CANCELLED):
            reason = child.error or "cancelled"
            if request.kind == WaitKind.PARALLEL:
                cancel_tree(run, ctx, reason=f"branch {spec.label} failed")
                return vm.resume_error(BasicRuntimeError(f"branch {spec.label} failed: {reason}"))
            return vm.resume_error(BasicRuntimeError(f"bot {request.name} failed: {reason}"))
        waiting = waiting or result.status == SliceStatus.SUSPENDED
        started.append(child)
    if waiting:
        return vm.wait_on(children.join_wait(request, started))
    return vm.resume(children.join_value(request.kind, started))


def _call_script(run: WorkflowExecution, vm: VM, inner: RunHost, request: StartChildren,
                 ctx: SliceContext) -> SliceResult:
    """CALL: the called script is a child run of its own, started in a slice of its own (its
    rows written at once), in the caller's conversation when it has one."""
    spec = request.children[0]
    bot, script = spec.target
    turn = inner.turn
    child = children.script_row(run, spec, turn.conversation if turn is not None else None)
    child_ctx = SliceContext(turn=turn, durable=False)
    variables = {**bot_config_variables(bot=bot), **spec.variables}
    result = advance(child, Wake(WakeMode.START), child_ctx, variables=variables, nesting=request.nesting)
    child_ctx.recorder.flush()
    if result.status == SliceStatus.FINISHED:
        return vm.resume(result.value)
    if result.status == SliceStatus.SUSPENDED:
        return vm.wait_on(children.join_wait(request, [child]))
    return vm.resume_error(children.call_failed(request.name, child, result))


def settle(run: WorkflowExecution, vm: VM, host, result: SliceResult, ctx: SliceContext) -> SliceResult:
    """Save the run after a slice: state, status, what wakes it, result or error. A state that
    cannot be saved fails the run (see module docstring); returns the slice's final result."""
    inner = host.inner
    talks = list(inner.talks) if inner.turn is None else None
    try:
        if talks:
            _check_output(talks, vm.limits.state_bytes)
        run.state = vm.snapshot()
    except BasicError as exc:
        logger.warning("Run %s: its state cannot be saved: %s", run.pk, exc.message)
        if result.status != SliceStatus.FAILED:
            result = vm.abort(exc)
        if talks is not None:
            talks = talks[:len(run.output or [])]  # what was committed before this slice
    run.waiting_for, run.resume_at, run.wait, run.swept_at = "", None, {}, None
    run.slice_attempts = 0
    if talks is not None:
        run.output = talks
    if result.status == SliceStatus.SUSPENDED:
        wait = dict(result.wait)
        kind = wait["kind"]
        run.transition_to(ExecutionStatus.WAITING)
        run.wait = wait
        run.waiting_for = waiting_for(kind, wait.get("name", ""))[:200]
        run.resume_at = wait_deadline(wait)
        inner.steps_suspend()
        events.run_suspended(run, wait)
        if kind == WaitKind.EFFECT:
            ctx.continue_ids.append(run.pk)
        if ctx.turn is not None:
            ctx.turn.run_waits(run)
    elif result.status == SliceStatus.FINISHED:
        run.transition_to(ExecutionStatus.COMPLETED)
        run.result = encode_value(result.value)
        run.changes = vm.changed_variables() if vm.base is not None else {}
        run.checkpoint = None
    elif result.status == SliceStatus.CANCELLED:
        run.transition_to(ExecutionStatus.CANCELLED)
        cancel_tree(run, ctx, reason="the run was cancelled")
    else:
        error = result.error
        _fail_open_steps(inner, ctx, error)
        run.transition_to(ExecutionStatus.FAILED)
        run.error = format_error(inner.script.path, error)
        run.error_line = error.line or None
        run.error_step = inner.failed_step or ""
        cancel_tree(run, ctx, reason="the run failed")
    if run.pk in ctx.continue_ids:  # the same worker goes on at once: count that attempt in this commit
        run.slice_attempts = 1
        ctx.armed.add(run.pk)
    save_run(run, ctx)
    if result.status != SliceStatus.SUSPENDED:
        if run.parent_id is None:  # the operator's log: a line per top-level run's start and end
            logger.info("Run %s of bot %s %s in %s", run.pk, run.bot.name, run.status,
                        _took(run.finished_at - run.created_at) if run.finished_at else "-")
        elif not ctx.recorder.is_new(run):
            notify_parent(run, ctx)
    return result


def _took(delta) -> str:
    seconds = delta.total_seconds()
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.1f} s"


def _check_output(talks: list, max_bytes: int) -> None:
    """The TALK lines a run keeps (``output``) obey the limits of its state."""
    try:
        encode_value(talks, max_bytes)
    except BasicLimitError:
        raise BasicLimitError(f"the run's TALK output would take more than {max_bytes} bytes to save") from None
    except BasicError as exc:
        raise BasicRuntimeError(f"TALK: {exc.message}") from None


def _fail_open_steps(inner, ctx: SliceContext, error: BasicError) -> None:
    """The STEPs this slice left open end failed with the run (a STEP whose checkpoint could
    not be saved, one open when the state could not be: they would stay running)."""
    for step in getattr(inner, "_steps_open", ()):
        if not step.is_finished:
            step.transition_to(StepStatus.FAILED)
            step.error = str(error)
            step.error_line = error.line or None
            if step.pk is not None:
                ctx.recorder.touch_step(step)


def format_error(path: str, error: BasicError) -> str:
    return f"{path}:{error.line}: {error.message}"


def standing_line(run: WorkflowExecution) -> tuple[str, int]:
    """The script path of ``run`` and the line its last committed state stands on (0 when it
    has none yet or it cannot be told): where a slice that never settled began."""
    path = f"{run.workflow_name}.bas"
    try:
        script = script_for(run)
        path = script.path
        frames = (run.state or {}).get("frames") or []
        if not frames:
            return path, 0
        unit = program_of(script).units[frames[-1]["unit"]]
        pc = frames[-1]["pc"]
        return path, unit.lines[pc] if 0 <= pc < len(unit.lines) else 0
    except (BasicError, LookupError, TypeError, ValueError):
        return path, 0


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
    run.slice_attempts = 0
    save_run(run, ctx)
    if run.parent_id and not ctx.recorder.is_new(run):
        notify_parent(run, ctx)
    return SliceResult(SliceStatus.FAILED, error=error)
