"""``bot_metrics``: the counts behind ``QUERY METRICS`` (see ``generalbots.basic.metrics``).

Only the bot's own rows are read — its conversations' messages, its runs, its LLM calls — so a
script sees nothing of another bot or organization. Rows are bucketed in Python over one
indexed range query per call (``created_at`` of the bot's rows); a period is at most a year.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from generalbots.basic.metrics import fill, window
from generalbots.bots.models import Bot, Message
from llmrouter.models import LLMCall
from workflows.choices import ExecutionStatus
from workflows.models import WorkflowExecution


def _rows(bot: Bot, metric: str, start, end) -> list[tuple]:
    span = Q(created_at__gte=start, created_at__lt=end)
    if metric == "messages":
        return [(t, {}) for t in Message.objects.filter(span, conversation__bot=bot)
                .values_list("created_at", flat=True)]
    if metric in ("conversations", "active_sessions"):
        firsts: dict = {}
        for conversation, when in Message.objects.filter(span, conversation__bot=bot).order_by(
                "created_at").values_list("conversation_id", "created_at"):
            firsts.setdefault(conversation, when)
        return [(t, {}) for t in firsts.values()]
    if metric in ("runs", "errors"):
        runs = WorkflowExecution.objects.filter(span, bot=bot)
        if metric == "errors":
            runs = runs.filter(status=ExecutionStatus.FAILED)
        return [(t, {}) for t in runs.values_list("created_at", flat=True)]
    return [(row["created_at"], row) for row in LLMCall.objects.filter(span, bot=bot).values(
        "created_at", "tokens_in", "tokens_out", "latency_ms")]


def bot_metrics(*, bot: Bot, metric: str, period: float, interval: float | None = None,
                offset: int = 0, now=None) -> list[dict]:
    """The buckets of ``metric`` for ``bot`` over the ``period`` seconds ending at ``now``
    (``offset`` periods back), split by ``interval`` seconds; ``metric`` is one of
    ``basic.metrics.METRICS`` (the keyword checked it)."""
    start, end = window(now or timezone.now(), period, offset)
    return fill(metric, start, period, interval, _rows(bot, metric, start, end))


