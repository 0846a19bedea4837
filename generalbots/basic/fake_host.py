"""FakeHost, the deterministic host of tests and golden programs, and ``drive``.

``FakeHost`` records a transcript (a list of strings) of every effect: a TALK is its text as
is, a HEAR answer is ``> answer``, every other effect is ``[KEYWORD args...]`` with text
arguments JSON-quoted (see ``show``). It answers from canned data (HEAR answers in order, LLM,
BOT, HTTP, event, approval, DELEGATE and CALL replies) and keeps memory and tables in dicts.

With ``suspend_everywhere=True`` every call that may suspend (HEAR, WAIT/DELAY, WAIT FOR EVENT,
HUMAN APPROVAL, BOT, PARALLEL, DELEGATE, CALL of a script) returns ``Suspend`` and keeps the
answer it would have given in ``pending``; ``drive`` then JSON round-trips the VM state,
restores it in a fresh VM and resumes with that answer. The transcript must be the same as in
a straight run.
"""


from __future__ import annotations

import json
from collections import deque
from typing import Any, Callable

from .compiler import compile_program
from .errors import BasicRuntimeError
from .frame import MISSING
from .host import BaseHost, Suspend, memory_store, merge_rows
from .metrics import without_history
from .limits import DEFAULT_LIMITS, Limits
from .parser import parse
from .values import decode_value, to_json_text, to_text
from .vm import VM


def show(v) -> str:
    """How an argument appears in a transcript: text JSON-quoted, NULL as NULL, lists and
    objects as compact JSON, numbers and booleans as BASIC prints them."""
    if type(v) is str:
        return json.dumps(v, ensure_ascii=False)
    if v is None:
        return "NULL"
    if type(v) in (list, dict):
        return to_json_text(v)
    return to_text(v)


