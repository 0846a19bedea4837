"""The fast SQL against what Django itself sends: every statement is compared with the one captured
from a real ``save()``, ``bulk_create()`` or queryset iteration of the same rows (same SQL but for
the differences on purpose, same parameters), and the rows and instances each leaves behind."""

import uuid
from datetime import datetime, timedelta, timezone
from unittest import mock

import django
import pytest
from django.core.checks.registry import registry
from django.db import DatabaseError, connection, transaction
from django.db.models import F
from django.db.models.sql.compiler import SQLCompiler, SQLUpdateCompiler
from django.test.utils import CaptureQueriesContext

from generalbots.bots.models import Bot, BotScript
from generalbots.core import fastsql
from generalbots.core.checks import check_fast_sql_django_version
from generalbots.core.fastsql import PreparedSelect, write_rows
from tests.factories import BotFactory, BotScriptFactory
from tests.workflows.engine_helpers import add_script
from workflows.choices import ExecutionStatus
from workflows.models import WorkflowExecution, WorkflowStep

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=timezone.utc)


@pytest.fixture(autouse=True)
def fast_sql(settings):
    settings.GB_ENGINE_FAST_SQL = True
    return settings


@pytest.fixture
def frozen_clock():
    with mock.patch("django.utils.timezone.now", return_value=NOW):
        yield


def sent(action) -> list[str]:
    """The statements ``action()`` sends, as the database receives them (parameters bound)."""
    with CaptureQueriesContext(connection) as queries:
        action()
    return [query["sql"] for query in queries.captured_queries]


def undone(action):
    """``action()``'s statements and result, its writes rolled back."""
    with transaction.atomic():
        statements = sent(action)
        transaction.set_rollback(True)
    return statements


# --- selects ------------------------------------------------------------------------------------

def script_of(bot, name, source="x = 1\n", **extra):
    return BotScriptFactory(bot=bot, name=name, path=f"{bot.name}.gbdialog/{name}.bas", source=source,
                            source_hash=uuid.uuid4().hex, **extra)


def by_bot_and_name(bot_id, name):
    return (BotScript.objects.filter(bot_id=bot_id, name=name, is_current=True)
            .select_related("bot").defer("source").order_by()[:1])


BY_BOT_AND_NAME = PreparedSelect(by_bot_and_name, BotScript._meta.get_field("bot"), BotScript._meta.get_field("name"))


def instance_data(obj) -> dict:
    """An instance as the ORM built it: its values, its state and its joined instances."""
    data = {name: value for name, value in vars(obj).items() if name != "_state"}
    related = {name: instance_data(value) for name, value in obj._state.fields_cache.items()}
    return {**data, "_db": obj._state.db, "_adding": obj._state.adding, "_related": related}


@pytest.mark.parametrize("fast", [True, False])
def test_a_prepared_select_sends_what_iterating_the_queryset_sends(fast_sql, fast):
    fast_sql.GB_ENGINE_FAST_SQL = fast
    bot = BotFactory(name="built", config={"Title": "Built"})
    script_of(bot, "start", source="TALK 1\n", problems=[{"severity": "warning", "message": "m"}])

    django_sql = sent(lambda: next(iter(by_bot_and_name(bot.pk, "start"))))
    ours = sent(lambda: BY_BOT_AND_NAME.get(bot.pk, "start"))

    assert ours == django_sql and len(ours) == 1


@pytest.mark.parametrize("fast", [True, False])
def test_a_prepared_select_builds_the_instances_the_queryset_builds(fast_sql, fast):
    fast_sql.GB_ENGINE_FAST_SQL = fast
    bot = BotFactory(name="built", config={"Title": "Built"})
    script_of(bot, "start", source="TALK 1\n", problems=[{"severity": "warning", "message": "m"}])

    expected = instance_data(next(iter(by_bot_and_name(bot.pk, "start"))))
    found = BY_BOT_AND_NAME.get(bot.pk, "start")

    assert instance_data(found) == expected
    assert expected["_related"]["bot"]["config"] == {"Title": "Built"}  # joined and JSON decoded
    with CaptureQueriesContext(connection) as queries:
        assert found.source == "TALK 1\n"  # deferred: loaded when read
    assert len(queries) == 1


