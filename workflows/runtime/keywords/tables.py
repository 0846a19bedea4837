"""Table keywords of the run host: FIND, SAVE, INSERT, UPDATE, DELETE, MERGE on the bot's own tables
(``memory.services.tables``; BASIC.md §4 *Data*).

It needs ``self.bot``. Rows are stored with ``encode_value`` and read back with
``decode_value``, so dates and nested values come back as they went in. Every write joins the
slice's transaction (a re-run slice writes once). Filters: ``"col=value"`` (several joined by
``AND``), or the object ``FIND "t" WHERE a = x`` passes; FIND returns at most
``memory.selectors.TABLE_FIND_LIMIT`` rows, oldest first.
"""

from __future__ import annotations

from generalbots.basic.values import decode_value, encode_value
from memory import selectors, services
from workflows.runtime.errors import script_errors


class TableKeywords:
    """The bot's tables (see module docstring)."""

    @script_errors("FIND")
    def find(self, ctx, table, filter=None, where=None):
        rows = selectors.table_rows(bot=self.bot, table=table, filter=filter, where=where)
        return [decode_value(row.data) for row in rows]

    @script_errors("SAVE")
    def save(self, ctx, table, row):
        services.table_save(bot=self.bot, table=table, row=encode_value(row))

    @script_errors("INSERT")
    def insert(self, ctx, table, row):
        services.table_insert(bot=self.bot, table=table, row=encode_value(row))

    @script_errors("UPDATE")
    def update(self, ctx, table, filter, row):
        return services.table_update(bot=self.bot, table=table, filter=filter, changes=encode_value(row))

    @script_errors("MERGE")
    def merge(self, ctx, table, rows, key=None):
        return services.table_merge(bot=self.bot, table=table, rows=encode_value(rows), key=key)

    @script_errors("DELETE")
    def delete(self, ctx, table, filter=None):
        return services.table_delete(bot=self.bot, table=table, filter=filter)
