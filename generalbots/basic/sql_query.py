"""``QUERY "SELECT ..."``: the small SQL subset real scripts run over the bot's tables.

Accepted: ``SELECT * | col[, col ...] FROM table [WHERE cond [AND cond ...]]
[ORDER BY col [ASC|DESC]] [LIMIT n]``, where a condition is ``col op value`` with ``op`` one of
``= == <> != < > <= >= LIKE`` and the value a number, a quoted string ('x' or "x"), TRUE, FALSE
or NULL. Keywords are case-insensitive; a trailing ``;`` is allowed. Anything else (joins,
sub-queries, OR) is refused with a message naming what is not supported, so a script never runs
a query that means something else here.

``parse_query`` checks the text (the checker calls it on literal queries); ``run_query`` applies
a parsed query to the rows of its table. Both raise only ``BasicRuntimeError``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cmp_to_key

from .errors import BasicRuntimeError
from .values import compare, get_member, op_eq, to_text

_HEAD = re.compile(r"\s*SELECT\s+(?P<cols>.+?)\s+FROM\s+(?P<table>\"[^\"]+\"|'[^']+'|[\w.-]+)"
                   r"(?P<rest>.*)$", re.IGNORECASE | re.DOTALL)
_CLAUSES = re.compile(r"\s+(WHERE|ORDER\s+BY|LIMIT)\s+", re.IGNORECASE)
_CONDITION = re.compile(r"\s*([\w.]+)\s*(==|<>|!=|<=|>=|=|<|>|\bLIKE\b)\s*(.+?)\s*$",
                        re.IGNORECASE)
_AND = re.compile(r"\s+AND\s+", re.IGNORECASE)


@dataclass(frozen=True)
class Query:
    table: str
    columns: tuple[str, ...] | None  # None: *
    conditions: tuple[tuple[str, str, object], ...] = ()
    order_by: str | None = None
    descending: bool = False
    limit: int | None = None


def _fail(message: str):
    raise BasicRuntimeError(f"QUERY: {message}")


def _value(raw: str):
    if len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "'\"":
        return raw[1:-1]
    upper = raw.upper()
    if upper in ("TRUE", "FALSE"):
        return upper == "TRUE"
    if upper == "NULL":
        return None
    try:
        number = float(raw)
    except ValueError:
        _fail(f"expected a number or a quoted string, got {raw}")
    return int(number) if number.is_integer() and "." not in raw else number


def parse_query(text: str) -> Query:
    """The query in ``text``; see the module docstring for the subset."""
    text = text.strip().rstrip(";")
    m = _HEAD.match(text)
    if m is None:
        _fail("expected SELECT columns FROM table")
    cols = m.group("cols").strip()
    columns = None if cols == "*" else tuple(c.strip() for c in cols.split(","))
    if columns is not None and not all(re.fullmatch(r"[\w.]+", c) for c in columns):
        _fail(f"only plain column names or * can be selected, got {cols}")
    table = m.group("table").strip("\"'")
    parts = _CLAUSES.split(" " + m.group("rest"))
    if parts[0].strip():
        _fail(f"{parts[0].strip().split()[0]} is not supported (only WHERE, ORDER BY, LIMIT)")
    conditions, order_by, descending, limit = [], None, False, None
    for word, body in zip(parts[1::2], parts[2::2]):
        word = " ".join(word.upper().split())
        if word == "WHERE":
            if re.search(r"\s+OR\s+", body, re.IGNORECASE):
                _fail("OR is not supported in WHERE; use AND")
            for cond in _AND.split(body):
                c = _CONDITION.fullmatch(cond)
                if c is None:
                    _fail(f"expected column = value in WHERE, got {cond.strip()}")
                conditions.append((c.group(1), c.group(2).upper(), _value(c.group(3))))
        elif word == "ORDER BY":
            pieces = body.split()
            if not pieces or len(pieces) > 2 or (len(pieces) == 2 and pieces[1].upper()
                                                 not in ("ASC", "DESC")):
                _fail(f"expected ORDER BY column [ASC|DESC], got {body.strip()}")
            order_by = pieces[0]
            descending = len(pieces) == 2 and pieces[1].upper() == "DESC"
        else:
            if not body.strip().isdigit():
                _fail(f"LIMIT expects a whole number, got {body.strip()}")
            limit = int(body.strip())
    return Query(table, columns, tuple(conditions), order_by, descending, limit)


def _like(value, pattern) -> bool:
    regex = "".join(".*" if ch == "%" else "." if ch == "_" else re.escape(ch)
                    for ch in to_text(pattern))
    return re.fullmatch(regex, to_text(value), re.IGNORECASE | re.DOTALL) is not None


def _holds(row, column: str, op: str, value) -> bool:
    have = get_member(row, column)
    if op in ("=", "=="):
        return op_eq(have, value)
    if op in ("<>", "!="):
        return not op_eq(have, value)
    if op == "LIKE":
        return _like(have, value)
    if have is None or value is None:
        return False
    result = compare(have, value)
    return {"<": result < 0, ">": result > 0, "<=": result <= 0, ">=": result >= 0}[op]


def run_query(query: Query, rows: list) -> list:
    """The rows of ``query`` taken from ``rows`` (the whole table), as new objects."""
    found = [r for r in rows if all(_holds(r, *c) for c in query.conditions)]
    if query.order_by is not None:
        column = query.order_by
        present = [r for r in found if get_member(r, column) is not None]
        missing = [r for r in found if get_member(r, column) is None]
        present.sort(key=cmp_to_key(lambda a, b: compare(get_member(a, column),
                                                           get_member(b, column))),
                     reverse=query.descending)
        found = present + missing
    if query.limit is not None:
        found = found[:query.limit]
    if query.columns is None:
        return [dict(r) if type(r) is dict else r for r in found]
    return [{c: get_member(r, c) for c in query.columns} for r in found]

