"""The BASIC value types and their coercions.

Values are plain Python: ``None`` (NULL), ``bool``, ``int`` / ``float`` (one "number" type),
``str``, :class:`BasicDate`, ``list`` and ``dict`` (objects, insertion-ordered, string keys).

Choices (where BASIC.md is silent):

- Numbers: arithmetic normalises integral float results to ``int`` (``6/2`` is ``3``) while they
  stay within 2**53; ints that would pass 2**63 in ``*`` and ``^`` become floats, as in
  JavaScript, so a loop cannot grow an unbounded integer. A result beyond the float range
  (``1e308 * 10``) raises "number too large" where it is computed: no value is ever Infinity
  or NaN, so every value can be saved as JSON. Numeric text beyond that range is not a number.
- Numeric text is decimal only: optional sign, digits with an optional ``.`` fraction and an
  optional exponent, surrounding blanks allowed (``" 12.5 "``). ``"1,5"``, ``"0x1f"``, ``"inf"``
  and ``"1_000"`` are not numbers (``VAL`` is more forgiving).
- ``to_number``: NULL and ``""`` are 0, booleans are 1 / 0, non-numeric text, dates, lists and
  objects raise ``BasicRuntimeError``.
- :class:`BasicDate` wraps a *naive* ``datetime`` holding the bot's local wall-clock time, at
  whole-second precision. Text with a UTC offset keeps the wall-clock time written and drops
  the offset. A date-only value (``TODAY()``) prints ``2026-11-24``; a date-time value
  (``NOW()``) prints ``2026-11-24 19:20:00`` (ISO 8601 with a space, as General Bots prints it).
- :class:`BasicDuration` is a length of time, what ``DAYS(n)`` returns: a number of seconds that
  remembers it is a duration, so that ``TODAY() + DAYS(3)`` is three days later (a plain number
  beside a date counts days). Everywhere else it is its seconds: it prints, compares, converts
  to JSON and works with WAIT, DELAY, TIMEOUT and arithmetic as that number.
- Date text accepted wherever a date is expected: ISO ``YYYY-MM-DD[(T| )HH:MM[:SS[.f]]][Z|±HH:MM]``
  and Brazilian ``DD/MM/YYYY[ HH:MM[:SS]]``.
"""

from __future__ import annotations

import math
import re
from datetime import datetime
from decimal import ROUND_HALF_UP, Context, Decimal

from ..errors import BasicLimitError, BasicRuntimeError
from ..limits import DEFAULT_LIMITS, Limits

_NUMERIC = re.compile(r"\s*[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?\s*")
_SHORT_INT = re.compile(r"\s*[-+]?\d{1,18}\s*")
_ISO_DATE = re.compile(
    r"\s*\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?\s*"
)
_BR_DATE = re.compile(r"\s*(\d{1,2})/(\d{1,2})/(\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?\s*")
_DECIMALS = Context(prec=1000, rounding=ROUND_HALF_UP, Emax=10**6, Emin=-(10**6))
SAFE_INT = 2**53
INT_LIMIT = 2**63

TYPE_NAMES = {
    type(None): "null",
    bool: "boolean",
    int: "number",
    float: "number",
    str: "text",
    list: "list",
    dict: "object",
}


class BasicDate:
    """A date (``date_only``) or a date-time; immutable, hashable, whole seconds, naive."""

    __slots__ = ("dt", "date_only")

    def __init__(self, dt: datetime, date_only: bool = False):
        if date_only:
            dt = datetime(dt.year, dt.month, dt.day)
        elif dt.microsecond or dt.tzinfo is not None:
            dt = dt.replace(microsecond=0, tzinfo=None)
        object.__setattr__(self, "dt", dt)
        object.__setattr__(self, "date_only", date_only)

    def __setattr__(self, name, value):
        raise AttributeError("BasicDate is immutable")

    def __reduce__(self):
        return (BasicDate, (self.dt, self.date_only))

    @classmethod
    def parse(cls, text: str) -> BasicDate | None:
        """The date written in ``text`` (ISO or DD/MM/YYYY), or None when it is not one."""
        if _ISO_DATE.fullmatch(text):
            text = text.strip()
            try:
                dt = datetime.fromisoformat(text.replace("Z", "+00:00"))
            except ValueError:
                return None
            return cls(dt, date_only=len(text) == 10)
        m = _BR_DATE.fullmatch(text)
        if m is None:
            return None
        day, month, year, hour, minute, second = m.groups()
        try:
            dt = datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0),
                          int(second or 0))
        except ValueError:
            return None
        return cls(dt, date_only=hour is None)

    def iso(self) -> str:
        """``YYYY-MM-DD`` for a date, ``YYYY-MM-DD HH:MM:SS`` for a date-time."""
        if self.date_only:
            return self.dt.strftime("%Y-%m-%d")
        return self.dt.isoformat(sep=" ")

    def __str__(self) -> str:
        return self.iso()

    def __repr__(self) -> str:
        return f"BasicDate({self.iso()!r})"

    def __eq__(self, other) -> bool:
        if type(other) is BasicDate:
            return self.dt == other.dt
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.dt)


class BasicDuration:
    """A length of time in ``seconds`` (int or float): see the module docstring."""

    __slots__ = ("seconds",)

    def __init__(self, seconds):
        object.__setattr__(self, "seconds", seconds)

    def __setattr__(self, name, value):
        raise AttributeError("BasicDuration is immutable")

    def __reduce__(self):
        return (BasicDuration, (self.seconds,))

    def __repr__(self) -> str:
        return f"BasicDuration({self.seconds!r})"

    def __eq__(self, other) -> bool:
        if type(other) is BasicDuration:
            return self.seconds == other.seconds
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.seconds)


