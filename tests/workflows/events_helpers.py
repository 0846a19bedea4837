"""Processes for the live event tests: Celery workers (with beat: the sweeper), a Redis server
of their own, and a publisher process."""

import os
import socket
import subprocess
import sys
import time

from django.db import connection

from tests.conftest import REPO, free_port  # noqa: F401  (re-exported for the event tests)


def database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def process_env(tmp_path, name: str, **extra) -> dict:
    (tmp_path / name).mkdir(exist_ok=True)
    return {**os.environ, "DJANGO_SETTINGS_MODULE": "generalbots.settings.test", "DATABASE_URL": database_url(),
            "GB_DATA_DIR": str(tmp_path / name), **extra}


def start_worker(tmp_path, name: str, *, concurrency: int = 2, **env) -> subprocess.Popen:
    """A ``celery worker -B`` (beat runs the sweeper every second) on the test database."""
    return subprocess.Popen([sys.executable, "-m", "celery", "-A", "generalbots", "worker", "-B", "-c",
                             str(concurrency), "--loglevel=WARNING", "-n", f"{name}@%h"], cwd=REPO,
                            env=process_env(tmp_path, name, **env), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)


def stop(process: subprocess.Popen, sig=None) -> None:
    import signal
    if process.poll() is None:
        os.killpg(process.pid, sig or signal.SIGTERM)
    try:
        process.wait(20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(5)


def start_redis(port: int, tmp_path) -> subprocess.Popen:
    """A throw-away redis-server on ``port`` (no persistence), ready when this returns."""
    process = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                "--appendonly", "no", "--dir", str(tmp_path)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2) as sock:
                sock.sendall(b"PING\r\n")
                if sock.recv(16).startswith(b"+PONG"):
                    return process
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"redis-server did not start on port {port}")


def wait_until(check, *, timeout: float, every: float = 0.1) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(every)
    return check()
