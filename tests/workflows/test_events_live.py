"""The event bus with real processes: Celery workers (beat runs the sweeper), Redis, PostgreSQL.

- a race: thousands of events published from several threads at random moments while the runs
  they are addressed to start, wait and resume; every run takes each of its events exactly once;
- Redis killed during a burst and started again: no waiting run is lost;
- a timeout fires exactly once and never before its deadline (its lateness is printed).
"""

import random
import subprocess
import sys
import threading
import time
from collections import Counter

import pytest
from django.db import connection

from tests.conftest import REPO
from tests.workflows.engine_helpers import make_bot
from tests.workflows.events_helpers import (free_port, process_env, start_redis, start_worker, stop,
                                            wait_until)
from workflows import engine, events
from workflows.choices import ExecutionStatus
from workflows.models import WorkflowEvent, WorkflowEventConsumption, WorkflowExecution
from workflows.services import execution_start

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

RUNS, PER_RUN, PUBLISHERS = 20, 100, 4

RACER = """got = ""
FOR i = 1 TO count
  d = WAIT FOR EVENT "tick" TIMEOUT 300 WHERE run = me
  got = got + d.seq + ","
NEXT i
b = WAIT FOR EVENT "all" TIMEOUT 300
TALK got + "|" + b.round
"""


def test_thousands_of_events_around_waits_are_each_taken_exactly_once(tmp_path):
    bot = make_bot("racer", RACER)
    worker = start_worker(tmp_path, "racer", concurrency=2)
    try:
        runs = [execution_start(bot=bot, variables={"me": k, "count": PER_RUN}) for k in range(RUNS)]
        plan = [(k, seq) for k in range(RUNS) for seq in range(1, PER_RUN + 1)]
        random.Random(6).shuffle(plan)
        # each run's events keep their order: one publisher per run, runs spread over publishers
        lanes = [[(k, s) for k, s in sorted(plan, key=lambda x: x[1]) if k % PUBLISHERS == lane]
                 for lane in range(PUBLISHERS)]
        errors = []

        def publisher(lane):
            rnd = random.Random(lane)
            try:
                for k, seq in lanes[lane]:
                    events.event_publish(organization=bot.organization, name="tick", data={"run": k, "seq": seq})
                    if rnd.random() < 0.2:
                        time.sleep(rnd.random() * 0.004)
                    if lane == 0 and seq == PER_RUN // 2 and k == 0:
                        events.event_publish(organization=bot.organization, name="all", data={"round": 1})
            except Exception as exc:  # reported below
                errors.append(exc)
            finally:
                connection.close()

        threads = [threading.Thread(target=publisher, args=(lane,)) for lane in range(PUBLISHERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert errors == []

        ids = [r.pk for r in runs]
        done = wait_until(lambda: WorkflowExecution.objects.filter(pk__in=ids, status=ExecutionStatus.COMPLETED)
                          .count() == RUNS, timeout=45, every=0.25)
        statuses = Counter(WorkflowExecution.objects.filter(pk__in=ids).values_list("status", flat=True))
        assert done, f"runs not completed: {dict(statuses)}"
    finally:
        stop(worker)

    assert WorkflowEvent.objects.filter(event_name="tick").count() == RUNS * PER_RUN
    expected = ",".join(str(s) for s in range(1, PER_RUN + 1)) + ",|1"
    for run in WorkflowExecution.objects.filter(pk__in=ids):
        assert run.output == [expected], run.input
    per_run = Counter(WorkflowEventConsumption.objects.filter(execution_id__in=ids).values_list("execution_id",
                                                                                                flat=True))
    assert set(per_run.values()) == {PER_RUN + 1}
    taken = WorkflowEventConsumption.objects.filter(execution_id__in=ids, event__event_name="tick").values_list(
        "event__event_data__run", "execution__input__me")
    assert [pair for pair in taken if pair[0] != pair[1]] == []


def test_killing_redis_during_a_burst_loses_no_waiting_run(tmp_path):
    port = free_port()
    redis_url = f"redis://127.0.0.1:{port}/0"
    redis = start_redis(port, tmp_path)
    worker = start_worker(tmp_path, "outage", REDIS_URL=redis_url)
    publisher = None
    count = 12
    try:
        bot = make_bot("outage", 'd = WAIT FOR EVENT "burst" TIMEOUT 600 WHERE n = me\nTALK "got " + d.n\n')
        runs = []
        for n in range(1, count + 1):
            run = execution_start(bot=bot, variables={"me": n})
            engine.slice_run(run.pk)  # waiting before the burst
            runs.append(run)
        assert WorkflowExecution.objects.filter(bot=bot, status=ExecutionStatus.WAITING).count() == count

        publisher = subprocess.Popen(
            [sys.executable, "-m", "tests.workflows.events_publisher", str(bot.organization_id), "burst",
             str(count), "0.05"], cwd=REPO, env=process_env(tmp_path, "publisher", REDIS_URL=redis_url),
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert wait_until(lambda: WorkflowEvent.objects.filter(event_name="burst").count() >= count // 3, timeout=30)
        redis.kill()
        redis.wait(10)
        out, err = publisher.communicate(timeout=300)
        assert publisher.returncode == 0, err[-2000:]
        assert out.strip() == str(count)
        published_while_down = WorkflowEvent.objects.filter(event_name="burst").count()
        resumed_while_down = WorkflowExecution.objects.filter(bot=bot, status=ExecutionStatus.COMPLETED).count()
        print(f"\nevents stored: {published_while_down}, runs resumed before Redis came back: {resumed_while_down}")

        redis = start_redis(port, tmp_path)
        done = wait_until(lambda: WorkflowExecution.objects.filter(bot=bot, status=ExecutionStatus.COMPLETED)
                          .count() == count, timeout=60, every=0.25)
        assert done, Counter(WorkflowExecution.objects.filter(bot=bot).values_list("status", flat=True))
    finally:
        if publisher is not None and publisher.poll() is None:
            publisher.kill()
        stop(worker)
        redis.kill()
        redis.wait(10)

    assert published_while_down == count
    for run in runs:
        run.refresh_from_db()
        assert run.output == [f"got {run.input['me']}"]
    assert WorkflowEventConsumption.objects.filter(execution__bot=bot).count() == count


def test_a_timeout_fires_exactly_once_and_never_before_its_deadline(tmp_path):
    from datetime import datetime

    bot = make_bot("sleeper", 'd = WAIT FOR EVENT "never" TIMEOUT 2\nTALK "timed out: " + event_timed_out\n')
    worker = start_worker(tmp_path, "sleeper")
    try:
        run = execution_start(bot=bot)
        assert wait_until(lambda: WorkflowExecution.objects.filter(pk=run.pk, waiting_for="event:never").exists()
                          or WorkflowExecution.objects.filter(pk=run.pk, status=ExecutionStatus.COMPLETED).exists(),
                          timeout=15)
        deadline = datetime.fromisoformat(WorkflowExecution.objects.get(pk=run.pk).wait["deadline"])
        assert wait_until(lambda: WorkflowExecution.objects.filter(pk=run.pk, status=ExecutionStatus.COMPLETED)
                          .exists(), timeout=20)
        time.sleep(2.5)  # let any second firing happen before counting
    finally:
        stop(worker)

    run.refresh_from_db()
    fired = list(WorkflowEvent.objects.filter(event_name="timeout_occurred", workflow=run))
    print(f"\ntimeout lateness: {(fired[0].created_at - deadline).total_seconds() * 1000:.0f} ms" if fired else "")
    assert len(fired) == 1 and fired[0].event_data == {"event": "never", "timeout": 2}
    assert fired[0].created_at >= deadline
    assert run.output == ["timed out: true"]
