"""Batch runs (``gb run --batch``): every ``.bas`` under some paths, one after the other in one
process, each with a fresh host and its own time limit, reported as one line (or one JSON
entry) per file: ``completed``, ``waiting`` or ``error`` with the line and the message.

Choices:

- ``HEAR`` takes the inputs in order; when they run out the script is ``waiting`` (at that
  HEAR's line) and stops there. Nothing is read from standard input.
- TALK output is not printed; WAIT / DELAY do not sleep (the run only notes them).
- Offline (``offline=True``): HTTP keywords answer from a local fake: an empty JSON object, or
  the JSON text of the bot's ``offline-http-reply`` setting; relative URLs resolve against the
  bot's ``api-url`` (the ``config.csv`` of the ``NAME.gbai`` package holding the file); mail, SMS and
  templates are recorded; LLM calls get the console's offline answer; ``GET IMAGE`` gives a
  placeholder URL, ``SEE`` the offline model's answer, ``SCAN BARCODE`` NULL (no barcode read)
  and ``POST TO <network>`` is recorded; ``KB STATISTICS`` counts the package's ``.gbkb`` files
  (through the ``kb_statistics`` function the caller passes, as in ``console``); a bot without
  ``api-url`` gets ``https://api.offline.invalid`` for relative
  URLs. Online, HTTP goes through the ``http`` function the caller passes and SMS and images
  are not available.
- Files (READ, WRITE, COPY, MOVE, DELETE FILE, LIST/DIR, UPLOAD, DOWNLOAD) live in memory for
  the run, online or not. ``ALLOW ROLE`` passes offline (the fake user has every role, so the
  rest of the script is exercised) and denies online (a batch run has no real user).
- The time limit is wall-clock (``SIGALRM``, so batch runs belong on the main thread of a
  Unix process); a script past it is an ``error`` "took longer than S s".
"""

from __future__ import annotations

import csv
import io
import json
import signal
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from .checking import iter_bas_files
from .console import ConsoleHost, HttpFunction, KbFunction, load
from .errors import BasicError
from .host import Suspend
from .values import from_json_text, to_text
from .vm import VM


OFFLINE_API_URL = "https://api.offline.invalid"


class _TimeUp(BaseException):
    """Raised by the alarm; a BaseException so that no ``except Exception`` in the VM or a
    host turns it into a script error."""


@dataclass(frozen=True, slots=True)
class FileOutcome:
    path: str
    outcome: str  # "completed" | "waiting" | "error"
    line: int | None
    message: str
    seconds: float
    # what the script sent offline, in order: ("mail", to, subject), ("sms", to, text),
    # ("template", name, to) — recorded, never sent; not part of the JSON report
    sent: tuple[tuple[str, ...], ...] = ()

    def as_dict(self) -> dict:
        return {"path": self.path, "outcome": self.outcome, "line": self.line,
                "message": self.message, "seconds": self.seconds}


def package_config(path: Path) -> dict[str, str]:
    """The ``config.csv`` rows (``name,value``; ``#`` comments) of the ``NAME.gbai`` package
    holding ``path``; empty outside a package or without the file."""
    folder = path.resolve().parent
    gbai = next((p for p in (folder, *folder.parents) if p.suffix.lower() == ".gbai"), None)
    if gbai is None:
        return {}
    config: dict[str, str] = {}
    for csv_path in sorted(gbai.glob("*.gbot/config.csv")):
        try:
            text = csv_path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            continue
        for row in csv.reader(io.StringIO(text)):
            if len(row) >= 2 and row[0].strip() and not row[0].lstrip().startswith("#"):
                config[row[0].strip().lower()] = ",".join(row[1:]).strip()
    return config


