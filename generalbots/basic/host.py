"""The Host protocol: the only door between a running script and the world.

The VM never performs an outside effect itself. Every side-effecting keyword becomes one call
of a :class:`Host` method, always with an :class:`Effect` context first. The context carries
``key = (seq, line)``: ``seq`` is the run's effect counter (kept in the VM state and bumped on
every host call), so a slice re-run from the last committed state makes the same calls with the
same keys and a durable host can return the recorded result instead of repeating the effect.

Any host method may return :class:`Suspend` instead of a value. The VM then stops at that
instruction with its state saved; ``vm.resume(value)`` later makes ``value`` the result of that
call. Wait specs are small JSON dicts whose ``"kind"`` is a :class:`WaitKind`.

A keyword that starts child runs (BOT, DELEGATE, PARALLEL, CALL of another script) returns
``Suspend.start(StartChildren(...))``: a request, not a wait. The host only says what to start;
the engine that drives the VM creates the children and runs them. When every child ends at once
it resumes the VM in the same slice (``vm.resume`` with the joined value, or ``vm.resume_error``);
otherwise the run keeps waiting on the join (``vm.wait_on``). So a host never needs the engine.

The names that cross from the language to the engine are enums: :class:`WaitKind` (what a run
waits for) and :class:`SliceStatus` (how a slice ended). Both are ``StrEnum``: stored values and
JSON are the plain strings.

Arguments are BASIC values (see ``values``); variables handed to ``bot_call`` and ``parallel``
are already JSON-encoded with ``values.encode_value`` (and the ``variables`` they return are
decoded with ``decode_value``). Hosts return plain values, never framework objects.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, Protocol

from .errors import BasicRuntimeError
from .values import from_json_text, to_text

SENTIMENT_PROMPT = ("Classify the sentiment of this text as positive, negative or neutral. "
                    "Answer with one word.\n\n")
CODE_PROMPT = "Write the code asked for below. Answer with the code only.\n\n"
UNSTRUCTURED_PROMPT = ("Extract one row for the table \"{table}\" from the text below. Answer "
                       "with one JSON object whose keys are the column names.\n\n")


class WaitKind(StrEnum):
    """What a suspended run waits for (``wait["kind"]``)."""

    HEAR = "hear"  # the next user message
    TIMER = "timer"  # WAIT / DELAY: ``resume_at``
    EVENT = "event"  # WAIT FOR EVENT ``name``
    APPROVAL = "approval"  # HUMAN APPROVAL
    BOT = "bot"  # a BOT step's child run
    PARALLEL = "parallel"  # every PARALLEL branch
    DELEGATE = "delegate"  # a DELEGATE's child run
    SCRIPT = "script"  # the child run of CALL ``name``
    EFFECT = "effect"  # an outside effect recorded, continued at once by the same worker
    CHECKPOINT = "checkpoint"  # a STEP about to begin: the engine saves the state and goes on


JOIN_KINDS = (WaitKind.BOT, WaitKind.PARALLEL, WaitKind.DELEGATE)

# ``ON FORM SUBMIT "name"`` handles the event ``form:name``, what a post of that form publishes
FORM_EVENT_PREFIX = "form:"


def waiting_for(kind: str, name: str = "") -> str:
    """The short text a run's ``waiting_for`` keeps: the kind, ``kind:name`` for an EVENT or a
    SCRIPT (so the runs waiting for one event name are found by equality)."""
    return f"{kind}:{name}" if kind in (WaitKind.EVENT, WaitKind.SCRIPT) else str(kind)


def deadline_after(now: datetime, seconds: float | None) -> str | None:
    """The ``deadline`` (or ``resume_at``) a wait keeps: ``seconds`` after ``now``, as ISO text;
    None without seconds. Durable hosts pass the time their slice started, so every deadline of
    one slice counts from the same instant."""
    return None if seconds is None else (now + timedelta(seconds=float(seconds))).isoformat()


def wait_deadline(wait: dict) -> datetime | None:
    """When ``wait`` stops waiting on its own: its ``deadline`` (HEAR timeout, event, approval,
    join) or ``resume_at`` (a timer), both ISO text; None when it waits for as long as it takes."""
    raw = wait.get("deadline") or wait.get("resume_at")
    return datetime.fromisoformat(raw) if raw else None


class SliceStatus(StrEnum):
    """The status of a VM, and how a slice ended (``SliceResult.status``)."""

    READY = "ready"
    RUNNING = "running"
    SUSPENDED = "suspended"
    FINISHED = "finished"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def is_over(self) -> bool:
        return self in (SliceStatus.FINISHED, SliceStatus.FAILED, SliceStatus.CANCELLED)


@dataclass(frozen=True, slots=True)
class Effect:
    """What every host call receives first: the effect key and where the call comes from.

    ``timeout`` is the deadline (seconds) of the enclosing ``STEP ... TIMEOUT s``, if any;
    ``step`` its label. For ``run_script``, ``nesting`` is ``(scripts, frames)``: what a host
    that runs the called script in a VM passes as ``VM(..., nesting=ctx.nesting)``, so the depth
    limits count across scripts. ``user`` is the user a ``SET USER id`` of the run chose (None:
    the conversation's user): what user memory, ``REMEMBER`` and ``RECALL`` belong to.
    """

    key: tuple[int, int]
    line: int
    timeout: float | None = None
    step: str | None = None
    nesting: tuple[int, int] = (0, 0)
    user: str | None = None

    @property
    def key_text(self) -> str:
        """The key as durable hosts store it: ``"seq:line"``."""
        return f"{self.key[0]}:{self.key[1]}"


def memory_store(memory: dict[str, dict], ctx: Effect, scope: str) -> dict:
    """The in-memory store of ``scope`` for the test and console hosts: user memory and
    REMEMBER (``"long"``) are kept per ``ctx.user`` once a ``SET USER id`` chose one."""
    if scope in ("user", "long") and ctx.user:
        return memory.setdefault(f"{scope}:{ctx.user}", {})
    return memory[scope]


def declared_columns(program: Any, table: Any) -> list[str] | None:
    """The field names of ``TABLE table`` in ``program.tables`` (any case), else None."""
    name = to_text(table).lower()
    for declared in getattr(program, "tables", None) or ():
        if declared.name.lower() == name:
            return [f.name for f in declared.fields]
    return None


def merge_rows(table: list[dict], rows: Any, key: Any = None) -> dict:
    """``MERGE "t", rows[, key]`` on an in-memory table (the test and console hosts; the
    platform's is ``memory.services.table_merge``, with the same rules): each row (an object;
    one object alone is a list of one) whose ``key`` column (default ``id``, any case) matches
    rows of the table by text updates them (their other columns kept); any other row is added.
    Returns ``{"inserted": n, "updated": m}``."""
    items = rows if type(rows) is list else [] if rows is None else [rows]
    column = to_text(key) if key not in (None, "") else "id"
    counts = {"inserted": 0, "updated": 0}
    for row in items:
        if type(row) is not dict:
            raise BasicRuntimeError(f"MERGE needs objects of columns, got {to_text(row)!r}")
        name = next((k for k in row if k.lower() == column.lower()), None)
        value = None if name is None else row[name]
        found = [] if value in (None, "") else [
            r for r in table if any(k.lower() == column.lower() and to_text(v) == to_text(value)
                                    for k, v in r.items())]
        for existing in found:
            existing.update(row)
        if found:
            counts["updated"] += 1
        else:
            table.append(dict(row))
            counts["inserted"] += 1
    return counts


@dataclass(frozen=True, slots=True)
class Child:
    """One child run a :class:`StartChildren` asks for. ``target`` is the host's own handle on
    what to run (the VM never looks at it); ``variables`` are JSON-encoded; ``label`` names a
    PARALLEL branch; ``data`` is what the run records as the child's input."""

    target: Any
    unit: str = "main"
    variables: dict = field(default_factory=dict)
    label: str = ""
    data: dict = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class StartChildren:
    """A request to start child runs and join them (see the module docstring).

    ``kind`` is BOT, DELEGATE, PARALLEL or SCRIPT, and also what the run waits for when a child
    suspends; ``key`` the calling effect's ``key_text`` (the children's link to this call);
    ``name`` the bot or script named in errors and in the wait; ``deadline`` (ISO text) when the
    join stops waiting; ``step`` the label of the enclosing STEP; ``nesting`` what a CALLed
    script's VM inherits (``Effect.nesting``).
    """

    kind: WaitKind
    key: str
    children: tuple[Child, ...]
    name: str = ""
    deadline: str | None = None
    step: str | None = None
    nesting: tuple[int, int] = (0, 0)


@dataclass(frozen=True, slots=True)
class Suspend:
    """Returned by a host method to stop the run until ``vm.resume(value)``.

    ``wait`` is a JSON dict with at least ``"kind"`` (a :class:`WaitKind`); the VM adds
    ``"events"`` (the names its ON EVENT handlers listen to) before handing it back.
    ``request``, when set, is what the driver of the VM must do before the run can go on
    (``SliceResult.request``).
    """

    wait: dict = field(default_factory=dict)
    request: StartChildren | None = None

    @classmethod
    def start(cls, request: StartChildren) -> "Suspend":
        """Stop the run until the engine has started and joined ``request``'s children."""
        return cls({"kind": request.kind}, request)


class Host(Protocol):
    """What a VM needs from the world. ``BaseHost`` gives a default for every method."""

    # dialog
    def talk(self, ctx: Effect, text: str) -> Any: ...
    def talk_to(self, ctx: Effect, who: Any, text: str) -> Any: ...
    def hear(self, ctx: Effect, spec: dict) -> Any: ...
    def add_suggestion(self, ctx: Effect, label: Any, context: Any = None) -> Any: ...
    def clear_suggestions(self, ctx: Effect) -> Any: ...
    def log(self, ctx: Effect, text: str, level: str = "info") -> Any: ...
    # LLM, tools and context
    def llm(self, ctx: Effect, prompt: Any, options: dict) -> Any: ...
    def rewrite(self, ctx: Effect, text: Any) -> Any: ...
    def use_tool(self, ctx: Effect, name: Any) -> Any: ...
    def clear_tools(self, ctx: Effect) -> Any: ...
    def remove_tool(self, ctx: Effect, name: Any) -> Any: ...
    def use_kb(self, ctx: Effect, name: Any) -> Any: ...
    def clear_kb(self, ctx: Effect, name: Any = None) -> Any: ...
    def kb_statistics(self, ctx: Effect) -> Any: ...
    def use_website(self, ctx: Effect, url: Any, refresh: Any = None) -> Any: ...
    def use_model(self, ctx: Effect, alias: Any) -> Any: ...
    def set_context(self, ctx: Effect, name: Any, text: Any) -> Any: ...
    def system_prompt(self, ctx: Effect, text: str) -> Any: ...
    def add_bot(self, ctx: Effect, bot: Any, trigger: Any = None) -> Any: ...
    # memory
    def memory_get(self, ctx: Effect, scope: str, key: Any) -> Any: ...
    def memory_set(self, ctx: Effect, scope: str, key: Any, value: Any) -> Any: ...
    def remember(self, ctx: Effect, key: Any, value: Any, duration: Any = None) -> Any: ...
    def recall(self, ctx: Effect, key: Any) -> Any: ...
    def share_memory(self, ctx: Effect, key: Any, bot: Any, live: bool = False) -> Any: ...
    def sync_memory(self, ctx: Effect, bot: Any) -> Any: ...
    # data
    def find(self, ctx: Effect, table: Any, filter: Any = None, where: Any = None) -> Any: ...
    def save(self, ctx: Effect, table: Any, row: dict) -> Any: ...
    def insert(self, ctx: Effect, table: Any, row: Any) -> Any: ...
    def update(self, ctx: Effect, table: Any, filter: Any, row: Any) -> Any: ...
    def delete(self, ctx: Effect, table: Any, filter: Any = None) -> Any: ...
    def merge(self, ctx: Effect, table: Any, rows: Any, key: Any = None) -> Any: ...
    def table_columns(self, ctx: Effect, table: Any) -> Any: ...
    # HTTP and files
    def http(self, ctx: Effect, method: str, url: Any, body: Any, headers: dict) -> Any: ...
    def read_file(self, ctx: Effect, path: Any) -> Any: ...
    def write_file(self, ctx: Effect, path: Any, data: Any) -> Any: ...
    def copy_file(self, ctx: Effect, source: Any, destination: Any) -> Any: ...
    def move_file(self, ctx: Effect, source: Any, destination: Any) -> Any: ...
    def delete_file(self, ctx: Effect, path: Any) -> Any: ...
    def list_files(self, ctx: Effect, path: Any) -> Any: ...
    def upload(self, ctx: Effect, path: Any, data: Any = None) -> Any: ...
    def download(self, ctx: Effect, url: Any, path: Any = None) -> Any: ...
    # messaging and automation
    def send_mail(self, ctx: Effect, to: Any, subject: Any, body: Any) -> Any: ...
    def send_file(self, ctx: Effect, path: Any, caption: Any = None) -> Any: ...
    def create_task(self, ctx: Effect, args: list) -> Any: ...
    def set_schedule(self, ctx: Effect, spec: Any, script: Any = None, name: Any = None) -> Any: ...
    def webhook(self, ctx: Effect, name: Any) -> Any: ...
    def send_sms(self, ctx: Effect, to: Any, text: Any) -> Any: ...
    def send_template(self, ctx: Effect, name: Any, to: Any, data: Any = None) -> Any: ...
    def config_get(self, ctx: Effect, key: str) -> Any: ...
    # AI statements built on the LLM (BaseHost composes them from ``llm`` and ``save``)
    def generate_image(self, ctx: Effect, prompt: Any) -> Any: ...
    def analyze_sentiment(self, ctx: Effect, text: Any) -> Any: ...
    def generate_code(self, ctx: Effect, request: Any) -> Any: ...
    def save_unstructured(self, ctx: Effect, table: Any, text: Any) -> Any: ...
    # tools and roles
    def list_tools(self, ctx: Effect) -> Any: ...
    def describe_image(self, ctx: Effect, image: Any) -> Any: ...
    def identity(self, ctx: Effect) -> Any: ...
    def scan_barcode(self, ctx: Effect, image: Any) -> Any: ...
    def social_post(self, ctx: Effect, platform: str, media: Any, caption: Any,
                    at: Any = None) -> Any: ...
    def query_metrics(self, ctx: Effect, metric: str, period: float, interval: float | None,
                      offset: int) -> Any: ...
    def user_roles(self, ctx: Effect) -> Any: ...
    # workflows and multi-agent
    def wait(self, ctx: Effect, seconds: float) -> Any: ...
    def workflow_begin(self, ctx: Effect, name: Any, budget: Any = None) -> Any: ...
    def workflow_end(self, ctx: Effect, name: Any) -> Any: ...
    def step_begin(self, ctx: Effect, label: str, attempt: int) -> Any: ...
    def step_end(self, ctx: Effect, record: dict) -> Any: ...
    def bot_call(self, ctx: Effect, bot: Any, action: Any, variables: dict) -> Any: ...
    def parallel(self, ctx: Effect, branches: list, variables: dict) -> Any: ...
    def delegate(self, ctx: Effect, message: Any, bot: Any, timeout: Any = None) -> Any: ...
    def approval(self, ctx: Effect, approver: Any, timeout: Any = None,
                 escalated_from: Any = None) -> Any: ...
    def publish_event(self, ctx: Effect, name: Any, data: Any = None) -> Any: ...
    def wait_event(self, ctx: Effect, name: Any, timeout: Any = None,
                   where: dict | None = None) -> Any: ...
    def run_script(self, ctx: Effect, name: str, args: list) -> Any: ...


class BaseHost:
    """A host that implements every keyword as "not available here".

    Subclasses override what they support. ``log`` defaults to doing nothing and the optional
    bookkeeping calls (``step_begin``, ``step_end``, ``workflow_begin``, ``workflow_end``,
    suggestions, context and tool selection) default to no-ops, so a minimal host only needs
    ``talk`` and ``hear``.
    """

    def _unavailable(self, keyword: str):
        raise BasicRuntimeError(f"{keyword} is not available here")

    def talk(self, ctx, text):
        self._unavailable("TALK")

    def talk_to(self, ctx, who, text):
        self._unavailable("TALK TO")

    def hear(self, ctx, spec):
        self._unavailable("HEAR")

    def add_suggestion(self, ctx, label, context=None):
        return None

    def clear_suggestions(self, ctx):
        return None

    def log(self, ctx, text, level="info"):
        return None

    def llm(self, ctx, prompt, options):
        self._unavailable("LLM")

    def rewrite(self, ctx, text):
        self._unavailable("REWRITE")

    def use_tool(self, ctx, name):
        return None

    def clear_tools(self, ctx):
        return None

    def remove_tool(self, ctx, name):
        return None

    def use_kb(self, ctx, name):
        return None

    def clear_kb(self, ctx, name=None):
        return None

    def kb_statistics(self, ctx):
        self._unavailable("KB STATISTICS")

    def use_website(self, ctx, url, refresh=None):
        return None

    def use_model(self, ctx, alias):
        return None

    def set_context(self, ctx, name, text):
        return None

    def system_prompt(self, ctx, text):
        return None

    def add_bot(self, ctx, bot, trigger=None):
        self._unavailable("ADD BOT")

    def memory_get(self, ctx, scope, key):
        self._unavailable(f"GET {scope.upper()} MEMORY")

    def memory_set(self, ctx, scope, key, value):
        self._unavailable(f"SET {scope.upper()} MEMORY")

    def remember(self, ctx, key, value, duration=None):
        self._unavailable("REMEMBER")

    def recall(self, ctx, key):
        self._unavailable("RECALL")

    def share_memory(self, ctx, key, bot, live=False):
        self._unavailable("BOT SHARE MEMORY")

    def sync_memory(self, ctx, bot):
        self._unavailable("BOT SYNC MEMORY")

    def find(self, ctx, table, filter=None, where=None):
        self._unavailable("FIND")

    def save(self, ctx, table, row):
        self._unavailable("SAVE")

    def insert(self, ctx, table, row):
        self._unavailable("INSERT")

    def update(self, ctx, table, filter, row):
        self._unavailable("UPDATE")

    def delete(self, ctx, table, filter=None):
        self._unavailable("DELETE")

    def merge(self, ctx, table, rows, key=None):
        self._unavailable("MERGE")

    def table_columns(self, ctx, table):
        """The columns ``TABLE table ... END TABLE`` declares (in the bot's ``tables.bas``, or
        in the running script), in order; NULL when the table is not declared."""
        return declared_columns(getattr(self, "program", None), table)

    def http(self, ctx, method, url, body, headers):
        self._unavailable(method)

    def read_file(self, ctx, path):
        self._unavailable("READ")

    def write_file(self, ctx, path, data):
        self._unavailable("WRITE")

    def copy_file(self, ctx, source, destination):
        self._unavailable("COPY")

    def move_file(self, ctx, source, destination):
        self._unavailable("MOVE")

    def delete_file(self, ctx, path):
        self._unavailable("DELETE FILE")

    def list_files(self, ctx, path):
        self._unavailable("LIST")

    def upload(self, ctx, path, data=None):
        self._unavailable("UPLOAD")

    def download(self, ctx, url, path=None):
        self._unavailable("DOWNLOAD")

    def send_mail(self, ctx, to, subject, body):
        self._unavailable("SEND MAIL")

    def send_file(self, ctx, path, caption=None):
        self._unavailable("SEND FILE")

    def create_task(self, ctx, args):
        self._unavailable("CREATE TASK")

    def set_schedule(self, ctx, spec, script=None, name=None):
        self._unavailable("SET SCHEDULE")

    def webhook(self, ctx, name):
        self._unavailable("WEBHOOK")

    def send_sms(self, ctx, to, text):
        self._unavailable("SEND SMS")

    def send_template(self, ctx, name, to, data=None):
        self._unavailable("SEND TEMPLATE")

    def generate_image(self, ctx, prompt):
        self._unavailable("GET IMAGE")

    def analyze_sentiment(self, ctx, text):
        """``positive``, ``negative`` or ``neutral``, asked of the LLM (``neutral`` when its
        reply names none of them)."""
        reply = self.llm(ctx, SENTIMENT_PROMPT + to_text(text), {"task": "classification"})
        if isinstance(reply, Suspend):
            return reply
        words = to_text(reply).lower()
        return next((w for w in ("positive", "negative", "neutral") if w in words), "neutral")

    def generate_code(self, ctx, request):
        """The LLM's code for ``request``, without Markdown fences."""
        reply = self.llm(ctx, CODE_PROMPT + to_text(request), {"task": "code"})
        if isinstance(reply, Suspend):
            return reply
        lines = to_text(reply).strip().split("\n")
        if len(lines) > 1 and lines[0].startswith("```") and lines[-1].strip() == "```":
            lines = lines[1:-1]
        return "\n".join(lines)

    def save_unstructured(self, ctx, table, text):
        """The LLM turns ``text`` into one row (a JSON object) of ``table``; the row is saved
        and returned. A reply that is not a JSON object fails the line, saving nothing."""
        reply = self.llm(ctx, UNSTRUCTURED_PROMPT.format(table=to_text(table)) + to_text(text),
                         {"task": "extraction"})
        if isinstance(reply, Suspend):
            return reply
        row = reply
        if type(reply) is str:
            try:
                row = from_json_text(reply.strip().removeprefix("```json").strip("`\n "))
            except BasicRuntimeError:
                row = None
        if type(row) is not dict:
            raise BasicRuntimeError("SAVE FROM UNSTRUCTURED: the model did not answer with "
                                    "one JSON object")
        self.save(ctx, table, row)
        return row

    def list_tools(self, ctx):
        return []

    def describe_image(self, ctx, image):
        self._unavailable("SEE")

    def identity(self, ctx):
        """``{"session", "bot", "user"}``: the run's own conversation (or run), bot and user,
        as text (NULL where the host has none)."""
        return {"session": None, "bot": None, "user": ctx.user}

    def scan_barcode(self, ctx, image):
        self._unavailable("SCAN BARCODE")

    def social_post(self, ctx, platform, media, caption, at=None):
        self._unavailable(f"POST TO {platform}")

    def query_metrics(self, ctx, metric, period, interval, offset):
        self._unavailable("QUERY METRICS")

    def user_roles(self, ctx):
        self._unavailable("ALLOW ROLE")

    def config_get(self, ctx, key):
        """A row of the bot's ``config.csv`` (NULL when there is none or no bot)."""
        return None

    def wait(self, ctx, seconds):
        self._unavailable("WAIT")

    def workflow_begin(self, ctx, name, budget=None):
        return None

    def workflow_end(self, ctx, name):
        return None

    def step_begin(self, ctx, label, attempt):
        return None

    def step_end(self, ctx, record):
        return None

    def bot_call(self, ctx, bot, action, variables):
        self._unavailable("BOT")

    def parallel(self, ctx, branches, variables):
        self._unavailable("PARALLEL")

    def delegate(self, ctx, message, bot, timeout=None):
        self._unavailable("DELEGATE")

    def approval(self, ctx, approver, timeout=None, escalated_from=None):
        self._unavailable("HUMAN APPROVAL")

    def publish_event(self, ctx, name, data=None):
        self._unavailable("PUBLISH EVENT")

    def wait_event(self, ctx, name, timeout=None, where=None):
        self._unavailable("WAIT FOR EVENT")

    def run_script(self, ctx, name, args):
        self._unavailable(f"CALL {name}")
