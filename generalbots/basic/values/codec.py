"""Plain-JSON encoding of values, for the VM state stored in ``workflow_executions.state``.

Guarantees: ``decode_value(json.loads(json.dumps(encode_value(v))))`` equals ``v`` exactly, type
included (an int stays int, a float stays float, a bool stays bool), for every value: NULL,
booleans, numbers, text, dates, and nested lists and objects. What ``encode_value`` returns can
always be stored in PostgreSQL ``jsonb``: a value that could not is refused with a
BasicRuntimeError naming the problem, so it is never discovered later, at the commit or when
the run is read: Infinity and NaN ("number too large to save"), text holding the NUL
character (``\\u0000``) or half of a surrogate pair.

Size: the encoding stops with a BasicLimitError as soon as what it would write passes
``max_bytes`` (about: text counts its UTF-8 bytes and quotes, other scalars and separators a
few bytes each). Every reference counts each time it is reached, so a list of ten references to
one big text weighs ten times the text (and a list nested in itself twice per level cannot
make the walk run away). Lists and objects nested more than ``value_depth`` (256) deep are
refused too: JSON that deep cannot be written back safely.

Encoding: scalars are themselves; a date is ``{"$date": "2026-11-24T19:20:00", "date_only":
false}``; a float that JSON stores could lose or change (integral, exponent form) is
``{"$float": "1e+16"}``; a duration is ``{"$duration": seconds}``; an object key starting with ``$`` gets one more ``$``
(``"$date"`` -> ``"$$date"``) so it can never look like a marker. Lists that contain themselves
cannot be encoded (BasicRuntimeError). Aliasing (two variables holding one list) is not kept.
Decoding still reads ``{"$float": "inf"}`` / ``"nan"`` written by earlier versions.
"""

from __future__ import annotations

from datetime import datetime

from ..errors import BasicLimitError, BasicRuntimeError
from ..limits import DEFAULT_LIMITS
from .core import BasicDate, BasicDuration

_DEPTH = DEFAULT_LIMITS.value_depth


def state_too_large(max_bytes: int) -> BasicLimitError:
    """The error for saved data growing past ``max_bytes``."""
    return BasicLimitError(f"the run's data would take more than {max_bytes} bytes to save "
                           "(keep big data in files or memory instead)")


class Weight:
    """What is left of a size budget of ``max_bytes``, shared by every value encoded against
    it (see the module docstring). Texts are weighed in batches (at lists and objects, so a
    walk still stops early) and checked together by ``check`` at the end: cheaper than work
    per text. (A plain object, not closures: a closure calling itself is a reference cycle,
    and one per encoding kept the garbage collector busy on the engine's path.)"""

    __slots__ = ("left", "texts", "counted", "max_bytes")

    def __init__(self, max_bytes: int):
        self.left = self.max_bytes = max_bytes
        self.texts: list[str] = []
        self.counted = 0

    def tally(self) -> None:
        """Weigh the texts met since the last tally (with their quotes); stop when over."""
        texts, counted = self.texts, self.counted
        n = len(texts)
        self.left -= sum(map(len, texts[counted:])) + 2 * (n - counted)
        self.counted = n
        if self.left < 0:
            raise state_too_large(self.max_bytes)

    def check(self) -> None:
        """Refuse what jsonb cannot hold; count the UTF-8 bytes beyond one per character."""
        texts = self.texts
        if not texts:
            if self.left < 0:
                raise state_too_large(self.max_bytes)
            return
        self.tally()
        joined = "".join(texts)
        self.texts, self.counted = [], 0
        if "\x00" in joined:
            raise BasicRuntimeError("text with the NUL character (\\u0000) cannot be saved")
        if not joined.isascii():
            try:
                self.left -= len(joined.encode("utf-8")) - len(joined)
            except UnicodeEncodeError as exc:
                raise BasicRuntimeError(f"text with half of a surrogate pair (\\u{ord(joined[exc.start]):04x}) "
                                        "cannot be saved") from None
            if self.left < 0:
                raise state_too_large(self.max_bytes)


