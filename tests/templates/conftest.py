"""Shared fixtures of the workflow-template tests: real Celery workers (with beat, so the
sweeper fires timers and timeouts), a template installed the way a user installs one (copy the
folder, fill in its ``param-*`` rows, ``gb load``), and an API client of an operator of its bots.

Everything a test does to a run goes through the REST API: start it, decide its approvals,
publish events, read its outputs.
"""

import csv
import io
import json
import os
import signal
import shutil
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from generalbots.bots.models import Bot, BotAccess
from tests import factories
from tests.conftest import REPO
from tests.workflows.conftest import api  # noqa: F401  (the API client fixture, shared)
from tests.workflows.events_helpers import start_worker, stop

TEMPLATES = REPO / "bottemplates"
FINISHED = ("completed", "failed", "cancelled")


@pytest.fixture(scope="module")
def workers(django_db_setup, tmp_path_factory):
    """Two ``celery worker -B`` processes on the test database, for the whole module (the tests
    that use them need ``transactional_db``: the workers see only committed rows). Not shared
    with the next module: a worker has its own local Qdrant folder, so one left running would
    index a module's knowledge base where that module's own process cannot search it."""
    folder = tmp_path_factory.mktemp("workers")
    started = [start_worker(folder, f"tpl{n}", concurrency=1) for n in (1, 2)]
    yield started
    for process in started:  # both at once, and cold: the tests are over, nothing is left to finish
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGQUIT)
    for process in started:
        stop(process)


@pytest.fixture
def template_org():
    """The organization templates are installed into."""
    return factories.OrganizationFactory(name="Templates Inc", slug="templates-inc")


@pytest.fixture
def operators():
    """The group granted the operator right on every bot ``install_template`` loads."""
    return Group.objects.create(name="template-operators")


@pytest.fixture
def template_user(operators):
    user = factories.UserFactory(username="tess")
    user.groups.add(operators)
    return user


@pytest.fixture
def api_client(api, template_user):  # noqa: F811  (``api`` is the fixture imported above)
    """An API client of ``tess``, an operator (through her group) of the installed templates."""
    return api(template_user)


def _set_rows(config: Path, rows: dict[str, str]) -> None:
    """Replace (or append) ``name,value`` rows of a config.csv, keeping comments and order."""
    lines = config.read_text(encoding="utf-8").splitlines()
    pending = dict(rows)
    out = []
    for line in lines:
        name = line.split(",", 1)[0].strip()
        if name in pending and not line.lstrip().startswith("#"):
            out.append(_row(name, pending.pop(name)))
        else:
            out.append(line)
    out.extend(_row(name, value) for name, value in pending.items())
    config.write_text("\n".join(out) + "\n", encoding="utf-8")


def _row(name: str, value: str) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow([name, value])
    return buffer.getvalue()


def _text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


@pytest.fixture
def install_template(tmp_path, template_org, operators):
    """``install_template(name, configs=None, **params)``: copy ``bottemplates/<name>/`` to a
    temporary folder, set ``param-<key>`` rows of the workflow bot (``<name>.gbai``) from
    ``params`` — and, from ``configs`` (``{bot: {row: value}}``), any row of any of its bots —,
    load it with ``gb load --organization``, grant ``operators`` every bot; returns
    ``{name: Bot}``."""

    def install(name: str, *, configs: dict[str, dict] | None = None, **params) -> dict[str, Bot]:
        folder = tmp_path / "templates" / name
        shutil.copytree(TEMPLATES / name, folder)
        rows = {}
        rows[name] = {f"param-{key}": _text(value) for key, value in params.items()}
        for bot, extra in (configs or {}).items():
            rows.setdefault(bot, {}).update({key: _text(value) for key, value in extra.items()})
        for bot, changes in rows.items():
            config = folder / f"{bot}.gbai" / f"{bot}.gbot" / "config.csv"
            assert config.is_file(), f"the template {name} has no bot {bot}"
            _set_rows(config, changes)
        out = io.StringIO()
        call_command("gb", "load", str(folder), "--organization", template_org.slug, stdout=out)
        assert "failed" not in out.getvalue() and "problem" not in out.getvalue(), out.getvalue()
        names = [p.name.removesuffix(".gbai") for p in folder.glob("*.gbai")]
        bots = {bot.name: bot for bot in Bot.objects.filter(name__in=names, organization=template_org)}
        assert sorted(bots) == sorted(names), out.getvalue()
        for bot in bots.values():
            BotAccess.objects.create(bot=bot, group=operators, can_operate=True)
        return bots

    return install


