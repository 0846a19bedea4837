"""Workflow keywords (BASIC.md section 5): ORCHESTRATE WORKFLOW, STEP, BOT, HUMAN APPROVAL,
PARALLEL, ON EVENT, PUBLISH EVENT and WAIT FOR EVENT.

Choices where the docs are silent:

- STEP: ``host.step_begin(label, attempt)`` before the body (it may return Suspend: resuming
  enters the body, so a durable host can save the state there as the attempt's checkpoint) and ``host.step_end(record)``
  after it, where record = {label, attempt, status ("completed" | "failed" | "timeout"),
  output, error, conflicts}. ``DELAY s`` waits once, before the first attempt. ``RETRY n``
  retries a failed body up to n more times, waiting 1, 2, 4 ... seconds (capped at one hour)
  through ``host.wait`` between attempts. Sandbox limit errors are never retried.
- ``TIMEOUT s`` of a step reaches every host call made inside it as ``ctx.timeout``; a host
  signals expiry by resuming a BOT / PARALLEL / DELEGATE call with ``{"timed_out": true}``.
  Then ``ON TIMEOUT: APPROVE`` lets the step end with status "timeout" and the run go on,
  ``CANCEL`` cancels the run, and anything else (no action, REJECT, ESCALATE) fails the step
  (``step 2 timed out after 60 seconds``), which RETRY may retry.
- HUMAN APPROVAL on timeout: ``ESCALATE TO who`` asks ``who`` once with the same timeout (a
  second timeout is final: status "timeout"); ``APPROVE [note]`` / ``REJECT [note]`` decide
  with the note as comment and NULL approver; ``CANCEL`` ends the run cancelled. Rejection does
  not fail the step. ``approved``, ``approval_status``, ``approver``, ``approval_comment`` are
  set as globals.
- BOT and PARALLEL results merge into the globals; a PARALLEL outside a STEP logs keys
  written by two branches through ``host.log`` (level "warning").
- ON EVENT registers its handler when the statement is reached; handlers set the globals
  ``event_name`` and ``event_data`` before they run.
"""

from __future__ import annotations

from . import ast
from .builder import emit_effect
from .errors import BasicRuntimeError
from .frame import CancelSignal, SuspendSignal
from .host import Suspend
from .values import decode_value, to_number, to_text
from .vm import error_from_record

BACKOFF_CAP = 3600


def _timed_out(r) -> bool:
    return type(r) is dict and bool(r.get("timed_out"))


def _current_step(vm) -> dict | None:
    return vm.steps[-1] if vm.steps else None


