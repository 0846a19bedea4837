"""Validation of typed HEAR answers (``HEAR v AS TYPE``, BASIC.md section 4).

``validate_answer(type, answer, choices)`` returns ``(ok, value, message)``: the converted value
when the answer is valid, else the message the user gets before being asked again. The VM asks
at most ``MAX_TRIES`` times in all; after the last invalid answer the variable gets the HEAR's
DEFAULT, or NULL without one. A NULL answer (the host's way of saying "no answer", e.g. on a
step timeout) takes the DEFAULT at once.

Conversions: TEXT/STRING keep the text (trimmed); INTEGER gives an int; NUMBER/FLOAT/MONEY a
number (``12,5`` and ``R$ 1.234,56`` are accepted); BOOLEAN a boolean; DATE a date (ISO or
DD/MM/YYYY); HOUR the text ``HH:MM``; EMAIL, NAME, URL, ZIPCODE the trimmed text; UUID lower
case; MOBILE/PHONE the digits (with a leading ``+`` when given); MENU the matching choice as
written (the choice's 1-based number is accepted too); FILE an object or a non-empty text.
A plain ``HEAR v`` (no type) and unknown types accept any answer as it is.
"""

from __future__ import annotations

import re
from typing import Any

from .values import BasicDate, to_text

MAX_TRIES = 3

_TRUE = {"yes", "y", "true", "1", "sim", "s", "ok", "okay", "yeah", "yep", "sure", "claro",
         "certo", "si", "oui"}
_FALSE = {"no", "n", "false", "0", "não", "nao", "nope", "nah", "non"}
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_URL = re.compile(r"https?://[^\s/$.?#][^\s]*", re.IGNORECASE)
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I)
_INTEGER = re.compile(r"[-+]?\d+")
_HOUR = re.compile(r"(\d{1,2})(?:[:h](\d{2}))?\s*(am|pm|h)?", re.IGNORECASE)
_ZIP = re.compile(r"\d{5}(?:-\d{4})?|\d{5}-?\d{3}")
_NAME = re.compile(r"[^\W\d_]+(?:[\s'.-]+[^\W\d_]+)*")
_PHONE_CHARS = re.compile(r"[\d\s().+-]+")

KNOWN_TYPES = {"TEXT", "STRING", "INTEGER", "NUMBER", "FLOAT", "MONEY", "CURRENCY", "BOOLEAN",
               "EMAIL", "DATE", "HOUR", "NAME", "MOBILE", "PHONE", "ZIPCODE", "URL", "UUID",
               "MENU", "FILE"}

MESSAGES = {
    "INTEGER": "Please answer with a whole number.",
    "NUMBER": "Please answer with a number.",
    "FLOAT": "Please answer with a number.",
    "MONEY": "Please answer with an amount, like 1234.56.",
    "BOOLEAN": "Please answer yes or no.",
    "EMAIL": "Please enter a valid email address.",
    "DATE": "Please enter a valid date, like 2024-12-31 or 31/12/2024.",
    "HOUR": "Please enter a time, like 14:30.",
    "NAME": "Please enter a name.",
    "MOBILE": "Please enter a valid phone number.",
    "PHONE": "Please enter a valid phone number.",
    "ZIPCODE": "Please enter a valid ZIP code.",
    "URL": "Please enter a valid URL starting with http:// or https://.",
    "UUID": "Please enter a valid identifier (UUID).",
    "MENU": "Please choose one of: {choices}.",
    "FILE": "Please send a file.",
    "TEXT": "Please type an answer.",
}


def _number(text: str):
    s = re.sub(r"^[^\d+-]*|[^\d]*$", "", text.strip())
    s = s.replace(" ", "")
    if not re.fullmatch(r"[-+]?[\d.,]+", s or "x"):
        return None
    if "," in s and "." in s:
        dec = "," if s.rfind(",") > s.rfind(".") else "."
        s = s.replace("." if dec == "," else ",", "").replace(",", ".")
    elif s.count(",") == 1:
        s = s.replace(",", ".")
    elif s.count(",") > 1 or s.count(".") > 1:
        s = s.replace(",", "").replace(".", "")
    try:
        x = float(s)
    except ValueError:
        return None
    return int(x) if x.is_integer() and abs(x) < 2**53 else x


def _hour(text: str):
    m = _HOUR.fullmatch(text.strip())
    if not m:
        return None
    h, mnt, suffix = int(m.group(1)), int(m.group(2) or 0), (m.group(3) or "").lower()
    if suffix == "pm" and h < 12:
        h += 12
    elif suffix == "am" and h == 12:
        h = 0
    if h > 23 or mnt > 59 or (m.group(2) is None and not suffix):
        return None
    return f"{h:02d}:{mnt:02d}"


def _phone(text: str):
    s = text.strip()
    if not _PHONE_CHARS.fullmatch(s):
        return None
    digits = re.sub(r"\D", "", s)
    if not 8 <= len(digits) <= 15:
        return None
    return ("+" if s.startswith("+") else "") + digits


def _menu(text: str, choices: list[str]):
    t = text.strip().lower()
    for c in choices:
        if c.strip().lower() == t:
            return c
    if t.isdigit() and 1 <= int(t) <= len(choices):
        return choices[int(t) - 1]
    return None


def _convert(type_name: str, text: str, choices: list[str]):
    """The converted value, or None when ``text`` is not a valid answer."""
    t = text.strip()
    if type_name in ("TEXT", "STRING"):
        return t if t else None
    if type_name == "INTEGER":
        return int(t) if _INTEGER.fullmatch(t) else None
    if type_name in ("NUMBER", "FLOAT", "MONEY", "CURRENCY"):
        return _number(t)
    if type_name == "BOOLEAN":
        low = t.lower().rstrip("!.")
        return True if low in _TRUE else False if low in _FALSE else None
    if type_name == "EMAIL":
        return t if _EMAIL.fullmatch(t) else None
    if type_name == "DATE":
        d = BasicDate.parse(t)
        return None if d is None else BasicDate(d.dt, date_only=True)
    if type_name == "HOUR":
        return _hour(t)
    if type_name == "NAME":
        return t if len(t) >= 2 and _NAME.fullmatch(t) else None
    if type_name in ("MOBILE", "PHONE"):
        return _phone(t)
    if type_name == "ZIPCODE":
        return t if _ZIP.fullmatch(t) else None
    if type_name == "URL":
        return t if _URL.fullmatch(t) else None
    if type_name == "UUID":
        return t.lower() if _UUID.fullmatch(t) else None
    if type_name == "MENU":
        return _menu(t, choices)
    return t if t else None  # FILE given as text (a link or a path)


def validate_answer(type_name: str, answer: Any, choices: list[str]) -> tuple[bool, Any, str]:
    """``(ok, value, message)`` for ``answer`` to ``HEAR ... AS type_name`` (see module doc)."""
    type_name = type_name.upper()
    if choices and type_name != "MENU":
        type_name = "MENU"
    if type_name == "FILE" and type(answer) is dict:
        return True, answer, ""
    if type_name not in KNOWN_TYPES or (type_name in ("TEXT", "STRING")
                                        and type(answer) is not str):
        return True, answer, ""
    value = _convert(type_name, to_text(answer), choices)
    if value is not None:
        return True, value, ""
    message = MESSAGES.get(type_name, MESSAGES["TEXT"])
    return False, None, message.format(choices=", ".join(choices))
