"""The unit of work of one slice: every row a slice writes, flushed together before it commits.

Inline children (BOT steps and PARALLEL branches that do not suspend) are built in memory and
inserted with one ``bulk_create`` at the end of the parent's slice, together with the step rows,
approvals and effect records, so a 10-step workflow of no-op BOT steps costs a handful of
statements and one commit (DESIGN §4.2, §4.6). PostgreSQL checks foreign keys at commit
(Django makes them deferrable), so the order of the inserts does not matter. Every run the slice
created or saved is announced once at the flush (``workflows.realtime``; sent on commit).

On PostgreSQL the runs the slice saved (``save_run``), the new runs and the new steps go in one
round trip: Django compiles each statement as ``save()`` / ``bulk_create`` would, and the
statements are sent together (client-side binding, as Django's psycopg backend does); the ids
of the new steps come back from the last one. Small inserts list their rows (``VALUES_MAX_ROWS``),
and Django compiles each shape of statement once per process (``_TEMPLATES``). On other
databases each is its own statement.
"""

from __future__ import annotations

from datetime import datetime
from functools import partial

from django.db import connection
from django.db.models import Q
from django.db.models.sql import InsertQuery, UpdateQuery
from django.db.models.sql.compiler import SQLInsertCompiler

from workflows.models import WorkflowApproval, WorkflowEffect, WorkflowExecution, WorkflowStep
from workflows.realtime import runs_changed

# Up to this many rows an INSERT lists its rows (VALUES); above, Django's PostgreSQL compiler
# sends one array per column (UNNEST). Measured on slices of 2, 10 and 50 new runs with their
# steps: VALUES was 0.4 ms faster for 2 rows (quoting, building and running), 0.4 ms faster
# for 10, and 1.4 ms slower for 50.
VALUES_MAX_ROWS = 16

STEP_FIELDS = ["status", "kind", "finished_at", "duration", "input", "output", "error", "error_line", "conflicts",
               "child"]


class SliceRecorder:
    def __init__(self) -> None:
        self.new_runs: dict = {}
        self.new_steps: list[WorkflowStep] = []
        self.dirty_steps: dict = {}
        self.new_approvals: list[WorkflowApproval] = []
        self.effects: dict[tuple, WorkflowEffect] = {}
        self.changed_runs: dict = {}
        self.created_ids: set = set()
        self.saved_runs: dict = {}

    def add_run(self, run: WorkflowExecution) -> None:
        self.new_runs[run.pk] = run
        self.changed_runs[run.pk] = run
        self.created_ids.add(run.pk)

    def save_run(self, run: WorkflowExecution) -> None:
        """Save ``run`` (an existing row) at the flush, with the slice's other writes."""
        self.saved_runs[run.pk] = run
        self.changed_runs[run.pk] = run

    def is_new(self, run: WorkflowExecution) -> bool:
        return run.pk in self.new_runs

    def add_step(self, step: WorkflowStep) -> None:
        self.new_steps.append(step)

    def touch_step(self, step: WorkflowStep) -> None:
        if step.pk is not None:
            self.dirty_steps[step.pk] = step

    def add_approval(self, approval: WorkflowApproval) -> None:
        self.new_approvals.append(approval)

    def add_effect(self, run: WorkflowExecution, key: str, method: str, result) -> None:
        self.effects[(run.pk, key)] = WorkflowEffect(execution_id=run.pk, key=key, method=method, result=result)

    def effect(self, run: WorkflowExecution, key: str):
        return self.effects.get((run.pk, key))

    def flush(self) -> None:
        """Write everything recorded (inside the slice's transaction)."""
        if connection.vendor == "postgresql" and connection.features.can_return_rows_from_bulk_insert:
            self._write_together()
        else:
            for run in self.saved_runs.values():
                run.save()
            if self.new_runs:
                WorkflowExecution.objects.bulk_create(list(self.new_runs.values()))
            if self.new_steps:
                WorkflowStep.objects.bulk_create(self.new_steps)
        self.saved_runs, self.new_runs, self.new_steps = {}, {}, []
        if self.dirty_steps:
            WorkflowStep.objects.bulk_update(list(self.dirty_steps.values()), STEP_FIELDS)
            self.dirty_steps = {}
        if self.new_approvals:
            WorkflowApproval.objects.bulk_create(self.new_approvals)
            self.new_approvals = []
        if self.effects:
            WorkflowEffect.objects.bulk_create(list(self.effects.values()), ignore_conflicts=True)
            self.effects = {}
        if self.changed_runs:
            runs_changed(list(self.changed_runs.values()), created=self.created_ids)
            self.changed_runs, self.created_ids = {}, set()

    def _write_together(self) -> None:
        """The saved runs, new runs and new steps in one round trip (see module docstring)."""
        statements = [_update_sql(run) for run in self.saved_runs.values()]
        if self.new_runs:
            statements.extend(_insert_sql(WorkflowExecution, list(self.new_runs.values())))
        steps = self.new_steps
        if steps:
            statements.extend(_insert_sql(WorkflowStep, steps, returning=True))
        if not statements:
            return
        with connection.cursor() as cursor:
            raw = cursor.cursor
            cursor.execute(";\n".join(raw.mogrify(sql, params) for sql, params in statements))
            if steps:
                while raw.nextset():
                    pass
                ids = [row[0] for row in raw.fetchall()]
                if len(ids) != len(steps):
                    raise RuntimeError(f"{len(steps)} steps inserted, {len(ids)} ids returned")
                for step, pk in zip(steps, ids):
                    step.pk = pk
                    step._state.adding, step._state.db = False, connection.alias


