"""A real Celery worker is killed with SIGKILL in the middle of many workflows; a second worker
(with the sweeper) finishes them all, and no step's HTTP effect is issued under two effect keys."""

import os
import signal
import subprocess
import sys
import threading
import time
from collections import defaultdict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.db import connection

from tests.conftest import REPO
from tests.workflows.engine_helpers import make_bot
from workflows.choices import ExecutionStatus
from workflows.models import WorkflowExecution
from workflows.services import execution_start

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

RUNS, STEPS = 12, 4


@pytest.fixture
def effect_server():
    hits = defaultdict(set)
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            with lock:
                hits[self.path].add(self.headers.get("Idempotency-Key"))
            time.sleep(0.02)
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(b'{"ok": true}')

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_port, hits
    server.shutdown()


def start_worker(tmp_path, name):
    db = connection.settings_dict
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "generalbots.settings.test",
           "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
           "GB_DATA_DIR": str(tmp_path / name)}
    (tmp_path / name).mkdir()
    return subprocess.Popen([sys.executable, "-m", "celery", "-A", "generalbots", "worker", "-B", "-c", "2",
                             "--loglevel=WARNING", "-n", f"{name}@%h"], cwd=REPO, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)


def test_killing_a_worker_mid_run_loses_no_run_and_repeats_no_effect(effect_server, tmp_path):
    port, hits = effect_server
    steps = "\n".join(f'STEP {i}: r{i} = GET "http://127.0.0.1:{port}/" + tag + "/{i}"' for i in range(1, STEPS + 1))
    bot = make_bot("killable", steps + "\n")
    bot.config = {"http-allow-private": "true"}
    bot.save()
    runs = [execution_start(bot=bot, variables={"tag": f"run{n}"}) for n in range(RUNS)]

    first = start_worker(tmp_path, "first")
    try:
        deadline = time.monotonic() + 30
        while sum(len(v) for v in hits.values()) < RUNS and time.monotonic() < deadline:
            time.sleep(0.05)
        os.killpg(first.pid, signal.SIGKILL)
    finally:
        first.wait(10)
    done_when_killed = WorkflowExecution.objects.filter(pk__in=[r.pk for r in runs],
                                                        status=ExecutionStatus.COMPLETED).count()

    second = start_worker(tmp_path, "second")
    try:
        deadline = time.monotonic() + 40
        while time.monotonic() < deadline:
            if WorkflowExecution.objects.filter(pk__in=[r.pk for r in runs]).exclude(
                    status=ExecutionStatus.COMPLETED).count() == 0:
                break
            time.sleep(0.2)
    finally:
        os.killpg(second.pid, signal.SIGTERM)
        second.wait(20)

    statuses = list(WorkflowExecution.objects.filter(pk__in=[r.pk for r in runs]).values_list("status", flat=True))
    assert done_when_killed < RUNS, "the worker was killed after everything had finished"
    assert statuses == [ExecutionStatus.COMPLETED] * RUNS
    expected = {f"/run{n}/{i}" for n in range(RUNS) for i in range(1, STEPS + 1)}
    assert set(hits) == expected
    assert {path: keys for path, keys in hits.items() if len(keys) != 1} == {}
