"""BASIC operators. Each raises BasicRuntimeError on bad operands, never a Python TypeError.

Choices (where BASIC.md is silent):

- ``+``: numbers add; when either side is text both sides are joined as text (``"5" + 3`` is
  ``"53"``); NULL counts as 0 beside a number (``NULL + NULL`` is 0); booleans count as 1 / 0;
  ``date + n`` / ``n + date`` / ``date - n`` shift by n days (fractions allowed; a date-only value
  stays date-only when n is whole); ``date + duration`` / ``date - duration`` shift by the
  duration (``TODAY() + DAYS(3)``; date-only stays date-only for whole days); ``duration +
  duration`` and ``duration - duration`` are durations, a duration beside a number is its
  seconds; ``date - date`` is the difference in days; ``list + list`` is a new list. Anything
  else is an error naming both types.
- ``-  *  /  MOD  ^`` work on numbers and numeric text. ``/`` is true division; dividing by zero
  (also with MOD) raises "division by zero". MOD takes the sign of the dividend (as VB and JS).
- ``=`` / ``<>``: numeric when both sides are numbers or numeric text (``"1.0" = 1``), otherwise
  textual and case-sensitive. ``NULL = NULL`` and ``NULL = ""`` are true (``IS NULL`` is the strict
  test); NULL equals nothing else. A boolean equals its text (``TRUE = "true"``) and 1 / 0. A date
  equals a date, or text naming the same instant. Lists and objects compare item by item.
- ``< <= > >=``: numeric as above, dates chronologically (with date text on the other side),
  otherwise textual by code point. NULL counts as 0 beside a number and ``""`` beside text.
  Comparing a list or object raises.
- ``CONTAINS`` is case-insensitive substring for text, membership (``=``) for lists, key
  (exact, then case-insensitive) for objects; NULL contains nothing.
- ``LIKE`` is SQL LIKE (``%`` any run, ``_`` one character), case-insensitive, whole text.
- ``??`` gives the right side when the left is NULL or ``""``.
"""

from __future__ import annotations

import math
import re
from datetime import timedelta
from functools import lru_cache

from ..errors import BasicRuntimeError
from ..limits import DEFAULT_LIMITS, Limits
from .core import INT_LIMIT, BasicDate, BasicDuration, as_date, check_list_size, normalise, number_out_of_range
from .core import parse_number, string_too_long, to_number, truthy, type_name
from .text import to_text

_NUMBER = (int, float)
_NUMERIC_ISH = (int, float, bool, type(None))


def _numbers(a, b, verb: str):
    try:
        return to_number(a), to_number(b)
    except BasicRuntimeError as exc:
        raise BasicRuntimeError(f"cannot {verb} {type_name(a)} and {type_name(b)}: "
                                f"{exc.message}") from None


def shift_date(d: BasicDate, delta: timedelta, keep_date_only: bool) -> BasicDate:
    """``d`` moved by ``delta``; BasicRuntimeError when it leaves years 1..9999."""
    try:
        return BasicDate(d.dt + delta, date_only=d.date_only and keep_date_only)
    except OverflowError:
        raise BasicRuntimeError("date out of range") from None


def _add_days(d: BasicDate, n) -> BasicDate:
    if type(n) is BasicDuration:
        seconds = n.seconds
        return shift_date(d, days_delta(seconds=seconds), float(seconds / 86400).is_integer())
    n = to_number(n)
    return shift_date(d, days_delta(n), float(n).is_integer())


def days_delta(days=0, seconds=0) -> timedelta:
    """A timedelta (fractions allowed); BasicRuntimeError when it cannot be one."""
    try:
        return timedelta(days=days, seconds=seconds)
    except (OverflowError, ValueError):
        raise BasicRuntimeError("date out of range") from None


def op_add(a, b, limits: Limits = DEFAULT_LIMITS):
    ta = type(a)
    tb = type(b)
    if ta is int and tb is int:
        r = a + b
        return r if -INT_LIMIT < r < INT_LIMIT else float(r)
    if ta is str or tb is str:
        return op_concat(a, b, limits)
    if ta in _NUMERIC_ISH and tb in _NUMERIC_ISH:
        return normalise(to_number(a) + to_number(b))
    if ta is BasicDate and tb is not BasicDate:
        return _add_days(a, b)
    if tb is BasicDate and ta is not BasicDate:
        return _add_days(b, a)
    if ta is list and tb is list:
        return check_list_size(a + b, limits)
    if ta is BasicDuration or tb is BasicDuration:
        total = normalise(to_number(a) + to_number(b))
        return BasicDuration(total) if ta is tb else total
    raise BasicRuntimeError(f"cannot add {type_name(a)} and {type_name(b)}")


def op_sub(a, b):
    ta = type(a)
    tb = type(b)
    if ta is int and tb is int:
        r = a - b
        return r if -INT_LIMIT < r < INT_LIMIT else float(r)
    if ta is BasicDate:
        if tb is BasicDate:
            return normalise((a.dt - b.dt).total_seconds() / 86400)
        return _add_days(a, op_neg(b))
    x, y = _numbers(a, b, "subtract")
    if ta is BasicDuration and tb is BasicDuration:
        return BasicDuration(normalise(x - y))
    return normalise(x - y)


def op_mul(a, b):
    x, y = (a, b) if type(a) is int and type(b) is int else _numbers(a, b, "multiply")
    return normalise(x * y)


