"""How values print, and JSON text in and out (TALK, PRINT, ``&``, TOJSON, JSON, HTTP bodies).

Choices: NULL prints as ``""``; booleans as ``true`` / ``false`` (General Bots is JavaScript
underneath and scripts compare against those words); numbers as JavaScript does (``5``, ``3.5``,
``1e+21``); dates as ISO text; lists and objects as compact JSON (``{"a":1,"b":[true,null]}``),
non-ASCII kept as is, dates inside as ISO text, NaN and infinities as ``null``. A list or object
that contains itself cannot be printed and raises BasicRuntimeError.

Size: the text of a list or object is bounded by ``limit`` characters (the sandbox's
``string_length`` unless the caller passes its own). The walk counts every reference each
time it is reached and stops with a BasicLimitError as soon as the text would pass the limit,
before any of it is built, so ten references to a 1 MB text cannot turn into 10 MB of JSON.

JSON text parsed from outside becomes plain values: objects -> dict, arrays -> list; integers
of more than 18 digits become floats; invalid JSON raises BasicRuntimeError naming the problem,
and so do numbers beyond the float range (``1e999``), which JSON cannot write back.
"""

from __future__ import annotations

import json
import math

from ..errors import BasicLimitError, BasicRuntimeError
from ..limits import DEFAULT_LIMITS
from .core import BasicDate, BasicDuration, Budget, number_text, text_too_long

_DEPTH = DEFAULT_LIMITS.value_depth

_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False,
                            check_circular=False)


def to_text(v, limit: int | None = None, room: int | None = None) -> str:
    """The text of a value as TALK, PRINT and concatenation show it (lists and objects at most
    ``limit`` characters, see the module docstring; ``room``, when given, is what is left of
    the limit for this part of a longer text)."""
    t = type(v)
    if t is str:
        return v
    if t is int:
        return str(v)
    if v is None:
        return ""
    if t is bool:
        return "true" if v else "false"
    if t is float:
        return number_text(v)
    if t is BasicDate:
        return v.iso()
    if t is list or t is dict:
        return to_json_text(v, limit, room)
    if t is BasicDuration:
        return to_text(v.seconds)
    raise BasicRuntimeError(f"cannot show a value of type {t.__name__}")


def to_json_text(v, limit: int | None = None, room: int | None = None) -> str:
    """Compact JSON text of any value (TOJSON), at most ``limit`` characters (``room``: see
    ``to_text``)."""
    if limit is None:
        limit = DEFAULT_LIMITS.string_length
    if room is None or room > limit:
        room = limit
    text = _ENCODER.encode(_plain(v, set(), Budget(room, lambda: text_too_long(limit))))
    if len(text) > room:  # escapes (quotes, control characters) the walk did not count
        raise text_too_long(limit)
    return text


def _plain(v, seen: set, budget: Budget):
    t = type(v)
    if t is str:
        budget.left -= len(v) + 2
        if budget.left < 0:
            raise budget.error()
        return v
    if t is int or t is bool or v is None:
        budget.left -= 1
        return v
    if t is float:
        budget.left -= 1
        if math.isnan(v) or math.isinf(v):
            return None
        return int(v) if v.is_integer() and abs(v) < 1e21 else v
    if t is BasicDate:
        budget.left -= 12
        return v.iso()
    if t is BasicDuration:
        return _plain(v.seconds, seen, budget)
    if t is list or t is dict:
        if id(v) in seen:
            raise BasicRuntimeError(f"a {'list' if t is list else 'object'} that contains itself "
                                    "cannot be converted to text")
        if len(seen) >= _DEPTH:
            raise BasicLimitError(f"lists and objects nested more than {_DEPTH} deep cannot be "
                                  "converted to text")
        budget.left -= 1 + len(v)
        if budget.left < 0:
            raise budget.error()
        seen.add(id(v))
        if t is list:
            out = [_plain(x, seen, budget) for x in v]
        else:
            out = {}
            for k, x in v.items():
                budget.left -= len(k) + 3
                out[k] = _plain(x, seen, budget)
        seen.discard(id(v))
        return out
    raise BasicRuntimeError(f"cannot convert a value of type {t.__name__} to JSON")


def _parse_int(s: str):
    return int(s) if len(s) <= 19 else _parse_float(s)


def _parse_float(s: str) -> float:
    x = float(s)
    if x - x != 0:
        raise ValueError(f"the number {s if len(s) <= 40 else s[:37] + '...'} is too large")
    return x


def _parse_constant(name: str):
    raise ValueError(f"{name} is not valid JSON")


def from_json_text(text: str):
    """The value written as JSON in ``text``; BasicRuntimeError when it is not valid JSON."""
    if type(text) is not str:
        raise BasicRuntimeError(f"JSON expects text, got {type(text).__name__}")
    try:
        return json.loads(text, parse_int=_parse_int, parse_float=_parse_float,
                          parse_constant=_parse_constant)
    except RecursionError:
        raise BasicRuntimeError("invalid JSON: nested too deeply") from None
    except ValueError as exc:
        shown = text if len(text) <= 40 else text[:37] + "..."
        raise BasicRuntimeError(f'invalid JSON "{shown}": {exc}') from None

