"""Text builtins.

Choices: NULL reads as ``""`` (``LEN(NULL)`` is 0, ``UCASE(NULL)`` is ``""``); numbers, booleans
and dates read as their printed text; lists and objects raise ``NAME expects text, got list``.
``INSTR`` and ``MID`` are 1-based; ``INSTR`` returns 0 when absent and accepts
``INSTR(s, sub)`` and ``INSTR(start, s, sub)``. ``INSTR``, ``REPLACE``, ``STARTSWITH`` and
``ENDSWITH`` are case-sensitive (``CONTAINS`` is not). ``REPLACE`` replaces every occurrence.
``LEFT`` / ``RIGHT`` / ``MID`` clamp out-of-range positions instead of failing. ``SPLIT(s)``
splits on blanks, ``SPLIT(s, "")`` into characters. ``LEN`` of a list or object is its size.
"""

from __future__ import annotations

from ..errors import BasicRuntimeError
from ..limits import DEFAULT_LIMITS, Limits
from ..values import check_list_size, check_string_size, to_text
from ..values.methods import replace_text
from .registry import builtin, int_arg, text_arg


@builtin("LEN", "LENGTH")
def len_(v) -> int:
    t = type(v)
    if t is str or t is list or t is dict:
        return len(v)
    return len(to_text(v))


@builtin("LCASE", "LOWER", "LOWERCASE")
def lcase(v) -> str:
    return text_arg("LCASE", v).lower()


@builtin("UCASE", "UPPER", "UPPERCASE")
def ucase(v) -> str:
    return text_arg("UCASE", v).upper()


@builtin("TRIM")
def trim(v) -> str:
    return text_arg("TRIM", v).strip()


@builtin("LTRIM")
def ltrim(v) -> str:
    return text_arg("LTRIM", v).lstrip()


@builtin("RTRIM")
def rtrim(v) -> str:
    return text_arg("RTRIM", v).rstrip()


@builtin("STR", "CSTR")
def str_(v) -> str:
    return to_text(v)


@builtin("INSTR", args=(2, 3))
def instr(*args) -> int:
    start = 1
    if len(args) == 3:
        start = max(int_arg("INSTR", args[0]), 1)
        args = args[1:]
    text, sub = text_arg("INSTR", args[0]), text_arg("INSTR", args[1])
    if start > len(text) + 1:
        return 0
    return text.find(sub, start - 1) + 1


@builtin("REPLACE", args=(3, 3), limits=True)
def replace(text, old, new, *, limits: Limits = DEFAULT_LIMITS) -> str:
    text, old = text_arg("REPLACE", text), text_arg("REPLACE", old)
    return replace_text(text, old, text_arg("REPLACE", new), limits.string_length)


@builtin("MID", args=(2, 3))
def mid(text, start, length=None) -> str:
    text = text_arg("MID", text)
    begin = max(int_arg("MID", start), 1) - 1
    if length is None:
        return text[begin:]
    return text[begin:begin + max(int_arg("MID", length), 0)]


@builtin("LEFT", args=(2, 2))
def left(text, n) -> str:
    n = int_arg("LEFT", n)
    return text_arg("LEFT", text)[:n] if n > 0 else ""


@builtin("RIGHT", args=(2, 2))
def right(text, n) -> str:
    n = int_arg("RIGHT", n)
    return text_arg("RIGHT", text)[-n:] if n > 0 else ""


@builtin("SPLIT", args=(1, 2), limits=True)
def split(text, sep=None, *, limits: Limits = DEFAULT_LIMITS) -> list:
    if text is None:
        return []
    text = text_arg("SPLIT", text)
    if sep is None:
        parts = text.split()
    else:
        sep = text_arg("SPLIT", sep)
        parts = text.split(sep) if sep else list(text)
    return check_list_size(parts, limits)


@builtin("STARTSWITH", args=(2, 2))
def startswith(text, prefix) -> bool:
    return text_arg("STARTSWITH", text).startswith(text_arg("STARTSWITH", prefix))


@builtin("ENDSWITH", args=(2, 2))
def endswith(text, suffix) -> bool:
    return text_arg("ENDSWITH", text).endswith(text_arg("ENDSWITH", suffix))


@builtin("CHR")
def chr_(code) -> str:
    n = int_arg("CHR", code)
    if not 0 <= n <= 0x10FFFF or 0xD800 <= n <= 0xDFFF:
        raise BasicRuntimeError(f"CHR expects a character code, got {n}")
    return chr(n)


@builtin("ASC")
def asc(text) -> int:
    text = text_arg("ASC", text)
    if not text:
        raise BasicRuntimeError("ASC expects a non-empty text")
    return ord(text[0])


@builtin("SPACE", limits=True)
def space(n, *, limits: Limits = DEFAULT_LIMITS) -> str:
    return _repeat("SPACE", " ", n, limits)


@builtin("STRING", args=(2, 2), limits=True)
def string(n, char, *, limits: Limits = DEFAULT_LIMITS) -> str:
    fill = chr_(char) if type(char) in (int, float) else text_arg("STRING", char)[:1]
    if not fill:
        raise BasicRuntimeError("STRING expects a character to repeat")
    return _repeat("STRING", fill, n, limits)


def _repeat(fname: str, fill: str, n, limits: Limits) -> str:
    count = max(int_arg(fname, n), 0)
    return check_string_size(fill * min(count, limits.string_length + 1), limits)
