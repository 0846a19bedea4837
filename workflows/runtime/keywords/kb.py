"""Knowledge-base keywords of the Django host: a mixin any host of a run (conversation or workflow) uses.

It needs ``self.bot``, ``self.run`` and ``self.conversation`` (or None), and
``_memory_session_key`` of :class:`~workflows.runtime.keywords.memory.MemoryKeywords`. Domain
errors of the services become BasicRuntimeError through ``runtime.errors.script_errors``.

- ``USE KB "kb"`` (also ``ADD KB`` / ``ADD_KB``) adds a base of the bot to the conversation's
  (without one, the root run's) bases in use; it is kept in a session variable, so it lasts
  across turns and slices. ``LLM`` and the chat's answers then carry the best passages of those
  bases in the prompt (``runtime.llm``). A name the bot has no base for is a runtime error.
- ``CLEAR KB ["kb"]`` removes one base, or all.
- ``KB STATISTICS`` returns an object: totals (``documents``, ``chunks``, ``bytes``,
  ``recent_documents``) and ``bases``, one object per base of the bot with its ``collection``,
  ``state``, counts and ``indexed_at`` (see ``memory.selectors.kb_statistics``).
- ``USE WEBSITE url [REFRESH t]`` reads the page and the pages it links to under the same folder
  of the site, through the outbound-HTTP guard, into a base of the bot (again once ``t`` —
  seconds, or a duration like ``"1 day"`` — has passed) and uses it.
"""

from __future__ import annotations

from generalbots.basic import BasicRuntimeError
from generalbots.basic.values import to_text
from generalbots.core.exceptions import ApplicationError
from memory import selectors, services
from memory.services import parse_duration
from workflows.runtime.errors import script_errors


class KnowledgeBaseKeywords:
    """Knowledge-base keywords (see module docstring); the host also has MemoryKeywords."""

    @script_errors("USE KB")
    def use_kb(self, ctx, name):
        services.kb_use(bot=self.bot, session_key=self._memory_session_key(), name=to_text(name))

    def clear_kb(self, ctx, name=None):
        services.kb_clear(bot=self.bot, session_key=self._memory_session_key(),
                          name=None if name is None else to_text(name))

    def kb_statistics(self, ctx):
        return selectors.kb_statistics(bot=self.bot)

    def use_website(self, ctx, url, refresh=None):
        seconds = None
        if refresh is not None:
            try:
                duration = parse_duration(refresh)
            except ApplicationError:
                raise BasicRuntimeError(f"USE WEBSITE cannot read the refresh time {to_text(refresh)!r}: write a "
                                        "number of seconds or text like \"1 day\", \"6 hours\"") from None
            seconds = None if duration is None else int(duration.total_seconds())
        with script_errors():  # the service's message starts with "USE WEBSITE <url>:" already
            kb = services.kb_website_use(bot=self.bot, url=to_text(url), refresh_seconds=seconds)
            services.kb_use(bot=self.bot, session_key=self._memory_session_key(), name=kb.name)
