"""Plain-JSON encoding of values, for the VM state stored in ``workflow_executions.state``.

Guarantees: ``decode_value(json.loads(json.dumps(encode_value(v))))`` equals ``v`` exactly, type
included (an int stays int, a float stays float, a bool stays bool), for every value: NULL,
booleans, numbers (NaN and infinities too), text, dates, and nested lists and objects.

Encoding: scalars are themselves; a date is ``{"$date": "2026-11-24T19:20:00", "date_only":
false}``; a float that JSON stores could lose or change (integral, exponent form, NaN,
infinities) is ``{"$float": "1e+16"}``; an object key starting with ``$`` gets one more ``$``
(``"$date"`` -> ``"$$date"``) so it can never look like a marker. Lists that contain themselves
cannot be encoded (BasicRuntimeError). Aliasing (two variables holding one list) is not kept.
"""

from __future__ import annotations

import math
from datetime import datetime

from ..errors import BasicRuntimeError
from .core import BasicDate


def encode_value(v):
    """A JSON-compatible form of ``v`` that :func:`decode_value` turns back into ``v``."""
    return _encode(v, set())


def _encode(v, seen: set):
    t = type(v)
    if t is str or t is int or t is bool or v is None:
        return v
    if t is float:
        if not math.isfinite(v) or v.is_integer() or "e" in repr(v):
            return {"$float": repr(v)}
        return v
    if t is BasicDate:
        return {"$date": v.dt.isoformat(), "date_only": v.date_only}
    if t is list or t is dict:
        if id(v) in seen:
            raise BasicRuntimeError(f"cannot save a {'list' if t is list else 'object'} "
                                    "that contains itself")
        seen.add(id(v))
        if t is list:
            out = [_encode(x, seen) for x in v]
        else:
            out = {("$" + k if k[:1] == "$" else k): _encode(x, seen) for k, x in v.items()}
        seen.discard(id(v))
        return out
    raise BasicRuntimeError(f"cannot save a value of type {t.__name__}")


def decode_value(j):
    """The value encoded as ``j`` by :func:`encode_value`."""
    t = type(j)
    if t is list:
        return [decode_value(x) for x in j]
    if t is not dict:
        return j
    if "$date" in j:
        return BasicDate(datetime.fromisoformat(j["$date"]), date_only=j["date_only"])
    if "$float" in j:
        return float(j["$float"])
    return {(k[1:] if k[:1] == "$" else k): decode_value(x) for k, x in j.items()}
