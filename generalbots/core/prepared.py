"""Querysets compiled once per process: for the few statements on the workflow engine's hot path.

Django compiles a queryset's SQL on every evaluation; for a lookup by key that is a good share
of what the lookup costs (about 0.3 ms for the lock of a run with its bot, where the round trip
is 0.1 ms). ``PreparedSelect`` asks Django to compile the queryset once per database alias,
with marker values where the parameters go, and then only swaps the parameters and builds the
instances as Django's model iterable does (``select_related`` included).

    LOCK = PreparedSelect(lambda pk: Run.objects.select_related("bot").filter(pk=pk), Run._meta.pk)
    run = LOCK.get(run_id)        # one instance or None

Each marker is paired with the model field its value is compared with, so values are prepared
for the database as a filter would prepare them (a UUID on SQLite is stored as hex text).
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Callable

from django.db import connections
from django.db.models import Field, Model, QuerySet
from django.db.models.query import get_related_populators

_SEQUENCE = itertools.count(1)


class PreparedSelect:
    """The first row of ``build(*markers)``, compiled once per alias (see the module docstring).

    ``fields`` are the model fields the parameters are compared with, one per argument of
    ``build``. The queryset may use ``select_related``, ``defer``/``only`` and
    ``select_for_update`` (then ``get`` must run in a transaction, as the queryset would);
    not annotations or ``values()``.
    """

    def __init__(self, build: Callable[..., QuerySet], *fields: Field) -> None:
        self._build, self._fields = build, fields
        self._compiled: dict[str, _Compiled] = {}

    def get(self, *values, using: str = "default", before: tuple[str, list] | None = None) -> Model | None:
        """``before``: SQL (and its parameters) sent in the same round trip, ahead of the
        select; the row comes from the last result."""
        compiled = self._compiled.get(using)
        if compiled is None:
            compiled = self._compiled[using] = _Compiled(self._build, self._fields, using)
        return compiled.get(values, before)


class _Compiled:
    def __init__(self, build, fields, using: str) -> None:
        connection = connections[using]
        markers = [_marker(field) for field in fields]
        compiler = build(*markers).query.get_compiler(using)
        self.sql, params = compiler.as_sql()
        prepped = [field.get_db_prep_value(marker, connection) for field, marker in zip(fields, markers)]
        self.slots = []
        for param in params:
            matches = [i for i, marker in enumerate(prepped) if param == marker]
            self.slots.append((matches[0], None) if matches else (None, param))
        missing = set(range(len(fields))) - {i for i, _ in self.slots if i is not None}
        if missing:
            raise ValueError(f"the queryset does not use the parameters {sorted(missing)}")
        self.using, self.fields, self.compiler = using, fields, compiler
        self.converters = compiler.get_converters([column for column, _, _ in compiler.select])
        info = compiler.klass_info
        self.model = info["model"]
        self.own = slice(info["select_fields"][0], info["select_fields"][-1] + 1)
        self.attnames = [column.target.attname for column, _, _ in compiler.select[self.own]]
        self.populators = get_related_populators(info, compiler.select, using)

    def get(self, values, before: tuple[str, list] | None = None) -> Model | None:
        connection = connections[self.using]
        if len(values) != len(self.fields):
            raise TypeError(f"expected {len(self.fields)} values, got {len(values)}")
        prepped = [field.get_db_prep_value(value, connection) for field, value in zip(self.fields, values)]
        params = [prepped[i] if i is not None else constant for i, constant in self.slots]
        with connection.cursor() as cursor:
            if before is None:
                cursor.execute(self.sql, params)
            else:
                cursor.execute(f"{before[0]};\n{self.sql}", [*before[1], *params])
                while cursor.cursor.nextset():
                    pass
            row = cursor.fetchone()
        if row is None:
            return None
        if self.converters:
            row = next(iter(self.compiler.apply_converters([row], self.converters)))
        obj = self.model.from_db(self.using, self.attnames, row[self.own])
        for populator in self.populators:
            populator.populate(row, obj)
        return obj


def _marker(field: Field):
    """A value of ``field``'s type that no real parameter equals."""
    target = field.target_field if field.is_relation else field
    internal = target.get_internal_type()
    n = next(_SEQUENCE)
    if internal == "UUIDField":
        return uuid.UUID(int=(0xFEED << 112) + n)
    if internal in ("CharField", "TextField", "SlugField"):
        return f"\x1fprepared-marker-{n}\x1f"
    if internal in ("AutoField", "BigAutoField", "IntegerField", "BigIntegerField", "PositiveIntegerField"):
        return -(7_000_000_000 + n)
    raise TypeError(f"PreparedSelect has no marker for a {internal}")
