"""What the browser tests share: Debian's Chromium and a Daphne server on the test database."""

import os
import socket
import subprocess
import tempfile
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from tests.conftest import REPO, clean_env, free_port

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def screenshots(folder: str) -> Path:
    """Where the browser tests put their screenshots: ``folder`` under the repository (the
    guides' images) with ``GB_REFRESH_SCREENSHOTS=1`` (``make screenshots``), otherwise a folder
    under the temporary directory, so a test run leaves the checkout as it found it."""
    if os.environ.get("GB_REFRESH_SCREENSHOTS") == "1":
        path = REPO / folder
    else:
        path = Path(tempfile.gettempdir()) / "gb-screenshots" / folder
    path.mkdir(parents=True, exist_ok=True)
    return path


@contextmanager
def daphne_server(tmp_path: Path, *, port: int | None = None, env: dict[str, str] | None = None):
    """Daphne serving the platform on the test database and on this process's channel-layer
    prefix (so what this process publishes reaches the browser's websocket); yields its URL.
    ``port`` lets a test stop the server and start another at the same address; ``env`` adds
    settings of the server's environment (``GB_...``)."""
    port = port or free_port()
    db = connection.settings_dict
    env = clean_env(
        DJANGO_SETTINGS_MODULE="generalbots.settings.test",
        DATABASE_URL=f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}",
        GB_CHANNEL_PREFIX=settings.CHANNEL_LAYERS["default"]["CONFIG"]["prefix"],
        GB_STORAGE_DIR=str(tmp_path / "storage"),
        **(env or {}),
    )
    log_path = tmp_path / "daphne.log"
    with log_path.open("a") as log:
        process = subprocess.Popen([str(Path(sys.executable).with_name("daphne")), "-b", "127.0.0.1", "-p", str(port),
                                    "generalbots.asgi:application"], cwd=REPO, env=env, stdout=log,
                                   stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                    break
                except OSError:
                    if process.poll() is not None or time.monotonic() > deadline:
                        pytest.fail("Daphne did not start:\n" + log_path.read_text())
                    time.sleep(0.1)
            yield f"http://127.0.0.1:{port}"
        finally:
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()


def in_thread(function, *args):
    """Run ORM code from inside Playwright's sync API, whose event loop makes Django refuse
    database calls in this thread: in a thread of its own, closing its connection after."""
    def closing():
        try:
            return function(*args)
        finally:
            connection.close()
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(closing).result()


def log_in(page, address: str, username: str, password: str = "s3cret-pass") -> None:
    """Open ``address`` (a page behind the login) and log in on the form it redirects to."""
    page.goto(address)
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