@pytest.mark.parametrize("fast", [True, False])
def test_each_call_runs_the_statement_with_its_own_values(fast_sql, fast):
    fast_sql.GB_ENGINE_FAST_SQL = fast
    first, second = BotFactory(name="first"), BotFactory(name="second")
    a, b = script_of(first, "start"), script_of(second, "start")
    script_of(first, "other")
    retired = BotFactory(name="retired")
    script_of(retired, "start", is_current=False)

    assert BY_BOT_AND_NAME.get(first.pk, "start").pk == a.pk
    assert BY_BOT_AND_NAME.get(second.pk, "start").pk == b.pk
    assert BY_BOT_AND_NAME.get(str(second.pk), "start").pk == b.pk  # prepared like a filter would
    assert BY_BOT_AND_NAME.get(second.pk, "missing") is None
    assert BY_BOT_AND_NAME.get(retired.pk, "start") is None  # the queryset's constant parameters stay
    with pytest.raises(TypeError, match="expected 2 values"):
        BY_BOT_AND_NAME.get(first.pk)


def scripts_of(bot_id):
    return BotScript.objects.filter(bot_id=bot_id).select_related("bot").defer("source").order_by("name")


SCRIPTS_OF = PreparedSelect(scripts_of, BotScript._meta.get_field("bot"))
LAST_TWO_BOTS = PreparedSelect(lambda org: Bot.objects.filter(organization_id=org).order_by("-name")[:2],
                               Bot._meta.get_field("organization"))


@pytest.mark.parametrize("path", ["one round trip", "a statement each", "orm"])
def test_select_all_builds_every_row_of_each_queryset_as_iterating_it_does(fast_sql, path, monkeypatch):
    fast_sql.GB_ENGINE_FAST_SQL = path != "orm"
    if path == "a statement each":  # the fast path where one round trip cannot carry several
        monkeypatch.setattr(fastsql, "fast_writes", lambda connection: False)
    first = BotFactory(name="pair-a", config={"Title": "A"})
    second, third = (BotFactory(name=name, organization=first.organization) for name in ("pair-b", "pair-c"))
    for name in ("start", "after", "menu"):
        script_of(first, name)
    script_of(second, "start")

    expected = ([instance_data(obj) for obj in scripts_of(first.pk)],
                [instance_data(obj) for obj in scripts_of(second.pk)],
                [bot.name for bot in Bot.objects.filter(organization=first.organization).order_by("-name")[:2]])
    with CaptureQueriesContext(connection) as queries:
        ones, twos, bots = fastsql.select_all((SCRIPTS_OF, (first.pk,)), (SCRIPTS_OF, (second.pk,)),
                                              (LAST_TWO_BOTS, (first.organization_id,)))

    found = ([instance_data(obj) for obj in ones], [instance_data(obj) for obj in twos], [bot.name for bot in bots])
    assert found == expected
    assert [obj.name for obj in ones] == ["after", "menu", "start"]
    assert [bot.pk for bot in bots] == [third.pk, second.pk]
    assert expected[0][0]["_related"]["bot"]["config"] == {"Title": "A"}  # joined and JSON decoded
    assert len(queries) == {"one round trip": 1, "a statement each": 3, "orm": 3}[path]
    assert fastsql.select_all((SCRIPTS_OF, (BotFactory(name="none").pk,))) == [[]]
    with pytest.raises(TypeError, match="expected 1 values"):
        fastsql.select_all((SCRIPTS_OF, ()))


def test_the_statement_is_compiled_once():
    bot = BotFactory(name="once")
    script_of(bot, "start")
    lookup = PreparedSelect(lambda bot_id: BotScript.objects.filter(bot_id=bot_id).order_by()[:1],
                            BotScript._meta.get_field("bot"))

    with mock.patch.object(SQLCompiler, "as_sql", autospec=True, side_effect=SQLCompiler.as_sql) as as_sql:
        for _ in range(3):
            assert lookup.get(bot.pk).bot_id == bot.pk
    assert as_sql.call_count == 1


