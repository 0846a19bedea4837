"""Date builtins and the replaceable clock.

Choices: ``NOW()`` is a date-time and ``TODAY()`` a date-only value, both naive local
wall-clock time at whole seconds, read from the clock that :func:`set_clock` replaces (tests and
golden programs fix it). Date arguments may be dates or date text (ISO or DD/MM/YYYY).

``DATEADD(date, n, unit)`` and ``DATEADD(unit, n, date)`` are both accepted (the unit is
recognised by its name); ``DATEADD(date, n)`` adds days (``DATEADD(date, DAYS(n))`` too). ``DATEDIFF(d1, d2[, unit])`` and
``DATEDIFF(unit, d1, d2)`` give ``d2 - d1`` in *complete* units, truncated toward zero (days by
default; ``DATEDIFF("yyyy", birthday, TODAY())`` is an age). Units, any case: year(s) yyyy yy
y ano(s); quarter(s) q; month(s) m mm mes meses; week(s) w ww semana(s); day(s) d dd dia(s);
hour(s) h hh hora(s); minute(s) n mi min minuto(s); second(s) s ss sec segundo(s) — ``m`` is the
month, as in VB. Adding months or years keeps the day when it exists and otherwise uses the last
day of the month (Jan 31 + 1 month = Feb 28 or 29); they need a whole n. A date-only value stays
date-only when whole days, weeks, months or years are added.

``WEEKDAY`` is 1 = Sunday .. 7 = Saturday (VB). ``DATE()`` is today, ``DATE(text)`` parses,
``DATE(y, m, d)`` builds; ``TIME()`` is the clock's ``HH:MM:SS`` and ``TIME(d)`` that of d.
"""

from __future__ import annotations

import calendar
import math
from collections.abc import Callable
from datetime import datetime

from ..errors import BasicRuntimeError
from ..values import BasicDate, BasicDuration, as_date
from ..values.ops import days_delta, shift_date
from .registry import builtin, date_arg, int_arg, number_arg, shown

_clock: Callable[[], datetime] = datetime.now

_UNIT_NAMES = {
    "year": "year years yyyy yy y ano anos",
    "quarter": "quarter quarters q",
    "month": "month months m mm mes meses mês",
    "week": "week weeks w ww wk semana semanas",
    "day": "day days d dd dia dias",
    "hour": "hour hours h hh hr hora horas",
    "minute": "minute minutes n mi min mins minuto minutos",
    "second": "second seconds s ss sec secs segundo segundos",
}
UNITS = {alias: unit for unit, aliases in _UNIT_NAMES.items() for alias in aliases.split()}
_SECONDS = {"week": 7 * 86400, "day": 86400, "hour": 3600, "minute": 60, "second": 1}
_MONTHS = {"year": 12, "quarter": 3, "month": 1}


def set_clock(fn: Callable[[], datetime] | None = None) -> None:
    """Make NOW / TODAY / TIME read ``fn()``; ``None`` restores the system clock."""
    global _clock
    _clock = fn or datetime.now


def now() -> datetime:
    """The current time of the clock."""
    return _clock()


def _unit(v) -> str | None:
    return UNITS.get(v.strip().lower()) if type(v) is str else None


def add_months(dt: datetime, months: int) -> datetime:
    """``dt`` moved by whole ``months``, clamping the day to the end of the month."""
    total = dt.year * 12 + dt.month - 1 + months
    year, month = divmod(total, 12)
    if not 1 <= year <= 9999:
        raise BasicRuntimeError("date out of range")
    day = min(dt.day, calendar.monthrange(year, month + 1)[1])
    return dt.replace(year=year, month=month + 1, day=day)


@builtin("NOW", args=(0, 0))
def now_() -> BasicDate:
    return BasicDate(_clock())


@builtin("TODAY", args=(0, 0))
def today() -> BasicDate:
    return BasicDate(_clock(), date_only=True)


@builtin("DATEADD", args=(2, 3))
def dateadd(*args) -> BasicDate:
    if len(args) == 2 and type(args[1]) is BasicDuration:  # DATEADD(today, DAYS(3))
        return shift_date(date_arg("DATEADD", args[0]), days_delta(seconds=args[1].seconds),
                          float(args[1].seconds / 86400).is_integer())
    if len(args) == 2:
        unit, n, when = "day", args[1], args[0]
    elif _unit(args[0]) and as_date(args[0]) is None:
        unit, n, when = _unit(args[0]), args[1], args[2]
    elif _unit(args[2]):
        unit, n, when = _unit(args[2]), args[1], args[0]
    elif _unit(args[1]) and as_date(args[1]) is None:  # DATEADD(today, "days", 3)
        unit, n, when = _unit(args[1]), args[2], args[0]
    else:
        raise BasicRuntimeError(f'DATEADD expects a unit such as "day", got {shown(args[2])}')
    d = date_arg("DATEADD", when)
    n = number_arg("DATEADD", n)
    if not math.isfinite(n):
        raise BasicRuntimeError(f"DATEADD expects a finite number, got {n}")
    if unit in _MONTHS:
        if n != int(n):
            raise BasicRuntimeError(f"DATEADD expects a whole number of {unit}s, got {n}")
        return BasicDate(add_months(d.dt, int(n) * _MONTHS[unit]), date_only=d.date_only)
    delta = days_delta(seconds=n * _SECONDS[unit])
    return shift_date(d, delta, unit in ("day", "week") and n == int(n))