class WorkflowCompiler:
    """Compiles the multi-agent statements (see module docstring)."""

    def __init__(self, cc):
        self.cc = cc

    # ------------------------------------------------------------------ workflow
    def orchestrate(self, b, ec, s) -> None:
        name = ec.value(s.name)
        budget = ec.value(s.budget) if s.budget is not None else (lambda fr: None)
        if type(s.name) is ast.Literal and self.cc.workflow_name is None:
            self.cc.workflow_name = to_text(s.name.value)
        line = s.line

        def call(fr):
            wf_name, wf_budget = to_text(name(fr)), budget(fr)
            fr.vm.workflow = {"name": wf_name, "budget": wf_budget, "ended": False}
            return fr.vm.host_call(line, "workflow_begin", wf_name, wf_budget)
        emit_effect(b, line, call)

    def end(self, b, ec, s) -> None:
        line = s.line

        def call(fr):
            wf = fr.vm.workflow
            if wf is None or wf["ended"]:
                return None
            wf["ended"] = True
            return fr.vm.host_call(line, "workflow_end", wf["name"])
        emit_effect(b, line, call)

    # ------------------------------------------------------------------ steps
    def step(self, b, ec, s) -> None:
        opts = {o.kind: o for o in s.options}
        line, label = s.line, s.label
        timeout = ec.value(opts["timeout"].value) if "timeout" in opts else (lambda fr: None)
        retry = ec.value(opts["retry"].value) if "retry" in opts else (lambda fr: 0)
        delay = ec.value(opts["delay"].value) if "delay" in opts else None
        cfg = b.temp("step")
        begin, after, handler = b.label(), b.label(), b.label()

        def init(fr):
            t = timeout(fr)
            fr.temps[cfg] = {"attempt": 1, "retry": int(to_number(retry(fr))),
                             "timeout": None if t is None else to_number(t)}
            if delay is not None:
                return fr.vm.host_call(line, "wait", to_number(delay(fr)))
            return None
        emit_effect(b, line, init)
        b.place(begin)

        def start(fr):
            vm = fr.vm
            c = fr.temps[cfg]
            vm.steps.append({"label": label, "attempt": c["attempt"], "timeout": c["timeout"],
                             "depth": len(vm.frames) - 1, "output": None})
            # a host may suspend here to checkpoint the state before the attempt (retry)
            return vm.host_call(line, "step_begin", label, c["attempt"])
        emit_effect(b, line, start)
        body_start = b.pc
        b.steps.append(opts)
        self.cc.block(b, ec, s.body)
        b.steps.pop()
        body_end = b.pc

        def finish(fr):
            vm = fr.vm
            step = vm.steps.pop() if vm.steps else {"label": label, "output": None}
            c = fr.temps.pop(cfg, {"attempt": 1})
            record = {"label": label, "attempt": c["attempt"],
                      "status": step.get("status", "completed"), "output": step.get("output"),
                      "error": None}
            if step.get("conflicts"):
                record["conflicts"] = step["conflicts"]
            vm.host_call(line, "step_end", record)

        def make_finish(pc, nxt, L):
            dest = L(after)

            def step_finish(fr):
                finish(fr)
                return dest
            return step_finish
        b.emit(line, make_finish)
        b.place(handler)
        err_slot = b.temp("err")

        def failed(fr):
            vm = fr.vm
            rec = fr.temps.pop(err_slot)
            step = vm.steps.pop() if vm.steps and vm.steps[-1]["label"] == label else {}
            c = fr.temps[cfg]
            vm.host_call(line, "step_end", {
                "label": label, "attempt": c["attempt"], "status": "failed",
                "output": step.get("output"), "error": str(error_from_record(rec)),
                "error_line": rec["line"]})
            if c["attempt"] > c["retry"]:
                fr.temps.pop(cfg, None)
                raise error_from_record(rec)
            seconds = min(2 ** (c["attempt"] - 1), BACKOFF_CAP)
            c["attempt"] += 1
            return vm.host_call(line, "wait", seconds)

        emit_effect(b, line, failed, lambda fr, v: begin.pc)
        b.place(after)
        b.protect(body_start, body_end, handler, err_slot)

    def _step_timeout_action(self, b):
        opts = b.steps[-1] if b.steps else {}
        action = opts.get("on timeout")
        return action.action if action is not None else None

    def _apply_bot_timeout(self, fr, action, what: str) -> None:
        step = _current_step(fr.vm)
        kind = action.kind if action is not None else None
        if kind == "cancel":
            raise CancelSignal(f"{what} timed out")
        if kind == "approve":
            if step is not None:
                step["status"] = "timeout"
            return
        seconds = step["timeout"] if step is not None else None
        where = f"step {step['label']}" if step is not None else what
        after = f" after {to_text(seconds)} seconds" if seconds is not None else ""
        raise BasicRuntimeError(f"{where} timed out{after}")

    # ------------------------------------------------------------------ bots
    def bot(self, b, ec, s) -> None:
        bot = ec.value(s.bot)
        action = ec.value(s.action) if s.action is not None else (lambda fr: None)
        line = s.line
        on_timeout = self._step_timeout_action(b)

        def call(fr):
            vm = fr.vm
            return vm.host_call(line, "bot_call", bot(fr), action(fr), vm.encoded_globals())

        def complete(fr, r):
            if _timed_out(r):
                self._apply_bot_timeout(fr, on_timeout, "BOT")
                return None
            r = r if type(r) is dict else {}
            fr.vm.globals.update(decode_value(r.get("variables") or {}))
            step = _current_step(fr.vm)
            if step is not None:
                step["output"] = r.get("output")
            return None
        emit_effect(b, line, call, complete)

    def parallel(self, b, ec, s) -> None:
        branches = []
        for br in s.branches:
            unit = self.cc.new_unit_name("branch")
            self.cc.compile_unit(unit, "branch", f"BRANCH {br.label}", br.body)
            branches.append({"label": br.label, "unit": unit})
        line = s.line
        on_timeout = self._step_timeout_action(b)

        def call(fr):
            vm = fr.vm
            return vm.host_call(line, "parallel", [dict(x) for x in branches],
                                vm.encoded_globals())

        def complete(fr, results):
            vm = fr.vm
            if _timed_out(results):
                self._apply_bot_timeout(fr, on_timeout, "PARALLEL")
                return None
            writers: dict[str, list[str]] = {}
            outputs = []
            for r in results or []:
                changed = decode_value(r.get("variables") or {})
                for k in changed:
                    writers.setdefault(k, []).append(str(r.get("label")))
                vm.globals.update(changed)
                outputs.append({"label": r.get("label"), "output": r.get("output")})
            conflicts = sorted(k for k, who in writers.items() if len(who) > 1)
            step = _current_step(vm)
            if step is not None:
                step["output"] = outputs
                if conflicts:
                    step["conflicts"] = conflicts
            elif conflicts:
                vm.host_call(line, "log", "PARALLEL branches wrote the same variables: "
                             + ", ".join(conflicts), "warning")
            return None
        emit_effect(b, line, call, complete)

    # ------------------------------------------------------------------ approvals
    def approval(self, b, ec, s) -> None:
        own = {o.kind: o for o in s.options}
        opts = own or (b.steps[-1] if b.steps else {})
        approver = ec.value(s.approver)
        timeout = ec.value(opts["timeout"].value) if "timeout" in opts else (lambda fr: None)
        action = opts["on timeout"].action if "on timeout" in opts else None
        target = ec.value(action.target) if action is not None and action.target is not None \
            else (lambda fr: None)
        slot = b.temp("approval")
        line = s.line

        def call(fr):
            t = timeout(fr)
            who = approver(fr)
            fr.temps[slot] = {"timeout": None if t is None else to_number(t), "who": who,
                              "escalated": False}
            return fr.vm.host_call(line, "approval", who, fr.temps[slot]["timeout"], None)

        def complete(fr, r):
            vm = fr.vm
            st = fr.temps[slot]
            while True:
                r = r if type(r) is dict else {"status": to_text(r)}
                status = str(r.get("status") or "timeout").lower()
                if status != "timeout" or action is None:
                    break
                if action.kind == "escalate":
                    if st["escalated"]:
                        break
                    st["escalated"] = True
                    r = vm.host_call(line, "approval", target(fr), st["timeout"], st["who"])
                    if type(r) is Suspend:
                        raise SuspendSignal(r.wait)
                    continue
                if action.kind == "cancel":
                    fr.temps.pop(slot, None)
                    raise CancelSignal("approval timed out")
                status = "approved" if action.kind == "approve" else "rejected"
                r = {"status": status, "approver": None, "comment": action.note or None}
                break
            fr.temps.pop(slot, None)
            outcome = {"status": status, "approver": r.get("approver"),
                       "comment": r.get("comment")}
            g = vm.globals
            g["approved"] = status == "approved"
            g["approval_status"] = status
            g["approver"] = outcome["approver"]
            g["approval_comment"] = outcome["comment"]
            step = _current_step(vm)
            if step is not None:
                step["output"] = outcome
            return None
        emit_effect(b, line, call, complete)

    # ------------------------------------------------------------------ events
    def on_event(self, b, ec, s) -> None:
        unit = self.cc.new_unit_name("on")
        self.cc.compile_unit(unit, "handler", "ON EVENT", s.body)
        name = ec.value(s.name)

        def make(pc, nxt, L):
            def register(fr):
                fr.vm.handlers[to_text(name(fr))] = unit
                return nxt
            return register
        b.emit(s.line, make)

    def publish(self, b, ec, s) -> None:
        name = ec.value(s.name)
        data = ec.value(s.data) if s.data is not None else (lambda fr: None)
        line = s.line
        emit_effect(b, line, lambda fr: fr.vm.host_call(line, "publish_event",
                                                        to_text(name(fr)), data(fr)))

    def emit_wait_event(self, ec, e) -> str:
        b = ec.b
        name = ec.value(e.name)
        timeout = ec.value(e.timeout) if e.timeout is not None else (lambda fr: None)
        where = [(k, ec.value(v)) for k, v in e.where]
        slot, info = b.temp(), b.temp("event")
        line = e.line

        def call(fr):
            t = timeout(fr)
            spec = {"name": to_text(name(fr)), "timeout": None if t is None else to_number(t)}
            fr.temps[info] = spec
            return fr.vm.host_call(line, "wait_event", spec["name"], spec["timeout"],
                                   {k: c(fr) for k, c in where} or None)

        def complete(fr, r):
            vm = fr.vm
            spec = fr.temps.pop(info, {})
            if type(r) is dict and "timed_out" in r:
                timed_out, data = bool(r["timed_out"]), r.get("data")
            else:
                timed_out, data = False, r
            vm.globals["event_timed_out"] = timed_out
            if timed_out:
                data = None
                vm.host_call(line, "publish_event", "timeout_occurred",
                             {"event": spec.get("name"), "timeout": spec.get("timeout")})
            fr.temps[slot] = data
            return None
        emit_effect(b, line, call, complete)
        return slot