@pytest.mark.parametrize("fast", [True, False])
def test_locking_querysets_lock_the_row(fast_sql, fast):
    fast_sql.GB_ENGINE_FAST_SQL = fast
    bot = BotFactory(name="locked")
    lock = PreparedSelect(lambda pk: Bot.objects.filter(pk=pk).select_for_update(), Bot._meta.pk)

    with transaction.atomic():
        django_sql = sent(lambda: next(iter(Bot.objects.filter(pk=bot.pk).select_for_update())))
        ours = sent(lambda: lock.get(bot.pk))
    assert ours == django_sql and "FOR UPDATE" in ours[0]


@pytest.mark.parametrize("fast, statements", [(True, 1), (False, 2)])
def test_the_statements_before_a_select_run_first(fast_sql, fast, statements):
    fast_sql.GB_ENGINE_FAST_SQL = fast
    bot = BotFactory(name="before", title="Old")
    lookup = PreparedSelect(lambda pk: Bot.objects.filter(pk=pk), Bot._meta.pk)
    rename = ('UPDATE "bots" SET "title" = %s WHERE "id" = %s', ["New", bot.pk])

    with CaptureQueriesContext(connection) as queries:
        found = lookup.get(bot.pk, before=rename)

    assert found.title == "New"
    assert len(queries) == statements


def test_a_32_bit_key_compared_in_an_or_keeps_both_branches():
    # a marker out of an integer column's range made Django drop its comparison (and the branch)
    from django.db.models import Q

    from generalbots.bots.models import BotAccess
    from tests.factories import BotAccessFactory, UserFactory

    user = UserFactory()
    group = user.groups.create(name="support")
    direct, through_group = BotAccessFactory(user=user), BotAccessFactory(user=None, group=group)
    select = PreparedSelect(lambda uid, bot_id: BotAccess.objects.filter(
        Q(user_id=uid) | Q(group__user__id=uid), bot_id=bot_id).order_by()[:1],
        BotAccess._meta.get_field("user"), BotAccess._meta.get_field("bot"))

    assert select.get(user.pk, direct.bot_id) == direct
    assert select.get(user.pk, through_group.bot_id) == through_group


def test_a_queryset_that_ignores_a_parameter_is_refused():
    bot = BotFactory(name="ignored")
    lookup = PreparedSelect(lambda bot_id, name: BotScript.objects.filter(bot_id=bot_id).order_by()[:1],
                            BotScript._meta.get_field("bot"), BotScript._meta.get_field("name"))

    with pytest.raises(ValueError, match=r"parameters \[1\]"):
        lookup.get(bot.pk, "start")


# --- writes -------------------------------------------------------------------------------------

@pytest.fixture
def run(frozen_clock):
    bot = BotFactory(name="recorded")
    script = add_script(bot, "start", "x = 1\n")
    return WorkflowExecution.objects.create(bot=bot, workflow_name="start", script=script,
                                            script_hash=script.source_hash, input={"a": 1})


def children_of(run, count: int, seed: int = 1) -> list[WorkflowExecution]:
    return [WorkflowExecution(id=uuid.UUID(int=seed * 1000 + i), bot=run.bot, workflow_name="start", parent=run,
                              root=run, script=run.script, script_hash=run.script_hash, branch_label=f"B{i}",
                              position=i, state={"globals": {"x": i}}, result=None if i % 2 else [i])
            for i in range(count)]


def steps_of(run, count: int) -> list[WorkflowStep]:
    return [WorkflowStep(execution=run, label=str(i), line=i, started_at=NOW, input={"i": i},
                         duration=timedelta(milliseconds=i) if i % 2 else None) for i in range(count)]


def row_of(obj) -> dict:
    return type(obj).objects.filter(pk=obj.pk).values().get()


def rows_of(objs, *, without=()) -> list[dict]:
    return [{k: v for k, v in row_of(obj).items() if k not in without} for obj in objs]


def joined_rows(single_row_statements: list[str]) -> str:
    """One INSERT listing the rows of ``single_row_statements`` (each of one row, as Django sends
    a one-row ``bulk_create``): what the fast path sends where Django would use UNNEST."""
    heads, rows, tails = set(), [], set()
    for statement in single_row_statements:
        head, rest = statement.split(" VALUES ", 1)
        row, _, tail = rest.partition(" RETURNING ")
        heads.add(head)
        tails.add(tail)
        rows.append(row)
    (head,), (tail,) = heads, tails
    return f"{head} VALUES {', '.join(rows)}" + (f" RETURNING {tail}" if tail else "")