class BatchHost(ConsoleHost):
    """The console host with the batch choices of the module docstring."""

    def __init__(self, *, inputs: Iterable[str], folder: Path, config: dict[str, str],
                 offline: bool, http: HttpFunction | None, program=None,
                 kb_statistics: KbFunction | None = None):
        super().__init__(inputs=inputs, stdout=io.StringIO(), stdin=io.StringIO(),
                         folder=folder, program=program, http=http, kb_statistics=kb_statistics)
        self.config = config
        self.offline = offline
        self.waiting_line: int | None = None
        self.sent: list[tuple[str, ...]] = []

    def hear(self, ctx, spec):
        if self.inputs:
            return self.inputs.popleft()
        self.waiting_line = ctx.line
        return Suspend({"kind": "hear"})

    def wait(self, ctx, seconds):
        return None

    def config_get(self, ctx, key):
        key = to_text(key).lower()
        if key == "api-url" and self.offline and not self.config.get(key):
            return OFFLINE_API_URL
        return self.config.get(key)

    def generate_image(self, ctx, prompt):
        if not self.offline:
            return super().generate_image(ctx, prompt)
        return OFFLINE_API_URL + "/image.png"

    def describe_image(self, ctx, image):
        if not self.offline:
            return super().describe_image(ctx, image)
        return self.llm(ctx, "Describe this image: " + to_text(image), {"task": "vision"})

    def scan_barcode(self, ctx, image):
        if not self.offline:
            return super().scan_barcode(ctx, image)
        self.sent.append(("barcode", to_text(image)))
        return None  # the offline fake reads no barcode

    def social_post(self, ctx, platform, media, caption, at=None):
        if not self.offline:
            return super().social_post(ctx, platform, media, caption, at)
        self.sent.append(("social", to_text(platform), to_text(caption)))

    def user_roles(self, ctx):
        if not self.offline:
            return super().user_roles(ctx)
        return ["*"]

    # files: in memory, keyed "file:<path>" like the console's READ / WRITE
    def _files(self) -> dict:
        return self.memory["long"]

    def copy_file(self, ctx, source, destination):
        self._files()[f"file:{to_text(destination)}"] = self._files().get(f"file:{to_text(source)}")

    def move_file(self, ctx, source, destination):
        self.copy_file(ctx, source, destination)
        self.delete_file(ctx, source)

    def delete_file(self, ctx, path):
        self._files().pop(f"file:{to_text(path)}", None)

    def list_files(self, ctx, path):
        folder = "file:" + to_text(path).strip("/") + "/"
        return sorted(k[5:] for k in self._files() if k.startswith(folder))

    def upload(self, ctx, path, data=None):
        self._files()[f"file:uploads/{to_text(path)}"] = data
        return f"uploads/{to_text(path)}"

    def download(self, ctx, url, path=None):
        target = to_text(path) if path not in (None, "") else \
            to_text(url).split("?")[0].rstrip("/").rsplit("/", 1)[-1] or "download"
        self._files()[f"file:{target}"] = ""
        return target

    def http(self, ctx, method, url, body, headers):
        if not self.offline:
            return super().http(ctx, method, url, body, headers)
        reply = self.config.get("offline-http-reply")
        return from_json_text(reply) if reply else {}

    def send_mail(self, ctx, to, subject, body):
        self.sent.append(("mail", to_text(to), to_text(subject)))

    def send_sms(self, ctx, to, text):
        if not self.offline:
            return super().send_sms(ctx, to, text)
        self.sent.append(("sms", to_text(to), to_text(text)))

    def send_template(self, ctx, name, to, data=None):
        if not self.offline:
            return super().send_template(ctx, name, to, data)
        self.sent.append(("template", to_text(name), to_text(to)))


def run_file(path: Path, *, inputs: Iterable[str] = (), offline: bool = False,
             timeout: float = 10.0, http: HttpFunction | None = None,
             kb_statistics: KbFunction | None = None) -> FileOutcome:
    """Run one script to its end, to a HEAR with no input left, or to ``timeout`` seconds."""
    started = time.perf_counter()

    host = None

    def outcome(kind: str, line: int | None, message: str) -> FileOutcome:
        return FileOutcome(str(path), kind, line, message,
                           round(time.perf_counter() - started, 4),
                           tuple(host.sent) if host is not None else ())

    def time_up(signum, frame):
        raise _TimeUp()

    previous = signal.signal(signal.SIGALRM, time_up)
    signal.setitimer(signal.ITIMER_REAL, max(timeout, 0.001))
    try:
        try:
            program = load(path)
        except OSError as exc:
            return outcome("error", None, f"cannot read: {exc.strerror or exc}")
        except BasicError as exc:
            return outcome("error", exc.line or None, exc.message)
        host = BatchHost(inputs=inputs, folder=path.parent, config=package_config(path),
                         offline=offline, http=http, program=program,
                         kb_statistics=kb_statistics)
        result = VM(program, host).run()
    except _TimeUp:
        return outcome("error", None, f"took longer than {timeout:g} s")
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    if result.status == "suspended":
        wait = result.wait or {}
        what = "an answer (HEAR)" if wait.get("kind") == "hear" else wait.get("kind", "input")
        return outcome("waiting", host.waiting_line, f"waiting for {what}")
    if result.status == "failed":
        return outcome("error", result.error.line or None, result.error.message)
    if result.status == "cancelled":
        return outcome("error", None, f"run cancelled: {to_text(result.value)}")
    return outcome("completed", None, "")


def run_batch(paths: Iterable[str | Path], **options: Any) -> list[FileOutcome]:
    """``run_file`` for every ``.bas`` under ``paths`` (folders walked recursively)."""
    return [run_file(path, **options) for path in iter_bas_files(paths)]


def format_text(outcomes: list[FileOutcome]) -> str:
    lines = []
    for o in outcomes:
        where = f":{o.line}" if o.line else ""
        detail = f": {o.message}" if o.message else ""
        lines.append(f"{o.path}{where}: {o.outcome}{detail} ({o.seconds:.3f} s)")
    counts = {k: sum(1 for o in outcomes if o.outcome == k)
              for k in ("completed", "waiting", "error")}
    lines.append(f"ran {len(outcomes)} files: {counts['completed']} completed, "
                 f"{counts['waiting']} waiting, {counts['error']} with errors")
    return "\n".join(lines)


def format_json(outcomes: list[FileOutcome]) -> str:
    return json.dumps({"files": [o.as_dict() for o in outcomes]}, ensure_ascii=False, indent=2)
