"""The engine's limits: call depth across scripts, what a run may keep between slices, values
jsonb cannot hold, slices that break their transaction, and slices that kill their worker
(the attempts counter). The slices run as a worker runs them (``engine.slice_run``)."""

import pytest
from django.db import OperationalError, connection
from django.db.models.signals import pre_save
from django.test.utils import override_settings

from tests.workflows.engine_helpers import add_script, drive, make_bot
from workflows import engine
from workflows.choices import ExecutionStatus, StepStatus
from workflows.models import WorkflowExecution
from workflows.services import execution_start

pytestmark = pytest.mark.django_db


def failed(run) -> WorkflowExecution:
    run.refresh_from_db()
    assert run.status == ExecutionStatus.FAILED, (run.status, run.error)
    return run


# ---------------------------------------------------------------------------- call depth

def test_a_script_calling_itself_fails_on_its_call_line_and_is_not_queued_again():
    bot = make_bot("recbot", "TALK \"in\"\nCALL rec2\n")
    add_script(bot, "rec2", "x = 1\nCALL rec2\n")
    run = execution_start(bot=bot)

    engine.slice_run(run.pk)

    run = failed(run)
    assert run.error == ("recbot.gbdialog/start.bas:2: rec2.bas failed: recbot.gbdialog/rec2.bas:2: "
                         "CALL rec2: calls nested deeper than 20")
    assert run.error_line == 2 and run.output == ["in"] and run.slice_attempts == 0
    chain = WorkflowExecution.objects.filter(root=run)
    assert chain.count() == 20 and not chain.exclude(status=ExecutionStatus.FAILED).exists()
    assert run.pk not in engine.due_ids()


def test_a_conversation_whose_script_calls_itself_apologises_and_keeps_the_line():
    from generalbots.bots.choices import Channel
    from generalbots.bots.services import conversation_get_or_create
    from tests.factories import UserFactory
    from workflows.conversations import conversation_post_message

    bot = make_bot("talker", 'TALK "hi"\nCALL loop\n')
    add_script(bot, "loop", "CALL loop\n")
    chat = conversation_get_or_create(bot=bot, user=UserFactory(), channel=Channel.API)

    replies = [m.text for m in conversation_post_message(conversation=chat, text="hello").replies]

    chat.refresh_from_db()
    assert replies[:2] == ["hi", "Sorry, something went wrong on my side. Please try again."]
    assert chat.last_error == ("talker.gbdialog/start.bas:2: loop.bas failed: talker.gbdialog/loop.bas:1: "
                               "CALL loop: calls nested deeper than 20")
    assert chat.run is None
    assert not WorkflowExecution.objects.filter(bot=bot).exclude(status=ExecutionStatus.FAILED).exists()


def test_a_bot_whose_step_calls_itself_fails_on_its_line_at_the_nesting_limit():
    bot = make_bot("looper", 'TALK "round"\nSTEP 1: BOT "looper" "again"\n')

    run = failed(drive(execution_start(bot=bot)))

    assert "nested deeper than 20" in run.error and run.error_line == 2, run.error
    assert "RecursionError" not in run.error and len(run.error) < 2000  # said once, not wrapped per level
    assert not WorkflowExecution.objects.filter(status__in=[ExecutionStatus.PENDING, ExecutionStatus.RUNNING,
                                                             ExecutionStatus.WAITING]).exists()


def test_scripts_calling_scripts_share_the_call_depth_of_subs():
    bot = make_bot("deep", "FUNCTION Down(n)\n  IF n = 0 THEN\n    CALL leaf\n  ELSE\n    Down(n - 1)\n"
                           "  END IF\nEND FUNCTION\nDown(150)\n")
    add_script(bot, "leaf", "FUNCTION Down(n)\n  IF n > 0 THEN Down(n - 1)\nEND FUNCTION\nDown(60)\n")

    run = failed(drive(execution_start(bot=bot)))

    assert run.error.endswith("deep.gbdialog/leaf.bas:2: calls nested more than 200 deep")


def test_a_chain_of_calls_within_the_limits_runs():
    bot = make_bot("chain", "CALL a\nTALK \"done\"\n")
    add_script(bot, "a", "CALL b\n")
    add_script(bot, "b", "x = 1\n")

    run = drive(execution_start(bot=bot))

    assert run.status == ExecutionStatus.COMPLETED and run.output == ["done"]


# ---------------------------------------------------------------------------- what a run keeps

@override_settings(GB_STATE_MAX_BYTES=100_000)
def test_a_state_past_the_limit_fails_the_run_on_its_line_and_keeps_the_committed_state():
    bot = make_bot("heavy", 'TALK "start"\nWAIT 0\ns = SPACE(10000)\na = [s, s, s, s, s, s, s, s, s, s]\n'
                            "b = [a]\nWAIT 1\n")
    run = execution_start(bot=bot)
    engine.slice_run(run.pk)  # TALK, then the first WAIT commits
    run.refresh_from_db()
    committed = run.state

    engine.slice_run(run.pk)  # ten references to 10 000 characters weigh 100 000: too much to save

    run = failed(run)
    assert run.error == ("heavy.gbdialog/start.bas:6: the run's data would take more than 100000 bytes to save "
                         "(keep big data in files or memory instead)")
    assert run.error_line == 6
    assert run.state == committed and run.output == ["start"]