UPDATES = [
    {},
    {"error": "boom", "error_line": 3, "result": {"v": [1, "two"]}, "status": ExecutionStatus.FAILED},
    {"error_line": None, "result": None, "resume_at": NOW, "wait": {"kind": "timer"}},
    {"state": {"frames": [{"pc": 4}], "text": "it's \"quoted\" \\ and ünïcode"}, "resume_at": None},
]


def test_a_saved_row_gets_the_update_save_sends(run):
    for changes in UPDATES * 2:  # the second round uses the compiled shapes
        for name, value in changes.items():
            setattr(run, name, value)
        django_sql = undone(lambda: run.save())
        with transaction.atomic():
            run.save()
            expected_row = row_of(run)
            transaction.set_rollback(True)

        ours = sent(lambda: write_rows(saved=[run]))

        assert ours == django_sql
        assert row_of(run) == expected_row


@pytest.mark.parametrize("count", [1, 2, 5, 17])
def test_new_rows_get_the_insert_bulk_create_sends(run, count):
    single = [undone(lambda: WorkflowExecution.objects.bulk_create([child]))[0] for child in children_of(run, count)]
    single_steps = [undone(lambda: WorkflowStep.objects.bulk_create([step]))[0] for step in steps_of(run, count)]
    with transaction.atomic():
        expected = [children_of(run, count), steps_of(run, count)]
        django_sql = sent(lambda: [type(objs[0]).objects.bulk_create(objs) for objs in expected])
        expected_rows = rows_of(expected[0]) + rows_of(expected[1], without={"id"})
        transaction.set_rollback(True)
    children, steps = children_of(run, count), steps_of(run, count)

    (ours,) = sent(lambda: write_rows(created=[children, steps]))

    if count == 1 or count > fastsql.VALUES_MAX_ROWS:
        assert ours == ";\n".join(django_sql)  # UNNEST above VALUES_MAX_ROWS rows, as Django sends
    else:  # VALUES where Django sends UNNEST: the rows Django sends one by one
        assert "unnest" in django_sql[0].lower()
        assert ours == f"{joined_rows(single)};\n{joined_rows(single_steps)}"
    assert rows_of(children) + rows_of(steps, without={"id"}) == expected_rows
    assert [row["id"] for row in rows_of(steps)] == [step.pk for step in steps]  # ids read back
    assert all(not obj._state.adding and obj._state.db == "default" for obj in children + steps)


def test_saves_and_inserts_share_one_round_trip(run):
    run.status = ExecutionStatus.RUNNING
    children, steps = children_of(run, 3), steps_of(run, 3)
    django_sql = undone(lambda: (run.save(), WorkflowExecution.objects.bulk_create(children_of(run, 3)),
                                 WorkflowStep.objects.bulk_create(steps_of(run, 3))))

    ours = sent(lambda: write_rows(saved=[run], created=[children, steps]))

    assert len(ours) == 1 and len(django_sql) == 3
    assert ours[0].split(";\n")[0] == django_sql[0]
    assert row_of(run)["status"] == ExecutionStatus.RUNNING and all(step.pk for step in steps)


def test_with_the_fast_path_off_the_orm_writes(run, fast_sql):
    fast_sql.GB_ENGINE_FAST_SQL = False
    run.status = ExecutionStatus.RUNNING
    fields = [f.name for f in WorkflowExecution._meta.local_concrete_fields if not f.primary_key]
    django_sql = undone(lambda: (run.save(update_fields=fields), WorkflowExecution.objects.bulk_create(children_of(run, 3)),
                                 WorkflowStep.objects.bulk_create(steps_of(run, 3))))
    children, steps = children_of(run, 3), steps_of(run, 3)

    ours = sent(lambda: write_rows(saved=[run], created=[children, steps]))

    assert ours == django_sql and "unnest" in ours[1].lower()
    assert row_of(run)["status"] == ExecutionStatus.RUNNING and all(step.pk for step in steps)


@pytest.mark.parametrize("fast", [True, False])
def test_saving_a_row_that_is_gone_fails(run, fast_sql, fast):
    fast_sql.GB_ENGINE_FAST_SQL = fast
    WorkflowExecution.objects.filter(pk=run.pk).delete()

    with pytest.raises(DatabaseError, match="did not affect any rows"), transaction.atomic():
        write_rows(saved=[run])


