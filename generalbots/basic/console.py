"""ConsoleHost and ``run_script``: run a .bas file in a terminal (``python manage.py gb run``).

Choices for a run with no platform behind it:

- TALK prints a line. HEAR takes the ``--input`` values first (echoed as ``> answer``), then
  reads stdin; at end of input the answer is "none" (the HEAR's DEFAULT, else NULL).
- WAIT / DELAY and step back-offs really sleep, but at most ``MAX_SLEEP`` seconds each (the
  line says so when a wait is cut short).
- LLM, REWRITE and DELEGATE answer offline: ``[offline] <prompt>``.
- HTTP goes out through the ``http`` function the caller passes (``gb run`` passes the
  platform's guarded one: total deadline, size limit, no private addresses, no redirects).
  The language itself has no network code, so without one the HTTP keywords fail clearly.
- Memory, tables and files live in memory for the length of the run; the columns of a table
  (``SAVE "t", v1, v2`` by position) come from ``TABLE`` in the script or a ``tables.bas`` of
  the package.
- ``KB STATISTICS`` counts the package's own ``NAME.gbkb/<kb>/`` files through the
  ``kb_statistics`` function the caller passes (``gb run`` passes
  ``memory.services.kb_folder_statistics``: documents, chunks, bytes, recently changed, per
  base and in total; nothing is indexed, so ``collection`` is empty); without one it fails
  clearly. ``USE KB``, ``CLEAR KB`` and ``USE WEBSITE`` change nothing.
- Nothing can happen in the outside world while the script waits, so WAIT FOR EVENT times out
  at once, HUMAN APPROVAL times out (the ON TIMEOUT action applies), BOT steps return no
  variables and no output, and PARALLEL branches run one after the other.
- ``CALL name`` with no such SUB runs ``name.bas`` from the script's folder, its PARAMs taking
  the arguments in order.
"""

from __future__ import annotations

import json
import sys
import time
from collections import deque
from pathlib import Path
from typing import IO, Any, Callable, Iterable

from .errors import BasicError, BasicLimitError, BasicRuntimeError
from .host import BaseHost, declared_columns, memory_store, merge_rows
from .metrics import without_history
from .limits import DEFAULT_LIMITS, Limits
from .values import to_json_text, to_text

MAX_SLEEP = 2.0

# (method, url, body, headers) -> the reply as a BASIC value; raises BasicRuntimeError.
HttpFunction = Callable[[str, Any, Any, dict], Any]
# the package folder (NAME.gbai, or the script's folder outside one) -> KB STATISTICS' object
KbFunction = Callable[[Path], dict]


def package_root(folder: Path) -> Path:
    """The ``NAME.gbai`` folder holding ``folder``, else ``folder`` itself."""
    folder = folder.resolve()
    return next((p for p in (folder, *folder.parents) if p.suffix.lower() == ".gbai"), folder)


