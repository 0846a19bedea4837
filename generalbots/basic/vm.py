"""The resumable VM: runs a compiled :class:`Program` in slices, state always plain JSON.

A slice runs until the script ends, fails, is cancelled or suspends. Between slices the whole
run is ``vm.state`` (a dict ``json.dumps`` accepts as is) and ``VM.restore`` continues it in
any process, on a program compiled from the same source. See ``vm_state`` for the layout.

Choices where the docs are silent:

- ON ERROR RESUME NEXT logs the error (``host.log(ctx, "line N: ...", "error")``) and goes on
  after the failing statement (after the whole IF/loop when its condition failed); the mode
  belongs to the SUB/FUNCTION (or script) that set it. ON ERROR GOTO label jumps with the
  message in ``err`` and error trapping off. Sandbox limit errors are never recovered.
- An error escaping an ON EVENT handler fails the run. Events delivered while a handler is
  running (or waiting) are queued and handled one after the other.
- Bare EXIT ends the run from anywhere, as finished. RETURN in the main script ends it with
  the run's value; in a PARALLEL branch it ends the branch.
- A workflow still open when the script ends gets ``host.workflow_end``; a STEP left by
  RETURN/EXIT/GOTO gets ``host.step_end`` with status "completed".
- Python exceptions raised by a host become ``BasicRuntimeError("Type: message")`` at the
  current line (the exception is kept as ``__cause__``), so a failing integration fails the
  run instead of the worker.
- ``CALL name`` of another script goes through ``call_script``: the called script's VM
  continues the count of ``call_depth`` (its frames add to its callers'), and scripts nest at
  most ``script_depth`` deep: past either, ``CALL name: calls nested deeper than N`` fails the
  run on the CALL line. ``Effect.nesting`` tells the host what the called VM inherits.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from .errors import BasicError, BasicLimitError, BasicRuntimeError, BasicThrow
from .frame import (CallSignal, CancelSignal, FinishSignal, Frame, ReturnSignal, SuspendSignal,
                    MISSING)
from .host import FORM_EVENT_PREFIX, Effect, SliceStatus, StartChildren, Suspend
from .limits import DEFAULT_LIMITS, Limits
from .program import Program
from .values import decode_value, encode_value
from .values.codec import budget_for, encode_variables
from . import vm_state

log = logging.getLogger(__name__)


@dataclass(slots=True)
class SliceResult:
    """The outcome of one slice: ``status`` is finished, suspended, failed or cancelled;
    ``wait`` what a suspended run waits for; ``value`` the RETURN value of a finished run;
    ``error`` the BasicError of a failed one (its ``line`` is where it failed); ``request`` the
    children a suspended run asks its driver to start (``host.StartChildren``), if any."""

    status: SliceStatus
    wait: dict | None = None
    value: Any = None
    error: BasicError | None = None
    request: StartChildren | None = None


class VMStateError(Exception):
    """The VM was asked for something its current status does not allow."""


class VM:
    """Runs one program. Guarantees: no effect outside ``host``; every host call gets a key
    ``(seq, line)`` that a re-run of the same slice from the same state reproduces; limits of
    ``limits`` are enforced with a BasicLimitError naming the line."""

    def __init__(self, program: Program, host, *, variables: dict | None = None,
                 limits: Limits = DEFAULT_LIMITS, unit: str = "main",
                 nesting: tuple[int, int] = (0, 0)):
        self.program = program
        self.host = host
        self.limits = limits
        self.nesting = tuple(nesting)  # (scripts, frames) of the VMs whose CALL started this one
        self.globals: dict[str, Any] = {k.lower(): v for k, v in (variables or {}).items()}
        self.frames: list[Frame] = [self._frame(program.units[unit], self.globals)]
        self.seq = 0
        self.status = SliceStatus.READY
        self.wait: dict | None = None
        self.request: StartChildren | None = None  # of the host call that just suspended
        self.value: Any = None
        self.error: BasicError | None = None
        self.headers: dict[str, Any] = {}
        self.user: str | None = None  # SET USER id (Effect.user)
        self.handlers: dict[str, str] = {}
        self.event_queue: list[list] = []
        self.workflow: dict | None = None
        self.steps: list[dict] = []
        self.base: dict | None = None

    # ------------------------------------------------------------------ construction
    @classmethod
    def for_unit(cls, program: Program, unit: str, variables: dict, host, *,
                 limits: Limits = DEFAULT_LIMITS) -> "VM":
        """A child VM running one unit (a PARALLEL branch) on a copy of ``variables``
        (JSON-encoded, as handed to ``host.parallel``); see ``changed_variables``."""
        vm = cls(program, host, variables=decode_value(variables), limits=limits, unit=unit)
        vm.base = vm.encoded_globals()
        return vm

    @classmethod
    def restore(cls, program: Program, state: dict, host, *,
                limits: Limits = DEFAULT_LIMITS) -> "VM":
        """Continue a run from ``state`` (as ``vm.state`` returned it, possibly after a JSON
        round trip) on ``program``, which must have the same hash."""
        return vm_state.restore(cls, program, state, host, limits)

    def _frame(self, unit, variables: dict) -> Frame:
        glob = self.globals
        return Frame(unit, self, glob if unit.is_global else variables, glob, self.limits)

    @property
    def state(self) -> dict:
        """The whole run as plain JSON data."""
        return vm_state.snapshot(self)

    def snapshot(self, max_bytes: int | None = None) -> dict:
        """``state``, refused with a BasicLimitError (BasicRuntimeError for a value JSON cannot
        hold) when it would take more than ``max_bytes`` (``limits.state_bytes``) to save."""
        return vm_state.snapshot(self, max_bytes)

    def current_line(self) -> int:
        """The line the run stands on (0 when unknown)."""
        if not self.frames:
            return 0
        fr = self.frames[-1]
        lines = fr.unit.lines
        return lines[fr.pc] if 0 <= fr.pc < len(lines) else (lines[-1] if lines else 0)

    def abort(self, error: BasicError) -> SliceResult:
        """End the run as failed with ``error`` (at the current line when it has none), with no
        ON ERROR or STEP recovery: for what fails around the VM, such as saving its state."""
        error.with_position(self.current_line())
        return self._end(SliceStatus.FAILED, error=error)

    def encoded_globals(self) -> dict:
        """The run's variables JSON-encoded (as handed to BOT steps and PARALLEL branches);
        bounded by ``limits.state_bytes``, an unsavable value names its variable."""
        return encode_variables(self.globals, budget_for(self.limits.state_bytes))

    def changed_variables(self) -> dict:
        """Variables created or changed since ``for_unit`` (JSON-encoded)."""
        base = self.base or {}
        now = self.encoded_globals()
        return {k: v for k, v in now.items() if k not in base or base[k] != v}

    # ------------------------------------------------------------------ public driving
    def run(self) -> SliceResult:
        """Run a new VM until it finishes, fails, is cancelled or suspends."""
        if self.status in (SliceStatus.FINISHED, SliceStatus.FAILED, SliceStatus.CANCELLED):
            return self._result()
        if self.status == SliceStatus.SUSPENDED:
            raise VMStateError("the run is suspended: call resume(value)")
        return self._execute(MISSING)

    def resume(self, value: Any = None) -> SliceResult:
        """Continue a suspended run; ``value`` becomes the result of the call it waits on."""
        if self.status != SliceStatus.SUSPENDED:
            raise VMStateError(f"cannot resume a run that is {self.status}")
        self.wait = None
        return self._execute(value)

    def wait_on(self, wait: dict) -> SliceResult:
        """Keep a run suspended on a request (``SliceResult.request``) waiting on ``wait``
        instead: the children its driver started did not all end at once."""
        if self.status != SliceStatus.SUSPENDED:
            raise VMStateError(f"cannot wait on a run that is {self.status}")
        return self._suspend(wait)

    def resume_error(self, error: BasicError) -> SliceResult:
        """Continue a suspended run as if the call it waits on had raised ``error`` (a BOT
        child or PARALLEL branch that failed in its own slice): STEP RETRY, ON ERROR and
        failing the run apply exactly as for an error raised in this slice."""
        if self.status != SliceStatus.SUSPENDED:
            raise VMStateError(f"cannot resume a run that is {self.status}")
        self.wait = None
        self.status = SliceStatus.RUNNING
        done = self._fail_or_recover(error, self.frames[-1].pc)
        if done is not None:
            return done
        return self._execute(MISSING)

    def deliver_event(self, name: str, data: Any = None) -> SliceResult:
        """Run the ON EVENT handler for ``name`` at the current suspension, then suspend
        again on the same wait (the waited-for effect is not repeated). Events without a
        handler are ignored; events arriving while a handler runs are queued."""
        if self.status != SliceStatus.SUSPENDED:
            raise VMStateError(f"cannot deliver an event to a run that is {self.status}")
        unit = self.handlers.get(name)
        if unit is None:
            return self._result()
        if any(f.saved_wait is not None for f in self.frames):
            self.event_queue.append([name, encode_value(data)])
            return self._result()
        self._start_handler(name, unit, data, self.wait)
        self.wait = None
        return self._execute(MISSING)

    def _start_handler(self, name: str, unit: str, data: Any, wait: dict) -> None:
        self.globals["event_name"] = name
        self.globals["event_data"] = data
        if name.startswith(FORM_EVENT_PREFIX):  # ON FORM SUBMIT: fields.email, metadata.x
            posted = type(data) is dict and type(data.get("fields")) is dict
            self.globals["fields"] = data["fields"] if posted else data
            self.globals["metadata"] = data.get("metadata") if posted else None
        fr = self._frame(self.program.units[unit], self.globals)
        fr.saved_wait = wait
        self.frames.append(fr)

    # ------------------------------------------------------------------ host calls
    def host_call(self, line: int, method: str, *args):
        """Call ``host.method(ctx, *args)`` with the next effect key; may return Suspend (its
        request, if any, is handed back with the suspension: ``SliceResult.request``)."""
        self.seq += 1
        step = self.steps[-1] if self.steps else None
        ctx = Effect((self.seq, line), line, step["timeout"] if step else None,
                     step["label"] if step else None, user=self.user)
        r = getattr(self.host, method)(ctx, *args)
        if type(r) is Suspend:
            self.request = r.request
        return r

    def call_script(self, line: int, name: str, args: list):
        """``CALL name`` of another script: ``host.run_script`` once the depth limits allow it
        (see the module docstring); ``ctx.nesting`` is what the called script's VM gets."""
        scripts, frames = self.nesting
        depth = frames + len(self.frames)
        limits = self.limits
        if scripts >= limits.script_depth or depth >= limits.call_depth:
            deepest = limits.script_depth if scripts >= limits.script_depth else limits.call_depth
            raise BasicLimitError(f"CALL {name}: calls nested deeper than {deepest}", line=line)
        self.seq += 1
        step = self.steps[-1] if self.steps else None
        ctx = Effect((self.seq, line), line, step["timeout"] if step else None,
                     step["label"] if step else None, (scripts + 1, depth), self.user)
        r = self.host.run_script(ctx, name, args)
        if type(r) is Suspend:
            self.request = r.request
        return r

    # ------------------------------------------------------------------ the loop
    def _execute(self, pending) -> SliceResult:
        frames = self.frames
        budget = self.limits.instructions_per_slice
        used = 0
        self.status = SliceStatus.RUNNING
        while True:
            fr = frames[-1]
            pc = fr.pc
            n = 0
            try:
                if pending is not MISSING:
                    value, pending = pending, MISSING
                    pc = fr.unit.resumers[pc](fr, value)
                code = fr.code
                for n in range(budget - used):
                    pc = code[pc](fr)
                fr.pc = pc
                raise BasicLimitError(f"script ran more than {budget} instructions in one "
                                      f"slice", line=fr.unit.lines[pc])
            except SuspendSignal as s:
                fr.pc = pc
                return self._suspend(s.wait)
            except CallSignal as c:
                used += n + 1
                fr.pc = pc
                if len(frames) + self.nesting[1] >= self.limits.call_depth:
                    pending = MISSING
                    err = BasicLimitError(f"calls nested more than {self.limits.call_depth} deep")
                    done = self._fail_or_recover(err, pc)
                    if done is not None:
                        return done
                    continue
                frames.append(self._frame(self.program.units[c.unit], c.variables))
            except ReturnSignal as r:
                used += n + 1
                fr.pc = pc
                done, pending = self._return(r.value)
                if done is not None:
                    return done
            except FinishSignal as f:
                fr.pc = pc
                return self._finish(f.value)
            except CancelSignal as c:
                fr.pc = pc
                return self._end(SliceStatus.CANCELLED, error=None, value=c.reason)
            except BasicError as e:
                used += n + 1
                done = self._fail_or_recover(e, pc)
                if done is not None:
                    return done
            except Exception as exc:  # a host or builtin bug must not kill the worker
                used += n + 1
                done = self._fail_or_recover(error_for(exc), pc)
                if done is not None:
                    return done

    # ------------------------------------------------------------------ transitions
    def _suspend(self, wait: dict) -> SliceResult:
        wait = dict(wait)
        if self.handlers:
            wait["events"] = sorted(self.handlers)
        self.wait = wait
        self.status = SliceStatus.SUSPENDED
        request, self.request = self.request, None
        return SliceResult(self.status, wait, request=request)

    def _return(self, value) -> tuple[SliceResult | None, Any]:
        frames = self.frames
        if len(frames) == 1:
            return self._finish(value), MISSING
        done = frames.pop()
        self._close_steps(len(frames))
        if done.saved_wait is not None:
            if self.event_queue:
                name, data = self.event_queue.pop(0)
                self._start_handler(name, self.handlers[name], decode_value(data),
                                    done.saved_wait)
                return None, MISSING
            return self._suspend(done.saved_wait), MISSING
        return None, value

    def _finish(self, value) -> SliceResult:
        self._close_steps(0)
        wf = self.workflow
        if wf is not None and not wf.get("ended") and len(self.frames) >= 1 \
                and self.frames[0].unit.kind == "main":
            wf["ended"] = True
            self.host_call(self.frames[-1].unit.lines[-1], "workflow_end", wf["name"])
        return self._end(SliceStatus.FINISHED, value=value)

    def _close_steps(self, depth: int) -> None:
        """Steps left by RETURN/EXIT/GOTO out of their body end as completed."""
        while self.steps and self.steps[-1]["depth"] >= depth:
            step = self.steps.pop()
            self.host_call(0, "step_end", {"label": step["label"], "attempt": step["attempt"],
                                           "status": "completed", "output": step["output"],
                                           "error": None})

    def _end(self, status: SliceStatus, *, value=None, error: BasicError | None = None) -> SliceResult:
        self.status = status
        self.value = value
        self.error = error
        self.wait = None
        return self._result()

    def _result(self) -> SliceResult:
        return SliceResult(self.status, self.wait, self.value, self.error)

    def _fail_or_recover(self, e: BasicError, pc: int) -> SliceResult | None:
        """Handle an error at ``pc`` of the top frame: ON ERROR, a STEP region, or unwind
        to the caller; None when the run continues, else the failed result."""
        frames = self.frames
        fr = frames[-1]
        if pc < len(fr.unit.lines):
            line = fr.unit.lines[pc]
            e.with_position(line, fr.unit.cols[pc])
            if e.line == line and not e.col:
                e.col = fr.unit.cols[pc]
        fatal = isinstance(e, BasicLimitError)
        while True:
            fr.pc = pc
            if not fatal:
                if fr.on_error == "resume next":
                    self.host_call(e.line, "log", str(e), "error")
                    fr.pc = fr.unit.resume_next[pc]
                    return None
                if fr.on_error and fr.on_error.startswith("goto:"):
                    # ON ERROR GOTO label: the handler runs with error trapping off
                    fr.pc = int(fr.on_error[5:])
                    fr.on_error = None
                    fr.vars["err"] = e.message
                    return None
                for region in fr.unit.regions:
                    if region.start <= pc < region.end:
                        fr.temps[region.slot] = error_record(e)
                        fr.pc = region.handler
                        return None
            if len(frames) == 1 or fr.saved_wait is not None:
                return self._end(SliceStatus.FAILED, error=e)
            frames.pop()
            self._close_steps(len(frames))
            fr = frames[-1]
            pc = fr.pc


def error_for(exc: Exception) -> BasicError:
    """The error a run fails with for ``exc``, raised by a host call (or by whoever fulfils a
    request for the VM): a limit error for Python's recursion limit, else
    a generic internal error (the traceback goes to the log, never Python's text into a BASIC
    message), with ``exc`` as its cause."""
    if isinstance(exc, RecursionError):
        error: BasicError = BasicLimitError("expression nested too deeply")
    else:
        log.error("internal error running a statement", exc_info=exc)
        error = BasicRuntimeError("internal error running this statement (the server log has the details)")
    error.__cause__ = exc
    return error


def error_record(e: BasicError) -> dict:
    """An error as plain data (kept in temps while a STEP decides to retry or fail)."""
    rec = {"kind": e.kind, "message": e.message, "line": e.line, "col": e.col}
    if isinstance(e, BasicThrow):
        rec["value"] = encode_value(e.value)
    return rec


def error_from_record(rec: dict) -> BasicError:
    """The error stored by ``error_record``, to raise again."""
    if rec.get("kind") == "throw":
        return BasicThrow(decode_value(rec.get("value")), line=rec["line"], col=rec["col"])
    return BasicRuntimeError(rec["message"], line=rec["line"], col=rec["col"])