def test_models_with_save_receivers_are_saved_by_the_orm(run):
    from django.db.models.signals import post_save

    seen = []
    post_save.connect(lambda sender, instance, **kw: seen.append(instance.pk), sender=WorkflowExecution,
                      weak=False, dispatch_uid="test_fastsql")
    try:
        write_rows(saved=[run])
    finally:
        post_save.disconnect(sender=WorkflowExecution, dispatch_uid="test_fastsql")
    assert seen == [run.pk]


def test_each_shape_is_compiled_once(run):
    fastsql._TEMPLATES.clear()
    with mock.patch.object(SQLUpdateCompiler, "as_sql", autospec=True, side_effect=SQLUpdateCompiler.as_sql) as compiles:
        for _ in range(3):
            write_rows(saved=[run])
    assert compiles.call_count == 1


def test_values_django_must_place_itself_are_not_templated(run):
    before = run.attempts
    run.attempts = F("attempts") + 1

    (ours,) = sent(lambda: write_rows(saved=[run]))

    assert '"attempts" = ("workflow_executions"."attempts" + 1)' in ours
    run.refresh_from_db()
    assert run.attempts == before + 1


def test_binding_quotes_the_values_as_mogrify_does():
    from psycopg.types.json import Jsonb

    sql = 'SELECT %s, %s, %s, %s, %s, %s, %s, \'100%%\', %s'
    params = [None, "it's 50% \\ done", 7, 2.5, uuid.UUID(int=1), NOW, Jsonb({"a": ["b", None]}), True]
    raw = connection.cursor().cursor
    fastsql._SPLITS.clear()

    assert fastsql._bind(raw, sql, params) == fastsql._bind(raw, sql, params) == raw.mogrify(sql, params)
    assert len(fastsql._SPLITS) == 1
    with pytest.raises(Exception) as ours:
        fastsql._bind(raw, sql, params[:-1])
    with pytest.raises(Exception) as psycopgs:
        raw.mogrify(sql, params[:-1])
    assert type(ours.value) is type(psycopgs.value) and str(ours.value) == str(psycopgs.value)


def test_statements_of_one_round_trip_share_a_transformer_and_bind_as_mogrify_does():
    from psycopg.types.json import Jsonb

    raw = connection.cursor().cursor
    tx = fastsql._Transformer(raw)
    statements = [("SELECT %s, %s, %s", ["a'b", NOW, Jsonb({"x": 1})]),
                  ("SELECT %s::text, %s, %s, %s", ["c\\d", uuid.UUID(int=2), Jsonb([None]), NOW]),
                  ("SELECT %s, %s", [3, "plain"])]

    for sql, params in statements:
        assert fastsql._bind(raw, sql, params, tx) == raw.mogrify(sql, params)


# --- the system check ---------------------------------------------------------------------------

def test_an_unverified_django_version_is_warned_about(fast_sql):
    with mock.patch.object(django, "VERSION", (6, 0, 0, "final", 0)):
        (warning,) = check_fast_sql_django_version(None)
    assert warning.id == "core.W001"
    assert "5.2.x" in warning.msg and "6.0" in warning.msg and "GB_ENGINE_FAST_SQL=0" in warning.hint


def test_the_check_is_registered():
    assert check_fast_sql_django_version in registry.get_checks()


def test_a_verified_version_or_the_plain_orm_is_not_warned_about(fast_sql):
    assert check_fast_sql_django_version(None) == []  # this Django is 5.2.x
    fast_sql.GB_ENGINE_FAST_SQL = False
    with mock.patch.object(django, "VERSION", (6, 0, 0, "final", 0)):
        assert check_fast_sql_django_version(None) == []


# --- LazySavepoint ------------------------------------------------------------------------------

