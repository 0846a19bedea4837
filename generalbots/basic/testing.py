"""Running BASIC in tests and golden programs: ``run_source`` parses, compiles and runs a
script on a :class:`~generalbots.basic.fake_host.FakeHost` (through ``drive``, which JSON
round-trips every suspension), and ``deterministic`` freezes the clock and seeds RANDOM/GUID.
"""

from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime
from typing import Any

from .builtins import set_clock, set_random_seed
from .compiler import compile_program
from .fake_host import FakeHost, drive
from .limits import DEFAULT_LIMITS, Limits
from .parser import parse
from .vm import VM


FIXED_NOW = datetime(2024, 1, 15, 10, 30, 0)


@contextmanager
def deterministic(seed: int = 7, now: datetime = FIXED_NOW):
    """Freeze NOW/TODAY at ``now`` and seed RANDOM/GUID for the duration of the block."""
    set_clock(lambda: now)
    set_random_seed(seed)
    try:
        yield
    finally:
        set_clock(None)
        set_random_seed(None)


def run_source(source: str, *, path: str = "<test>", suspend_everywhere: bool = False,
               variables: dict | None = None, limits: Limits = DEFAULT_LIMITS,
               **host_options) -> tuple[Any, FakeHost]:
    """Parse, compile and run ``source`` on a FakeHost (``host_options`` are its canned
    data); with ``suspend_everywhere`` every suspension is JSON round-tripped and resumed in
    a new VM on a freshly compiled program. Returns ``(SliceResult, host)``."""

    def compile_fresh():
        return compile_program(parse(source, path))

    program = compile_fresh()
    host = FakeHost(program=program, suspend_everywhere=suspend_everywhere, limits=limits,
                    **host_options)
    vm = VM(program, host, variables=variables, limits=limits)
    result, _ = drive(vm, host, recompile=compile_fresh)
    return result, host