def op_div(a, b):
    x, y = (a, b) if type(a) is int and type(b) is int else _numbers(a, b, "divide")
    if y == 0:
        raise BasicRuntimeError("division by zero")
    if type(x) is int and type(y) is int and x % y == 0:
        return normalise(x // y)
    return normalise(x / y)


def op_mod(a, b):
    x, y = _numbers(a, b, "take MOD of")
    if y == 0:
        raise BasicRuntimeError("division by zero")
    if type(x) is int and type(y) is int:
        r = abs(x) % abs(y)
        return -r if x < 0 else r
    if not math.isfinite(x):
        raise number_out_of_range(x)
    return normalise(math.fmod(x, y))


def op_pow(a, b):
    x, y = _numbers(a, b, "raise")
    try:
        if type(x) is int and type(y) is int and y > 0 and abs(x) > 1 \
                and y * math.log2(abs(x)) > 62:
            r = float(x) ** y
        else:
            r = x ** y
    except ZeroDivisionError:
        raise BasicRuntimeError("division by zero") from None
    except OverflowError:
        raise BasicRuntimeError("number too large") from None
    if type(r) is complex:
        raise BasicRuntimeError("cannot raise a negative number to a fractional power")
    return normalise(r)


def op_concat(a, b, limits: Limits = DEFAULT_LIMITS):
    """``a & b``: the texts joined; the limit is checked before the result is built."""
    limit = limits.string_length
    x = a if type(a) is str else to_text(a, limit)
    y = b if type(b) is str else to_text(b, limit, limit - len(x))
    if len(x) + len(y) > limit:
        raise string_too_long(limits)
    return x + y


def op_neg(a):
    if type(a) is int or type(a) is float:
        return -a
    if type(a) is BasicDuration:
        return BasicDuration(-a.seconds)
    return normalise(-to_number(a))


def op_not(a) -> bool:
    return not truthy(a)


def op_eq(a, b) -> bool:
    ta = type(a)
    tb = type(b)
    if ta is tb and (ta is int or ta is str):
        if a == b:
            return True
        if ta is int:
            return False
        x = parse_number(a)
        return x is not None and x == parse_number(b)
    if a is None or b is None:
        return a is b or a == "" or b == ""
    if ta is BasicDuration or tb is BasicDuration:
        return op_eq(to_number(a) if ta is BasicDuration else a,
                     to_number(b) if tb is BasicDuration else b)
    if ta in _NUMBER and tb in _NUMBER or ta is bool and tb is bool:
        return a == b
    if ta is str or tb is str:
        other, text = (b, a) if ta is str else (a, b)
        t = type(other)
        if t is int or t is float:
            return other == parse_number(text)
        if t is BasicDate:
            return other == BasicDate.parse(text)
        return t is bool and text == to_text(other)
    if ta is bool or tb is bool:
        return (ta in _NUMBER or tb in _NUMBER) and a == b
    if ta is list and tb is list:  # one list is equal to itself however it nests (no walk)
        return a is b or len(a) == len(b) and all(op_eq(x, y) for x, y in zip(a, b))
    if ta is dict and tb is dict:
        return a is b or a.keys() == b.keys() and all(op_eq(x, b[k]) for k, x in a.items())
    return ta is BasicDate and a == b


def op_ne(a, b) -> bool:
    return not op_eq(a, b)


def compare(a, b) -> int:
    """-1, 0 or 1 as ``a`` sorts before, with or after ``b`` (the rules of ``<``)."""
    ta = type(a)
    tb = type(b)
    if ta is str and tb is str:
        x = parse_number(a)
        y = None if x is None else parse_number(b)
        if y is None:
            return (a > b) - (a < b)
        return (x > y) - (x < y)
    if ta is list or ta is dict or tb is list or tb is dict:
        raise BasicRuntimeError(f"cannot compare {type_name(a)} and {type_name(b)}")
    if ta is BasicDate or tb is BasicDate:
        x, y = as_date(a), as_date(b)
        if x is not None and y is not None:
            return (x.dt > y.dt) - (x.dt < y.dt)
    else:
        x, y = _comparable_number(a, b), _comparable_number(b, a)
        if x is not None and y is not None:
            return (x > y) - (x < y)
    x, y = to_text(a), to_text(b)
    return (x > y) - (x < y)


def _comparable_number(v, other):
    t = type(v)
    if t is int or t is float:
        return v
    if t is str:
        return parse_number(v)
    if t is bool:
        return int(v)
    if t is BasicDuration:
        return v.seconds
    if v is None and type(other) in _NUMBER:
        return 0
    return None


def op_lt(a, b) -> bool:
    if type(a) is int and type(b) is int:
        return a < b
    return compare(a, b) < 0


def op_le(a, b) -> bool:
    if type(a) is int and type(b) is int:
        return a <= b
    return compare(a, b) <= 0


def op_gt(a, b) -> bool:
    if type(a) is int and type(b) is int:
        return a > b
    return compare(a, b) > 0


def op_ge(a, b) -> bool:
    if type(a) is int and type(b) is int:
        return a >= b
    return compare(a, b) >= 0


def find_key(obj: dict, key: str):
    """The key of ``obj`` equal to ``key``, else the first one equal ignoring case, else None."""
    if key in obj:
        return key
    low = key.lower()
    for k in obj:
        if type(k) is str and k.lower() == low:
            return k
    return None


def op_contains(a, b) -> bool:
    ta = type(a)
    if a is None or b is None:
        return False
    if ta is list:
        return any(op_eq(x, b) for x in a)
    if ta is dict:
        return find_key(a, to_text(b)) is not None
    return to_text(b).lower() in to_text(a).lower()


@lru_cache(maxsize=256)
def _like_pattern(pattern: str) -> re.Pattern:
    parts = ("." if c == "_" else ".*" if c == "%" else re.escape(c) for c in pattern)
    return re.compile("".join(parts), re.IGNORECASE | re.DOTALL)


def op_like(a, b) -> bool:
    if a is None or b is None:
        return False
    return _like_pattern(to_text(b)).fullmatch(to_text(a)) is not None


def op_coalesce(a, b):
    return b if a is None or a == "" else a
