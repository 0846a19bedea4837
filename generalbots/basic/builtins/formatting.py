"""FORMAT(value, mask): Excel / moment-style masks for numbers and dates.

A mask with ``#`` or ``0`` is a number mask, one with date letters a date mask; without a mask,
or with neither kind, FORMAT gives the value's text. NULL formats as ``""``.

Number masks: ``prefix core suffix`` where core is made of ``# 0 , .``: ``0`` digits are always
shown (``"000"`` pads 7 to ``007``), ``#`` only when significant, a separator between integer
digits asks for thousands grouping, and the decimal places are the ``0`` / ``#`` after the decimal
separator. With both ``,`` and ``.`` in the core the last one is the decimal separator, so
``"#,##0.00"`` gives ``1,234.50`` and ``"#.##0,00"`` gives ``1.234,50``; with only ``,`` it is
grouping. ``%`` in the mask multiplies by 100. Rounding is half away from zero. A minus sign goes
before the prefix (``-R$ 5.00``). Double quotes and backslashes in prefix / suffix are dropped.
Numeric text is formatted as a number; other text with a number mask raises.

Date masks (either case): ``YYYY``/``yyyy`` year, ``YY`` two-digit year, ``MMMM`` month name,
``MMM`` its first three letters (English names), ``MM``/``M`` month, ``DD``/``dd``/``D``/``d``
day, ``dddd``/``ddd`` weekday name / abbreviation, ``HH``/``H`` 24-hour, ``hh``/``h`` 12-hour
when the mask has an AM/PM marker (``AM/PM``, ``am/pm``, ``tt``, ``A``, ``a``) and 24-hour
otherwise, ``ss``/``s`` seconds. ``mm``/``m`` (either case) is the minute when it follows an hour
or precedes seconds, otherwise the month (``"DD/MM/YYYY HH:mm"`` and ``"HH:MM"`` both work).
Text inside ``[...]``, ``'...'`` or ``"..."`` is copied as is. Date text is formatted as a date.
"""

from __future__ import annotations

import re

from ..errors import BasicRuntimeError
from ..limits import DEFAULT_LIMITS, Limits
from ..values import BasicDate, as_date, check_string_size, to_text
from ..values.core import decimal_round, text_too_long
from .registry import builtin, number_arg, shown, text_arg

_NUMBER_CORE = re.compile(r"[#0,.]*[#0][#0,.]*")
_DATE_LETTER = re.compile(r"[YyMmDdHhSs]")
_DATE_TOKEN = re.compile(
    r"\[[^\]]*\]|'[^']*'|\"[^\"]*\"|AM/PM|am/pm|tt|(?<![A-Za-z])[aA](?![A-Za-z])"
    r"|([YyMmDdHhSs])\1*|.", re.S)
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


@builtin("FORMAT", args=(1, 2), limits=True)
def format_(value, mask=None, *, limits: Limits = DEFAULT_LIMITS) -> str:
    limit = limits.string_length
    if mask is None or value is None:
        return to_text(value, limit)
    mask = text_arg("FORMAT", mask)
    if type(value) is BasicDate:
        return format_date(value, mask, limit)
    if "#" in mask or "0" in mask:
        return check_string_size(format_number(number_arg("FORMAT", value), mask), limits)
    if _DATE_LETTER.search(mask):
        d = as_date(value)
        if d is None:
            raise BasicRuntimeError(f"FORMAT expects a date for {shown(mask)}, got {shown(value)}")
        return format_date(d, mask, limit)
    return to_text(value, limit)


def format_number(x, mask: str) -> str:
    """``x`` written with an Excel-style number mask (see the module docstring)."""
    m = _NUMBER_CORE.search(mask)
    prefix, core, suffix = mask[:m.start()], m.group(), mask[m.end():]
    if x != x or x in (float("inf"), float("-inf")):
        return to_text(x)
    if "." in core and "," in core:
        decimal = "." if core.rindex(".") > core.rindex(",") else ","
    else:
        decimal = "." if "." in core else None
    grouping_char = "," if decimal != "," else "."
    whole_mask, _, fraction_mask = core.partition(decimal) if decimal else (core, "", "")
    places = fraction_mask.count("0") + fraction_mask.count("#")
    if "%" in prefix or "%" in suffix:
        x = x * 100
    value = decimal_round(x, places)
    digits = f"{abs(value):f}"
    whole, _, fraction = digits.partition(".")
    fraction = fraction.rstrip("0").ljust(fraction_mask.count("0"), "0")
    whole = whole.lstrip("0").rjust(whole_mask.count("0"), "0")
    if "," in whole_mask.strip(",") or "." in whole_mask.strip("."):
        whole = _group(whole, grouping_char)
    text = whole + (decimal + fraction if fraction else "")
    sign = "-" if value < 0 and text.strip("0,.") else ""
    return sign + _literal(prefix) + text + _literal(suffix)


