"""Conditionals, NULL handling, JSON, type tests, RANDOM and GUID / UUID.

Choices: ``IIF(c, a, b)`` uses BASIC truth (both branches are evaluated before the call).
``ISEMPTY`` is true for NULL, ``""``, ``[]`` and ``{}`` (not for blanks or 0); ``ISNULL`` only for
NULL. ``NVL(a, b)`` replaces NULL only; ``COALESCE(a, b, ...)`` gives the first value that is not
NULL (NULL when all are). ``CBOOL`` reads yes / no words (``no n false 0 off não nao`` and ``""``
are false) and BASIC truth otherwise. ``JSON(text)`` / ``PARSEJSON`` parse JSON text (invalid
JSON raises, naming it) and give lists and objects back unchanged; ``TOJSON`` writes compact JSON,
``TOYAML`` block-style YAML.
``RANDOM()`` is a fraction in [0, 1), ``RANDOM(n)`` a whole number in 0..n-1 (for
``list[RANDOM(COUNT(list))]``), ``RANDOM(a, b)`` a whole number in a..b inclusive.
``GUID()`` / ``UUID()`` give a lower-case version 4 UUID. :func:`set_random_seed` makes RANDOM,
GUID and UUID repeatable (tests, golden programs); unseeded, GUIDs come from the OS generator.
"""

from __future__ import annotations

import csv
import io
import json
import random
import uuid

import yaml

from ..errors import BasicRuntimeError
from ..limits import DEFAULT_LIMITS, Limits
from ..values import from_json_text, to_json_text, truthy, type_name
from .registry import builtin, int_arg, shown

_random = random.Random()
_seeded = False
_FALSE_WORDS = frozenset({"no", "n", "false", "0", "off", "não", "nao", ""})


def set_random_seed(seed: int | None = None) -> None:
    """Seed RANDOM / GUID / UUID so they repeat; ``None`` returns to unpredictable values."""
    global _seeded
    _random.seed(seed)
    _seeded = seed is not None


@builtin("IIF", "IF", args=(3, 3))
def iif(condition, when_true, when_false):
    return when_true if truthy(condition) else when_false


@builtin("ISEMPTY")
def isempty(v) -> bool:
    return v is None or (type(v) in (str, list, dict) and len(v) == 0)


@builtin("ISNULL")
def isnull(v) -> bool:
    return v is None


@builtin("NVL", args=(2, 2))
def nvl(v, fallback):
    return fallback if v is None else v


@builtin("COALESCE", args=(1, None))
def coalesce(*values):
    return next((v for v in values if v is not None), None)


@builtin("CBOOL")
def cbool(v) -> bool:
    if type(v) is str:
        return v.strip().lower() not in _FALSE_WORDS
    return truthy(v)


@builtin("TOJSON", limits=True)
def tojson(v, *, limits: Limits = DEFAULT_LIMITS) -> str:
    return to_json_text(v, limits.string_length)


@builtin("TOYAML", limits=True)
def toyaml(v, *, limits: Limits = DEFAULT_LIMITS) -> str:
    """Block-style YAML of any value (keys in insertion order, text as written)."""
    plain = json.loads(to_json_text(v, limits.string_length))
    return yaml.safe_dump(plain, sort_keys=False, allow_unicode=True, default_flow_style=False)


@builtin("JSON", "PARSEJSON")
def json_(v):
    t = type(v)
    if t is str:
        return from_json_text(v)
    if t is list or t is dict or v is None:
        return v
    raise BasicRuntimeError(f"JSON expects text, got {shown(v)}")


@builtin("TYPEOF")
def typeof(v) -> str:
    return type_name(v)


@builtin("RANDOM", "RND", args=(0, 2))
def random_(*bounds):
    if not bounds:
        return _random.random()
    if len(bounds) == 1:
        n = int_arg("RANDOM", bounds[0])
        if n < 1:
            raise BasicRuntimeError(f"RANDOM expects a count of at least 1, got {n}")
        return _random.randrange(n)
    low, high = sorted((int_arg("RANDOM", bounds[0]), int_arg("RANDOM", bounds[1])))
    return _random.randint(low, high)


@builtin("GUID", "UUID", "NEWGUID", args=(0, 0))
def guid() -> str:
    if _seeded:
        return str(uuid.UUID(int=_random.getrandbits(128), version=4))
    return str(uuid.uuid4())


@builtin("CSV", limits=True)
def csv_(v, *, limits: Limits = DEFAULT_LIMITS) -> str:
    """CSV text: a list of objects is a header row (the keys, in order of appearance) and one
    row per object; a list of values one value per row; an object ``key,value`` rows."""
    plain = json.loads(to_json_text(v, limits.string_length))
    if isinstance(plain, dict):
        rows = [["key", "value"], *([k, _cell(x)] for k, x in plain.items())]
    elif isinstance(plain, list) and any(isinstance(x, dict) for x in plain):
        keys = list(dict.fromkeys(k for x in plain if isinstance(x, dict) for k in x))
        rows = [keys, *([_cell(x.get(k)) if isinstance(x, dict) else "" for k in keys] for x in plain)]
    elif isinstance(plain, list):
        rows = [[_cell(x)] for x in plain]
    else:
        rows = [[_cell(plain)]]
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def _cell(x) -> str:
    if x is None:
        return ""
    if isinstance(x, (dict, list)):
        return json.dumps(x, ensure_ascii=False)
    if isinstance(x, bool):
        return "true" if x else "false"
    return str(x)
