"""List and object builtins.

Choices: NULL reads as an empty list. ``UBOUND(list)`` is the item count (real scripts test
``UBOUND(x) = 0`` for empty) and ``LBOUND`` is 0, lists being 0-based. ``COUNT`` / ``LEN`` of a
list or object is its size, of text its length, of NULL 0. ``FIRST`` / ``LAST`` of text are its
first / last blank-separated word (``""`` when none), of a list its first / last item (NULL when
empty). ``PUSH(list, item)`` appends in place and returns the list (a NULL list starts a new one).
``FILTER(list, field, value)`` keeps objects whose field equals value; ``FILTER(list, "cond")``
takes conditions ``field op value`` (op one of ``= == != <> < <= > >= LIKE CONTAINS``, value
optionally quoted) joined by ``AND``, and a condition without an operator keeps items whose text
(for objects: any field) contains it, ignoring case. Comparisons follow the operators'
rules. ``SORT(list[, field][, "asc"|"desc"])``, ``UNIQUE`` (first occurrences, ``=`` rules) and
``REVERSE`` (also of text) return new values. ``JOIN`` separates with ``","`` by default.
``MAP(list, "old->new, ...")`` renames fields of each object (also of one object; names match
ignoring case, ``=>`` and ``:`` work like ``->``; other fields stay), returning new objects.
"""

from __future__ import annotations

import re
from functools import cmp_to_key

from ..errors import BasicRuntimeError
from ..limits import DEFAULT_LIMITS, Limits
from ..values import (
    BasicDate,
    BasicDuration,
    compare,
    get_member,
    op_contains,
    op_eq,
    op_ge,
    op_gt,
    op_le,
    op_like,
    op_lt,
    op_ne,
    to_json_text,
)
from ..values.core import list_too_long, parse_number
from ..values.methods import join_text
from .registry import builtin, int_arg, list_arg, shown, text_arg

_CONDITION = re.compile(r"\s*(.+?)\s*(==|=|!=|<>|<=|>=|<|>|\s+LIKE\s+|\s+CONTAINS\s+)\s*(.*?)\s*",
                        re.IGNORECASE | re.S)
_AND = re.compile(r"\s+AND\s+", re.IGNORECASE)
_OPERATORS = {"=": op_eq, "==": op_eq, "!=": op_ne, "<>": op_ne, "<": op_lt, "<=": op_le,
              ">": op_gt, ">=": op_ge, "like": op_like, "contains": op_contains}


@builtin("UBOUND")
def ubound(v) -> int:
    return len(v) if type(v) is dict else len(list_arg("UBOUND", v))


@builtin("LBOUND")
def lbound(v) -> int:
    list_arg("LBOUND", v)
    return 0


@builtin("COUNT")
def count(v) -> int:
    t = type(v)
    if t is list or t is dict or t is str:
        return len(v)
    if v is None:
        return 0
    raise BasicRuntimeError(f"COUNT expects a list, got {shown(v)}")


def _end(fname: str, v, index: int):
    if type(v) is str:
        words = v.split()
        return words[index] if words else ""
    items = list_arg(fname, v)
    return items[index] if items else None


@builtin("FIRST", args=(1, 2))
def first(v, *n):
    """``FIRST(x)``: the first word or item; ``FIRST(list, n)``: the first n items."""
    if n:
        return list_arg("FIRST", v)[:max(int_arg("FIRST", n[0]), 0)]
    return _end("FIRST", v, 0)


@builtin("LAST", args=(1, 2))
def last(v, *n):
    """``LAST(x)``: the last word or item; ``LAST(list, n)``: the last n items."""
    if n:
        count = max(int_arg("LAST", n[0]), 0)
        return list_arg("LAST", v)[-count:] if count else []
    return _end("LAST", v, -1)


@builtin("PUSH", args=(2, 2), limits=True)
def push(lst, item, *, limits: Limits = DEFAULT_LIMITS) -> list:
    lst = list_arg("PUSH", lst) if lst is not None else []
    if len(lst) >= limits.list_length:
        raise list_too_long(limits)
    lst.append(item)
    return lst


@builtin("CONTAINS", args=(2, 2))
def contains(container, item) -> bool:
    return op_contains(container, item)


