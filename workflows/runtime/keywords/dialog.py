"""Dialog keywords of the run host: TALK, HEAR, TALK TO, suggestions, tools and context.

The group expects ``self.run``, ``self.bot``, ``self.script``, ``self.turn`` and
``self.conversation`` (both None for a run without a conversation), ``self.talks`` and
``self.slice`` (the engine's SliceContext).

Choices:

- TALK stores a bot message (published to the conversation's group on commit); in a run
  without a conversation the TALK lines are the run's output. HEAR always suspends: the next
  user message resumes the run (typed answers are validated by the VM); it is refused in a run
  without a conversation.
- HEAR with config ``hear-timeout-secs`` (seconds, > 0): an answer that has not come by then
  counts as no answer: the HEAR takes its DEFAULT, or NULL, and the script goes on (the sweeper
  queues it, like WAIT); its next messages reach the open chat. ``WAIT FOR RESPONSE ...
  TIMEOUT s`` is such a HEAR with its own ``s`` seconds.
- ALLOW ROLE: the user's roles are the names of their groups, plus ``admin`` for staff and
  superusers; a run without a signed-in user has none, so ALLOW ROLE stops it.
- ADD SUGGESTION / CLEAR SUGGESTIONS change the conversation's suggestions (labels, in order,
  no duplicates); the clients show them as buttons.
- USE TOOL names a tool script of the same bot (refused when there is none); REMOVE TOOL
  takes one off the conversation's tools (a tool not in use: nothing to do); SET CONTEXT and
  BEGIN SYSTEM PROMPT are stored on the conversation and shape every LLM call of it.
- TALK TO who, text: ``who`` is a conversation's user key (``user:5``, ``terminal:ana``), a
  username or a user's e-mail. The text goes into that user's most recent conversation with
  this bot (stored and pushed to their open chat like any TALK). An e-mail address of somebody
  who never talked with the bot gets the text by mail; anyone else is a runtime error naming
  ``who``. In workflows it is an outside effect (done once, see ``workflows.engine.effects``).
"""

from __future__ import annotations

import logging

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Q

from generalbots.basic import BasicRuntimeError, Suspend, WaitKind
from generalbots.basic.host import deadline_after
from generalbots.basic.values import to_text
from generalbots.bots.models import Conversation
from generalbots.bots.selectors import script_current
from generalbots.bots.services import message_add

logger = logging.getLogger("generalbots.scripts")


class DialogKeywords:
    """The dialog keywords (see module docstring)."""

    def talk(self, ctx, text):
        if self.turn is None:
            self.talks.append(to_text(text))
        else:
            self.turn.say(to_text(text))

    def hear(self, ctx, spec):
        if self.conversation is None:
            raise BasicRuntimeError("HEAR needs a conversation: this run was started as a workflow")
        wait = {"kind": WaitKind.HEAR, "type": spec.get("type"), "choices": list(spec.get("choices") or [])}
        try:
            seconds = float(self.bot.config_value("hear-timeout-secs") or 0)
        except ValueError:
            seconds = 0
        if spec.get("timeout") is not None:  # WAIT FOR RESPONSE ... TIMEOUT s
            seconds = max(float(spec["timeout"]), 0.001)
        if seconds > 0:  # unanswered by then: the HEAR takes its DEFAULT (or NULL) and goes on
            wait["deadline"] = deadline_after(self.slice.now, seconds)
        return Suspend(wait)

    def talk_to(self, ctx, who, text):
        who_text, text = to_text(who).strip(), to_text(text)
        if not who_text:
            raise BasicRuntimeError("TALK TO needs somebody to talk to")
        users = get_user_model().objects.filter(Q(username=who_text) | Q(email__iexact=who_text))
        # only conversations of the run's own bot (so of its organization): a user who only talks
        # with other bots, of this organization or another, gets the same answer as nobody
        conversation = (Conversation.objects.filter(bot=self.bot)
                        .filter(Q(user_key=who_text) | Q(user__in=users)).order_by("-updated_at").first())
        if conversation is not None:
            if self.conversation is not None and conversation.pk == self.conversation.pk:
                self.turn.say(text)
            else:
                message_add(conversation=conversation, text=text)
            return None
        try:
            validate_email(who_text)
        except ValidationError:
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

    def use_tool(self, ctx, name):
        name = to_text(name).strip().lower().removesuffix(".bas")
        script = script_current(bot=self.bot, name=name)
        if script is None or not script.is_tool:
            raise BasicRuntimeError(f"USE TOOL: bot {self.bot.name} has no tool named {name!r} "
                                    "(a .bas with PARAM or DESCRIPTION lines)")
        if self.conversation is not None and name not in self.conversation.tools:
            self.conversation.tools = [*self.conversation.tools, name]

    def clear_tools(self, ctx):
        if self.conversation is not None:
            self.conversation.tools = []

    def remove_tool(self, ctx, name):
        name = to_text(name).strip().lower().removesuffix(".bas")
        name = name.rsplit("/", 1)[-1]  # REMOVE TOOL ".gbdialog/support.bas"
        if self.conversation is not None and name in self.conversation.tools:
            self.conversation.tools = [t for t in self.conversation.tools if t != name]

    def list_tools(self, ctx):
        return list(self.conversation.tools) if self.conversation is not None else []

    def identity(self, ctx):
        """SESSION_ID(): the conversation's id (``run:<id>`` for a run without one); BOT_ID():
        the bot's name; USER_ID(): the user a ``SET USER`` chose, else the conversation's."""
        conversation = self.conversation
        return {"session": str(conversation.pk) if conversation is not None else f"run:{self.run.pk}",
                "bot": self.bot.name,
                "user": ctx.user or (conversation.user_key if conversation is not None else None)}

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

    def user_roles(self, ctx):
        """``ALLOW ROLE``: the names of the conversation user's groups, and ``admin`` for staff
        and superusers; none without a signed-in user (a workflow run, a channel user)."""
        user = getattr(self.conversation, "user", None)
        if user is None or not user.is_active:
            return []
        roles = list(user.groups.values_list("name", flat=True))
        if user.is_staff or user.is_superuser:
            roles.append("admin")
        return roles

