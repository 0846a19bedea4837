"""Throughput at saturation: workflows started over the REST API as fast as it takes them.

    python bench/throughput.py [--quick] [--runs N] [--clients N]

Starts the platform's server (daphne, as ``make serve``; settings ``bench.settings``: the
platform's URLs plus the Celery reference's start endpoint) and the two Celery workers of
bench/workflows.py, on its database and Redis (the same advisory lock: one bench at a time). Then,
for flows of 1 and of 10 BOT steps, ``--clients`` threads (8) each with its own keep-alive HTTP
connection POST as fast as the answers come until ``--runs`` (1,000; 100 with ``--quick``) have
started: ``POST /api/workflows/`` for ours; for the reference, ``POST /bench/celery-chain/``
(bench/reference_api.py: the same DRF authentication, a state row written, a Celery chain of no-op
tasks each writing its state row). The end of each flow is seen through the NOTIFY its last commit
sends (bench/workflows.py ``NOTIFY_SQL``), on a listener thread.

Prints one JSON object per load: ``workflow_throughput_<steps>`` / ``celery_chain_throughput``
(``steps``): ``median`` = runs completed per second (the runs over the time from the first POST
to the last completion), ``accepted_per_s`` (the rate the API answered the POSTs), ``completion_ms``
(median and p95, from a run's POST being sent to its completion), ``n`` runs, ``cpu_ms_per_run``
(the CPU per run of the server, the workers, the clients, PostgreSQL and Redis); ours also carry
``reference`` (Celery's runs per second in this run) and ``ratio`` = ours / Celery (above 1: ours
completes more runs per second). ``workflow_throughput_<steps>_wait``: the same load of ours with
``"wait": 10`` in each POST, so the server runs each run's first slice itself and answers with the
finished run (docs/api/workflow-api.md); the workers then only keep the sweeper's ticks.
"""

from __future__ import annotations

import itertools
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import workflows as bw  # noqa: E402  (sets the bench's environment first)

RUNS = int(bw._arg("--runs", "100" if bw.QUICK else "1000"))
CLIENTS = int(bw._arg("--clients", "8"))
WARM_UP = 10
SERVER_LOG = Path(bw.ENV["GB_DATA_DIR"]) / "server.log"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(port: int) -> subprocess.Popen:
    # DB_CONN_MAX_AGE 0, as `make serve`: Django's ASGI handler runs each request in a thread of
    # its own, so a kept connection outlived its thread until garbage collection, and past
    # PostgreSQL's 100 connections a start failed with "too many clients" (a 500).
    env = {**bw.ENV, "DJANGO_SETTINGS_MODULE": "bench.settings", "PYTHONPATH": str(bw.REPO), "DB_CONN_MAX_AGE": "0"}
    with open(SERVER_LOG, "ab") as log:  # what a refused start (a 500) says: its traceback
        proc = subprocess.Popen([sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port),
                                 "generalbots.asgi:application"], cwd=bw.REPO, env=env, stdout=log,
                                stderr=log, start_new_session=True)
    end = time.monotonic() + 60
    while time.monotonic() < end:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return proc
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("the bench's daphne did not start listening")