class ConsoleHost(BaseHost):
    """A host for terminal runs (see module docstring)."""

    def __init__(self, *, inputs: Iterable[str] = (), stdout: IO[str] | None = None,
                 stdin: IO[str] | None = None, folder: Path | None = None,
                 limits: Limits = DEFAULT_LIMITS, program=None, prefix: str = "",
                 http: HttpFunction | None = None, kb_statistics: KbFunction | None = None):
        self.inputs = deque(inputs)
        self.http_function = http
        self.kb_function = kb_statistics
        self.out = stdout or sys.stdout
        self.stdin = stdin or sys.stdin
        self.folder = folder or Path.cwd()
        self.limits = limits
        self.program = program
        self.prefix = prefix
        self.memory: dict[str, dict] = {"bot": {}, "user": {}, "session": {}, "long": {}}
        self.tables: dict[str, list] = {}

    def say(self, text: str) -> None:
        for line in (text.split("\n") if text else [""]):
            print(self.prefix + line, file=self.out)
        self.out.flush()

    def identity(self, ctx):
        """The terminal's session; the bot is the ``NAME.gbai`` package holding the script
        (else its folder)."""
        folder = self.folder.resolve()
        gbai = next((p for p in (folder, *folder.parents) if p.suffix.lower() == ".gbai"), folder)
        return {"session": "console", "bot": gbai.name.removesuffix(".gbai"),
                "user": ctx.user or "console"}

    # dialog -------------------------------------------------------------------------------
    def talk(self, ctx, text):
        self.say(text)

    def talk_to(self, ctx, who, text):
        self.say(f"(to {to_text(who)}) {text}")

    def hear(self, ctx, spec):
        if self.inputs:
            answer = self.inputs.popleft()
            self.say(f"> {answer}")
            return answer
        line = self.stdin.readline()
        return None if line == "" else line.rstrip("\n")

    def add_suggestion(self, ctx, label, context=None):
        self.say(f"[suggestion] {to_text(label)}")

    def log(self, ctx, text, level="info"):
        self.say(f"[{level}] {text}")

    # LLM ----------------------------------------------------------------------------------
    def llm(self, ctx, prompt, options):
        return f"[offline] {to_text(prompt)}"

    def rewrite(self, ctx, text):
        return f"[offline] {to_text(text)}"

    def delegate(self, ctx, message, bot, timeout=None):
        self.say(f"[delegate to {to_text(bot)}] {to_text(message)}")
        return f"[offline] {to_text(message)}"

    def add_bot(self, ctx, bot, trigger=None):
        self.say(f"[add bot {to_text(bot)}]")

    def kb_statistics(self, ctx):
        if self.kb_function is None:
            raise BasicRuntimeError("KB STATISTICS: this console cannot read knowledge bases "
                                    "(run the script with `python manage.py gb run`)")
        return self.kb_function(package_root(self.folder))

    # memory and data ----------------------------------------------------------------------
    def memory_get(self, ctx, scope, key):
        return memory_store(self.memory, ctx, scope).get(to_text(key))

    def memory_set(self, ctx, scope, key, value):
        memory_store(self.memory, ctx, scope)[to_text(key)] = value

    def remember(self, ctx, key, value, duration=None):
        memory_store(self.memory, ctx, "long")[to_text(key)] = value

    def recall(self, ctx, key):
        return memory_store(self.memory, ctx, "long").get(to_text(key))

    def query_metrics(self, ctx, metric, period, interval, offset):
        return without_history(metric, period, interval, offset)  # no history: zero counts

    def share_memory(self, ctx, key, bot, live=False):
        self.say(f"[share memory {to_text(key)} with {to_text(bot)}]")

    def sync_memory(self, ctx, bot):
        self.say(f"[sync memory from {to_text(bot)}]")

    def find(self, ctx, table, filter=None, where=None):
        rows = self.tables.get(to_text(table), [])
        if type(where) is dict:
            rows = [r for r in rows if all(to_text(r.get(k)) == to_text(v)
                                           for k, v in where.items())]
        if filter:
            col, _, value = to_text(filter).partition("=")
            rows = [r for r in rows if to_text(r.get(col.strip())) == value.strip()]
        return [dict(r) for r in rows]

    def save(self, ctx, table, row):
        self.tables.setdefault(to_text(table), []).append(dict(row))

    def insert(self, ctx, table, row):
        self.tables.setdefault(to_text(table), []).append(dict(row) if type(row) is dict
                                                         else {"value": row})

    def update(self, ctx, table, filter, row):
        self.say(f"[update {to_text(table)}]")

    def delete(self, ctx, table, filter=None):
        self.say(f"[delete from {to_text(table)}]")

    def merge(self, ctx, table, rows, key=None):
        return merge_rows(self.tables.setdefault(to_text(table), []), rows, key)

    def table_columns(self, ctx, table):
        """Declared in the script, else in a ``tables.bas`` of the package (unreadable or
        broken ones are skipped: ``gb check`` reports them)."""
        columns = declared_columns(self.program, table)
        if columns is not None:
            return columns
        for path in sorted(package_root(self.folder).rglob("tables.bas")):
            try:
                columns = declared_columns(load(path), table)
            except (OSError, UnicodeDecodeError, BasicError):
                continue
            if columns is not None:
                return columns
        return None

    # HTTP and files -----------------------------------------------------------------------
    def http(self, ctx, method, url, body, headers):
        if self.http_function is None:
            raise BasicRuntimeError(f"{method} {to_text(url)}: this console has no network access "
                                    "(run the script with `python manage.py gb run`)")
        return self.http_function(method, url, body, headers)

    def read_file(self, ctx, path):
        return memory_store(self.memory, ctx, "long").get(f"file:{to_text(path)}")

    def write_file(self, ctx, path, data):
        memory_store(self.memory, ctx, "long")[f"file:{to_text(path)}"] = data

    def send_mail(self, ctx, to, subject, body):
        self.say(f"[mail to {to_text(to)}] {to_text(subject)}\n{to_text(body)}")

    def send_file(self, ctx, path, caption=None):
        self.say(f"[file {to_text(path)}]")

    def create_task(self, ctx, args):
        self.say(f"[task] {to_json_text(args)}")

    def set_schedule(self, ctx, spec, script=None, name=None):
        target = f" of {to_text(script)}" if script is not None else ""
        self.say(f"[schedule {to_text(spec)}{target} — not scheduled in the console]")

    def webhook(self, ctx, name):
        self.say(f"[webhook {to_text(name)} — not exposed in the console]")

    # workflows ----------------------------------------------------------------------------
    def wait(self, ctx, seconds):
        if seconds > MAX_SLEEP:
            self.say(f"[wait {to_text(seconds)} s — shortened to {MAX_SLEEP:g} s in the console]")
        time.sleep(min(seconds, MAX_SLEEP))

    def workflow_begin(self, ctx, name, budget=None):
        self.say(f"[workflow {to_text(name)}]")

    def workflow_end(self, ctx, name):
        self.say(f"[end workflow {to_text(name)}]")

    def step_begin(self, ctx, label, attempt):
        self.say(f"[step {label}{f' attempt {attempt}' if attempt > 1 else ''}]")

    def step_end(self, ctx, record):
        error = f": {record['error']}" if record.get("error") else ""
        self.say(f"[step {record['label']} {record['status']}{error}]")

    def bot_call(self, ctx, bot, action, variables):
        self.say(f"[bot {to_text(bot)}: {to_text(action)} — no bots in the console]")
        return {"variables": {}, "output": [], "value": None}

    def parallel(self, ctx, branches, variables):
        from .vm import VM
        results = []
        for br in branches:
            host = ConsoleHost(inputs=(), stdout=self.out, stdin=self.stdin,
                               folder=self.folder, limits=self.limits, program=self.program,
                               prefix=f"{self.prefix}[{br['label']}] ", http=self.http_function,
                               kb_statistics=self.kb_function)
            host.inputs = self.inputs
            vm = VM.for_unit(self.program, br["unit"], variables, host, limits=self.limits)
            result = vm.run()
            if result.status == "failed":
                raise BasicRuntimeError(f"branch {br['label']} failed: {result.error}")
            results.append({"label": br["label"], "variables": vm.changed_variables(),
                            "output": []})
        return results

    def approval(self, ctx, approver, timeout=None, escalated_from=None):
        self.say(f"[approval asked from {to_text(approver)} — nobody can answer in the "
                 "console: timed out]")
        return {"status": "timeout", "approver": None, "comment": None}

    def publish_event(self, ctx, name, data=None):
        self.say(f"[event {to_text(name)}{' ' + to_json_text(data) if data is not None else ''}]")

    def wait_event(self, ctx, name, timeout=None, where=None):
        self.say(f"[waiting for event {to_text(name)} — none can arrive in the console: "
                 "timed out]")
        return {"timed_out": True, "data": None}

    def run_script(self, ctx, name, args):
        from .vm import VM
        path = self.folder / f"{name}.bas"
        if not path.is_file():
            raise BasicRuntimeError(f"script {name}.bas not found")
        program = load(path)
        variables = {p.name: v for p, v in zip(program.params, args)}
        vm = VM(program, self, variables=variables, limits=self.limits, nesting=ctx.nesting)
        result = vm.run()
        if result.status == "failed":
            error = result.error
            if isinstance(error, BasicLimitError):  # fatal all the way up, reported once
                passed = BasicLimitError(error.message if getattr(error, "called", False)
                                         else f"{name}.bas failed: {error}")
                passed.called = True
                raise passed
            raise BasicRuntimeError(f"{name}.bas failed: {error}")
        return result.value


