"""LLM, REWRITE and USE MODEL for the Django hosts, through the LLM router.

``LLMKeywords`` is a mixin: the host it joins has ``.bot``, ``.run`` (the WorkflowExecution),
``.script`` and ``.conversation`` (or None for workflow runs without one).

- ``x = LLM e [WITH OPTIMIZE FOR g] [WITH MAX_COST $] [WITH MAX_LATENCY ms] [WITH TASK t]
  [WITH MODEL alias] [WITH TEMPERATURE t]``: the options go to ``llmrouter.services.llm_chat``
  with the run, so its budget and its USE MODEL pin apply (see docs/guides/multi-agent.md).
- ``USE MODEL alias``: pins the model for the run and its children, and for the rest of the
  conversation (its later free answers too). An alias the bot cannot use is an error at once.
- Routing errors (budget, limits, every model failed) are script runtime errors, so
  ``ON ERROR RESUME NEXT`` can handle them.
"""

from __future__ import annotations

from generalbots.basic import BasicRuntimeError
from generalbots.basic.values import to_text
from generalbots.core.exceptions import ApplicationError


class LLMKeywords:
    """The LLM keywords of a Django host (see module docstring)."""

    def llm(self, ctx, prompt, options):
        return self._llm_complete(to_text(prompt), options or {})

    def rewrite(self, ctx, text):
        return self._llm_complete(f"Rewrite this text, keeping its meaning:\n\n{to_text(text)}", {"task": "chat"})

    def use_model(self, ctx, alias):
        from generalbots.bots.runtime.llm import PIN_SESSION_KEY
        from llmrouter.services import run_model_pin

        try:
            settings = run_model_pin(execution=self.run, bot=self.bot, alias=to_text(alias))
        except ApplicationError as exc:
            raise BasicRuntimeError(exc.message) from None
        conversation = getattr(self, "conversation", None)
        if conversation is not None:
            conversation.session = {**(conversation.session or {}), PIN_SESSION_KEY: settings.pinned_alias}

    def _llm_complete(self, prompt: str, options: dict) -> str:
        from generalbots.bots.runtime.llm import llm_complete

        try:
            return llm_complete(getattr(self, "conversation", None), prompt, bot=self.bot, options=options,
                                execution=getattr(self, "run", None))
        except ApplicationError as exc:
            raise BasicRuntimeError(f"LLM: {exc.message}") from None
