"""The JSON layout of a run's state, and restoring a VM from it.

Layout (every value inside is plain JSON; BASIC values go through ``values.encode_value``)::

    {"version": 1, "program_hash": "...", "path": "bot.bas", "status": "suspended",
     "frames": [{"unit": "main", "pc": 12, "temps": {...}, "on_error": null,
                 "vars": {...}            # SUB/FUNCTION frames only: their locals
                 "saved_wait": {...}}],   # ON EVENT handler frames only
     "globals": {...}, "seq": 7, "headers": {}, "handlers": {"refund_failed": "on:1"},
     "event_queue": [], "workflow": {"name": "refund-flow", "budget": null, "ended": false},
     "steps": [{"label": "2", "attempt": 1, "timeout": 900, "depth": 0, "output": null}],
     "wait": {"kind": "approval", ...}, "value": null,
     "error": {"kind": "runtime", "message": "...", "line": 3, "col": 1} | null,
     "base": {...} | null,                # child VMs (PARALLEL branches): initial variables
     "nesting": [1, 3],                   # only in a script another one CALLed (VM.nesting)
     "user": "user:7"}                    # only after a SET USER id (VM.user)

Loop positions live in frame temps (FOR: the end, step and iteration count; FOR EACH: a copy
of the list and the index), so the state is only {pc, variables, temps}.

``snapshot`` weighs everything it encodes against one budget (``max_bytes``, by default the
VM's ``limits.state_bytes``) and stops with a BasicLimitError as soon as it passes it; a value
JSON cannot hold raises a BasicRuntimeError naming its variable (see ``values.codec``).
"""

from __future__ import annotations

from .errors import BasicLimitError, BasicRuntimeError
from .frame import Frame
from .values import decode_value
from .values.codec import budget_for, encode_into, encode_variables, name_unsavable

STATE_VERSION = 1


def snapshot(vm, max_bytes: int | None = None) -> dict:
    budget = budget_for(vm.limits.state_bytes if max_bytes is None else max_bytes)
    try:
        frames = []
        for fr in vm.frames:
            temps = fr.temps
            item = {"unit": fr.unit.name, "pc": fr.pc,
                    "temps": encode_into(temps, budget, check=False) if temps else {},
                    "on_error": fr.on_error}
            if not fr.unit.is_global:
                item["vars"] = encode_variables(fr.vars, budget, check=False)
            if fr.saved_wait is not None:
                item["saved_wait"] = fr.saved_wait
            frames.append(item)
        error = None
        if vm.error is not None:
            from .vm import error_record
            error = error_record(vm.error)
        state = {
            "version": STATE_VERSION,
            "program_hash": vm.program.hash,
            "path": vm.program.path,
            "status": vm.status,
            "frames": frames,
            "globals": encode_variables(vm.globals, budget, check=False),
            "seq": vm.seq,
            "headers": encode_into(vm.headers, budget, check=False) if vm.headers else {},
            "handlers": dict(vm.handlers),
            "event_queue": [list(x) for x in vm.event_queue],
            "workflow": None if vm.workflow is None else dict(vm.workflow),
            "steps": [dict(s) for s in vm.steps],
            "wait": vm.wait,
            "value": encode_into(vm.value, budget, check=False),
            "error": error,
            "base": vm.base,
        }
        budget.check()
    except RecursionError:
        raise BasicLimitError("the run's data is nested too deeply to be saved") from None
    except BasicLimitError:
        raise
    except BasicRuntimeError as exc:
        if exc.message.startswith("variable "):
            raise
        local = {k: v for fr in vm.frames if not fr.unit.is_global for k, v in fr.vars.items()}
        raise name_unsavable(exc, {**vm.globals, **local}) from None
    if vm.nesting != (0, 0):
        state["nesting"] = list(vm.nesting)
    if vm.user is not None:
        state["user"] = vm.user
    return state


def restore(cls, program, state: dict, host, limits):
    if state.get("version") != STATE_VERSION:
        raise BasicRuntimeError(f"unsupported run state version {state.get('version')!r}")
    if state.get("program_hash") != program.hash:
        raise BasicRuntimeError(
            f"this run was started on another version of {state.get('path', 'the script')} "
            f"(program {str(state.get('program_hash'))[:12]}, now {program.hash[:12]}); "
            "a run always continues on the script it started with")
    vm = cls.__new__(cls)
    vm.program = program
    vm.host = host
    vm.limits = limits
    vm.nesting = tuple(state.get("nesting") or (0, 0))
    vm.globals = decode_value(state["globals"])
    vm.frames = []
    for item in state["frames"]:
        unit = program.units.get(item["unit"])
        if unit is None:
            raise BasicRuntimeError(f"run state names unknown code unit {item['unit']!r}")
        local = decode_value(item.get("vars", {}))
        fr = Frame(unit, vm, vm.globals if unit.is_global else local, vm.globals, limits,
                   pc=item["pc"])
        fr.temps = decode_value(item["temps"])
        fr.on_error = item.get("on_error")
        fr.saved_wait = item.get("saved_wait")
        vm.frames.append(fr)
    vm.seq = state["seq"]
    vm.status = state["status"]
    vm.wait = state.get("wait")
    vm.request = None  # a request is fulfilled in the slice that made it, never saved
    vm.value = decode_value(state.get("value"))
    vm.error = None
    if state.get("error"):
        from .vm import error_from_record
        vm.error = error_from_record(state["error"])
    vm.headers = decode_value(state.get("headers") or {})
    vm.handlers = dict(state.get("handlers") or {})
    vm.event_queue = [list(x) for x in state.get("event_queue") or []]
    vm.workflow = state.get("workflow")
    vm.steps = [dict(s) for s in state.get("steps") or []]
    vm.base = state.get("base")
    vm.user = state.get("user")
    return vm
