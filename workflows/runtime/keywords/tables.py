"""Table keywords of the run host: FIND, SAVE, INSERT, UPDATE, DELETE, MERGE on the bot's own tables
(``memory.services.tables``; BASIC.md §4 *Data*).

It needs ``self.bot``. Rows are stored with ``encode_value`` and read back with
``decode_value``, so dates and nested values come back as they went in. Every write joins the
slice's transaction (a re-run slice writes once). Filters: ``"col=value"`` (several joined by
``AND``), or the object ``FIND "t" WHERE a = x`` passes; FIND returns at most
``memory.selectors.TABLE_FIND_LIMIT`` rows, oldest first. ``SAVE "t", v1, v2`` fills the
columns ``tables.bas`` declares for ``t`` by position (``table_columns``).
"""

from __future__ import annotations

from generalbots.basic import BasicError
from generalbots.basic.host import declared_columns
from generalbots.basic.values import decode_value, encode_value
from generalbots.bots.programs import program_for
from generalbots.bots.selectors import script_current
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

    def table_columns(self, ctx, table):
        """The columns of ``TABLE table`` in the bot's ``tables.bas`` (else in the running
        script), for ``SAVE "t", v1, v2`` by position; NULL when it is not declared."""
        script = script_current(bot=self.bot, name="tables")
        if script is not None:
            try:
                columns = declared_columns(program_for(source=script.source, path=script.path,
                                                       digest=script.source_hash), table)
            except BasicError:  # a broken tables.bas declares nothing (gb check reports it)
                columns = None
            if columns is not None:
                return columns
        return declared_columns(getattr(self, "program", None), table)

    @script_errors("MERGE")
    def merge(self, ctx, table, rows, key=None):
        return services.table_merge(bot=self.bot, table=table, rows=encode_value(rows), key=key)

    @script_errors("DELETE")
    def delete(self, ctx, table, filter=None):
        return services.table_delete(bot=self.bot, table=table, filter=filter)