def _group(digits: str, sep: str) -> str:
    head = len(digits) % 3 or 3
    return sep.join([digits[:head]] + [digits[i:i + 3] for i in range(head, len(digits), 3)])


def _literal(text: str) -> str:
    return text.replace('"', "").replace("\\", "")


def format_date(d: BasicDate, mask: str, limit: int = DEFAULT_LIMITS.string_length) -> str:
    """``d`` written with a date mask (see the module docstring); stops as soon as the text
    passes ``limit`` characters (month and weekday names are longer than their letters)."""
    tokens = [m.group() for m in _DATE_TOKEN.finditer(mask)]
    twelve_hour = any(t in ("AM/PM", "am/pm", "tt", "a", "A") for t in tokens)
    kinds = [_kind(t) for t in tokens]
    dt = d.dt
    out = []
    left = limit
    for i, (token, kind) in enumerate(zip(tokens, kinds)):
        n = len(token)
        if kind == "m":
            kind = "minute" if _near(kinds, i, -1) == "hour" or _near(kinds, i, 1) == "second" \
                else "month"
        if kind == "year":
            out.append(f"{dt.year % 100:02d}" if n == 2 else f"{dt.year:04d}")
        elif kind == "month":
            out.append(MONTHS[dt.month - 1] if n >= 4 else MONTHS[dt.month - 1][:3] if n == 3
                       else f"{dt.month:0{n}d}")
        elif kind == "day":
            out.append(WEEKDAYS[dt.weekday()] if n >= 4 else WEEKDAYS[dt.weekday()][:3] if n == 3
                       else f"{dt.day:0{n}d}")
        elif kind == "hour":
            hour = (dt.hour % 12 or 12) if twelve_hour and token[0] == "h" else dt.hour
            out.append(f"{hour:0{min(n, 2)}d}")
        elif kind in ("minute", "second"):
            out.append(f"{dt.minute if kind == 'minute' else dt.second:0{min(n, 2)}d}")
        elif kind == "ampm":
            marker = "AM" if dt.hour < 12 else "PM"
            out.append(marker.lower() if token in ("am/pm", "a") else marker)
        elif token[0] in "['\"" and len(token) > 1:
            out.append(token[1:-1])
        else:
            out.append(token)
        left -= len(out[-1])
        if left < 0:
            raise text_too_long(limit)
    return "".join(out)


def _kind(token: str) -> str | None:
    if token in ("AM/PM", "am/pm", "tt", "a", "A"):
        return "ampm"
    letter = token[0].lower()
    if letter == "m":
        return "month" if len(token) >= 3 else "m"
    return {"y": "year", "d": "day", "h": "hour", "s": "second"}.get(letter)


def _near(kinds: list, i: int, step: int) -> str | None:
    i += step
    while 0 <= i < len(kinds):
        if kinds[i] is not None:
            return kinds[i]
        i += step
    return None


# PHP-style date letters some scripts use (FORMAT_DATE(NOW(), "Ymd_His")) -> FORMAT's masks
_PHP_DATE = {"Y": "YYYY", "y": "YY", "m": "MM", "n": "M", "d": "DD", "j": "D", "H": "HH",
             "G": "H", "i": "mm", "s": "ss"}


@builtin("FORMAT_DATE", args=(1, 2), limits=True)
def format_date_(value, mask=None, *, limits: Limits = DEFAULT_LIMITS) -> str:
    """``FORMAT_DATE(d[, mask])``: FORMAT of a date (``"YYYY-MM-DD"`` without a mask); a mask
    written with PHP letters (``"Ymd"``, ``"Y-m-d H:i"``) is read as such."""
    if value is None:
        return ""
    if as_date(value) is None:
        raise BasicRuntimeError(f"FORMAT_DATE expects a date, got {shown(value)}")
    mask = "YYYY-MM-DD" if mask is None else text_arg("FORMAT_DATE", mask)
    if not re.search(r"YY|yy|DD|dd|MM|HH|hh|mm|ss", mask):
        mask = "".join(_PHP_DATE.get(ch, ch) for ch in mask)
    return format_(as_date(value), mask, limits=limits)
