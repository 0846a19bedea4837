"""The Django host of conversation runs: each keyword of a script mapped to a service.

Choices:

- TALK stores a bot message (published to the conversation's group on commit); HEAR always
  suspends: the next user message resumes the run (typed answers are validated by the VM).
- ADD SUGGESTION / CLEAR SUGGESTIONS change the conversation's suggestions (labels, in order,
  no duplicates); the clients show them as buttons.
- Memory keywords (bot, user and session memory, REMEMBER / RECALL, BOT SHARE / SYNC MEMORY)
  come from ``host_memory.MemoryKeywords``.
- USE TOOL names a tool script of the same bot (refused when there is none); SET CONTEXT and
  BEGIN SYSTEM PROMPT are stored on the conversation and shape every LLM call of it.
- TALK TO who, text: ``who`` is a conversation's user key (``user:5``, ``terminal:ana``), a
  username or a user's e-mail. The text goes into that user's most recent conversation with
  this bot (stored and pushed to their open chat like any TALK). An e-mail address of somebody
  who never talked with the bot gets the text by mail; anyone else is a runtime error naming
  ``who``. In workflows it is an outside effect (done once, see ``workflows.engine.effects``).
- HEAR with config ``hear-timeout-secs`` (seconds, > 0): an answer that has not come by then
  counts as no answer: the HEAR takes its DEFAULT, or NULL, and the script goes on (the
  conversation sweeper does it, like WAIT); its next messages reach the open chat.
- WAIT suspends on a timer (``resume_at``); the periodic sweeper resumes it.
- CALL name runs ``name.bas`` of the same bot as a child run, its PARAMs taking the arguments.
- READ / WRITE / LIST / COPY / MOVE / DELETE FILE come from ``host_files.FileKeywords``: they
  work inside the bot's storage folder (``GB_STORAGE_DIR/<bot>/``); absolute paths and paths
  that leave it are refused, and errors never show server paths.
- Multi-agent, event, approval, table and scheduling keywords are not available here: they come
  with the workflow engine.
"""

from __future__ import annotations

import logging
import smtplib
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone

from generalbots.basic import BaseHost, BasicError, BasicRuntimeError, Suspend
from generalbots.basic.values import to_text
from generalbots.bots.runtime import engine
from generalbots.bots.runtime.guard import http_request
from generalbots.bots.runtime.host_events import EventKeywords
from generalbots.bots.runtime.host_files import FileKeywords
from generalbots.bots.runtime.host_llm import LLMKeywords
from generalbots.bots.runtime.host_memory import MemoryKeywords
from generalbots.bots.runtime.host_workflows import WorkflowKeywords
from generalbots.core.exceptions import ApplicationError

logger = logging.getLogger("generalbots.scripts")

