"""Member and index access: ``a.b``, ``a?.b``, ``a[i]`` and their assignments.

Guarantees: only dictionary keys and the fixed fields below are ever read; no Python attribute
of any object is reachable from a script.

Choices (where BASIC.md is silent):

- ``obj.name`` on an object: the exact key, else the first key equal ignoring case, else NULL.
  Any member of NULL is NULL. ``length`` / ``count`` of a list or object and ``length`` of text
  give their size; dates have ``year month day hour minute second weekday`` (weekday 1 = Sunday
  .. 7 = Saturday, as VB). Every other member of a list, text, number, boolean or date is NULL.
- ``obj.name = v`` writes the key that ``obj.name`` would read, or adds ``name`` as spelled.
  Writing a member of anything but an object raises.
- ``list[i]`` is 0-based (scripts are JavaScript-flavoured: ``list[0]`` is the first item); ``i``
  may be numeric text; a negative or too large index reads NULL; a fractional one raises.
  ``obj[k]`` reads key ``k`` like ``obj.k``; ``text[i]`` is the i-th character or NULL; ``NULL[i]``
  is NULL; indexing a number, boolean or date raises.
- ``list[i] = v`` replaces item ``i``; ``i`` equal to the length appends; beyond raises.
"""

from __future__ import annotations

from ..errors import BasicRuntimeError
from ..limits import DEFAULT_LIMITS, Limits
from .core import BasicDate, list_too_long, normalise, parse_number, type_name
from .ops import find_key
from .text import to_text

_MISSING = object()

_DATE_FIELDS = {
    "year": lambda dt: dt.year,
    "month": lambda dt: dt.month,
    "day": lambda dt: dt.day,
    "hour": lambda dt: dt.hour,
    "minute": lambda dt: dt.minute,
    "second": lambda dt: dt.second,
    "weekday": lambda dt: dt.isoweekday() % 7 + 1,
}


def get_member(obj, name: str):
    """The member ``name`` of ``obj``, or None (NULL) when it has none."""
    t = type(obj)
    if t is dict:
        v = obj.get(name, _MISSING)
        if v is not _MISSING:
            return v
        key = find_key(obj, name)
        if key is not None:
            return obj[key]
        return len(obj) if name.lower() in ("length", "count") else None
    if obj is None:
        return None
    low = name.lower()
    if t is list or t is str:
        return len(obj) if low == "length" or (low == "count" and t is list) else None
    if t is BasicDate:
        field = _DATE_FIELDS.get(low)
        return None if field is None else field(obj.dt)
    return None


def set_member(obj, name: str, value, limits: Limits = DEFAULT_LIMITS) -> None:
    """Set member ``name`` of object ``obj``; raises on anything but an object."""
    if type(obj) is not dict:
        raise BasicRuntimeError(f"cannot set member {name} of {_described(obj)}")
    key = find_key(obj, name)
    if key is None:
        if len(obj) >= limits.list_length:
            raise list_too_long(limits)
        key = name
    obj[key] = value


def _described(v) -> str:
    return "NULL" if v is None else f"a {type_name(v)}"


def _list_index(i) -> int:
    if type(i) is int:
        return i
    t = type(i)
    n = normalise(i) if t is float else parse_number(i) if t is str else None
    if type(n) is int:
        return n
    shown = f'"{i}"' if t is str else to_text(i) if t is float else _described(i)
    raise BasicRuntimeError(f"list index must be a whole number, got {shown}")


def get_index(obj, i):
    """``obj[i]``: list item (0-based), object key, or character of text; NULL when absent."""
    t = type(obj)
    if t is list:
        i = _list_index(i)
        return obj[i] if 0 <= i < len(obj) else None
    if t is dict:
        return get_member(obj, i if type(i) is str else to_text(i))
    if obj is None:
        return None
    if t is str:
        i = _list_index(i)
        return obj[i] if 0 <= i < len(obj) else None
    raise BasicRuntimeError(f"cannot index {_described(obj)}")


def set_index(obj, i, value, limits: Limits = DEFAULT_LIMITS) -> None:
    """``obj[i] = value`` on a list (replace, or append at index = length) or an object."""
    t = type(obj)
    if t is list:
        i = _list_index(i)
        n = len(obj)
        if 0 <= i < n:
            obj[i] = value
        elif i == n:
            if n >= limits.list_length:
                raise list_too_long(limits)
            obj.append(value)
        else:
            raise BasicRuntimeError(f"index {i} out of range (the list has {n} items)")
        return
    if t is dict:
        set_member(obj, i if type(i) is str else to_text(i), value, limits)
        return
    raise BasicRuntimeError(f"cannot set an item of {_described(obj)}")