def _update_sql(run: WorkflowExecution) -> tuple[str, list]:
    """The UPDATE ``run.save()`` would send (auto_now fields included)."""
    meta = run._meta
    fields = [field for field in meta.local_concrete_fields if not field.primary_key]
    values = [field.pre_save(run, False) for field in fields]

    def compile_() -> tuple[str, list]:
        query = UpdateQuery(WorkflowExecution)
        query.add_update_fields([(field, None, value) for field, value in zip(fields, values)])
        query.add_q(Q(pk=run.pk))
        return query.get_compiler(connection.alias).as_sql()

    # Django writes "= NULL" for a None instead of a parameter: the shape includes where they are.
    nulls = tuple(value is None for value in values)
    params = _prepared([f for f, null in zip(fields, nulls) if not null], [v for v in values if v is not None])
    if params is None:
        return compile_()
    params.append(meta.pk.get_db_prep_value(run.pk, connection))
    return _templated(("update", WorkflowExecution, nulls), compile_, params)


def _insert_sql(model, objs: list, *, returning: bool = False) -> list[tuple[str, list]]:
    """The INSERT ``bulk_create(objs)`` would send; with ``returning`` it returns the new ids."""
    meta = model._meta
    for obj in objs:
        obj._prepare_related_fields_for_save(operation_name="bulk_create")
    fields = [f for f in meta.concrete_fields if not (returning and f.primary_key)]
    values = [field.pre_save(obj, True) for obj in objs for field in fields]

    def compile_() -> list[tuple[str, list]]:
        query = InsertQuery(model)
        query.insert_values(fields, objs)
        compiler = query.get_compiler(connection.alias)
        compiler.returning_fields = [meta.pk] if returning else None
        if len(objs) <= VALUES_MAX_ROWS:  # Django's PostgreSQL compiler would use UNNEST (see above)
            compiler.assemble_as_sql = partial(SQLInsertCompiler.assemble_as_sql, compiler)
        return compiler.as_sql()

    params = _prepared(fields * len(objs), values) if len(objs) <= VALUES_MAX_ROWS else None
    for obj in objs:
        obj._state.adding, obj._state.db = False, connection.alias
    if params is None:
        return compile_()

    def compile_one() -> tuple[str, list]:
        (statement,) = compile_()
        return statement

    return [_templated(("insert", model, len(objs), returning), compile_one, params)]


# The SQL of the statements above depends only on the model, the row count and RETURNING, not on
# the values (each one is a %s): Django compiles each shape once per process, and after that
# only the parameters are prepared, as Django's compiler prepares them. A shape is kept only when
# Django's own parameters matched the ones prepared here.
_TEMPLATES: dict[tuple, str] = {}


def _prepared(fields, values) -> list | None:
    """``values`` prepared for the database as Django's compilers prepare saved values; None
    when one is an expression (the compiler must place it)."""
    if any(hasattr(value, "resolve_expression") for value in values):
        return None
    if any(hasattr(field, "get_placeholder") for field in fields):
        return None
    return [field.get_db_prep_save(value, connection=connection) for field, value in zip(fields, values)]


def _templated(key: tuple, compile_, params: list) -> tuple[str, list]:
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