def start_run(client, bot: str, variables: dict | None = None) -> str:
    """``POST /api/workflows/``: start ``bot`` with ``variables``; returns the run id."""
    response = client.post("/api/workflows/", {"bot": bot, "variables": variables or {}}, format="json")
    assert response.status_code == 201, response.json()
    return response.json()["id"]


def get_run(client, run_id: str) -> dict:
    response = client.get(f"/api/workflows/{run_id}/")
    assert response.status_code == 200, response.json()
    return response.json()


def wait_run(client, run_id: str, statuses, timeout: float = 30, *, waiting_for: str | None = None,
             until=None) -> dict:
    """Poll ``GET /api/workflows/<id>/`` until the run's status is one of ``statuses`` (and, with
    ``waiting_for``, it waits for that; with ``until``, ``until(run)`` is true); returns the run.
    Fails naming what it saw."""
    statuses = (statuses,) if isinstance(statuses, str) else tuple(statuses)
    deadline = time.monotonic() + timeout
    while True:
        body = get_run(client, run_id)
        if body["status"] in statuses and (waiting_for is None or body["waiting_for"] == waiting_for) and (
                until is None or until(body)):
            return body
        if time.monotonic() > deadline or (body["status"] in FINISHED and body["status"] not in statuses):
            raise AssertionError(f"run {run_id} is {body['status']} (waiting for {body['waiting_for']!r}), not "
                                 f"{statuses} {waiting_for or ''} (waited at most {timeout} s): error={body['error']!r}")
        time.sleep(0.2)


def pending_approvals(client, run_id: str) -> list[dict]:
    """``GET /api/approvals/?status=pending`` of one run, oldest first."""
    results = client.get("/api/approvals/", {"status": "pending", "limit": 1000}).json()["results"]
    return sorted((a for a in results if a["run"] == run_id), key=lambda a: a["created_at"])


def decide(client, approval: dict, verdict: str = "approve", comment: str = "") -> dict:
    """``POST /api/approvals/<id>/approve`` (or ``reject``) with a comment; returns the request."""
    response = client.post(f"/api/approvals/{approval['id']}/{verdict}", {"comment": comment}, format="json")
    assert response.status_code == 200, response.json()
    return response.json()


def publish(client, name: str, data: dict | None = None) -> dict:
    """``POST /api/events/``: publish one event as the operator."""
    response = client.post("/api/events/", {"name": name, "data": data or {}}, format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def talk_output(run: dict) -> list[str]:
    """What the run and its steps said, in step order (the ``output`` of each step)."""
    return [step["output"] for step in run["steps"] if step.get("output")]


class DownService:
    """A local HTTP service that is down: every request is answered ``status`` (503) and its
    JSON body is kept in ``received``; ``url`` is its address (give the calling bot
    ``http-allow-private,true``: it is on this machine)."""

    def __init__(self, status: int = 503):
        self.received: list = []
        service = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _answer(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                service.received.append(json.loads(body) if body else None)
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            do_GET = do_POST = do_PUT = _answer

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._httpd.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}/"

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


@pytest.fixture
def down_service():
    service = DownService()
    yield service
    service.stop()


def template_files_report(*paths: str) -> tuple[dict, dict]:
    """``gb check --json`` and ``gb roundtrip --json`` of the template folders, as data."""
    from tests.conftest import gb

    checked = gb("check", "--json", *paths)
    tripped = gb("roundtrip", "--json", *paths)
    return {"status": checked[0], **json.loads(checked[1])}, {"status": tripped[0], **json.loads(tripped[1])}


def table(bot: str, name: str) -> list[dict]:
    """The rows of a bot's table (what the admin's *Bot table rows* shows), oldest first."""
    from memory.selectors import table_rows

    return [row.data for row in table_rows(bot=Bot.objects.get(name=bot), table=name)]
