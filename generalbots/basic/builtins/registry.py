"""The builtin-function registry and the argument checks shared by every builtin module.

Guarantees: ``BUILTINS`` maps each lower-case name to a :class:`Builtin` (display name, Python
callable, arity); :func:`call_builtin` checks the arity (``LEN expects 1 argument, got 2``),
passes the sandbox limits to the builtins that build text or lists, and turns every failure into
a ``BasicRuntimeError`` carrying the line, so no Python exception escapes a builtin.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..errors import BasicError, BasicRuntimeError
from ..limits import DEFAULT_LIMITS, Limits
from ..values import BasicDate, arity_text, as_date, to_number, to_text, type_name


@dataclass(frozen=True, slots=True)
class Builtin:
    """One builtin: ``fn(*args)`` (plus ``limits=`` when ``uses_limits``) and its arity."""

    name: str
    fn: Callable
    min_args: int
    max_args: int | None
    uses_limits: bool = False


BUILTINS: dict[str, Builtin] = {}


def builtin(*names: str, args: tuple[int, int | None] = (1, 1), limits: bool = False):
    """Register the decorated function under every name in ``names``."""
    def register(fn: Callable) -> Callable:
        for name in names:
            BUILTINS[name.lower()] = Builtin(name.upper(), fn, args[0], args[1], limits)
        return fn
    return register


def call_builtin(name: str, args, *, line: int = 0, limits: Limits = DEFAULT_LIMITS):
    """Call builtin ``name`` with ``args`` (a sequence of values); errors name the line."""
    entry = BUILTINS.get(name.lower())
    if entry is None:
        raise BasicRuntimeError(f"unknown function {name}", line=line)
    n = len(args)
    if n < entry.min_args or (entry.max_args is not None and n > entry.max_args):
        raise BasicRuntimeError(
            f"{entry.name} expects {arity_text(entry.min_args, entry.max_args)}, got {n}",
            line=line)
    try:
        if entry.uses_limits:
            return entry.fn(*args, limits=limits)
        return entry.fn(*args)
    except BasicError as exc:
        raise exc.with_position(line)
    except (ArithmeticError, LookupError, ValueError, TypeError, RecursionError) as exc:
        raise BasicRuntimeError(f"{entry.name}: {exc}", line=line) from exc


def shown(v) -> str:
    """A value as quoted in messages: ``"abc"`` for text, the type name otherwise."""
    if type(v) is str:
        return f'"{v}"' if len(v) <= 40 else f'"{v[:37]}..."'
    return "NULL" if v is None else type_name(v)


def text_arg(fname: str, v) -> str:
    """Text of a scalar argument (NULL is ""); lists and objects raise naming ``fname``."""
    t = type(v)
    if t is str:
        return v
    if t is list or t is dict:
        raise BasicRuntimeError(f"{fname} expects text, got {type_name(v)}")
    return to_text(v)


def number_arg(fname: str, v):
    """A number from a number, numeric text, boolean or NULL (0); else raises naming ``fname``."""
    t = type(v)
    if t is int or t is float:
        return v
    try:
        return to_number(v)
    except BasicRuntimeError:
        raise BasicRuntimeError(f"{fname} expects a number, got {shown(v)}") from None


def int_arg(fname: str, v) -> int:
    """A whole number (fractions truncated toward zero)."""
    n = number_arg(fname, v)
    if type(n) is float and (n != n or n in (float("inf"), float("-inf"))):
        raise BasicRuntimeError(f"{fname} expects a finite number, got {to_text(n)}")
    return int(n)


def list_arg(fname: str, v) -> list:
    """A list; NULL is the empty list."""
    if type(v) is list:
        return v
    if v is None:
        return []
    raise BasicRuntimeError(f"{fname} expects a list, got {shown(v)}")


def date_arg(fname: str, v) -> BasicDate:
    """A date from a date or date text; anything else raises naming ``fname``."""
    d = as_date(v)
    if d is None:
        raise BasicRuntimeError(f"{fname} expects a date, got {shown(v)}")
    return d
