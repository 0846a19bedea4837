"""LLM, REWRITE and USE MODEL for the run host, through the LLM router.

``LLMKeywords`` is a keyword group: the host it joins has ``.bot``, ``.run`` (the
WorkflowExecution) and ``.conversation`` (or None for workflow runs without one).

- ``x = LLM e [WITH OPTIMIZE FOR g] [WITH MAX_COST $] [WITH MAX_LATENCY ms] [WITH TASK t]
  [WITH MODEL alias] [WITH TEMPERATURE t]``: the options go to ``llmrouter.services.llm_chat``
  with the run, so its budget and its USE MODEL pin apply (see docs/guides/multi-agent.md).
- ``USE MODEL alias``: pins the model for the run and its children, and for the rest of the
  conversation (its later free answers too). An alias the bot cannot use is an error at once.
- Routing errors (budget, limits, every model failed) are script runtime errors, so
  ``ON ERROR RESUME NEXT`` can handle them.
"""

from __future__ import annotations

from generalbots.basic.values import to_text
from llmrouter.services import run_model_pin
from workflows.runtime.errors import script_errors
from workflows.runtime.llm import PIN_SESSION_KEY, llm_complete


class LLMKeywords:
    """The LLM keywords of the run host (see module docstring)."""

    def llm(self, ctx, prompt, options):
        return self._llm_complete(to_text(prompt), options or {})

    def rewrite(self, ctx, text):
        return self._llm_complete(f"Rewrite this text, keeping its meaning:\n\n{to_text(text)}", {"task": "chat"})

    @script_errors()
    def use_model(self, ctx, alias):
        settings = run_model_pin(execution=self.run, bot=self.bot, alias=to_text(alias))
        conversation = self.conversation
        if conversation is not None:
            conversation.session = {**(conversation.session or {}), PIN_SESSION_KEY: settings.pinned_alias}

    @script_errors("LLM")
    def _llm_complete(self, prompt: str, options: dict) -> str:
        return llm_complete(self.conversation, prompt, bot=self.bot, options=options, execution=self.run)