class FakeHost(BaseHost):
    """A deterministic host for tests (see module docstring)."""

    def __init__(self, *, answers=(), llm: dict | Callable | None = None,
                 bots: dict | None = None, http: dict | None = None,
                 events: dict | None = None, approvals=(), delegates: dict | None = None,
                 scripts: dict | None = None, suspend_everywhere: bool = False,
                 program=None, limits: Limits = DEFAULT_LIMITS, prefix: str = "",
                 config: dict | None = None, roles=(), kb: dict | None = None):
        self.transcript: list[str] = []
        self.talks: list[str] = []
        self.answers = answers if isinstance(answers, deque) else deque(answers)
        self.llm_replies = llm or {}
        self.bots = bots or {}
        self.http_replies = http or {}
        self.events = {k: (v if isinstance(v, deque) else deque(v) if type(v) is list
                           else deque([v])) for k, v in (events or {}).items()}
        self.approvals = approvals if isinstance(approvals, deque) else deque(approvals)
        self.delegates = delegates or {}
        self.scripts = scripts or {}
        self.config = config or {}
        self.roles = roles or []
        self.kb = kb or {"bases": [], "documents": 0, "chunks": 0, "bytes": 0,
                         "recent_documents": 0}
        self.tools: list[str] = []
        self.suspend_everywhere = suspend_everywhere
        self.program = program
        self.limits = limits
        self.prefix = prefix
        self.pending: Any = MISSING
        self.suspensions = 0
        self.memory: dict[str, dict] = {"bot": {}, "user": {}, "session": {}, "long": {}}
        self.tables: dict[str, list[dict]] = {}
        self.headers_seen: list[dict] = []
        self.keys: list[tuple[int, int]] = []

    # ------------------------------------------------------------------ plumbing
    def record(self, entry: str) -> None:
        self.transcript.append(self.prefix + entry)

    def effect(self, keyword: str, *args) -> None:
        self.record("[" + " ".join([keyword, *(show(a) for a in args)]) + "]")

    def _answer(self, kind: str, value, **wait):
        """Return ``value``, or Suspend and keep it for ``take_pending`` when suspending."""
        if not self.suspend_everywhere:
            return value
        self.pending = value
        self.suspensions += 1
        return Suspend({"kind": kind, **wait})

    def take_pending(self):
        if self.pending is MISSING:
            raise AssertionError("the VM suspended without a pending answer")
        value, self.pending = self.pending, MISSING
        return value

    def child(self, prefix: str) -> "FakeHost":
        """A host for a child run (BOT, PARALLEL branch) sharing canned data and answers."""
        return FakeHost(answers=self.answers, llm=self.llm_replies, bots=self.bots,
                        http=self.http_replies, events=self.events, approvals=self.approvals,
                        delegates=self.delegates, scripts=self.scripts,
                        suspend_everywhere=self.suspend_everywhere, program=self.program,
                        limits=self.limits, prefix=prefix, config=self.config,
                        roles=self.roles)

    # ------------------------------------------------------------------ dialog
    def talk(self, ctx, text):
        self.keys.append(ctx.key)
        self.talks.append(text)
        self.record(text)

    def talk_to(self, ctx, who, text):
        self.effect("TALK TO", who, text)

    def hear(self, ctx, spec):
        if not self.answers and spec.get("timeout") is not None:  # WAIT FOR RESPONSE TIMEOUT s
            self.effect("NO ANSWER WITHIN", spec["timeout"])
            return None
        if not self.answers:
            raise BasicRuntimeError("HEAR: no more scripted answers")
        answer = self.answers.popleft()
        self.record(f"> {to_text(answer)}")
        return self._answer("hear", answer, type=spec.get("type"))

    def add_suggestion(self, ctx, label, context=None):
        self.effect("ADD SUGGESTION", *([context] if context is not None else []), label)

    def clear_suggestions(self, ctx):
        self.effect("CLEAR SUGGESTIONS")

    def log(self, ctx, text, level="info"):
        self.record(f"[LOG {text}]" if level == "info" else f"[LOG {level}: {text}]")

    # ------------------------------------------------------------------ LLM and context
    def llm(self, ctx, prompt, options):
        self.effect("LLM", prompt, *([options] if options else []))
        replies = self.llm_replies
        if callable(replies):
            return replies(prompt, options)
        return replies.get(to_text(prompt), f"[llm] {to_text(prompt)}")

    def rewrite(self, ctx, text):
        self.effect("REWRITE", text)
        return to_text(text)

    def use_tool(self, ctx, name):
        self.effect("USE TOOL", name)
        if to_text(name) not in self.tools:
            self.tools.append(to_text(name))

    def clear_tools(self, ctx):
        self.effect("CLEAR TOOLS")
        self.tools.clear()

    def remove_tool(self, ctx, name):
        self.effect("REMOVE TOOL", name)
        if to_text(name) in self.tools:
            self.tools.remove(to_text(name))

    def use_kb(self, ctx, name):
        self.effect("USE KB", name)

    def clear_kb(self, ctx, name=None):
        self.effect("CLEAR KB", *([name] if name is not None else []))

    def kb_statistics(self, ctx):
        self.effect("KB STATISTICS")
        return decode_value(json.loads(json.dumps(self.kb)))

    def use_website(self, ctx, url, refresh=None):
        self.effect("USE WEBSITE", url, *([refresh] if refresh is not None else []))

    def use_model(self, ctx, alias):
        self.effect("USE MODEL", alias)

    def set_context(self, ctx, name, text):
        self.effect("SET CONTEXT", *([name] if name is not None else []), text)

    def system_prompt(self, ctx, text):
        self.effect("SYSTEM PROMPT", text)

    def add_bot(self, ctx, bot, trigger=None):
        self.effect("ADD BOT", bot, *([trigger] if trigger is not None else []))

    # ------------------------------------------------------------------ memory and data
    def memory_get(self, ctx, scope, key):
        self.effect(f"GET {scope.upper()} MEMORY", key)
        return memory_store(self.memory, ctx, scope).get(to_text(key))

    def memory_set(self, ctx, scope, key, value):
        self.effect(f"SET {scope.upper()} MEMORY", key, value)
        memory_store(self.memory, ctx, scope)[to_text(key)] = value

    def remember(self, ctx, key, value, duration=None):
        self.effect("REMEMBER", key, value, *([duration] if duration is not None else []))
        memory_store(self.memory, ctx, "long")[to_text(key)] = value

    def recall(self, ctx, key):
        self.effect("RECALL", key)
        return memory_store(self.memory, ctx, "long").get(to_text(key))

    def share_memory(self, ctx, key, bot, live=False):
        self.effect("BOT SHARE MEMORY", key, bot)

    def sync_memory(self, ctx, bot):
        self.effect("BOT SYNC MEMORY", bot)

    def _matches(self, row: dict, filt) -> bool:
        if filt is None or filt == "":
            return True
        if type(filt) is dict:
            return all(to_text(row.get(k)) == to_text(v) for k, v in filt.items())
        col, _, value = to_text(filt).partition("=")
        return to_text(row.get(col.strip())) == value.strip()

    def find(self, ctx, table, filter=None, where=None):
        self.effect("FIND", table, *([filter] if filter is not None else []),
                    *([where] if where is not None else []))
        rows = self.tables.get(to_text(table), [])
        return [dict(r) for r in rows if self._matches(r, filter) and self._matches(r, where)]

    def save(self, ctx, table, row):
        self.effect("SAVE", table, row)
        self.tables.setdefault(to_text(table), []).append(dict(row))

    def insert(self, ctx, table, row):
        self.effect("INSERT", table, row)
        self.tables.setdefault(to_text(table), []).append(dict(row))

    def update(self, ctx, table, filter, row):
        self.effect("UPDATE", table, filter, row)
        count = 0
        for r in self.tables.get(to_text(table), []):
            if self._matches(r, filter):
                r.update(row or {})
                count += 1
        return count

    def delete(self, ctx, table, filter=None):
        self.effect("DELETE", table, *([filter] if filter is not None else []))
        rows = self.tables.get(to_text(table), [])
        keep = [r for r in rows if not self._matches(r, filter)]
        self.tables[to_text(table)] = keep
        return len(rows) - len(keep)

    def merge(self, ctx, table, rows, key=None):
        self.effect("MERGE", table, rows, *([key] if key is not None else []))
        return merge_rows(self.tables.setdefault(to_text(table), []), rows, key)

    # ------------------------------------------------------------------ HTTP and files
    def http(self, ctx, method, url, body, headers):
        self.effect(method, url, *([body] if body is not None else []))
        self.headers_seen.append(dict(headers))
        return self.http_replies.get(to_text(url))

    def read_file(self, ctx, path):
        self.effect("READ", path)
        return memory_store(self.memory, ctx, "long").get(f"file:{to_text(path)}")

    def list_files(self, ctx, path):
        self.effect("LIST", path)
        folder = to_text(path).strip("/") + "/"
        return sorted(k[5:] for k in memory_store(self.memory, ctx, "long")
                      if k.startswith("file:" + folder))

    def download(self, ctx, url, path=None):
        """Saves the canned HTTP reply of ``url`` as the file ``path`` (by default the URL's
        last part); returns the path."""
        self.effect("DOWNLOAD", url, *([path] if path is not None else []))
        target = to_text(path) if path not in (None, "") else \
            to_text(url).split("?")[0].rstrip("/").rsplit("/", 1)[-1] or "download"
        memory_store(self.memory, ctx, "long")[f"file:{target}"] = \
            self.http_replies.get(to_text(url), "")
        return target

    def write_file(self, ctx, path, data):
        self.effect("WRITE", path, data)
        memory_store(self.memory, ctx, "long")[f"file:{to_text(path)}"] = data

    def send_mail(self, ctx, to, subject, body):
        self.effect("SEND MAIL", to, subject, body)

    def send_sms(self, ctx, to, text):
        self.effect("SEND SMS", to, text)

    def send_template(self, ctx, name, to, data=None):
        self.effect("SEND TEMPLATE", name, to, *([data] if data is not None else []))

    def generate_image(self, ctx, prompt):
        self.effect("GET IMAGE", prompt)
        return f"https://images.example/{len(self.transcript)}.png"

    def list_tools(self, ctx):
        return list(self.tools)

    def identity(self, ctx):
        return {"session": "session-1", "bot": "fake-bot", "user": ctx.user or "user-1"}

    def describe_image(self, ctx, image):
        self.effect("SEE", image)
        return f"a picture ({to_text(image)})"

    def scan_barcode(self, ctx, image):
        self.effect("SCAN BARCODE", image)
        return "7891000100103" if to_text(image) else None

    def social_post(self, ctx, platform, media, caption, at=None):
        self.effect(f"POST TO {platform}", media, caption, *([] if at is None else ["AT", at]))

    def query_metrics(self, ctx, metric, period, interval, offset):
        self.effect("QUERY METRICS", metric, period, interval, offset)
        return without_history(metric, period, interval, offset)

    def user_roles(self, ctx):
        return list(self.roles)

    def config_get(self, ctx, key):
        return self.config.get(to_text(key))

    def send_file(self, ctx, path, caption=None):
        self.effect("SEND FILE", path, *([caption] if caption is not None else []))

    def create_task(self, ctx, args):
        self.effect("CREATE TASK", *args)

    def set_schedule(self, ctx, spec, script=None, name=None):
        self.effect("SET SCHEDULE", spec, *(v for v in (script, name) if v is not None))

    def webhook(self, ctx, name):
        self.effect("WEBHOOK", name)

    # ------------------------------------------------------------------ workflows
    def wait(self, ctx, seconds):
        self.effect("WAIT", seconds)
        return self._answer("timer", None, seconds=seconds)

    def workflow_begin(self, ctx, name, budget=None):
        self.effect("WORKFLOW", name, *([budget] if budget is not None else []))

    def workflow_end(self, ctx, name):
        self.effect("END WORKFLOW", name)

    def step_begin(self, ctx, label, attempt):
        self.record(f"[STEP {label}" + (f" attempt {attempt}]" if attempt > 1 else "]"))

    def step_end(self, ctx, record):
        extra = ""
        if record.get("error"):
            extra += f" {record['error']}"
        if record.get("output") is not None:
            extra += f" output={show(record['output'])}"
        if record.get("conflicts"):
            extra += f" conflicts={show(record['conflicts'])}"
        self.record(f"[END STEP {record['label']} {record['status']}{extra}]")

    def bot_call(self, ctx, bot, action, variables):
        self.effect("BOT", bot, action)
        canned = self.bots.get(to_text(bot))
        if type(canned) is str:
            result = self._run_child_source(canned, {**variables, "input": action},
                                            f"{self.prefix}{to_text(bot)}| ")
        elif canned is None:
            result = {"variables": {}, "output": [f"{to_text(bot)} did: {to_text(action)}"]}
        else:
            result = canned
        return self._answer("bot", result, bot=to_text(bot), timeout=ctx.timeout)

    def _run_child_source(self, source: str, variables: dict, prefix: str) -> dict:
        program = compile_program(parse(source, "<bot>"))
        host = self.child(prefix)
        host.program = program
        vm = VM.for_unit(program, "main", variables, host, limits=self.limits)
        result, vm = drive(vm, host)
        if result.status == "failed":
            raise BasicRuntimeError(f"child run failed: {result.error}")
        self.transcript.extend(host.transcript)
        return {"variables": vm.changed_variables(), "output": host.talks,
                "value": decode_value(result.value) if result.value is not None else None}

    def parallel(self, ctx, branches, variables):
        self.effect("PARALLEL", *[b["label"] for b in branches])
        if self.program is None:
            raise BasicRuntimeError("FakeHost needs program= to run PARALLEL branches")
        results = []
        for br in branches:
            host = self.child(f"{self.prefix}{br['label']}| ")
            vm = VM.for_unit(self.program, br["unit"], variables, host, limits=self.limits)
            result, vm = drive(vm, host)
            self.transcript.extend(host.transcript)
            if result.status == "failed":
                raise BasicRuntimeError(f"branch {br['label']} failed: {result.error}")
            results.append({"label": br["label"], "variables": vm.changed_variables(),
                            "output": host.talks})
        return self._answer("parallel", results, branches=len(branches))

    def delegate(self, ctx, message, bot, timeout=None):
        self.effect("DELEGATE", message, bot)
        reply = self.delegates.get(to_text(bot), f"{to_text(bot)}: {to_text(message)}")
        return self._answer("delegate", reply, bot=to_text(bot))

    def approval(self, ctx, approver, timeout=None, escalated_from=None):
        self.effect("HUMAN APPROVAL", approver, *([timeout] if timeout is not None else []))
        outcome = self.approvals.popleft() if self.approvals else \
            {"status": "approved", "approver": approver, "comment": None}
        return self._answer("approval", outcome, approver=approver, timeout=timeout)

    def publish_event(self, ctx, name, data=None):
        self.effect("PUBLISH EVENT", name, *([data] if data is not None else []))

    def wait_event(self, ctx, name, timeout=None, where=None):
        self.effect("WAIT FOR EVENT", name, *([timeout] if timeout is not None else []))
        queue = self.events.get(to_text(name))
        if queue:
            outcome = {"timed_out": False, "data": queue.popleft()}
        else:
            outcome = {"timed_out": True, "data": None}
        return self._answer("event", outcome, name=name, timeout=timeout)

    def run_script(self, ctx, name, args):
        self.effect("CALL", name, *args)
        if name.lower() not in {k.lower() for k in self.scripts}:
            raise BasicRuntimeError(f"script {name}.bas not found")
        value = next(v for k, v in self.scripts.items() if k.lower() == name.lower())
        return self._answer("script", value, name=name)


def drive(vm, host: FakeHost, *, recompile: Callable[[], Any] | None = None):
    """Run ``vm`` to the end. When it suspends (only with ``suspend_everywhere``), JSON
    round-trip its state, restore it in a new VM (on ``recompile()`` when given) and resume
    with the host's pending answer. Returns ``(last SliceResult, last VM)``."""
    result = vm.run()
    while result.status == "suspended":
        answer = host.take_pending()
        state = json.loads(json.dumps(vm.state))
        program = recompile() if recompile is not None else vm.program
        vm = VM.restore(program, state, host, limits=vm.limits)
        result = vm.resume(answer)
    return result, vm