@pytest.mark.parametrize("fast", [True, False])
def test_a_lazy_savepoint_undoes_only_its_block_statements_and_hooks(fast_sql, fast,
                                                                      django_capture_on_commit_callbacks):
    fast_sql.GB_ENGINE_FAST_SQL = fast
    kept, dropped = BotFactory(title="kept"), BotFactory(title="kept too")
    ran = []
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        transaction.on_commit(lambda: ran.append("before"))
        with pytest.raises(DatabaseError):
            with fastsql.LazySavepoint(connection):
                Bot.objects.filter(pk=dropped.pk).update(title="undone")
                transaction.on_commit(lambda: ran.append("undone"))
                with connection.cursor() as cursor:
                    cursor.execute("SELECT 1 / 0")
        Bot.objects.filter(pk=kept.pk).update(title="changed after")  # the transaction is usable again
        transaction.on_commit(lambda: ran.append("after"))
    kept.refresh_from_db(), dropped.refresh_from_db()
    assert (kept.title, dropped.title) == ("changed after", "kept too")
    assert ran == ["before", "after"]


def test_a_lazy_savepoint_sends_nothing_for_a_block_without_statements():
    with transaction.atomic():
        with CaptureQueriesContext(connection) as captured:
            with pytest.raises(ValueError):
                with fastsql.LazySavepoint(connection):
                    raise ValueError("no statement sent")
            with fastsql.LazySavepoint(connection):
                Bot.objects.count()
    assert [q["sql"].split()[0] for q in captured.captured_queries] == ["SAVEPOINT", "SELECT"]


# --- the commit in the round trip of the last writes ---------------------------------------------

def test_inside_an_enclosing_transaction_the_last_writes_do_not_commit(run):
    run.status = ExecutionStatus.RUNNING
    with transaction.atomic():  # inside the test's own transaction: not the outermost block
        (ours,) = sent(lambda: committed.append(write_rows(saved=[run], commit=True)))

    assert committed == [False] and not ours.endswith("COMMIT")


committed: list = []


@pytest.mark.django_db(transaction=True)
def test_the_commit_travels_with_the_last_writes_of_the_outermost_transaction(run):
    committed.clear()
    run.status = ExecutionStatus.RUNNING
    children = children_of(run, 2)

    with transaction.atomic():
        statements = sent(lambda: committed.append(write_rows(saved=[run], created=[children], commit=True)))
        done_inside = connection.connection.info.transaction_status.name

    assert committed == [True] and statements[0].endswith(";\nCOMMIT")
    assert done_inside == "IDLE"  # committed before the block's end, which then sent nothing
    assert row_of(run)["status"] == ExecutionStatus.RUNNING and len(rows_of(children)) == 2



# --- insert_where ---------------------------------------------------------------------------------

def _unsaved_bot(**fields):
    org = BotFactory().organization
    return Bot(name=f"iw-{uuid.uuid4().hex[:8]}", organization=org, **fields)


def test_insert_where_inserts_the_row_when_its_condition_holds():
    bot = _unsaved_bot(title="Kept")
    with CaptureQueriesContext(connection) as queries:
        assert fastsql.insert_where(bot, "EXISTS (SELECT 1 FROM bots WHERE organization_id = %s)",
                                    [bot.organization_id]) is True
    assert len(queries) == 1 and queries[0]["sql"].startswith('INSERT INTO "bots"')
    assert bot._state.adding is False and bot.pk is not None
    assert Bot.objects.get(pk=bot.pk).title == "Kept"


def test_insert_where_writes_nothing_and_leaves_the_instance_unsaved_when_its_condition_fails():
    bot = _unsaved_bot(title="Refused")
    assert fastsql.insert_where(bot, "FALSE AND %s = 1", [1]) is False
    assert bot._state.adding is True and bot._state.db is None
    assert not Bot.objects.filter(name=bot.name).exists()
    bot.save()  # the caller's usual path still works with the same instance
    assert Bot.objects.filter(name=bot.name).exists()


def test_insert_where_leaves_a_row_with_an_sql_expression_to_the_caller():
    from django.db.models import Value
    from django.db.models.functions import Upper

    bot = _unsaved_bot(title=Upper(Value("shouted")))  # its VALUES row renders UPPER(...)
    with CaptureQueriesContext(connection) as queries:
        assert fastsql.insert_where(bot, "TRUE", []) is None
    assert not [q for q in queries if q["sql"].startswith("INSERT")]
    assert bot._state.adding is True and bot._state.db is None
    assert not Bot.objects.filter(name=bot.name).exists()
