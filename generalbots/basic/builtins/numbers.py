"""Number builtins.

Choices: arguments may be numbers, numeric text, booleans (1 / 0) or NULL (0); other text raises
``ROUND expects a number, got "abc"``. ``ROUND(x[, n])`` rounds half away from zero (2.5 -> 3,
-2.5 -> -3; negative n rounds to tens, hundreds...). ``INT`` and ``FLOOR`` round down, ``CEIL``
up; ``CINT`` rounds half away from zero to a whole number. ``VAL`` never fails: it reads the
leading number of a text and gives 0 when there is none; a text with only commas (one) or
only dots (one) takes it as the decimal separator (``"12,5"`` -> 12.5, as typed in Brazil),
several of the same separator are thousands (``"1.234.567"``), with both kinds the last one is
the decimal separator (``"1.234,56"`` and ``"1,234.56"`` -> 1234.56).
``SUM`` / ``AVG`` / ``MIN`` / ``MAX`` take one list or several values and skip NULLs; ``SUM``
and ``AVG`` of nothing are 0, ``MIN`` / ``MAX`` of nothing are NULL; ``MIN`` / ``MAX`` compare
like ``<`` (numbers numerically, text textually, dates chronologically) and return the item.
"""

from __future__ import annotations

import math
import re
from functools import reduce

from ..errors import BasicRuntimeError
from ..values import compare, is_numeric, normalise, to_number
from ..values.core import decimal_round
from .registry import builtin, int_arg, number_arg, shown

_VAL_PREFIX = re.compile(r"\s*([-+]?)(\d[\d.,]*)")


def round_half_away(x, digits: int = 0):
    """``x`` rounded to ``digits`` decimals, halves away from zero; an int when digits <= 0."""
    if type(x) is int and digits >= 0 or x != x or x in (float("inf"), float("-inf")):
        return x
    d = decimal_round(x, max(min(digits, 400), -400))
    return normalise(int(d) if digits <= 0 else float(d))


def _finite(fname: str, v) -> float | int:
    n = number_arg(fname, v)
    if type(n) is float and not math.isfinite(n):
        raise BasicRuntimeError(f"{fname} expects a finite number, got {shown(v)}")
    return n


@builtin("ABS")
def abs_(x):
    return abs(number_arg("ABS", x))


@builtin("ROUND", args=(1, 2))
def round_(x, digits=0):
    return round_half_away(number_arg("ROUND", x), int_arg("ROUND", digits))


@builtin("INT", "FLOOR")
def floor(x) -> int:
    return normalise(math.floor(_finite("INT", x)))


@builtin("CEIL", "CEILING")
def ceil(x) -> int:
    return normalise(math.ceil(_finite("CEIL", x)))


@builtin("CINT")
def cint(x) -> int:
    return round_half_away(_finite("CINT", x))


@builtin("SQRT")
def sqrt(x):
    n = number_arg("SQRT", x)
    if n < 0:
        raise BasicRuntimeError(f"SQRT expects a number that is not negative, got {n}")
    return normalise(math.sqrt(n))


@builtin("CDBL")
def cdbl(x) -> float:
    return float(number_arg("CDBL", x))


@builtin("NUMBER")
def number(x):
    return number_arg("NUMBER", x)


@builtin("ISNUMBER", "ISNUMERIC")
def isnumber(v) -> bool:
    return is_numeric(v)


@builtin("VAL")
def val(v):
    t = type(v)
    if t is int or t is float:
        return v
    if t is not str:
        return to_number(v) if v is None or t is bool else 0
    m = _VAL_PREFIX.match(v)
    if m is None:
        return 0
    sign, digits = m.groups()
    digits = digits.rstrip(".,")
    commas, dots = digits.count(","), digits.count(".")
    if commas and dots:
        decimal = "," if digits.rindex(",") > digits.rindex(".") else "."
    elif commas == 1 or dots == 1:
        decimal = "," if commas else "."
    else:
        decimal = None
    whole, _, fraction = digits.partition(decimal) if decimal else (digits, "", "")
    whole = whole.replace(",", "").replace(".", "")
    fraction = fraction.replace(",", "").replace(".", "")
    return to_number(f"{sign}{whole}.{fraction}" if fraction else f"{sign}{whole}")


def _items(args) -> list:
    """The values: one list argument is the values; ``(list, "field")`` is that field of every
    object of the list (``SUM(rows, "count")``, as AGGREGATE "SUM", rows, "count")."""
    if len(args) == 2 and type(args[0]) is list and type(args[1]) is str and \
            any(type(x) is dict for x in args[0]):
        field = args[1].lower()
        items = [next((v for k, v in x.items() if k.lower() == field), None)
                 for x in args[0] if type(x) is dict]
    else:
        items = args[0] if len(args) == 1 and type(args[0]) is list else args
    return [x for x in items if x is not None]


def _numbers(fname: str, args) -> list:
    out = []
    for x in _items(args):
        if type(x) in (list, dict):
            raise BasicRuntimeError(f"{fname} expects numbers, got {shown(x)}")
        out.append(number_arg(fname, x))
    return out


@builtin("SUM", args=(1, None))
def sum_(*args):
    return normalise(sum(_numbers("SUM", args)))


@builtin("AVG", "AVERAGE", args=(1, None))
def avg(*args):
    numbers = _numbers("AVG", args)
    return normalise(sum(numbers) / len(numbers)) if numbers else 0


@builtin("MIN", args=(1, None))
def min_(*args):
    items = _items(args)
    return reduce(lambda a, b: b if compare(b, a) < 0 else a, items) if items else None


@builtin("MAX", args=(1, None))
def max_(*args):
    items = _items(args)
    return reduce(lambda a, b: b if compare(b, a) > 0 else a, items) if items else None