class Completions:
    """When each flow ended, from the NOTIFY of its last commit (its own connection and thread)."""

    def __init__(self) -> None:
        import psycopg

        self.conn = psycopg.connect(bw.DB.replace("postgres://", "postgresql://", 1), autocommit=True)
        self.conn.execute("LISTEN bench_done")
        self.done: dict[str, float] = {}
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._listen, daemon=True)
        self.thread.start()

    def _listen(self) -> None:
        while not self.stop.is_set():
            for note in self.conn.notifies(timeout=0.2):
                self.done[note.payload] = time.perf_counter()

    def wait(self, keys: list[str], timeout: float) -> None:
        end = time.monotonic() + timeout
        while any(k not in self.done for k in keys):
            if time.monotonic() > end:
                missing = sum(k not in self.done for k in keys)
                raise RuntimeError(f"{missing} of {len(keys)} flows did not finish within {timeout} s")
            time.sleep(0.05)

    def close(self) -> None:
        self.stop.set()
        self.thread.join()
        self.conn.close()


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int, *, tree: bool = False) -> float:
    """User + system CPU seconds of process ``pid`` (``tree``: and of its live children), from
    /proc; a process that has gone counts 0."""
    pids = [pid]
    if tree:
        pids += [int(p) for p in subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()]
    total = 0
    for one in pids:
        try:
            fields = Path(f"/proc/{one}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return total / CLOCK_TICKS


def service_cpu(name: str) -> dict[int, float]:
    """CPU seconds so far of each live process named ``name`` (``postgres``, ``redis-server``)."""
    pids = subprocess.run(["pgrep", "-x", name], capture_output=True, text=True).stdout.split()
    return {int(pid): cpu_seconds(int(pid)) for pid in pids}


def cpu_split(server, workers) -> dict:
    """CPU seconds so far of the server, of the workers (their processes and pool children), of
    this process (the clients and the listener), and of each PostgreSQL and Redis process (all
    of the machine's: run the bench on a quiet one)."""
    return {"server": cpu_seconds(server.pid), "workers": sum(cpu_seconds(w.pid, tree=True) for w in workers),
            "client": time.process_time(), "postgres": service_cpu("postgres"), "redis": service_cpu("redis-server")}


def cpu_spent(before: dict, after: dict) -> dict[str, float]:
    """CPU seconds between two ``cpu_split``; for the services, what the processes alive at the
    end used since the start (or since they began; a backend that ended in between is not
    counted, and the pool keeps the server's backends for the whole load)."""
    return {key: (sum(cpu - before[key].get(pid, 0.0) for pid, cpu in value.items()) if isinstance(value, dict)
                  else value - before[key]) for key, value in after.items()}


def load(url: str, token: str, body: dict, prefix: str, count: int, completions: Completions,
         procs: tuple | None = None) -> dict:
    """Start ``count`` flows from ``CLIENTS`` threads as fast as the server answers; wait for them.
    ``procs`` (the server, the workers): also the CPU each spent per run, in ms."""
    import requests

    before = cpu_split(*procs) if procs else None

    sent: dict[str, float] = {}
    answered: list[float] = []
    counter = itertools.count()
    errors: list[str] = []

    def client() -> None:
        with requests.Session() as session:
            session.headers["Authorization"] = f"Token {token}"
            while next(counter) < count and not errors:
                t0 = time.perf_counter()
                response = session.post(url, json=body)
                if response.status_code != 201:
                    errors.append(f"{response.status_code} {response.text[:300]}")
                    return
                sent[prefix + response.json()["id"]] = t0
                answered.append(time.perf_counter())

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise RuntimeError(f"{url} refused a start: {errors[0]} (the server's log: {SERVER_LOG})")
    keys = list(sent)
    completions.wait(keys, timeout=120 + count)
    first = min(sent.values())
    latencies = sorted((completions.done[k] - sent[k]) * 1000 for k in keys)
    row = {"median": round(count / (max(completions.done[k] for k in keys) - first), 2),
           "accepted_per_s": round(count / (max(answered) - first), 2), "n": count,
           "completion_ms": {"median": round(statistics.median(latencies), 2),
                             "p95": round(latencies[min(count - 1, int(count * 0.95))], 2)}}
    if before is not None:
        spent = cpu_spent(before, cpu_split(*procs))
        row["cpu_ms_per_run"] = {k: round(v * 1000 / count, 2) for k, v in spent.items()}
    return row


def main() -> None:
    lock, _ = bw.bench_setup(steps=(1, 10))
    from django.contrib.auth import get_user_model
    from rest_framework.authtoken.models import Token

    user, _ = get_user_model().objects.get_or_create(username="bench-throughput",
                                                     defaults={"is_superuser": True, "is_staff": True})
    token = Token.objects.get_or_create(user=user)[0].key

    port = free_port()
    procs = [start_server(port), bw.start_worker("w1", beat=True), bw.start_worker("w2")]
    measured = (procs[0], procs[1:])
    completions = Completions()
    base = f"http://127.0.0.1:{port}"
    ours_url, ref_url = f"{base}/api/workflows/", f"{base}/bench/celery-chain/"
    try:
        time.sleep(6)  # the workers connect and import their tasks
        load(ours_url, token, {"bot": "flow1"}, "run:", WARM_UP, completions)
        load(ref_url, token, {"steps": 1}, "flow:", WARM_UP, completions)
        for steps in (1, 10):
            ref = load(ref_url, token, {"steps": steps}, "flow:", RUNS, completions, measured)
            print(json.dumps({"name": "celery_chain_throughput", "unit": "runs/s", **ref, "p95": ref["median"],
                              "steps": steps, "clients": CLIENTS}), flush=True)
            for name, body in ((f"workflow_throughput_{steps}", {"bot": f"flow{steps}"}),
                               (f"workflow_throughput_{steps}_wait", {"bot": f"flow{steps}", "wait": 10})):
                mine = load(ours_url, token, body, "run:", RUNS, completions, measured)
                print(json.dumps({"name": name, "unit": "runs/s", **mine, "p95": mine["median"], "steps": steps,
                                  "clients": CLIENTS, "reference": ref["median"],
                                  "ratio": round(mine["median"] / ref["median"], 3)}), flush=True)
    finally:
        completions.close()
        bw.stop_workers(procs)
        lock.close()


if __name__ == "__main__":
    main()
