"""How values print, and JSON text in and out (TALK, PRINT, ``&``, TOJSON, JSON, HTTP bodies).

Choices: NULL prints as ``""``; booleans as ``true`` / ``false`` (General Bots is JavaScript
underneath and scripts compare against those words); numbers as JavaScript does (``5``, ``3.5``,
``1e+21``); dates as ISO text; lists and objects as compact JSON (``{"a":1,"b":[true,null]}``),
non-ASCII kept as is, dates inside as ISO text, NaN and infinities as ``null``. A list or object
that contains itself cannot be printed and raises BasicRuntimeError.

JSON text parsed from outside becomes plain values: objects -> dict, arrays -> list; integers
of more than 18 digits become floats; invalid JSON raises BasicRuntimeError naming the problem.
"""

from __future__ import annotations

import json
import math

from ..errors import BasicRuntimeError
from .core import BasicDate, number_text

_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False,
                            check_circular=False)


def to_text(v) -> str:
    """The text of a value as TALK, PRINT and concatenation show it."""
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
        return to_json_text(v)
    raise BasicRuntimeError(f"cannot show a value of type {t.__name__}")


def to_json_text(v) -> str:
    """Compact JSON text of any value (TOJSON)."""
    return _ENCODER.encode(_plain(v, set()))


def _plain(v, seen: set):
    t = type(v)
    if t is str or t is int or t is bool or v is None:
        return v
    if t is float:
        if math.isnan(v) or math.isinf(v):
            return None
        return int(v) if v.is_integer() and abs(v) < 1e21 else v
    if t is BasicDate:
        return v.iso()
    if t is list or t is dict:
        if id(v) in seen:
            raise BasicRuntimeError(f"a {'list' if t is list else 'object'} that contains itself "
                                    "cannot be converted to text")
        seen.add(id(v))
        if t is list:
            out = [_plain(x, seen) for x in v]
        else:
            out = {k: _plain(x, seen) for k, x in v.items()}
        seen.discard(id(v))
        return out
    raise BasicRuntimeError(f"cannot convert a value of type {t.__name__} to JSON")


def _parse_int(s: str):
    return int(s) if len(s) <= 19 else float(s)


def _parse_constant(name: str):
    raise ValueError(f"{name} is not valid JSON")


def from_json_text(text: str):
    """The value written as JSON in ``text``; BasicRuntimeError when it is not valid JSON."""
    if type(text) is not str:
        raise BasicRuntimeError(f"JSON expects text, got {type(text).__name__}")
    try:
        return json.loads(text, parse_int=_parse_int, parse_constant=_parse_constant)
    except RecursionError:
        raise BasicRuntimeError("invalid JSON: nested too deeply") from None
    except ValueError as exc:
        shown = text if len(text) <= 40 else text[:37] + "..."
        raise BasicRuntimeError(f'invalid JSON "{shown}": {exc}') from None

