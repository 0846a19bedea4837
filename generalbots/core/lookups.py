"""``AnyOf``: a filter on a list of values whose SQL text does not depend on how many there are.

``filter(pk__in=ids)`` sends ``IN (%s, %s, ...)``: one statement text per length of ``ids``.
psycopg caches the parse of each text it binds (``_query2pg_client``, 128 texts), so a worker that
locks batches of 2 to ``GB_START_BATCH`` runs filled that cache with one text per batch size, a
new one whenever the load made a batch of a size not seen yet: memory that grew for thousands of
runs (``docs/guides/performance.md``, "Worker memory"). ``filter(AnyOf(F("pk"), ids))`` sends
``= ANY(%s)`` with the values as one array parameter on PostgreSQL, and the ``IN`` list elsewhere.
"""

from __future__ import annotations

from django.db.models import Lookup
from django.db.models.lookups import In


class AnyOf(Lookup):
    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler, connection):  # other databases: the IN list
        return compiler.compile(In(self.lhs, list(self.rhs)))

    def as_postgresql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        field = self.lhs.output_field
        values = [field.get_db_prep_value(value, connection) for value in self.rhs]
        return f"{lhs} = ANY(%s)", [*params, values]
