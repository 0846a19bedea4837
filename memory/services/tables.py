"""Writes of bot tables (``SAVE``, ``INSERT``, ``UPDATE``, ``DELETE``, ``MERGE`` in BASIC).

A row is a JSON object. ``SAVE`` is an upsert on the ``id`` column: a row whose ``id`` is
already in the table is updated (its other columns kept), any other row is added; ``INSERT``
always adds. Writes happen in the caller's transaction — in a run, the slice's — so a slice
that is undone (a crash, an error) leaves no half-written rows, and one that is re-run writes
them once.
"""

from __future__ import annotations

from typing import Any

from generalbots.bots.models import Bot
from memory.exceptions import InvalidMemoryInput
from memory.models import BotTableRow
from memory.selectors import table_name_check, table_rows


def _row_object(row: Any, keyword: str) -> dict:
    if not isinstance(row, dict):
        raise InvalidMemoryInput(f"{keyword} needs an object of columns, not {type(row).__name__}.",
                                 code="memory.table_row")
    return row


def table_insert(*, bot: Bot, table: Any, row: Any) -> BotTableRow:
    """Add ``row`` (an object; any other value becomes ``{"value": row}``)."""
    data = row if isinstance(row, dict) else {"value": row}
    return BotTableRow.objects.create(bot=bot, table=table_name_check(table), data=data)


def table_save(*, bot: Bot, table: Any, row: Any) -> BotTableRow:
    """Upsert ``row`` on its ``id`` column (see module docstring)."""
    data = _row_object(row, "SAVE")
    key = next((k for k in data if str(k).lower() == "id"), None)
    if key is not None and data[key] not in (None, ""):
        existing = table_rows(bot=bot, table=table, where={key: data[key]}, limit=1)
        if existing:
            first = existing[0]
            first.data = {**first.data, **data}
            first.save(update_fields=["data", "updated_at"])
            return first
    return table_insert(bot=bot, table=table, row=data)


def table_update(*, bot: Bot, table: Any, filter: Any, changes: Any) -> int:
    """Set the columns of ``changes`` on every row matching ``filter``; returns how many."""
    changes = _row_object(changes, "UPDATE")
    rows = table_rows(bot=bot, table=table, filter=filter, limit=None)
    for row in rows:
        row.data = {**row.data, **changes}
        row.save(update_fields=["data", "updated_at"])
    return len(rows)


def table_merge(*, bot: Bot, table: Any, rows: Any, key: Any = None) -> dict:
    """``MERGE``: each row of ``rows`` (one object alone is a list of one) whose ``key`` column
    (default ``id``, any case) matches rows of the table updates them (their other columns
    kept); any other row is added. Returns ``{"inserted": n, "updated": m}``."""
    items = rows if isinstance(rows, list) else [] if rows is None else [rows]
    column = str(key) if key not in (None, "") else "id"
    counts = {"inserted": 0, "updated": 0}
    for row in items:
        data = _row_object(row, "MERGE")
        name = next((k for k in data if str(k).lower() == column.lower()), None)
        value = None if name is None else data[name]
        found = [] if value in (None, "") else table_rows(bot=bot, table=table, where={name: value}, limit=None)
        for existing in found:
            existing.data = {**existing.data, **data}
            existing.save(update_fields=["data", "updated_at"])
        if found:
            counts["updated"] += 1
        else:
            table_insert(bot=bot, table=table, row=data)
            counts["inserted"] += 1
    return counts


def table_delete(*, bot: Bot, table: Any, filter: Any = None) -> int:
    """Delete the rows matching ``filter`` (every row without one); returns how many."""
    ids = [row.pk for row in table_rows(bot=bot, table=table, filter=filter, limit=None)]
    BotTableRow.objects.filter(pk__in=ids).delete()
    return len(ids)