@override_settings(GB_STATE_MAX_BYTES=50_000)
def test_a_step_whose_checkpoint_is_too_large_fails_on_the_step_line():
    make_bot("noop", "x = 1\n")
    bot = make_bot("flow", 's = SPACE(20000)\nt = [s, s, s]\nSTEP 1: BOT "noop" "go"\n')

    run = failed(drive(execution_start(bot=bot)))

    assert run.error.startswith("flow.gbdialog/start.bas:3: the run's data would take more than 50000 bytes")
    assert list(run.steps.values_list("status", flat=True)) in ([], [StepStatus.FAILED])


@override_settings(GB_STATE_MAX_BYTES=30_000)
def test_talk_output_past_the_limit_fails_the_run():
    bot = make_bot("chatty", "s = SPACE(9000)\nFOR i = 1 TO 5\n  TALK s\nNEXT\n")

    run = failed(drive(execution_start(bot=bot)))

    assert "the run's TALK output would take more than 30000 bytes to save" in run.error
    assert run.output == []


# ---------------------------------------------------------------------------- values jsonb cannot hold

def test_an_infinite_number_fails_where_it_is_computed_and_the_run_stays_readable(api, admin_user):
    make_bot("overflow", "x = 1e308 * 10\n")
    started = api(admin_user).post("/api/workflows/", {"bot": "overflow"}, format="json")
    assert started.status_code == 201, started.content
    run = WorkflowExecution.objects.get(pk=started.json()["id"])

    engine.slice_run(run.pk)

    run = failed(run)
    assert run.error == "overflow.gbdialog/start.bas:1: number too large (beyond 1.8e+308)"
    shown = api(admin_user).get(f"/api/workflows/{run.pk}/")
    assert shown.status_code == 200
    assert shown.json()["error"] == run.error


@pytest.mark.parametrize(("source", "problem"), [
    ('x = CHR(0)\nWAIT 1\n', "variable x: text with the NUL character (\\u0000) cannot be saved"),
    ('x = {"k": JSON("\\"a\\\\ud800\\"")}\nWAIT 1\n',
     "variable x: text with half of a surrogate pair (\\ud800) cannot be saved"),
    ('d = {}\nd[CHR(0)] = 1\nWAIT 1\n', "variable d: text with the NUL character (\\u0000) cannot be saved"),
    ('TALK "a" + CHR(0)\nWAIT 1\n', "TALK: text with the NUL character (\\u0000) cannot be saved"),
])
def test_text_jsonb_cannot_hold_is_refused_when_the_state_is_saved(source, problem):
    bot = make_bot("nul", source)

    run = failed(drive(execution_start(bot=bot)))

    line = source.count("\n")
    assert run.error == f"nul.gbdialog/start.bas:{line}: {problem}"
    assert run.state == {}


# ---------------------------------------------------------------------------- broken transactions

@pytest.fixture
def failing_child_insert(monkeypatch):
    """Make the INSERT of a child run (what CALL does) raise ``exc`` inside the ORM, where
    Django marks the transaction for rollback: what a RecursionError deep in a query did."""
    def install(exc):
        insert = WorkflowExecution._do_insert

        def failing(self, *args, **kwargs):
            if self.parent_id is not None:
                raise exc
            return insert(self, *args, **kwargs)
        monkeypatch.setattr(WorkflowExecution, "_do_insert", failing)
    return install


def test_an_internal_error_that_breaks_the_transaction_fails_the_run_with_its_line(failing_child_insert):
    bot = make_bot("broken", 'TALK "before"\nWAIT 0\nCALL helper\n')
    add_script(bot, "helper", "x = 1\n")
    run = execution_start(bot=bot)
    engine.slice_run(run.pk)  # TALK and the WAIT are committed
    failing_child_insert(RecursionError("maximum recursion depth exceeded"))

    engine.slice_run(run.pk)  # the CALL's insert fails inside the ORM: the transaction is broken

    run = failed(run)
    assert run.error == "broken.gbdialog/start.bas:3: expression nested too deeply"
    assert run.error_line == 3 and run.output == ["before"] and run.slice_attempts == 0
    assert run.state["status"] == "suspended"  # the state last committed, not the undone slice's
    assert not connection.needs_rollback
    assert not WorkflowExecution.objects.filter(parent=run).exists()