@builtin("DATEDIFF", "DAYS_BETWEEN", args=(2, 3))
def datediff(*args) -> int:
    if len(args) == 2:
        unit, first, second = "day", args[0], args[1]
    elif _unit(args[0]) and as_date(args[0]) is None:
        unit, first, second = _unit(args[0]), args[1], args[2]
    elif _unit(args[2]):
        unit, first, second = _unit(args[2]), args[0], args[1]
    else:
        raise BasicRuntimeError(f'DATEDIFF expects a unit such as "day", got {shown(args[2])}')
    a, b = date_arg("DATEDIFF", first).dt, date_arg("DATEDIFF", second).dt
    sign = 1 if b >= a else -1
    early, late = (a, b) if sign > 0 else (b, a)
    if unit in _MONTHS:
        months = (late.year - early.year) * 12 + late.month - early.month
        if (late.day, late.time()) < (early.day, early.time()):
            months -= 1
        return sign * (months // _MONTHS[unit])
    seconds = int((late - early).total_seconds())
    return sign * (seconds // _SECONDS[unit])


def _field(fname: str, attr: str):
    @builtin(fname)
    def read(v) -> int:
        return getattr(date_arg(fname, v).dt, attr)
    return read


for _name, _attr in (("DAY", "day"), ("MONTH", "month"), ("YEAR", "year"), ("HOUR", "hour"),
                     ("MINUTE", "minute"), ("SECOND", "second")):
    _field(_name, _attr)


def _duration(fname: str, unit_seconds: int):
    @builtin(fname)
    def duration(n) -> BasicDuration:
        n = number_arg(fname, n)
        if not math.isfinite(n):
            raise BasicRuntimeError(f"{fname} expects a finite number, got {n}")
        seconds = n * unit_seconds
        return BasicDuration(int(seconds) if float(seconds).is_integer() else seconds)
    duration.__doc__ = (f"``{fname}(n)``: a duration of n {fname.lower()}. Beside a date it shifts the date "
                        f"(``NOW() + {fname}(2)``, ``DATEADD(d, {fname}(2))``); everywhere else it is its "
                        "seconds, the unit of WAIT, DELAY and TIMEOUT.")
    return duration


# ``DAYS(n)``: a duration of n days. Beside a date it shifts the date by n days
# (``TODAY() + DAYS(3)``, ``DATEADD(d, DAYS(3))``); everywhere else it is n days in seconds,
# the unit of WAIT, DELAY and TIMEOUT (``WAIT DAYS(1)``, ``TALK DAYS(2)`` shows 172800).
# HOURS, MINUTES and WEEKS are the same in their units (``NOW() + HOURS(24)``).
days = _duration("DAYS", 86400)
hours = _duration("HOURS", 3600)
minutes = _duration("MINUTES", 60)
weeks = _duration("WEEKS", 7 * 86400)


@builtin("WEEKDAY")
def weekday(v) -> int:
    return date_arg("WEEKDAY", v).dt.isoweekday() % 7 + 1


@builtin("DATE", args=(0, 3))
def date(*args) -> BasicDate:
    if not args:
        return today()
    if len(args) == 1:
        return date_arg("DATE", args[0])
    if len(args) == 2:
        raise BasicRuntimeError("DATE expects 0, 1 or 3 arguments, got 2")
    year, month, day = (int_arg("DATE", v) for v in args)
    try:
        return BasicDate(datetime(year, month, day), date_only=True)
    except (OverflowError, ValueError):
        raise BasicRuntimeError(f"DATE expects a real date, got {year}-{month}-{day}") from None


@builtin("DATEVALUE")
def datevalue(v) -> BasicDate:
    return BasicDate(date_arg("DATEVALUE", v).dt, date_only=True)


@builtin("TIME", args=(0, 1))
def time(v=None) -> str:
    dt = _clock() if v is None else date_arg("TIME", v).dt
    return dt.strftime("%H:%M:%S")


@builtin("ISDATE")
def isdate(v) -> bool:
    return as_date(v) is not None
