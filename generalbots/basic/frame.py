"""Frames and the control signals that compiled instructions raise to talk to the VM loop.

A :class:`Frame` is the activation of one code unit: its pc, variables and hidden temps. In
units that share the run's globals (main script, event handlers, parallel branches) ``vars`` is
the globals dict itself; in a SUB/FUNCTION ``vars`` holds the locals and ``glob`` the globals.
Signals are exceptions because they are rare compared with plain instructions, and raising
keeps the dispatch loop free of per-instruction checks.

A VM holds its frames and a frame holds its VM only weakly (``Frame.vm``), so a VM with its
host and everything they reach is freed as soon as its driver drops it. With a strong reference
each VM was a cycle that only the garbage collector freed, often many runs later, and a worker
process's memory grew with the garbage that waited (``bench/memory.py --workers``). What it
costs: a weak reference made per frame and followed per host call (tens of nanoseconds).
"""

from __future__ import annotations

import weakref
from typing import Any

from .limits import Limits


class Frame:
    """One activation of a code unit. Everything in it is plain data except ``vm``/``unit``."""

    __slots__ = ("unit", "code", "pc", "vars", "glob", "temps", "on_error", "_vm", "limits",
                 "saved_wait")

    def __init__(self, unit, vm, variables: dict, glob: dict, limits: Limits, pc: int = 0):
        self.unit = unit
        self.code = unit.code
        self.pc = pc
        self.vars = variables
        self.glob = glob
        self.temps: dict[str, Any] = {}
        self.on_error: str | None = None
        self._vm = weakref.ref(vm)
        self.limits = limits
        self.saved_wait: dict | None = None

    @property
    def vm(self):
        """The VM running this frame (held weakly: see the module docstring)."""
        return self._vm()


class Signal(Exception):
    """Base of the control signals; never escapes the VM."""


class SuspendSignal(Signal):
    """The current instruction waits for ``wait``; resume calls its resumer."""

    def __init__(self, wait: dict):
        self.wait = wait


class CallSignal(Signal):
    """Run ``unit`` with ``variables`` as its locals; its RETURN value goes to the resumer."""

    def __init__(self, unit: str, variables: dict):
        self.unit = unit
        self.variables = variables


class ReturnSignal(Signal):
    """Leave the current unit with ``value``."""

    def __init__(self, value: Any = None):
        self.value = value


class FinishSignal(Signal):
    """End the whole run (bare EXIT) with ``value``."""

    def __init__(self, value: Any = None):
        self.value = value


class CancelSignal(Signal):
    """End the run as cancelled (HUMAN APPROVAL ... ON TIMEOUT: CANCEL)."""

    def __init__(self, reason: str):
        self.reason = reason


MISSING = object()
