"""``QUERY METRICS "metric" FOR "period" [BY "interval"] [OFFSET n]``: what a script may ask.

The value is a list of buckets, oldest first, each an object with ``time`` (the bucket's start,
ISO text), ``count`` and the metric's own fields: ``llm_tokens`` adds ``total_tokens``,
``tokens_in`` and ``tokens_out``; ``response_time`` adds ``duration_ms`` (the mean latency of the
bot's LLM calls). Without ``BY`` there is one bucket for the whole period. ``OFFSET n`` moves
the window ``n`` periods back (``OFFSET 1``: the period before, to compute a trend).

Periods and intervals are ``"24h"``, ``"7d"``, ``"1w"``, ``"1mo"``, ``"90 days"``, ``"15m"``
(m is minutes, mo months of 30 days) or a number of seconds. A period is at most
``MAX_PERIOD``; a query has at most ``MAX_BUCKETS`` buckets. The host counts only the bot's
own rows (see ``workflows.metrics``). Pure Python: the checker validates literal values.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from .errors import BasicRuntimeError

METRICS = {
    "messages": "messages of the bot's conversations (user and bot)",
    "conversations": "conversations with at least one message in the bucket",
    "active_sessions": "the same as conversations",
    "runs": "runs of the bot's scripts started in the bucket",
    "errors": "runs of the bot that failed",
    "llm_calls": "calls of the bot to a language model",
    "llm_tokens": "tokens of those calls (total_tokens, tokens_in, tokens_out)",
    "response_time": "the bot's LLM calls, with their mean latency as duration_ms",
}
MAX_PERIOD = timedelta(days=366)
MAX_BUCKETS = 1000
_UNITS = {"s": 1, "sec": 1, "second": 1, "m": 60, "min": 60, "minute": 60, "h": 3600, "hr": 3600,
          "hour": 3600, "d": 86400, "day": 86400, "w": 604800, "week": 604800,
          "mo": 30 * 86400, "month": 30 * 86400, "y": 365 * 86400, "year": 365 * 86400}
_SPAN = re.compile(r"^\s*(\d+(?:\.\d+)?)?\s*([a-z]+?)s?\s*$")


def metric_name(value: Any) -> str:
    """The metric's canonical name, or a BasicRuntimeError listing the known ones."""
    name = str(value).strip().lower() if value is not None else ""
    if name not in METRICS:
        raise BasicRuntimeError(f"QUERY METRICS: unknown metric {str(value)!r}; known: "
                                + ", ".join(METRICS))
    return name


def span(value: Any, what: str = "period") -> timedelta:
    """``"24h"`` / ``"7 days"`` / ``"1mo"`` / seconds -> a positive timedelta."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        seconds = float(value)
    else:
        match = _SPAN.match(str(value).lower()) if value is not None else None
        if match is None or match.group(2) not in _UNITS:
            raise BasicRuntimeError(f"QUERY METRICS: cannot read the {what} {value!r}; write "
                                    "\"24h\", \"7d\", \"1w\", \"1mo\" or a number of seconds")
        seconds = float(match.group(1) or 1) * _UNITS[match.group(2)]
    if seconds <= 0:
        raise BasicRuntimeError(f"QUERY METRICS: the {what} must be positive, not {value!r}")
    if what == "period" and seconds > MAX_PERIOD.total_seconds():
        raise BasicRuntimeError(f"QUERY METRICS: a period is at most {MAX_PERIOD.days} days")
    return timedelta(seconds=seconds)


def buckets(period: timedelta, interval: timedelta | None) -> int:
    """How many buckets ``period`` split by ``interval`` makes (1 without one)."""
    if interval is None:
        return 1
    count = -(-period // interval)  # ceiling
    if count > MAX_BUCKETS:
        raise BasicRuntimeError(f"QUERY METRICS: {count} buckets; at most {MAX_BUCKETS} "
                                "(use a larger BY interval)")
    return count


def window(now, period: float, offset: int) -> tuple[Any, Any]:
    """``(start, end)`` of the period ending at ``now`` moved ``offset`` periods back."""
    end = now - timedelta(seconds=period * offset)
    return end - timedelta(seconds=period), end


def fill(metric: str, start, period: float, interval: float | None,
         rows: list[tuple[Any, dict]]) -> list[dict]:
    """The buckets of ``[start, start + period)``: ``rows`` are ``(time, fields)`` pairs (the
    fields of one row: ``tokens_in``/``tokens_out``/``latency_ms`` for LLM calls), each counted
    in the bucket its time falls in."""
    step = interval or period
    n = buckets(timedelta(seconds=period), None if interval is None else timedelta(seconds=interval))
    out = [{"time": (start + timedelta(seconds=step * k)).isoformat(), "count": 0} for k in range(n)]
    latency = [0] * n
    for when, fields in rows:
        k = min(int((when - start).total_seconds() // step), n - 1)
        if k < 0:
            continue
        bucket = out[k]
        bucket["count"] += 1
        if metric == "llm_tokens":
            for key in ("tokens_in", "tokens_out"):
                bucket[key] = bucket.get(key, 0) + int(fields.get(key) or 0)
        latency[k] += int(fields.get("latency_ms") or 0)
    for k, bucket in enumerate(out):
        if metric == "llm_tokens":
            bucket.setdefault("tokens_in", 0)
            bucket.setdefault("tokens_out", 0)
            bucket["total_tokens"] = bucket["tokens_in"] + bucket["tokens_out"]
        elif metric == "response_time":
            bucket["duration_ms"] = round(latency[k] / bucket["count"]) if bucket["count"] else 0
    return out


def without_history(metric: str, period: float, interval: float | None, offset: int) -> list[dict]:
    """The buckets of a host that keeps no history (``gb run``, the test host): all zero,
    ending at the clock's ``NOW``."""
    from .builtins.dates import now

    start, _ = window(now(), period, offset)
    return fill(metric, start, period, interval, [])