@builtin("FILTER", args=(2, 3))
def filter_(lst, condition, *value) -> list:
    items = list_arg("FILTER", lst)
    if value:
        field = text_arg("FILTER", condition)
        return [x for x in items if op_eq(get_member(x, field), value[0])]
    tests = [_condition(c) for c in _AND.split(text_arg("FILTER", condition)) if c.strip()]
    return [x for x in items if all(test(x) for test in tests)]


def _condition(text: str):
    m = _CONDITION.fullmatch(text)
    if m is None:
        return lambda item: _mentions(item, text.strip())
    field, op, raw = m.groups()
    compare_fn = _OPERATORS[op.strip().lower()]
    if len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "'\"":
        raw = raw[1:-1]
    return lambda item: compare_fn(get_member(item, field), raw)


def _mentions(item, text: str) -> bool:
    if type(item) is dict:
        return any(op_contains(v, text) for v in item.values())
    return op_contains(item, text)


@builtin("KEYS")
def keys(obj) -> list:
    return list(_object("KEYS", obj))


@builtin("VALUES")
def values(obj) -> list:
    return list(_object("VALUES", obj).values())


def _object(fname: str, v) -> dict:
    if type(v) is dict:
        return v
    if v is None:
        return {}
    raise BasicRuntimeError(f"{fname} expects an object, got {shown(v)}")


_RENAME = re.compile(r"\s*(->|=>|:)\s*")


def _renames(spec) -> dict[str, str]:
    pairs = {}
    for part in text_arg("MAP", spec).split(","):
        if not part.strip():
            continue
        pieces = _RENAME.split(part.strip())
        if len(pieces) != 3 or not pieces[0] or not pieces[2]:
            raise BasicRuntimeError(f'MAP expects "old->new" pairs separated by commas, got {shown(part.strip())}')
        pairs[pieces[0].lower()] = pieces[2]
    return pairs


def _renamed(item, pairs: dict[str, str]) -> dict:
    if type(item) is not dict:
        raise BasicRuntimeError(f"MAP expects objects, got {shown(item)}")
    return {pairs.get(key.lower(), key): value for key, value in item.items()}


@builtin("MAP", args=(2, 2))
def map_(items, spec):
    pairs = _renames(spec)
    if type(items) is dict:
        return _renamed(items, pairs)
    return [_renamed(item, pairs) for item in list_arg("MAP", items)]


@builtin("SORT", args=(1, 3))
def sort(lst, field=None, order=None) -> list:
    items = list_arg("SORT", lst)
    if order is None and type(field) is str and field.strip().lower() in ("asc", "desc"):
        field, order = None, field
    descending = order is not None and text_arg("SORT", order).strip().lower() == "desc"
    if field is None:
        key = cmp_to_key(compare)
    else:
        name = text_arg("SORT", field)
        key = cmp_to_key(lambda a, b: compare(get_member(a, name), get_member(b, name)))
    return sorted(items, key=key, reverse=descending)


@builtin("UNIQUE")
def unique(lst) -> list:
    seen = set()
    out = []
    for item in list_arg("UNIQUE", lst):
        key = _identity(item)
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out


def _identity(v):
    """A hashable key equal for values that ``=`` finds equal (as far as scripts can tell)."""
    t = type(v)
    if t is str:
        n = parse_number(v)
        return ("n", n) if n is not None else ("t", v)
    if v is None:
        return ("t", "")
    if t is int or t is float or t is bool:
        return ("n", v)
    if t is BasicDate:
        return ("d", v.dt)
    if t is BasicDuration:
        return ("n", v.seconds)
    return ("j", to_json_text(v))


@builtin("REVERSE")
def reverse(v):
    if type(v) is str:
        return v[::-1]
    return list_arg("REVERSE", v)[::-1]


@builtin("ARRAY", args=(0, None))
def array(*items) -> list:
    return list(items)


@builtin("ISARRAY")
def isarray(v) -> bool:
    return type(v) is list


@builtin("ISOBJECT")
def isobject(v) -> bool:
    return type(v) is dict


@builtin("JOIN", args=(1, 2), limits=True)
def join(lst, sep=",", *, limits: Limits = DEFAULT_LIMITS) -> str:
    return join_text(list_arg("JOIN", lst), text_arg("JOIN", sep), limits.string_length)
