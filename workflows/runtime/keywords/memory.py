"""Memory keywords of the run host (conversation or workflow runs).

It needs ``self.bot``, ``self.run`` (a WorkflowExecution) and ``self.conversation`` (or None).

- ``SET/GET BOT MEMORY`` -> ``bot_memories`` (every write versioned, live shares fed).
- ``SET/GET USER MEMORY`` and ``REMEMBER``/``RECALL`` belong to one user of the bot: the
  conversation's ``user_key``; a run without a conversation (started over the API) uses
  ``user:<id>`` of the user who started it (or who started its root run), and fails with a
  clear error when no user started it. After ``SET USER id`` (``ctx.user``) they belong to
  user ``id`` of the same bot instead (the bot's scripts own all of its users' memory; no other
  bot's memory is reachable).
- Session variables (``SET "session.k"``) last as long as the conversation; without one, as
  long as the root run (``run:<root id>``), so a workflow's child runs share them.
- ``REMEMBER k, v[, duration]`` expires (NULL once expired); ``RECALL q`` returns the value
  under exactly ``q``, else the value of the user's nearest text memory (one value, not a
  list), else NULL.
- ``BOT SHARE MEMORY`` / ``BOT SYNC MEMORY`` run synchronously in the run's transaction; a
  refused share is a runtime error of the script naming both bots. The other bot is looked up
  in the organization of the run's bot only: a name used only by another organization is
  ``No bot named ...``, the same error as for a bot that does not exist.

Domain errors of the services (ApplicationError) become BasicRuntimeError through
``runtime.errors.script_errors``, so the VM reports them with the script's line.
"""

from __future__ import annotations

from generalbots.basic import BasicRuntimeError
from generalbots.basic.values import decode_value, encode_value, to_text
from memory import selectors, services
from workflows.runtime.errors import script_errors


class MemoryKeywords:
    """Memory keywords (see module docstring)."""

    def _memory_user_key(self, keyword: str, ctx=None) -> str:
        if ctx is not None and ctx.user:
            return ctx.user
        conversation = self.conversation
        if conversation is not None:
            return conversation.user_key
        run = self.run
        user_id = run.started_by_id
        if user_id is None and run.root_id is not None:
            user_id = type(run).objects.filter(pk=run.root_id).values_list("started_by_id", flat=True).first()
        if user_id is None:
            raise BasicRuntimeError(f"{keyword} needs a user: this run has no conversation and no user started it")
        return f"user:{user_id}"

    def _memory_session_key(self) -> str:
        conversation = self.conversation
        if conversation is not None:
            return f"conversation:{conversation.pk}"
        return f"run:{self.run.root_id or self.run.pk}"

    @script_errors()
    def memory_get(self, ctx, scope, key):
        key = to_text(key)
        if scope == "bot":
            value = selectors.bot_memory_get(bot=self.bot, key=key)
        elif scope == "session":
            value = selectors.session_variable_get(session_key=self._memory_session_key(), key=key)
        else:
            value = selectors.user_memory_get(bot=self.bot, user_key=self._memory_user_key("GET USER MEMORY", ctx),
                                              key=key)
        return decode_value(value)

    @script_errors()
    def memory_set(self, ctx, scope, key, value):
        key = to_text(key)
        if scope == "bot":
            services.bot_memory_set(bot=self.bot, key=key, value=encode_value(value), run=self.run)
        elif scope == "session":
            services.session_variable_set(bot=self.bot, session_key=self._memory_session_key(), key=key,
                                          value=encode_value(value))
        else:
            services.user_memory_set(bot=self.bot, user_key=self._memory_user_key("SET USER MEMORY", ctx), key=key,
                                     value=encode_value(value))

    @script_errors()
    def remember(self, ctx, key, value, duration=None):
        services.remembered_set(bot=self.bot, user_key=self._memory_user_key("REMEMBER", ctx), key=to_text(key),
                                value=encode_value(value), duration=duration)

    @script_errors()
    def recall(self, ctx, key):
        return decode_value(selectors.remembered_recall(bot=self.bot, user_key=self._memory_user_key("RECALL", ctx),
                                                        query=to_text(key)))

    @script_errors("BOT SHARE MEMORY")
    def share_memory(self, ctx, key, bot, live=False):
        # by name: memory_share looks the target up in this bot's organization only
        services.memory_share(source_bot=self.bot, target=to_text(bot), key=to_text(key), live=bool(live),
                              run=self.run)

    @script_errors("BOT SYNC MEMORY")
    def sync_memory(self, ctx, bot):
        # by name: memory_sync looks the source up in this bot's organization only
        return services.memory_sync(bot=self.bot, source=to_text(bot), run=self.run)
