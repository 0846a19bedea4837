"""Builds one code unit: emits instructions with forward labels, then freezes them.

Instructions are made in two phases: ``emit`` records a maker, ``finish`` calls every maker
with the instruction's own pc, the next pc and a label resolver, so closures capture plain
ints (no lookups at run time).
"""

from __future__ import annotations

from typing import Any, Callable

from .errors import BasicRuntimeError
from .frame import SuspendSignal
from .host import Suspend
from .program import Region, Unit

Maker = Callable[[int, int, Callable[["Label"], int]], Callable]


class Label:
    """A jump target whose pc is known once placed."""

    __slots__ = ("pc",)

    def __init__(self):
        self.pc: int | None = None


class LoopInfo:
    """An enclosing loop for EXIT/BREAK: its kind ("for" or "do") and where EXIT jumps."""

    __slots__ = ("kind", "exit")

    def __init__(self, kind: str, exit_label: Label):
        self.kind = kind
        self.exit = exit_label


class UnitBuilder:
    """Accumulates the instructions of one unit (see module docstring)."""

    def __init__(self, name: str, kind: str, display: str, params: tuple[str, ...] = ()):
        self.unit = Unit(name=name, kind=kind, display=display, params=params)
        self._makers: list[tuple[int, int, Maker, Maker | None]] = []
        self.col = 0  # column of the statement being compiled, for error positions
        self._resume_next: list[int | None] = []
        self._regions: list[tuple[int, int, Label, str]] = []
        self._temps = 0
        self.labels: dict[str, Label] = {}
        self.loops: list[LoopInfo] = []
        self.steps: list[dict] = []

    @property
    def pc(self) -> int:
        """The pc the next emitted instruction gets."""
        return len(self._makers)

    def emit(self, line: int, make: Maker, resume: Maker | None = None) -> int:
        self._makers.append((line, self.col, make, resume))
        self._resume_next.append(None)
        return len(self._makers) - 1

    def label(self) -> Label:
        return Label()

    def place(self, label: Label) -> None:
        label.pc = self.pc

    def named_label(self, name: str) -> Label:
        key = name.lower()
        if key not in self.labels:
            self.labels[key] = Label()
        return self.labels[key]

    def temp(self, hint: str = "t") -> str:
        self._temps += 1
        return f"{hint}{self._temps}"

    def end_statement(self, start: int) -> None:
        """Mark ``[start, pc)`` as one statement for ON ERROR RESUME NEXT (inner first)."""
        end = self.pc
        for i in range(start, end):
            if self._resume_next[i] is None:
                self._resume_next[i] = end

    def protect(self, start: int, end: int, handler: Label, slot: str) -> None:
        self._regions.append((start, end, handler, slot))

    def finish(self) -> Unit:
        unit = self.unit
        end = self.pc

        def resolve(label: Label) -> int:
            if label.pc is None:
                raise BasicRuntimeError("internal error: unplaced label")
            return label.pc

        for pc, (line, col, make, resume) in enumerate(self._makers):
            unit.code.append(make(pc, pc + 1, resolve))
            unit.lines.append(line)
            unit.cols.append(col)
            if resume is not None:
                unit.resumers[pc] = resume(pc, pc + 1, resolve)
        unit.resume_next = [end if r is None else r for r in self._resume_next]
        # innermost first: regions are registered when their statement ends, inner ones earlier
        unit.regions = [Region(s, e, resolve(h), slot) for s, e, h, slot in self._regions]
        return unit


def const_maker(fn: Callable[[Any], None]) -> Maker:
    """A maker for an instruction that runs ``fn(frame)`` and falls through."""
    def make(pc, nxt, L):
        def ins(fr):
            fn(fr)
            return nxt
        return ins
    return make


def emit_effect(b: UnitBuilder, line: int, call: Callable[[Any], Any],
                complete: Callable[[Any, Any], int | None] | None = None) -> int:
    """Emit an instruction doing ``call(frame)`` (normally one host call). When the result is a
    ``Suspend`` the run stops there; the result (now or on resume) goes to
    ``complete(frame, value)``, which returns None to fall through or a pc to jump to."""
    def make(pc, nxt, L):
        def ins(fr):
            r = call(fr)
            if type(r) is Suspend:
                raise SuspendSignal(r.wait)
            if complete is None:
                return nxt
            n = complete(fr, r)
            return nxt if n is None else n
        return ins

    def resume(pc, nxt, L):
        def res(fr, v):
            if complete is None:
                return nxt
            n = complete(fr, v)
            return nxt if n is None else n
        return res
    return b.emit(line, make, resume)