def load(path: Path):
    from . import compile_program, parse
    return compile_program(parse(path.read_text(encoding="utf-8"), str(path)))


def run_script(path: str | Path, inputs: Iterable[str] = (), stdout: IO[str] | None = None,
               stdin: IO[str] | None = None, *, limits: Limits = DEFAULT_LIMITS,
               http: HttpFunction | None = None, kb_statistics: KbFunction | None = None) -> int:
    """Run a .bas file in the console; 0 when it finishes, 1 (after printing
    ``path:line:col: message``) when it cannot be read, parsed or run to the end. ``http``
    does the HTTP keywords and ``kb_statistics`` KB STATISTICS (see the module docstring)."""
    from .vm import VM
    out = stdout or sys.stdout
    path = Path(path)
    try:
        program = load(path)
    except OSError as exc:
        print(f"{path}: cannot read: {exc.strerror or exc}", file=out)
        return 1
    except BasicError as exc:
        print(exc.format(str(path)), file=out)
        return 1
    host = ConsoleHost(inputs=inputs, stdout=out, stdin=stdin, folder=path.parent,
                       limits=limits, program=program, http=http, kb_statistics=kb_statistics)
    result = VM(program, host, limits=limits).run()
    if result.status == "failed":
        print(result.error.format(str(path)), file=out)
        return 1
    if result.status == "cancelled":
        print(f"{path}: run cancelled: {to_text(result.value)}", file=out)
        return 1
    if result.value is not None:
        print(f"=> {json.dumps(result.value, ensure_ascii=False, default=to_text)}", file=out)
    return 0
