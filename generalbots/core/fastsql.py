"""The fast SQL of the workflow engine's hot path: the one module that uses Django's private APIs.

Verified on Django 5.2.x (last 5.2.19) with psycopg 3 (``VERIFIED_DJANGO``); on another version
the system check ``core.W001`` asks the operator to set ``GB_ENGINE_FAST_SQL=0``.

Two things the engine does on every slice cost more in Django's machinery than on the wire
(0.1 ms a round trip on loopback), so they are rebuilt here from Django's compiler internals:

- ``PreparedSelect``: a queryset compiled once per process and database alias, with marker
  values where the parameters go; each call only swaps the parameters and builds the instances
  as Django's model iterable does (``SQLCompiler.as_sql``, ``klass_info``, ``apply_converters``,
  ``get_related_populators``). A run's lock with its bot costs 0.3 ms to compile.
  ``select_all``: every row of several of them, in one round trip (a run's detail in the API:
  its steps, events, child runs and approvals).
- ``write_rows``: existing rows saved and new rows inserted in one round trip on PostgreSQL:
  each statement is the one ``save()`` / ``bulk_create()`` would send (``UpdateQuery``,
  ``InsertQuery``, ``_prepare_for_bulk_create``, ``Model._state``), compiled once per shape of
  statement (``_TEMPLATES``), bound client-side and ``;``-joined (psycopg's ``mogrify``, as
  Django's psycopg backend binds). Inserts of up to ``VALUES_MAX_ROWS`` rows list their rows
  where Django's PostgreSQL compiler would send one array per column (``UNNEST``).

``GB_ENGINE_FAST_SQL`` (on by default, read at each call) switches both; off, the same calls use
the plain ORM: queryset iteration, ``save(update_fields=<every field>)`` and ``bulk_create()``,
with the same rows and instances as a result. The differences on purpose: one round trip
instead of several, VALUES instead of UNNEST, the ``before`` statements of ``PreparedSelect.get``
in the same round trip as the select. ``tests/core/test_fastsql.py`` compares both paths with
the statements Django itself sends, and ``make test`` runs the engine tests in both positions.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from functools import partial

import django
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.db.models import AutoField, Field, Model, Q, QuerySet, signals
from django.db.models.query import get_related_populators
from django.db.models.sql import InsertQuery, UpdateQuery
from django.db.models.sql.compiler import SQLInsertCompiler

VERIFIED_DJANGO = ((5, 2),)  # major, minor: every 5.2.x release

# Up to this many rows an INSERT lists its rows (VALUES); above, Django's PostgreSQL compiler
# sends one array per column (UNNEST). Measured on slices of 2, 10 and 50 new runs with their
# steps: VALUES was 0.4 ms faster for 2 rows (quoting, building and running), 0.4 ms faster
# for 10, and 1.4 ms slower for 50.
VALUES_MAX_ROWS = 16


def enabled() -> bool:
    """Whether the fast path is on (``GB_ENGINE_FAST_SQL``)."""
    return settings.GB_ENGINE_FAST_SQL


def verified_django(version: tuple = django.VERSION) -> bool:
    """Whether ``version`` of Django is one the fast path was verified on."""
    return tuple(version[:2]) in VERIFIED_DJANGO


def own_begin(connection) -> bool:
    """Let the next statement sent on ``connection`` open its transaction itself: psycopg then
    sends no ``BEGIN`` of its own (a round trip) before it. For the outermost ``atomic`` block
    of a healthy transaction that has sent nothing yet, whose next statement starts with a
    ``BEGIN`` (``begin_statement``); returns whether that was done (False: psycopg opens the
    transaction as usual).

    How: psycopg sends its ``BEGIN`` before the first statement of a transaction unless it is in
    autocommit, so the raw connection is put back in autocommit while idle (Django's own flag,
    which decides commits and savepoints, is left as ``atomic`` set it). The server's transaction
    is then the one the statement's ``BEGIN`` opens; psycopg sends nothing before later statements
    (the server is in a transaction), commits or rolls it back at the block's end as it would
    its own (``commit()`` and ``rollback()`` act on the server's state), and the block's end puts
    it in autocommit anyway."""
    raw = connection.connection
    if raw is None or not _committable(connection) or getattr(raw, "autocommit", True):
        return False
    from psycopg.pq import TransactionStatus

    if raw.pgconn.transaction_status != TransactionStatus.IDLE:
        return False
    raw.autocommit = True
    return True


def begin_statement(connection) -> str:
    """The statement that opens a transaction on ``connection`` the way psycopg 3 would
    (``BEGIN`` with the isolation level it was configured with), for a raw batch that commits
    one transaction and opens the next in one round trip (psycopg's private
    ``_get_tx_start_command``; plain ``BEGIN`` when it is missing)."""
    return getattr(connection.connection, "_get_tx_start_command", lambda: b"BEGIN")().decode()


# --- selects ------------------------------------------------------------------------------------

_SEQUENCE = itertools.count(1)


class PreparedSelect:
    """The first row of ``build(*values)``, compiled once per alias (see the module docstring).

        LOCK = PreparedSelect(lambda pk: Run.objects.select_related("bot").filter(pk=pk), Run._meta.pk)
        run = LOCK.get(run_id)        # one instance or None

    ``fields`` are the model fields the values are compared with, one per argument of ``build``,
    so values are prepared for the database as a filter would prepare them (a UUID on SQLite is
    hex text). The queryset may use ``select_related``, ``defer``/``only`` and
    ``select_for_update`` (then ``get`` must run in a transaction, as the queryset would); not
    annotations or ``values()``. Compiling refuses (ValueError) a queryset that ignores one of
    its arguments.
    """

    def __init__(self, build: Callable[..., QuerySet], *fields: Field) -> None:
        self._build, self._fields = build, fields
        self._compiled: dict[str, _CompiledSelect] = {}

    def get(self, *values, using: str = DEFAULT_DB_ALIAS, before: tuple[str, list] | None = None) -> Model | None:
        """The first instance, or None. ``before``: SQL (and its parameters) run just ahead of the
        select; with the fast path on, in the same round trip."""
        if len(values) != len(self._fields):
            raise TypeError(f"expected {len(self._fields)} values, got {len(values)}")
        if not enabled():
            if before is not None:
                _run(using, before)
            return next(iter(self._build(*values).using(using)), None)
        return self._compiled_for(using).get(values, before)

    def _compiled_for(self, using: str) -> _CompiledSelect:
        if using not in self._compiled:
            self._compiled[using] = _CompiledSelect(self._build, self._fields, using)
        return self._compiled[using]


def select_all(*selects: tuple[PreparedSelect, Sequence], using: str = DEFAULT_DB_ALIAS) -> list[list[Model]]:
    """The instances of each ``(prepared, values)`` pair, one list per pair in its queryset's
    order. With the fast path on PostgreSQL (``fast_writes``), every select in one round trip;
    with the fast path on elsewhere, one statement each; off, each queryset iterated."""
    for prepared, values in selects:
        if len(values) != len(prepared._fields):
            raise TypeError(f"expected {len(prepared._fields)} values, got {len(values)}")
    if not enabled():
        return [list(prepared._build(*values).using(using)) for prepared, values in selects]
    connection = connections[using]
    found: list[list[Model]] = [[] for _ in selects]
    compiled = [(prepared._compiled_for(using), values) for prepared, values in selects]
    if not fast_writes(connection):
        for rows, (select, values) in zip(found, compiled):
            with connection.cursor() as cursor:
                cursor.execute(select.sql, select.params(values))
                rows.extend(select.instances(cursor.fetchall()))
        return found
    _send([_Statement(select.sql, select.params(values),
                      lambda raw, select=select, rows=rows: rows.extend(select.instances(raw.fetchall())))
           for rows, (select, values) in zip(found, compiled)], connection)
    return found


def _run(using: str, statement: tuple[str, list]) -> None:
    with connections[using].cursor() as cursor:
        cursor.execute(*statement)
        while cursor.nextset():
            pass


class _CompiledSelect:
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

    def params(self, values) -> list:
        connection = connections[self.using]
        prepped = [field.get_db_prep_value(value, connection) for field, value in zip(self.fields, values)]
        return [prepped[i] if i is not None else constant for i, constant in self.slots]

    def instances(self, rows) -> list[Model]:
        """The instances of ``rows`` (as the select returned them), as Django's model iterable builds them."""
        if self.converters:
            rows = self.compiler.apply_converters(rows, self.converters)
        built = []
        for row in rows:
            obj = self.model.from_db(self.using, self.attnames, row[self.own])
            for populator in self.populators:
                populator.populate(row, obj)
            built.append(obj)
        return built

    def get(self, values, before: tuple[str, list] | None) -> Model | None:
        connection = connections[self.using]
        params = self.params(values)
        with connection.cursor() as cursor:
            if before is None:
                cursor.execute(self.sql, params)
            else:
                cursor.execute(f"{before[0]};\n{self.sql}", [*before[1], *params])
                while cursor.nextset():
                    pass
            row = cursor.fetchone()
        return None if row is None else self.instances([row])[0]


def _marker(field: Field):
    """A value of ``field``'s type that no real parameter equals."""
    target = field.target_field if field.is_relation else field
    internal = target.get_internal_type()
    n = next(_SEQUENCE)
    if internal == "UUIDField":
        return uuid.UUID(int=(0xFEED << 112) + n)
    if internal in ("CharField", "TextField", "SlugField"):
        return f"\x1fprepared-marker-{n}\x1f"
    # Within the field's range: Django drops a comparison with a value its column cannot hold
    # (an OR with one then loses that branch), so a 32-bit key gets a 32-bit marker.
    if internal in ("BigAutoField", "BigIntegerField"):
        return -(7_000_000_000 + n)
    if internal in ("AutoField", "IntegerField"):
        return -(1_000_000_000 + n)
    if internal == "PositiveIntegerField":
        return 2_000_000_000 + n
    raise TypeError(f"PreparedSelect has no marker for a {internal}")


# --- writes -------------------------------------------------------------------------------------

def write_rows(*, saved: Iterable[Model] = (), created: Iterable[Sequence[Model]] = (),
               using: str = DEFAULT_DB_ALIAS, commit: bool = False, begin: bool = False) -> bool:
    """Save every field of each instance of ``saved`` (existing rows, in that order), then insert
    each list of ``created`` (one model per list) as ``bulk_create`` does: primary keys the
    database assigns are set on the instances, which are then marked as saved.

    Like ``save(update_fields=...)``, a saved instance whose row is gone raises DatabaseError.
    The fast path (one round trip) applies on PostgreSQL with psycopg 3's client-side binding,
    to models without ``pre_save`` / ``post_save`` receivers; everything else goes through the ORM.

    ``commit``: these are the transaction's last writes, so its ``COMMIT`` may travel in their
    round trip; done (and True returned) only on the fast path, for every row, inside the
    outermost ``atomic`` block of a healthy transaction (``_committable``). That block's own
    commit then finds the transaction closed and sends nothing (psycopg skips the ``COMMIT`` of
    an idle connection); its ``on_commit`` hooks run then, as always. The caller must write
    nothing after it, and must know that each saved row exists (a row it locked): the row
    count of an UPDATE is read after the commit.

    ``begin``: these are the first statements of the outermost ``atomic`` block, so its
    ``BEGIN`` travels in their round trip (``own_begin``) instead of one of its own.
    """
    connection = connections[using]
    fast = fast_writes(connection)
    statements: list[_Statement] = []
    for obj in saved:
        if fast and _fast_save(obj):
            statements.append(_update(obj, connection))
        else:
            obj.save(using=using, update_fields=[field.name for field in _update_fields(obj._meta)])
    slow: list[list[Model]] = []
    for objs in map(list, created):
        if not objs:
            continue
        if any(type(obj) is not type(objs[0]) for obj in objs):
            raise TypeError(f"a list of created rows holds one model, not {type(objs[0]).__name__} and others")
        if fast:  # as bulk_create does first: primary keys from defaults, related ids
            type(objs[0])._default_manager.using(using)._prepare_for_bulk_create(objs)
        if fast and _fast_insert(objs):
            statements.extend(_insert(objs, connection))
        else:
            slow.append(objs)
    commit = commit and fast and bool(statements) and not slow and _committable(connection)
    if statements:
        _send(statements + [_Statement("COMMIT", [])] if commit else statements, connection, begin=begin)
    for objs in slow:
        type(objs[0])._default_manager.using(using).bulk_create(objs)
    return commit


def fast_writes(connection) -> bool:
    """Whether ``write_rows`` and ``insert_where`` take the fast path on ``connection``: on, on
    PostgreSQL with psycopg 3's client-side binding."""
    return (enabled() and connection.vendor == "postgresql" and connection.Database.__name__ == "psycopg"
            and connection.features.can_return_rows_from_bulk_insert
            and not connection.settings_dict["OPTIONS"].get("server_side_binding"))


def insert_where(obj: Model, condition: str, params: list, *, using: str = DEFAULT_DB_ALIAS,
                 begin: bool = False) -> bool | None:
    """Insert ``obj`` as ``write_rows(created=[[obj]])`` does, but only where ``condition`` (SQL
    with ``%s`` placeholders for ``params``) holds, in the same statement (``INSERT ... SELECT
    <the row's values> WHERE <condition>``): a check and the INSERT in one round trip. Returns
    True when the row was inserted, False when the condition did not hold (nothing written,
    ``obj`` still unsaved), None when the fast path does not apply (off, not PostgreSQL, signal
    receivers): the caller checks and inserts the usual way then. ``begin``: as for ``write_rows``."""
    connection = connections[using]
    if not (fast_writes(connection) and _fast_insert([obj])):
        return None
    type(obj)._default_manager.using(using)._prepare_for_bulk_create([obj])
    (statement,) = _insert([obj], connection)
    head, values = statement.sql.split(" VALUES (", 1)
    row, tail = values.split(")", 1)  # one row of placeholders and literals
    if "(" in row:  # not the shape this was verified on: left to the caller
        obj._state.adding, obj._state.db = True, None
        return None
    inserted: list[int] = []

    def on_result(cursor) -> None:
        inserted.append(cursor.rowcount)
        if cursor.rowcount and statement.on_result is not None:
            statement.on_result(cursor)

    _send([_Statement(f"{head} SELECT {row} WHERE {condition}{tail}", [*statement.params, *params], on_result)],
          connection, begin=begin)
    if not inserted[0]:
        obj._state.adding, obj._state.db = True, None
    return bool(inserted[0])


def _committable(connection) -> bool:
    """Whether a ``COMMIT`` sent now ends the transaction Django's outermost ``atomic`` block
    opened (no enclosing block or savepoint, as in a test's transaction; nothing marked it for
    rollback)."""
    return (connection.in_atomic_block and len(connection.atomic_blocks) == 1 and not connection.savepoint_ids
            and not connection.needs_rollback and connection.commit_on_exit)


def _update_fields(meta) -> list[Field]:
    """What ``save()`` writes of an existing row."""
    return [field for field in meta.local_concrete_fields if not field.primary_key and not field.generated]


def _fast_save(obj: Model) -> bool:
    model = type(obj)
    return not (signals.pre_save.has_listeners(model) or signals.post_save.has_listeners(model)
                or model._meta.parents or obj.pk is None)


def _fast_insert(objs: list[Model]) -> bool:
    """Whether ``bulk_create`` would send one statement for ``objs`` (it sends one for those with a
    primary key and one for those without) and read back at most the primary key."""
    meta = objs[0]._meta
    return (not meta.parents and len({obj._is_pk_set() for obj in objs}) == 1
            and all(field is meta.pk for field in meta.db_returning_fields))


class _Statement:
    __slots__ = ("sql", "params", "on_result")

    def __init__(self, sql: str, params: list, on_result: Callable | None = None) -> None:
        self.sql, self.params, self.on_result = sql, params, on_result


def _send(statements: list[_Statement], connection, *, begin: bool = False) -> None:
    """All ``statements`` in one round trip, their results read in order; ``begin``: led by the
    ``BEGIN`` of the transaction they open (``own_begin``), when that applies."""
    if begin and own_begin(connection):
        statements = [_Statement(begin_statement(connection), []), *statements]
    with connection.cursor() as cursor:
        raw = cursor.cursor
        tx = _Transformer(raw) if _split is not None else None  # one for all: its dumpers serve every statement
        cursor.execute(";\n".join(_bind(raw, s.sql, s.params, tx) for s in statements))
        for i, statement in enumerate(statements):
            if i:
                raw.nextset()
            if statement.on_result is not None:
                statement.on_result(raw)


# psycopg binds client-side by splitting the statement at its placeholders, and keeps the split
# only of statements with at most 50 parameters; an INSERT of 10 runs has 360, so the split (a
# regular expression over the whole text) was most of the cost of binding a slice's writes. The
# statements here are the few templates above, so what binding needs of the split is kept here:
# the template (the text with each placeholder a ``%s``) and the number of parameters. Not the
# split itself, an object per placeholder: for the 30-40 shapes of statement a worker meets,
# about 0.6 MB that grew for thousands of runs, as rarer shapes came (``bench/memory.py
# --workers``). The values are quoted by psycopg's own ``as_literal`` and ``%``-joined as
# ``mogrify`` does (``tests/core/test_fastsql.py`` compares the two). Verified on psycopg 3.3;
# without these internals, ``mogrify`` is used.
_SPLITS: dict[tuple[str, str], tuple[bytes, int, bool]] = {}


def _bind(cursor, sql: str, params: list, tx=None) -> str:
    """``cursor.mogrify(sql, params)``, with the template of ``sql`` kept per statement; ``tx``: a
    psycopg ``Transformer`` of ``cursor`` to use (the statements of one round trip share one, so
    the dumper of each type is looked up once)."""
    if _split is None or not params or type(params) not in (list, tuple):
        return cursor.mogrify(sql, params)
    tx = tx or _Transformer(cursor)
    key = (sql, tx.encoding)
    split = _SPLITS.get(key)
    if split is None:
        if len(_SPLITS) >= 512:
            _SPLITS.clear()
        template, order, parts = _split(sql.encode(tx.encoding), tx.encoding)
        split = _SPLITS[key] = (template, len(parts) - 1, order is not None)
    template, count, named = split
    if named or len(params) != count:
        return cursor.mogrify(sql, params)  # psycopg's own error
    literal = tx.as_literal
    return (template % tuple(literal(p) if p is not None else b"NULL" for p in params)).decode(tx.encoding)


try:
    from psycopg._queries import _query2pg_client_nocache as _split
    from psycopg.adapt import Transformer as _Transformer
except ImportError:  # another psycopg: plain mogrify
    _split = None


def _update(obj: Model, connection) -> _Statement:
    """The UPDATE ``obj.save()`` would send (``auto_now`` fields included)."""
    meta = obj._meta
    model = meta.concrete_model
    fields = _update_fields(meta)
    values = [field.pre_save(obj, False) for field in fields]

    def compile_() -> tuple[str, list]:
        query = UpdateQuery(model)
        query.add_update_fields([(field, None, value) for field, value in zip(fields, values)])
        query.add_q(Q(pk=obj.pk))
        return query.get_compiler(connection.alias).as_sql()

    # Django writes "= NULL" for a None instead of a parameter: the shape includes where they are.
    nulls = tuple(value is None for value in values)
    params = _prepared([f for f, null in zip(fields, nulls) if not null], [v for v in values if v is not None],
                       connection)
    if params is None:
        sql, params = compile_()
    else:
        params.append(meta.pk.get_db_prep_value(obj.pk, connection))
        sql, params = _templated(("update", model, nulls), compile_, params, connection)
    return _Statement(sql, params, partial(_check_updated, obj))


def _check_updated(obj: Model, cursor) -> None:
    if cursor.rowcount != 1:
        raise DatabaseError("Save with update_fields did not affect any rows.")  # save()'s own words


def _insert(objs: list[Model], connection) -> list[_Statement]:
    """The INSERT ``bulk_create(objs)`` would send (``objs`` prepared for it), listing its rows up
    to ``VALUES_MAX_ROWS``."""
    model = type(objs[0])
    meta = model._meta
    with_pk = objs[0]._is_pk_set()
    fields = [f for f in meta.concrete_fields if not f.generated and (with_pk or not isinstance(f, AutoField))]
    returning = meta.db_returning_fields
    values = [field.pre_save(obj, True) for obj in objs for field in fields]

    def compile_() -> list[tuple[str, list]]:
        query = InsertQuery(model)
        query.insert_values(fields, objs)
        compiler = query.get_compiler(connection.alias)
        compiler.returning_fields = returning or None
        if len(objs) <= VALUES_MAX_ROWS:  # Django's PostgreSQL compiler would use UNNEST (see above)
            compiler.assemble_as_sql = partial(SQLInsertCompiler.assemble_as_sql, compiler)
        return compiler.as_sql()

    for obj in objs:
        obj._state.adding, obj._state.db = False, connection.alias
    on_result = partial(_returned, objs, returning) if returning else None
    params = _prepared(fields * len(objs), values, connection) if len(objs) <= VALUES_MAX_ROWS else None
    if params is None:
        return [_Statement(sql, params, on_result) for sql, params in compile_()]

    def compile_one() -> tuple[str, list]:
        (statement,) = compile_()
        return statement

    sql, params = _templated(("insert", model, len(objs), with_pk), compile_one, params, connection)
    return [_Statement(sql, params, on_result)]


def _returned(objs: list[Model], fields: list[Field], cursor) -> None:
    rows = cursor.fetchall()
    if len(rows) != len(objs):
        raise DatabaseError(f"{len(objs)} rows inserted, {len(rows)} returned")
    for obj, row in zip(objs, rows):
        for field, value in zip(fields, row):
            setattr(obj, field.attname, value)


# The SQL of the statements above depends only on the model, the row count, RETURNING and where
# the NULLs are, not on the values (each one is a %s): Django compiles each shape once per
# process, and after that only the parameters are prepared, as Django's compiler prepares them.
# A shape is kept only when Django's own parameters matched the ones prepared here.
_TEMPLATES: dict[tuple, str] = {}


def _prepared(fields, values, connection) -> list | None:
    """``values`` prepared for the database as Django's compilers prepare saved values; None
    when one is an expression (the compiler must place it)."""
    if any(hasattr(value, "resolve_expression") for value in values):
        return None
    if any(hasattr(field, "get_placeholder") for field in fields):
        return None
    return [field.get_db_prep_save(value, connection=connection) for field, value in zip(fields, values)]


def _templated(key: tuple, compile_, params: list, connection) -> tuple[str, list]:
    sql = _TEMPLATES.get((connection.alias, *key))
    if sql is not None:
        return sql, params
    sql, compiled = compile_()  # this first time, Django's statement is the one sent
    if len(compiled) == len(params) and all(map(_same, compiled, params)):
        if len(_TEMPLATES) >= 512:  # shapes are few (row counts up to 16, NULL patterns of runs)
            _TEMPLATES.clear()
        _TEMPLATES[(connection.alias, *key)] = sql
    return sql, list(compiled)


def _same(compiled, prepared) -> bool:
    """Whether Django's parameter and ours are the same value (timestamps only of the same
    type: compiling calls ``auto_now`` fields' ``pre_save`` again; psycopg's JSON wrappers
    compare by identity, so their contents are compared)."""
    if type(compiled) is not type(prepared):
        return False
    if isinstance(compiled, datetime):
        return True
    if hasattr(compiled, "obj") and hasattr(compiled, "dumps"):
        return compiled.obj == prepared.obj
    return compiled == prepared


# --- savepoints ---------------------------------------------------------------------------------

class LazySavepoint:
    """``transaction.atomic()`` inside a transaction, at no cost when the block sends no statement.

        with LazySavepoint(connection):
            work()          # an exception undoes work()'s statements and on_commit hooks only

    With the fast path on, the ``SAVEPOINT`` is sent just before the first statement of the block
    (an execute wrapper, Django's public hook) and never released (PostgreSQL drops every
    savepoint at the commit): a slice of a batch that only runs the VM pays no round trip for its
    isolation. An exception leaving the block undoes its statements (``ROLLBACK TO SAVEPOINT``,
    when one was sent) and the ``on_commit`` hooks registered inside (Django's private
    ``run_on_commit`` list, cut back to its length at the start), clears ``needs_rollback`` as
    leaving an ``atomic`` block by its savepoint does, and goes on up. With the fast path off, an
    ordinary ``transaction.atomic()`` (``SAVEPOINT`` and ``RELEASE`` each time).
    """

    _names = itertools.count(1)

    def __init__(self, connection) -> None:
        self.connection = connection
        self.sent = False
        self._wrapper = self._atomic = None

    def __enter__(self) -> LazySavepoint:
        connection = self.connection
        if not connection.in_atomic_block:
            raise RuntimeError("LazySavepoint is only for use inside a transaction")
        if not enabled():
            self._atomic = transaction.atomic(using=connection.alias)
            self._atomic.__enter__()
            return self
        self.name = connection.ops.quote_name(f"gb_lazy_{next(self._names)}")
        self._hooks = len(connection.run_on_commit)
        self._wrapper = connection.execute_wrapper(self._before_first)
        self._wrapper.__enter__()
        return self

    def _before_first(self, execute, sql, params, many, context):
        if not self.sent:
            self.sent = True
            context["cursor"].execute(f"SAVEPOINT {self.name}")
        return execute(sql, params, many, context)

    def __exit__(self, exc_type, exc, tb) -> None:
        if self._atomic is not None:
            self._atomic.__exit__(exc_type, exc, tb)
            return
        self._wrapper.__exit__(None, None, None)
        if exc_type is None:
            return
        connection = self.connection
        if self.sent:
            with connection.cursor() as cursor:
                cursor.execute(f"ROLLBACK TO SAVEPOINT {self.name}")
        del connection.run_on_commit[self._hooks:]
        connection.needs_rollback = False
