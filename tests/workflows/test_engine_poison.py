"""A slice that kills its worker every time (SIGKILL in the middle of it: no Python exception
ever reaches the engine) is tried GB_SLICE_MAX_ATTEMPTS times, then the run is failed as
poisoned instead of being queued again for ever. Real Celery workers (with the sweeper)."""

import os
import signal
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.db import connection

from tests.conftest import REPO
from tests.workflows.engine_helpers import make_bot
from workflows.choices import ExecutionStatus
from workflows.models import WorkflowExecution
from workflows.services import execution_start

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


class Workers:
    """One Celery worker (and beat) at a time; ``kill`` is what the endpoint below calls."""

    def __init__(self, tmp_path):
        self.tmp_path, self.current, self.started = tmp_path, None, 0

    def start(self):
        db = connection.settings_dict
        self.started += 1
        folder = self.tmp_path / f"w{self.started}"
        folder.mkdir()
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "generalbots.settings.test",
               "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
               "GB_DATA_DIR": str(folder), "GB_SWEEP_GRACE_SECONDS": "0.2", "GB_SWEEP_REQUEUE_SECONDS": "0.5",
               "GB_SLICE_MAX_ATTEMPTS": "3"}
        self.current = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "generalbots", "worker", "-B", "-c", "1", "--loglevel=WARNING",
             "-n", f"poison{self.started}@%h"],
            cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)

    def kill(self):
        os.killpg(self.current.pid, signal.SIGKILL)
        self.current.wait(10)

    def stop(self):
        if self.current is not None and self.current.poll() is None:
            os.killpg(self.current.pid, signal.SIGTERM)
            self.current.wait(20)


@pytest.fixture
def workers(tmp_path):
    pool = Workers(tmp_path)
    yield pool
    pool.stop()


@pytest.fixture
def killing_endpoint(workers):
    """GET / kills the worker that asked (its slice is in the middle of the HTTP call)."""
    hits = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            workers.kill()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_port, hits
    server.shutdown()


def wait_until(check, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.1)
    return False


def test_a_slice_that_kills_its_worker_three_times_fails_the_run_as_poisoned(workers, killing_endpoint):
    port, hits = killing_endpoint
    bot = make_bot("crasher", f'TALK "before"\nWAIT 0\nr = GET "http://127.0.0.1:{port}/crash"\nTALK "after"\n')
    bot.config = {"http-allow-private": "true"}
    bot.save()
    run = execution_start(bot=bot)

    for crash in (1, 2, 3):
        workers.start()  # its sweeper (or the start's message) queues the run; the slice kills the worker
        assert wait_until(lambda: len(hits) == crash and workers.current.poll() is not None, 60), \
            f"crash {crash} did not happen: {hits}"
    run.refresh_from_db()
    assert run.status == ExecutionStatus.WAITING and run.slice_attempts == 3 and run.output == ["before"]

    workers.start()
    assert wait_until(lambda: WorkflowExecution.objects.get(pk=run.pk).status == ExecutionStatus.FAILED, 60)

    run.refresh_from_db()
    assert run.error == ("crasher.gbdialog/start.bas:2: the slice crashed its worker 3 times in a row; "
                         "the run was stopped so that it is not tried again for ever")
    assert run.output == ["before"]
    assert len(hits) == 3  # the fourth attempt never ran the slice
    assert workers.current.poll() is None  # and the worker that refused it lives on
