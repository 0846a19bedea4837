"""The path a new user takes: clone, ``make setup``, ``make run``, use it, Ctrl-C.

Runs in a fresh clone of the committed HEAD. The virtual environment of this test run is
reused (``VENV``) so pip has nothing to do; everything else — the SQLite database, the secret
key, the admin user — starts from nothing.
"""

import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import REPO, clean_env, free_port

pytestmark = pytest.mark.slow


def wait_until_ok(url: str, process: subprocess.Popen, log: Path, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"server exited with {process.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError):
            pass
        time.sleep(0.3)
    pytest.fail(f"{url} never answered 200:\n{log.read_text()}")


def server_pid(parent: int) -> int:
    """The ``manage.py`` process below ``parent`` (make runs it as a child)."""
    pending = [parent]
    while pending:
        pid = pending.pop()
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        if b"manage.py" in cmdline:
            return pid
        for task in Path(f"/proc/{pid}/task").iterdir():
            pending += [int(child) for child in (task / "children").read_text().split()]
    raise AssertionError("no manage.py process found")


def serve(command: list[str], clone: Path, env: dict, log: Path) -> tuple[int, str]:
    """Start the server, check its pages, press Ctrl-C on it; returns (exit code, output)."""
    with log.open("w") as out:
        process = subprocess.Popen(
            command, cwd=clone, env=env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    try:
        base = f"http://127.0.0.1:{env['GB_PORT']}"
        wait_until_ok(f"{base}/healthz", process, log)
        wait_until_ok(f"{base}/admin/login/", process, log)
        os.kill(server_pid(process.pid), signal.SIGINT)
        code = process.wait(timeout=60)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    return code, log.read_text()


def test_clean_clone_sets_up_serves_and_stops_on_ctrl_c(tmp_path):
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "--quiet", str(REPO), str(clone)], check=True, timeout=120)
    env = clean_env(VENV=sys.prefix, GB_PORT=str(free_port()))

    setup = subprocess.run(["make", "setup"], cwd=clone, env=env, capture_output=True, text=True, timeout=900)
    first_code, first = serve(["make", "run"], clone, env, tmp_path / "first.log")
    second_code, second = serve(
        [f"{sys.prefix}/bin/python", "manage.py", "gb", "serve"], clone, env, tmp_path / "second.log"
    )

    assert setup.returncode == 0, setup.stdout + setup.stderr
    assert "is up to date" in setup.stdout
    assert (clone / "var" / "generalbots.sqlite3").is_file()

    assert first_code == 0, first
    assert f"General Bots is running at http://127.0.0.1:{env['GB_PORT']}/" in first
    assert re.search(r"login:\s+admin / \S{12,}", first), first
    assert "Stopped." in first and "Traceback" not in first

    assert second_code == 0, second
    assert "existing superuser 'admin' (password unchanged)" in second
    assert "Stopped." in second and "Traceback" not in second


@pytest.mark.parametrize(("environment", "bound"), [({}, "127.0.0.1"), ({"GB_HOST": "0.0.0.0"}, "0.0.0.0")])
def test_make_serve_listens_on_loopback_unless_gb_host_says_otherwise(environment, bound):
    result = subprocess.run(["make", "-n", "serve"], cwd=REPO, capture_output=True, text=True, timeout=60,
                            env=clean_env(**environment), stdin=subprocess.DEVNULL)

    assert result.returncode == 0, result.stderr
    daphne = next(line for line in result.stdout.splitlines() if "daphne" in line)
    assert f"--bind {bound} " in daphne
