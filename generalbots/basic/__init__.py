"""General Bots BASIC: parse a script, compile it, run it in a resumable VM.

    program = compile_program(parse(source, "hello.bas"))
    vm = VM(program, host=my_host, variables={"name": "Ana"})
    result = vm.run()              # SliceResult: finished | suspended | failed | cancelled
    saved = vm.state               # plain JSON
    vm = VM.restore(program, saved, my_host)
    result = vm.resume("the answer")

Pure Python: nothing under this package imports Django, DRF, Channels or Celery.
"""

from __future__ import annotations

from .compiler import compile_program
from .errors import (BasicCheckError, BasicError, BasicLimitError, BasicRuntimeError,
                     BasicSyntaxError, BasicThrow)
from .host import (FORM_EVENT_PREFIX, BaseHost, Child, Effect, Host, SliceStatus, StartChildren, Suspend,
                   WaitKind, waiting_for)
from .limits import DEFAULT_LIMITS, Limits
from .program import Program
from .vm import VM, SliceResult, VMStateError


def parse(source: str, path: str = "<script>"):
    """Parse BASIC source into an ``ast.Program`` (the parser module is imported lazily)."""
    from .parser import parse as _parse
    return _parse(source, path)


def compile_source(source: str, path: str = "<script>") -> Program:
    """``compile_program(parse(source, path))``."""
    return compile_program(parse(source, path))


__all__ = [
    "FORM_EVENT_PREFIX", "BaseHost", "BasicCheckError", "BasicError", "BasicLimitError", "BasicRuntimeError",
    "BasicSyntaxError", "BasicThrow", "Child", "DEFAULT_LIMITS", "Effect", "Host", "Limits", "Program",
    "SliceResult", "SliceStatus", "StartChildren", "Suspend", "VM", "VMStateError", "WaitKind",
    "compile_program", "compile_source", "parse", "waiting_for",
]
