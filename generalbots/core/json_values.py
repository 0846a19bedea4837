"""Free JSON values (workflow variables, event data, memory values) that PostgreSQL can store
and the BASIC VM can read: no NUL characters, no lone surrogates, only finite numbers, bounded
nesting — in keys as in values.

Plain Python, without the REST framework: the engine checks values with it in worker processes,
which never load DRF (``core.api_input`` builds the API's fields and parser on it).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

# Lists and objects nested in one another in a free JSON value: as many as the BASIC VM keeps
# (``Limits.value_depth``); a request body may add one level around such a value.
MAX_DEPTH = 256


def _text_problem(text: str) -> str | None:
    if "\x00" in text:
        return r"contains a NUL character (\u0000), which cannot be stored"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        return f"contains a lone surrogate ({text[exc.start]!r}), which is not valid Unicode"
    return None


def json_value_problem(value: Any, *, max_depth: int = MAX_DEPTH) -> str | None:
    """Why ``value`` (decoded JSON) cannot be stored, as ``"at PATH: problem"``; None when it can.

    Walks the value without recursion, so any depth is safe to check.
    """
    stack: list[tuple[Any, str, int]] = [(value, "", 1)]
    while stack:
        item, path, depth = stack.pop()
        where = f"at {path}: " if path else ""
        if isinstance(item, (dict, list)) and depth > max_depth:
            return f"{where}nested deeper than {max_depth} levels"
        if isinstance(item, Mapping):
            for key, child in reversed(list(item.items())):
                if not isinstance(key, str):
                    return f"{where}object keys must be text"
                problem = _text_problem(key)
                if problem:
                    return f"{where}the key {key!r} {problem}"
                stack.append((child, f"{path}.{key}" if path else key, depth + 1))
        elif isinstance(item, list):
            stack.extend((child, f"{path}[{i}]", depth + 1) for i, child in reversed(list(enumerate(item))))
        elif isinstance(item, str):
            problem = _text_problem(item)
            if problem:
                return f"{where}the text {problem}"
        elif isinstance(item, float):
            if not math.isfinite(item):
                return f"{where}{item!r} is not a finite number (JSON has no NaN or Infinity)"
        elif item is not None and not isinstance(item, (bool, int)):
            return f"{where}{type(item).__name__} is not a JSON value"
    return None
