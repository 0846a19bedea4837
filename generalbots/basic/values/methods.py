"""JavaScript-style methods (``name.trim()``, ``list.push(x)``) through a fixed dispatch table.

Guarantees: a method name is only ever looked up (lower-cased) in the tables below, so no Python
attribute, dunder name or host callable is reachable; an unknown name raises
``unknown method NAME for text`` (or list / object / number / boolean / date).

Choices: names are case-insensitive; ``replace`` replaces every occurrence (unlike JavaScript);
``includes`` / ``contains`` on text are case-insensitive, like the CONTAINS operator;
``indexOf`` is 0-based and gives -1 when absent; ``split()`` without a separator splits on
blanks; ``push`` / ``unshift`` change the list and return its new length, ``pop`` / ``shift``
return the removed item (NULL when empty); ``reverse`` / ``sort`` / ``slice`` / ``concat`` return
new lists; ``toString`` is the value's printed text; ``toFixed`` rounds half away from zero;
numeric arguments are truncated to whole numbers.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cmp_to_key

from ..errors import BasicRuntimeError
from ..limits import DEFAULT_LIMITS, Limits
from .core import BasicDate, check_list_size, list_too_long, string_too_long, text_too_long
from .core import arity_text, decimal_round, to_number, type_name
from .ops import compare, find_key, op_contains, op_eq
from .text import to_text

_Table = dict[str, tuple[Callable, int, int | None, bool]]
_TEXT: _Table = {}
_LIST: _Table = {}
_OBJECT: _Table = {}
_NUMBER: _Table = {}
_BOOLEAN: _Table = {}
_DATE: _Table = {}


def _method(table: _Table, *names: str, args: tuple[int, int | None] = (0, 0), limits=False):
    def register(fn):
        for name in names:
            table[name.lower()] = (fn, args[0], args[1], limits)
        return fn
    return register


def _int(v) -> int:
    n = to_number(v)
    if n != n or n in (float("inf"), float("-inf")):
        raise BasicRuntimeError(f"expected a whole number, got {to_text(v)}")
    return int(n)


def _text(v) -> str:
    if type(v) is not str:
        v = to_text(v)
    return v


# ---- text -------------------------------------------------------------------------------

_method(_TEXT, "trim")(lambda s: s.strip())
_method(_TEXT, "trimStart", "trimLeft")(lambda s: s.lstrip())
_method(_TEXT, "trimEnd", "trimRight")(lambda s: s.rstrip())
_method(_TEXT, "toUpperCase", "upper", "toUpper", "ucase")(lambda s: s.upper())
_method(_TEXT, "toLowerCase", "lower", "toLower", "lcase")(lambda s: s.lower())
_method(_TEXT, "length", "len")(len)
_method(_TEXT, "toString")(lambda s: s)
_method(_TEXT, "includes", "contains", args=(1, 1))(op_contains)
_method(_TEXT, "startsWith", args=(1, 1))(lambda s, p: s.startswith(_text(p)))
_method(_TEXT, "endsWith", args=(1, 1))(lambda s, p: s.endswith(_text(p)))
_method(_TEXT, "indexOf", args=(1, 2))(
    lambda s, sub, start=0: s.find(_text(sub), max(_int(start), 0)))
_method(_TEXT, "lastIndexOf", args=(1, 1))(lambda s, sub: s.rfind(_text(sub)))
_method(_TEXT, "charAt", args=(1, 1))(lambda s, i: s[_int(i)] if 0 <= _int(i) < len(s) else "")
_method(_TEXT, "slice", args=(0, 2))(
    lambda s, a=0, b=None: s[_int(a):None if b is None else _int(b)])


@_method(_TEXT, "split", args=(0, 1), limits=True)
def _split(limits: Limits, s: str, sep=None) -> list:
    if sep is None:
        parts = s.split()
    else:
        sep = _text(sep)
        parts = s.split(sep) if sep else list(s)
    return check_list_size(parts, limits)


@_method(_TEXT, "replace", "replaceAll", args=(2, 2), limits=True)
def _replace(limits: Limits, s: str, old, new) -> str:
    return replace_text(s, _text(old), _text(new), limits.string_length)


def replace_text(s: str, old: str, new: str, limit: int) -> str:
    """``s`` with every ``old`` replaced by ``new``; the size is known (and checked) before
    the text is built."""
    if not old:
        return s
    if len(new) > len(old) and len(s) + s.count(old) * (len(new) - len(old)) > limit:
        raise text_too_long(limit)
    return s.replace(old, new)


@_method(_TEXT, "substring", args=(1, 2))
def _substring(s: str, start, end=None) -> str:
    n = len(s)
    a = min(max(_int(start), 0), n)
    b = n if end is None else min(max(_int(end), 0), n)
    return s[min(a, b):max(a, b)]


@_method(_TEXT, "substr", args=(1, 2))
def _substr(s: str, start, length=None) -> str:
    a = _int(start)
    if a < 0:
        a = max(len(s) + a, 0)
    if length is None:
        return s[a:]
    return s[a:a + max(_int(length), 0)]


def _pad(limits: Limits, s: str, width, fill, at_start: bool) -> str:
    width = _int(width)
    fill = _text(fill)
    if width <= len(s) or not fill:
        return s
    if width > limits.string_length:
        raise string_too_long(limits)
    pad = (fill * ((width - len(s)) // len(fill) + 1))[:width - len(s)]
    return pad + s if at_start else s + pad


_method(_TEXT, "padStart", args=(1, 2), limits=True)(
    lambda limits, s, w, fill=" ": _pad(limits, s, w, fill, True))
_method(_TEXT, "padEnd", args=(1, 2), limits=True)(
    lambda limits, s, w, fill=" ": _pad(limits, s, w, fill, False))


@_method(_TEXT, "repeat", args=(1, 1), limits=True)
def _repeat(limits: Limits, s: str, count) -> str:
    n = _int(count)
    if n < 0:
        raise BasicRuntimeError("repeat count must not be negative")
    if len(s) * n > limits.string_length:
        raise string_too_long(limits)
    return s * n


# ---- lists ------------------------------------------------------------------------------

@_method(_LIST, "push", "append", "add", args=(1, None), limits=True)
def _push(limits: Limits, lst: list, *items) -> int:
    if len(lst) + len(items) > limits.list_length:
        raise list_too_long(limits)
    lst.extend(items)
    return len(lst)


@_method(_LIST, "unshift", args=(1, None), limits=True)
def _unshift(limits: Limits, lst: list, *items) -> int:
    if len(lst) + len(items) > limits.list_length:
        raise list_too_long(limits)
    lst[0:0] = items
    return len(lst)


@_method(_LIST, "concat", args=(0, None), limits=True)
def _concat(limits: Limits, lst: list, *others) -> list:
    out = list(lst)
    for other in others:
        if type(other) is list:
            out.extend(other)
        else:
            out.append(other)
        check_list_size(out, limits)
    return out


@_method(_LIST, "join", args=(0, 1), limits=True)
def _join(limits: Limits, lst: list, sep=",") -> str:
    return join_text(lst, _text(sep), limits.string_length)


def join_text(items: list, sep: str, limit: int) -> str:
    """The texts of ``items`` separated by ``sep``; stops as soon as it would pass ``limit``."""
    parts = []
    left = limit + len(sep)
    for x in items:
        part = x if type(x) is str else to_text(x, limit, max(left - len(sep), 0))
        left -= len(part) + len(sep)
        if left < 0:
            raise text_too_long(limit)
        parts.append(part)
    return sep.join(parts)


def _index_of(lst: list, item) -> int:
    for i, x in enumerate(lst):
        if op_eq(x, item):
            return i
    return -1


_method(_LIST, "pop")(lambda lst: lst.pop() if lst else None)
_method(_LIST, "shift")(lambda lst: lst.pop(0) if lst else None)
_method(_LIST, "includes", "contains", args=(1, 1))(lambda lst, x: _index_of(lst, x) >= 0)
_method(_LIST, "indexOf", args=(1, 1))(_index_of)
_method(_LIST, "length", "count", "len")(len)
_method(_LIST, "slice", args=(0, 2))(
    lambda lst, a=0, b=None: lst[_int(a):None if b is None else _int(b)])
_method(_LIST, "reverse")(lambda lst: lst[::-1])
_method(_LIST, "sort")(lambda lst: sorted(lst, key=cmp_to_key(compare)))
_method(_LIST, "first")(lambda lst: lst[0] if lst else None)
_method(_LIST, "last")(lambda lst: lst[-1] if lst else None)
_method(_LIST, "toString", limits=True)(lambda limits, lst: to_text(lst, limits.string_length))

# ---- objects ----------------------------------------------------------------------------

_method(_OBJECT, "keys")(lambda obj: list(obj))
_method(_OBJECT, "values")(lambda obj: list(obj.values()))
_method(_OBJECT, "hasOwnProperty", "has", "contains", "containsKey", "includes", args=(1, 1))(
    lambda obj, key: find_key(obj, _text(key)) is not None)
_method(_OBJECT, "length", "count", "len")(len)
_method(_OBJECT, "toString", limits=True)(lambda limits, obj: to_text(obj, limits.string_length))


@_method(_OBJECT, "get", args=(1, 2))
def _get(obj: dict, key, default=None):
    found = find_key(obj, _text(key))
    return default if found is None else obj[found]


# ---- numbers, booleans, dates -----------------------------------------------------------

@_method(_NUMBER, "toFixed", args=(0, 1))
def _to_fixed(x, digits=0) -> str:
    n = _int(digits)
    if not 0 <= n <= 100:
        raise BasicRuntimeError("toFixed digits must be between 0 and 100")
    if x != x or x in (float("inf"), float("-inf")):
        return to_text(x)
    return f"{decimal_round(x, n):f}"


_method(_NUMBER, "toString")(to_text)
_method(_BOOLEAN, "toString")(to_text)
_method(_DATE, "toString")(to_text)
_method(_DATE, "toISOString")(lambda d: d.dt.isoformat())


@_method(_DATE, "format", args=(1, 1), limits=True)
def _format(limits: Limits, d: BasicDate, mask) -> str:
    from ..builtins.formatting import format_date  # the builtins package imports this one
    return format_date(d, _text(mask), limits.string_length)


_TABLES = {str: _TEXT, list: _LIST, dict: _OBJECT, int: _NUMBER, float: _NUMBER,
           bool: _BOOLEAN, BasicDate: _DATE}


def call_method(obj, name: str, args, limits: Limits = DEFAULT_LIMITS):
    """``obj.name(args...)`` for the methods listed in the tables above."""
    table = _TABLES.get(type(obj))
    if table is None:
        owner = "NULL" if obj is None else type_name(obj)
        raise BasicRuntimeError(f"cannot call method {name} on {owner}")
    entry = table.get(name.lower())
    if entry is None:
        raise BasicRuntimeError(f"unknown method {name} for {type_name(obj)}")
    fn, lo, hi, wants_limits = entry
    n = len(args)
    if n < lo or (hi is not None and n > hi):
        raise BasicRuntimeError(f"{name} expects {arity_text(lo, hi)}, got {n}")
    return fn(limits, obj, *args) if wants_limits else fn(obj, *args)