def as_date(v) -> BasicDate | None:
    """``v`` as a date when it is one or is date text, else None."""
    if type(v) is BasicDate:
        return v
    if type(v) is str:
        return BasicDate.parse(v)
    return None


def normalise(x):
    """Integral floats become ints (within 2**53); big ints become floats; ints stay ints.
    Infinities and NaN raise BasicRuntimeError (see the module docstring)."""
    if type(x) is float:
        if x.is_integer():
            return int(x) if -SAFE_INT <= x <= SAFE_INT else x
        if x - x != 0:  # only inf and nan: x - x is nan
            raise number_out_of_range(x)
        return x
    if -INT_LIMIT < x < INT_LIMIT:
        return x
    return float(x)


_NUMBER_START = frozenset("0123456789+-. \t\n\r\f\v")


def parse_number(s: str):
    """The number written in ``s`` (numeric text only), or None."""
    if not s or s[0] not in _NUMBER_START:
        return None
    if _SHORT_INT.fullmatch(s):
        return int(s)
    if _NUMERIC.fullmatch(s):
        x = float(s)
        return normalise(x) if x - x == 0 else None  # "1e999" is text, not Infinity
    return None


def number_out_of_range(x: float) -> BasicRuntimeError:
    """The error for a computation whose result is Infinity or NaN."""
    if x != x:
        return BasicRuntimeError("result is not a number (NaN)")
    return BasicRuntimeError(f"number too large (beyond {'-' if x < 0 else ''}1.8e+308)")


def decimal_round(x, places: int) -> Decimal:
    """``x`` rounded to ``places`` decimals (negative: tens, hundreds...), halves away from 0."""
    return _DECIMALS.create_decimal(repr(x)).quantize(Decimal(1).scaleb(-places), context=_DECIMALS)


def is_numeric(v) -> bool:
    """True for numbers (not booleans) and numeric text."""
    t = type(v)
    if t is int or t is float:
        return True
    return t is str and _NUMERIC.fullmatch(v) is not None


def to_number(v):
    """``v`` as an int or float; raises BasicRuntimeError when it has no numeric meaning."""
    t = type(v)
    if t is int or t is float:
        return v
    if t is str:
        n = parse_number(v)
        if n is not None:
            return n
        if v.strip() == "":
            return 0
        shown = v if len(v) <= 40 else v[:37] + "..."
        raise BasicRuntimeError(f'cannot use "{shown}" as a number')
    if v is None:
        return 0
    if t is bool:
        return 1 if v else 0
    if t is BasicDuration:
        return v.seconds
    raise BasicRuntimeError(f"cannot use a {type_name(v)} as a number")


def truthy(v) -> bool:
    """BASIC truth: FALSE, 0, "", "false" (any case), "0", NULL, [] and {} are false."""
    t = type(v)
    if t is bool:
        return v
    if t is int or t is float:
        return v != 0
    if t is str:
        return v != "" and v != "0" and (len(v) != 5 or v.lower() != "false")
    if v is None:
        return False
    if t is list or t is dict:
        return len(v) > 0
    if t is BasicDuration:
        return v.seconds != 0
    return True


def type_name(v) -> str:
    """The BASIC name of a value's type, for messages and TYPEOF."""
    name = TYPE_NAMES.get(type(v))
    if name is not None:
        return name
    if type(v) is BasicDate:
        return "date"
    if type(v) is BasicDuration:
        return "duration"
    return type(v).__name__


def number_text(x) -> str:
    """JavaScript-like text of a number: ``5``, ``3.5``, ``0.1``, ``1e+21``, ``NaN``."""
    if type(x) is int:
        return str(x)
    if x.is_integer() and abs(x) < 1e21:
        return str(int(x))
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    text = repr(x)
    if "e" in text:
        mantissa, exponent = text.split("e")
        exp = int(exponent)
        text = f"{mantissa}e{'+' if exp > 0 else '-'}{abs(exp)}"
    return text


def check_string_size(s: str, limits: Limits = DEFAULT_LIMITS) -> str:
    """``s`` itself, or BasicLimitError when it is longer than the limit."""
    if len(s) > limits.string_length:
        raise string_too_long(limits)
    return s


def string_too_long(limits: Limits) -> BasicLimitError:
    """The error for text growing past ``limits.string_length``."""
    return text_too_long(limits.string_length)


def text_too_long(limit: int) -> BasicLimitError:
    """The error for text growing past ``limit`` characters."""
    return BasicLimitError(f"string longer than {limit} characters")


class Budget:
    """What is left of a size limit while a value is written out (characters of text, bytes
    of saved state). Each reference is counted every time it is reached, so shared references
    weigh what their copies would; ``error()`` is raised as soon as ``left`` goes negative."""

    __slots__ = ("left", "error")

    def __init__(self, limit: int, error):
        self.left = limit
        self.error = error


def check_list_size(lst, limits: Limits = DEFAULT_LIMITS):
    """``lst`` (a list or object) itself, or BasicLimitError when it has too many items."""
    if len(lst) > limits.list_length:
        raise list_too_long(limits)
    return lst


def list_too_long(limits: Limits) -> BasicLimitError:
    """The error for a list or object growing past ``limits.list_length``."""
    return BasicLimitError(f"list longer than {limits.list_length} items")


def arity_text(lo: int, hi: int | None) -> str:
    """``1 argument``, ``2 to 3 arguments``, ``at least 1 argument``: for arity messages."""
    if hi is None:
        return f"at least {lo} argument{'s' * (lo != 1)}"
    if lo == hi:
        return f"{lo} argument{'s' * (lo != 1)}"
    return f"{lo} to {hi} arguments"