@override_settings(GB_SLICE_MAX_ATTEMPTS=3)
def test_a_database_error_is_retried_and_a_run_failing_every_attempt_ends_poisoned(failing_child_insert):
    bot = make_bot("deadlocked", "CALL helper\n")
    add_script(bot, "helper", "x = 1\n")
    run = execution_start(bot=bot)
    failing_child_insert(OperationalError("deadlock detected"))
    for attempt in (1, 2, 3):
        with pytest.raises(OperationalError):
            engine.slice_run(run.pk)  # the task fails; the sweeper queues the run again
        run.refresh_from_db()
        assert run.status == ExecutionStatus.PENDING and run.slice_attempts == attempt

    engine.slice_run(run.pk)

    run = failed(run)
    assert run.error == ("deadlocked.gbdialog/start.bas: the slice crashed its worker 3 times in a row; "
                         "the run was stopped so that it is not tried again for ever")
    assert run.pk not in engine.due_ids()


# ---------------------------------------------------------------------------- slice attempts

@override_settings(GB_SLICE_MAX_ATTEMPTS=3)
def test_a_run_whose_slices_crashed_their_worker_is_failed_by_the_next_lock_without_running():
    bot = make_bot("poison", 'TALK "hello"\nWAIT 0\nTALK "again"\n')
    run = execution_start(bot=bot)
    engine.slice_run(run.pk)
    run.refresh_from_db()
    assert run.waiting_for == "timer" and run.slice_attempts == 0
    # three workers died in the slice after the WAIT: each had counted itself, none settled
    WorkflowExecution.objects.filter(pk=run.pk).update(slice_attempts=3)

    drive(run)

    run = failed(run)
    assert run.error == ("poison.gbdialog/start.bas:2: the slice crashed its worker 3 times in a row; "
                         "the run was stopped so that it is not tried again for ever")
    assert run.error_line == 2 and run.output == ["hello"]
    assert run.pk not in engine.due_ids()


@override_settings(GB_SLICE_MAX_ATTEMPTS=3)
def test_a_slice_that_settles_clears_the_attempts_and_one_with_nothing_to_do_too():
    bot = make_bot("recovers", 'WAIT FOR EVENT "go" TIMEOUT 3600\nTALK "done"\n')
    run = execution_start(bot=bot)
    WorkflowExecution.objects.filter(pk=run.pk).update(slice_attempts=2)  # two crashes, then a good slice

    engine.slice_run(run.pk)
    run.refresh_from_db()
    assert run.status == ExecutionStatus.WAITING and run.slice_attempts == 0

    for _ in range(5):  # hints with nothing due (a duplicate message, a sweep) never add up
        engine.slice_run(run.pk)
    run.refresh_from_db()
    assert run.status == ExecutionStatus.WAITING and run.slice_attempts == 0


@pytest.mark.django_db(transaction=True)
def test_each_slice_is_counted_and_committed_before_it_runs():
    import psycopg

    settings = connection.settings_dict
    outside = psycopg.connect(host=settings["HOST"] or "127.0.0.1", port=settings["PORT"] or 5432,
                              user=settings["USER"], dbname=settings["NAME"], autocommit=True)
    bot = make_bot("counted", "CALL helper\n")
    add_script(bot, "helper", "x = 1\n")
    run = execution_start(bot=bot)
    seen = []

    def spy(sender, instance, **kwargs):  # while the slice runs, from another connection
        seen.append(outside.execute("SELECT slice_attempts FROM workflow_executions WHERE id = %s",
                                    [run.pk]).fetchone()[0])

    pre_save.connect(spy, sender=WorkflowExecution, dispatch_uid="test-spy")
    try:
        engine.slice_run(run.pk)
    finally:
        pre_save.disconnect(dispatch_uid="test-spy", sender=WorkflowExecution)
        outside.close()

    run.refresh_from_db()
    assert seen and set(seen) == {1}  # every save of the slice: a worker dying here would leave it counted
    assert run.status == ExecutionStatus.COMPLETED and run.slice_attempts == 0


@pytest.fixture
def json_server():
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(b'{"ok": true}')

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_port
    server.shutdown()


def test_a_chain_of_outside_effects_counts_its_attempts_in_the_commits_it_already_makes(json_server):
    from django.test.utils import CaptureQueriesContext

    bot = make_bot("effects", "".join(f'r{i} = GET "http://127.0.0.1:{json_server}/{i}"\n' for i in range(3)))
    bot.config = {"http-allow-private": "true"}
    bot.save()
    run = execution_start(bot=bot)

    with CaptureQueriesContext(connection) as queries:
        slices = engine.slice_run(run.pk)

    run.refresh_from_db()
    assert run.status == ExecutionStatus.COMPLETED and run.slice_attempts == 0
    assert slices == 4  # one slice per recorded effect, then the end
    # the attempt counter's statement, raw (fast SQL) or the ORM's update
    counted = [q["sql"] for q in queries if 'SET "slice_attempts" = LEAST(' in q["sql"]]
    assert len(counted) == 1  # the first; each effect's commit counted the slice after it