def _encode(v, seen: set, w: Weight):
    t = type(v)
    if t is str:
        w.texts.append(v)
        return v
    if t is int or t is bool or v is None:  # weighed with their list or object
        return v
    if t is float:
        if v.is_integer() or "e" in repr(v):
            return {"$float": repr(v)}
        if v - v != 0:
            raise BasicRuntimeError("number too large to save (Infinity)" if v == v
                                    else "NaN (not a number) cannot be saved")
        return v
    if t is BasicDate:
        w.left -= 48
        return {"$date": v.dt.isoformat(), "date_only": v.date_only}
    if t is BasicDuration:
        w.left -= 32
        return {"$duration": _encode(v.seconds, seen, w)}
    if t is list or t is dict:
        if id(v) in seen:
            raise BasicRuntimeError(f"cannot save a {'list' if t is list else 'object'} "
                                    "that contains itself")
        w.left -= 2 + 8 * len(v)  # separators, and about what a number or a marker takes
        if w.left < 0 or len(w.texts) - w.counted > 32 or len(seen) >= _DEPTH:
            w.tally()
            if len(seen) >= _DEPTH:  # ``seen`` holds the containers being encoded: the nesting
                raise BasicLimitError(f"lists and objects nested more than {_DEPTH} deep cannot be saved")
        seen.add(id(v))
        if t is list:
            out = [_encode(x, seen, w) for x in v]
        else:
            out = {}
            texts = w.texts
            for k, x in v.items():
                texts.append(k)
                out["$" + k if k[:1] == "$" else k] = _encode(x, seen, w)
        seen.discard(id(v))
        return out
    raise BasicRuntimeError(f"cannot save a value of type {t.__name__}")


def budget_for(max_bytes: int | None = None) -> Weight:
    """A budget of ``max_bytes`` (by default the sandbox's ``state_bytes``) for
    :func:`encode_into`, to share one limit between several values."""
    return Weight(DEFAULT_LIMITS.state_bytes if max_bytes is None else max_bytes)


def encode_value(v, max_bytes: int | None = None):
    """A JSON-compatible form of ``v`` that :func:`decode_value` turns back into ``v``."""
    if v is None or type(v) is int or type(v) is bool:
        return v
    return encode_into(v, budget_for(max_bytes))


def encode_into(v, budget: Weight, *, check: bool = True):
    """``encode_value`` drawing on a shared ``budget``; with ``check=False`` the caller runs
    ``budget.check()`` once after its last value (what jsonb cannot hold is found there)."""
    out = _encode(v, set(), budget)
    if check:
        budget.check()
    return out


def encode_variables(variables: dict, budget: Weight, *, check: bool = True) -> dict:
    """``encode_value`` of a dict of variables; an unsavable value names its variable (with
    ``check=False``, see ``encode_into`` and ``name_unsavable``)."""
    out = {}
    seen: set = set()
    name = None
    try:
        for name, x in variables.items():
            out["$" + name if name[:1] == "$" else name] = _encode(x, seen, budget)
        name = None
        if check:
            budget.check()
    except BasicLimitError:
        raise
    except BasicRuntimeError as exc:
        raise name_unsavable(exc, variables, name) from None
    return out


def name_unsavable(exc: BasicRuntimeError, variables: dict, name: str | None = None) -> BasicRuntimeError:
    """``exc`` (a value jsonb cannot hold) naming the variable of ``variables`` that holds it."""
    if name is None:  # found by a joint check: look for it
        name = next((k for k, x in variables.items() if _unsavable(x)), None)
    return BasicRuntimeError(f"variable {name}: {exc.message}" if name else exc.message)


def _unsavable(v) -> bool:
    try:
        encode_value(v, 1 << 62)
    except BasicLimitError:
        return False
    except BasicRuntimeError:
        return True
    return False


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
    if "$duration" in j:
        return BasicDuration(decode_value(j["$duration"]))
    return {(k[1:] if k[:1] == "$" else k): decode_value(x) for k, x in j.items()}
