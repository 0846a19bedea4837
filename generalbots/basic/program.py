"""The compiled program: code units of flat instruction lists.

A :class:`Program` is what ``compile_program`` makes from an ``ast.Program``. It holds one
:class:`Unit` per piece of code that can run on its own frame: the main script, every
SUB/FUNCTION, every ON EVENT handler and every PARALLEL branch. It is immutable after
compilation, shared by every run of the same script, and identified by ``hash`` (the SHA-256 of
the syntax tree and the compiler version): a saved run state can only be restored on a program
with the same hash.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

COMPILER_VERSION = "gbvm-1"

Instruction = Callable[[Any], int]
Resumer = Callable[[Any, Any], int]

UNIT_KINDS = ("main", "sub", "function", "handler", "branch")


@dataclass(slots=True)
class Region:
    """Instructions ``start <= pc < end`` are protected: an error there jumps to ``handler``
    with the error stored in temp ``slot`` (used by STEP to report failures and retry)."""

    start: int
    end: int
    handler: int
    slot: str


@dataclass(slots=True)
class Unit:
    """One code unit: instructions, their lines, resumers and error-recovery tables.

    Guarantees: every instruction ``code[pc](frame)`` returns the next pc or raises a control
    signal (see ``frame``); ``resumers[pc]`` exists for every instruction that can suspend or
    call another unit, and returns the next pc once the awaited value is known;
    ``resume_next[pc]`` is where ON ERROR RESUME NEXT continues after a failure at ``pc``.
    """

    name: str
    kind: str
    display: str
    params: tuple[str, ...] = ()
    code: list[Instruction] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    cols: list[int] = field(default_factory=list)
    resumers: dict[int, Resumer] = field(default_factory=dict)
    resume_next: list[int] = field(default_factory=list)
    regions: list[Region] = field(default_factory=list)

    @property
    def is_global(self) -> bool:
        """True when the unit's variables are the run's globals (no local scope)."""
        return self.kind in ("main", "handler", "branch")


@dataclass(slots=True)
class ParamSpec:
    """A PARAM line: the tool parameter ``name`` (folded) and what the tool schema needs."""

    name: str
    display: str
    type_name: str
    description: str | None
    optional: bool
    has_default: bool
    enum: tuple[Any, ...] | None
    example: Any = None


@dataclass(slots=True)
class Program:
    """A compiled script (see module docstring)."""

    path: str
    hash: str
    units: dict[str, Unit]
    routines: dict[str, str]
    params: list[ParamSpec] = field(default_factory=list)
    description: str | None = None
    tables: list[Any] = field(default_factory=list)
    workflow: str | None = None

    @property
    def main(self) -> Unit:
        return self.units["main"]

    def branch_units(self) -> list[str]:
        """Names of the PARALLEL branch units, in source order."""
        return [name for name, unit in self.units.items() if unit.kind == "branch"]