class RunHost(EventKeywords, WorkflowKeywords, LLMKeywords, MemoryKeywords, FileKeywords, BaseHost):
    """Runs the keywords of one run: a conversation's (``turn`` given: TALK and HEAR talk with
    the user) or a workflow's started over the API (no conversation: TALK lines are the run's
    output, HEAR is refused). ``slice`` is the engine's SliceContext (``workflows.engine``)."""

    def __init__(self, run, script, *, turn=None, slice=None):
        from workflows.engine.core import SliceContext

        # a child run (BOT step, PARALLEL branch) never talks in its parent's conversation
        if turn is not None and run.conversation_id != turn.conversation.pk:
            turn = None
        self.turn = turn
        self.conversation = turn.conversation if turn is not None else None
        self.bot = run.bot
        self.run = run
        self.script = script
        self.slice = slice if slice is not None else SliceContext(turn=turn, durable=False)
        self.talks = list(run.output or []) if turn is None else []
        self.program = None

    # dialog -------------------------------------------------------------------------------
    def talk(self, ctx, text):
        if self.turn is None:
            self.talks.append(to_text(text))
        else:
            self.turn.say(to_text(text))

    def hear(self, ctx, spec):
        if self.conversation is None:
            raise BasicRuntimeError("HEAR needs a conversation: this run was started as a workflow")
        wait = {"kind": "hear", "type": spec.get("type"), "choices": list(spec.get("choices") or [])}
        try:
            seconds = float(self.bot.config_value("hear-timeout-secs") or 0)
        except ValueError:
            seconds = 0
        if seconds > 0:  # unanswered by then: the HEAR takes its DEFAULT (or NULL) and goes on
            wait["deadline"] = (timezone.now() + timedelta(seconds=seconds)).isoformat()
        return Suspend(wait)

    def talk_to(self, ctx, who, text):
        from django.contrib.auth import get_user_model
        from django.core.validators import validate_email
        from django.db.models import Q

        from generalbots.bots.models import Conversation

        who_text, text = to_text(who).strip(), to_text(text)
        if not who_text:
            raise BasicRuntimeError("TALK TO needs somebody to talk to")
        users = get_user_model().objects.filter(Q(username=who_text) | Q(email__iexact=who_text))
        # only conversations of the run's own bot (so of its organization): a user who only talks
        # with other bots, of this organization or another, gets the same answer as nobody
        conversation = (Conversation.objects.filter(bot=self.bot)
                        .filter(Q(user_key=who_text) | Q(user__in=users)).order_by("-updated_at").first())
        if conversation is not None:
            same = self.conversation is not None and conversation.pk == self.conversation.pk
            (self.turn if same else engine.Turn(conversation)).say(text)
            return None
        try:
            validate_email(who_text)
        except Exception:
            raise BasicRuntimeError(f"TALK TO: nobody called {who_text!r} has talked with bot {self.bot.name}") \
                from None
        self.send_mail(ctx, who_text, f"Message from {self.bot.title or self.bot.name}", text)
        return None

    def add_suggestion(self, ctx, label, context=None):
        if self.conversation is None:
            return
        label = to_text(label)
        if label and label not in self.conversation.suggestions:
            self.conversation.suggestions = [*self.conversation.suggestions, label]

    def clear_suggestions(self, ctx):
        if self.conversation is not None:
            self.conversation.suggestions = []

    def log(self, ctx, text, level="info"):
        logger.log(logging.ERROR if level == "error" else logging.INFO, "%s %s:%s: %s",
                   self.bot.name, self.script.path, ctx.line, text)

    # LLM, tools and context -----------------------------------------------------------------
    def use_tool(self, ctx, name):
        name = to_text(name).strip().lower().removesuffix(".bas")
        script = engine.script_current(self.bot, name)
        if script is None or not script.is_tool:
            raise BasicRuntimeError(f"USE TOOL: bot {self.bot.name} has no tool named {name!r} "
                                    "(a .bas with PARAM or DESCRIPTION lines)")
        if self.conversation is not None and name not in self.conversation.tools:
            self.conversation.tools = [*self.conversation.tools, name]

    def clear_tools(self, ctx):
        if self.conversation is not None:
            self.conversation.tools = []

    def list_tools(self, ctx):
        return list(self.conversation.tools) if self.conversation is not None else []

    def config_get(self, ctx, key):
        return self.bot.config_value(to_text(key)) or None

    def set_context(self, ctx, name, text):
        key = "default" if name is None else to_text(name)
        if self.conversation is None:
            return
        self.conversation.contexts = {**self.conversation.contexts, key: to_text(text)}

    def system_prompt(self, ctx, text):
        if self.conversation is not None:
            self.conversation.system_prompt = to_text(text)

    # HTTP, mail ---------------------------------------------------------------------------
    def http(self, ctx, method, url, body, headers):
        allow = self.bot.config_value("http-allow-private").strip().lower() in ("true", "yes", "1")
        return http_request(method, url, body, headers, allow_private=allow)

    def send_mail(self, ctx, to, subject, body):
        sender = self.bot.config_value("email-from") or settings.DEFAULT_FROM_EMAIL
        recipients = [a.strip() for a in to_text(to).replace(";", ",").split(",") if a.strip()]
        if not recipients:
            raise BasicRuntimeError("SEND MAIL needs a recipient address")
        try:
            send_mail(to_text(subject), to_text(body), sender, recipients)
        except ApplicationError as exc:  # the mail server's deadline (core.mail)
            raise BasicRuntimeError(f"SEND MAIL failed: {exc.message}") from None
        except (OSError, smtplib.SMTPException) as exc:
            raise BasicRuntimeError(f"SEND MAIL failed: {exc}") from None

    # scripts and timers -------------------------------------------------------------------
    def run_script(self, ctx, name, args):
        script = engine.script_current(self.bot, name)
        if script is None:
            raise BasicRuntimeError(f"script {name}.bas not found in bot {self.bot.name}")
        try:
            program = engine.program_for(source=script.source, path=script.path, digest=script.source_hash)
        except BasicError as exc:  # anything else is a platform bug: the VM reports it generically
            raise BasicRuntimeError(f"{name}.bas cannot run: {exc}") from None
        variables = {p.name: v for p, v in zip(program.params, args)}
        child, result = engine.run_start(self.turn, script, variables=variables, parent=self.run,
                                         nesting=ctx.nesting)
        if result.status == "finished":
            return result.value
        if result.status == "suspended":
            return Suspend({"kind": "script", "name": script.name, "run": str(child.pk)})
        raise engine.call_failed(name, child, result)

    def wait(self, ctx, seconds):
        return Suspend(engine.timer_wait(seconds))


class ConversationHost(RunHost):
    """``RunHost`` of a conversation run, with the historical argument order."""

    def __init__(self, turn, run, script):
        super().__init__(run, script, turn=turn)
