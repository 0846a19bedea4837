"""What a lone slice sends to PostgreSQL, read from libpq's own trace of the connection: the
statements psycopg sends itself (its ``BEGIN``) included, which Django's query log never sees.
The fast SQL's path (``GB_ENGINE_FAST_SQL``, on by default; this file is not in the Makefile's
run with it off)."""

import tempfile

import pytest
from django.db import DatabaseError, connection, transaction

from generalbots.core import fastsql
from tests.workflows.engine_helpers import make_bot
from workflows import engine
from workflows.choices import ExecutionStatus
from workflows.engine import starts
from workflows.models import WorkflowExecution
from workflows.services import execution_start

pytestmark = pytest.mark.django_db(transaction=True)  # the slice must be the outermost transaction


@pytest.fixture(autouse=True)
def no_hint(monkeypatch):
    monkeypatch.setattr(starts, "hint", lambda *a, **k: None)  # the test plays the worker


def sent_queries(work) -> list[str]:
    """The Query messages ``work()`` made libpq send on the default connection, in order."""
    connection.ensure_connection()
    pgconn = connection.connection.pgconn
    with tempfile.TemporaryFile("w+") as trace:
        pgconn.trace(trace.fileno())
        try:
            work()
        finally:
            pgconn.untrace()
        trace.seek(0)
        return [line.split('Query\t "', 1)[1][:60] for line in trace.read().splitlines() if "\tF\t" in line and "\tQuery\t" in line]


def test_a_lone_slice_is_two_round_trips_with_no_begin_of_its_own():
    """The lock's statement opens the transaction itself (``fastsql.own_begin``): the slice of a
    run that ends sends the lock, then its writes with the ``COMMIT`` — no ``BEGIN`` first (a
    warm worker: the script's program is in this process's cache after the first run)."""
    bot = make_bot("adder", "x = 1 + 1\n")
    engine.slice_run(execution_start(bot=bot).pk)
    run = execution_start(bot=bot)

    queries = sent_queries(lambda: engine.slice_run(run.pk))

    assert WorkflowExecution.objects.get(pk=run.pk).status == ExecutionStatus.COMPLETED
    assert len(queries) == 2, queries
    assert queries[0].startswith("BEGIN; SET LOCAL synchronous_commit TO OFF; UPDATE")  # the count's transaction
    assert queries[1].startswith("UPDATE") and 'BEGIN"' not in queries


def test_a_slice_that_finds_nothing_to_do_closes_the_transaction_it_opened():
    """The run has finished meanwhile: the lock returns nothing, the block ends, and the server's
    transaction (opened by the statement, not by psycopg) is committed — the connection is
    idle and back in autocommit, as after any block."""
    run = execution_start(bot=make_bot("adder", "x = 1\n"))
    WorkflowExecution.objects.filter(pk=run.pk).update(status=ExecutionStatus.CANCELLED)

    queries = sent_queries(lambda: engine.slice_run(run.pk))

    from psycopg.pq import TransactionStatus

    assert connection.connection.pgconn.transaction_status == TransactionStatus.IDLE
    assert connection.get_autocommit() and connection.connection.autocommit
    assert len(queries) == 2 and queries[-1] == 'COMMIT"'  # the lock, then the block's commit
    assert WorkflowExecution.objects.get(pk=run.pk).status == ExecutionStatus.CANCELLED


def test_an_error_after_the_lock_rolls_the_slice_back_and_keeps_the_counted_attempt():
    """A database error in the slice after the lock: the slice's transaction is rolled back on
    the server (its writes gone, the row unlocked), the attempt the statement committed before
    the lock stays counted, and the connection serves the next statement."""
    run = execution_start(bot=make_bot("adder", "x = 1\n"))

    def broken(*args, **kwargs):
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 / 0")

    with pytest.raises(DatabaseError):
        with transaction.atomic():
            engine.slices._lock_counting(run.pk)
            broken()

    from psycopg.pq import TransactionStatus

    assert connection.connection.pgconn.transaction_status == TransactionStatus.IDLE
    row = WorkflowExecution.objects.get(pk=run.pk)
    assert row.status == ExecutionStatus.PENDING
    assert row.slice_attempts == 1
    with connection.cursor() as cursor:  # the lock is gone: another transaction takes the row
        cursor.execute("SELECT id FROM workflow_executions WHERE id = %s FOR UPDATE NOWAIT", [run.pk])
        assert cursor.fetchone()[0] == run.pk


def test_own_begin_is_refused_inside_an_enclosing_block_and_on_a_busy_connection():
    connection.ensure_connection()
    assert not fastsql.own_begin(connection)  # no atomic block: nothing to open
    with transaction.atomic():
        with transaction.atomic():  # a savepoint: the transaction is not this block's to open
            assert not fastsql.own_begin(connection)
    with transaction.atomic():
        WorkflowExecution.objects.count()  # psycopg has opened the transaction already
        assert not fastsql.own_begin(connection)
        assert not connection.connection.autocommit
    with transaction.atomic():
        assert fastsql.own_begin(connection) and connection.connection.autocommit
        with connection.cursor() as cursor:
            cursor.execute(f"{fastsql.begin_statement(connection)}; SELECT 1")
    assert connection.connection.autocommit


def test_a_start_sliced_here_is_two_round_trips_its_begin_in_the_insert():
    """``execution_start(here=True)`` of a run that ends in its first slice: the INSERT opens the
    slice's transaction (its ``BEGIN`` in the same round trip), then the writes with the
    ``COMMIT``. No lock, no attempt count, no message: nobody else can see the row until then."""
    bot = make_bot("adder", "x = 1 + 1\n")
    execution_start(bot=bot, here=True)  # the start's statement and the script's program cached

    runs = []
    queries = sent_queries(lambda: runs.append(execution_start(bot=bot, here=True)))

    assert runs[0].status == ExecutionStatus.COMPLETED
    assert WorkflowExecution.objects.get(pk=runs[0].pk).status == ExecutionStatus.COMPLETED
    assert len(queries) == 2, queries
    assert queries[0] == "BEGIN;"  # the trace cuts the message at its first line: ";\nINSERT ..." follows
    assert queries[1].startswith("UPDATE") and 'COMMIT"' not in queries
