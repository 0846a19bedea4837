"""Writes of the LLM router: registry sync from config.csv, run settings, routed calls, statistics."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from generalbots.core.exceptions import ApplicationError
from llmrouter.models import RunLLMSettings


def _dollars(value, what: str) -> Decimal:
    try:
        amount = Decimal(str(value).strip().lstrip("$"))
    except (InvalidOperation, ValueError):
        raise ApplicationError(f"{what} must be an amount of dollars such as 0.50, not {value!r}.",
                               code="llmrouter.bad_amount") from None
    if not amount.is_finite() or amount < 0:
        raise ApplicationError(f"{what} must be zero or more dollars, not {value!r}.", code="llmrouter.bad_amount")
    return amount


def run_budget_set(*, execution, limit) -> RunLLMSettings:
    """Give ``execution`` (and the runs it starts) an LLM budget of ``limit`` dollars.

    ``ORCHESTRATE WORKFLOW name BUDGET 0.50`` calls this. The spend counted against it is the
    cost of every LLM call of the run and of the runs whose root it is. ``limit`` None removes
    the budget. Raises ApplicationError for a negative or non-numeric limit.
    """
    budget = None if limit is None else _dollars(limit, "BUDGET")
    settings, _ = RunLLMSettings.objects.update_or_create(execution=execution, defaults={"budget": budget})
    return settings
