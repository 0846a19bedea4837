"""The slice recorder's statements: compiled by Django once per shape, then only re-parametrised;
they must stay exactly what Django would send for the same rows."""

from datetime import datetime, timezone
from unittest import mock

import pytest
from django.db import connection
from django.db.models import Q
from django.db.models.sql import InsertQuery, UpdateQuery
from django.db.models.sql.compiler import SQLInsertCompiler, SQLUpdateCompiler

from tests.factories import BotFactory
from tests.workflows.engine_helpers import add_script
from workflows.choices import ExecutionStatus
from workflows.engine import recorder
from workflows.models import WorkflowExecution, WorkflowStep

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=timezone.utc)


def sent(statement) -> str:
    sql, params = statement
    with connection.cursor() as cursor:
        return cursor.cursor.mogrify(sql, params)


def django_update(run) -> str:
    fields = [f for f in run._meta.local_concrete_fields if not f.primary_key]
    query = UpdateQuery(WorkflowExecution)
    query.add_update_fields([(f, None, f.pre_save(run, False)) for f in fields])
    query.add_q(Q(pk=run.pk))
    return sent(query.get_compiler(connection.alias).as_sql())


def django_insert(model, objs, returning=False) -> str:
    query = InsertQuery(model)
    query.insert_values([f for f in model._meta.concrete_fields if not (returning and f.primary_key)], objs)
    compiler = query.get_compiler(connection.alias)
    compiler.returning_fields = [model._meta.pk] if returning else None
    compiler.assemble_as_sql = lambda fields, rows: SQLInsertCompiler.assemble_as_sql(compiler, fields, rows)
    (statement,) = compiler.as_sql()
    return sent(statement)


@pytest.fixture
def run():
    bot = BotFactory(name="recorded")
    script = add_script(bot, "start", "x = 1\n")
    return WorkflowExecution.objects.create(bot=bot, workflow_name="start", script=script,
                                            script_hash=script.source_hash, input={"a": 1})


@pytest.fixture(autouse=True)
def frozen_clock():
    with mock.patch("django.utils.timezone.now", return_value=NOW):
        yield


def test_updates_match_django_whichever_fields_are_null(run):
    variants = [
        {},
        {"error": "boom", "error_line": 3, "result": {"v": [1, "two"]}, "status": ExecutionStatus.FAILED},
        {"error_line": None, "result": None, "resume_at": NOW, "wait": {"kind": "timer"}},
        {"state": {"frames": [{"pc": 4}], "text": "it's \"quoted\" \\ and ünïcode"}, "resume_at": None},
    ]
    for changes in variants * 2:  # the second round uses the cached shapes
        for name, value in changes.items():
            setattr(run, name, value)
        assert sent(recorder._update_sql(run)) == django_update(run)


def test_inserts_match_django_for_each_row_count(run):
    for count in (1, 2, 5, 1, 2):
        children = [WorkflowExecution(bot=run.bot, workflow_name="start", parent=run, root=run, script=run.script,
                                      script_hash=run.script_hash, branch_label=f"B{i}", position=i,
                                      state={"globals": {"x": i}}, result=None if i % 2 else [i])
                    for i in range(count)]
        steps = [WorkflowStep(execution=run, label=str(i), line=i, started_at=NOW, input={"i": i}) for i in range(count)]
        (child_sql,) = recorder._insert_sql(WorkflowExecution, children)
        (step_sql,) = recorder._insert_sql(WorkflowStep, steps, returning=True)
        assert sent(child_sql) == django_insert(WorkflowExecution, children)
        assert sent(step_sql) == django_insert(WorkflowStep, steps, returning=True)


def test_each_shape_is_compiled_once(run):
    recorder._TEMPLATES.clear()
    with mock.patch.object(SQLUpdateCompiler, "as_sql", autospec=True, side_effect=SQLUpdateCompiler.as_sql) as compiles:
        for _ in range(3):
            recorder._update_sql(run)
    assert compiles.call_count == 1


def test_values_django_must_place_itself_are_not_templated(run):
    from django.db.models import F

    run.attempts = F("attempts") + 1
    sql, params = recorder._update_sql(run)
    assert '"attempts" = ("workflow_executions"."attempts" + ' in sql
