"""Choosing a model for one call: pure logic over plain values (no Django, no network).

``route(candidates, request)`` returns a :class:`Decision` (the model, the next-best models to
fall back to, the estimates and the reason in words) or raises :class:`NoRoute`.

The rules, in order:

1. Usable models: enabled, not in cooldown, not already failed during this call. ``USE MODEL``
   keeps only the pinned alias (and never falls back to another model).
2. Models whose ``task_types`` do not list the task are left out, unless that would leave none.
3. Hard limits, estimated before the call: the prompt plus the expected answer must fit the
   context window; the estimated cost (prompt tokens x input price + expected answer tokens x
   output price) must not pass ``MAX_COST`` nor what is left of any budget; the expected latency
   (measured p95, else the operator's prior; unknown passes) must not pass ``MAX_LATENCY``.
4. Without ``OPTIMIZE FOR`` the bot's default model answers when it fits; otherwise "balanced".
5. With a goal, UCB1 ranks the models: score = reward + c * sqrt(ln N / n), where n is the
   model's number of calls for this task, N the sum over the models and c the ``exploration``
   setting; a model never tried for the task is tried first. Rewards lie in [0, 1] and are
   multiplied by the smoothed success rate (successes + 1) / (calls + 2):
   speed = fastest p50 / this p50; cost = cheapest estimate / this estimate; quality = the
   operator's quality prior; balanced = 0.4 quality + 0.3 speed + 0.3 cost.

UCB1 rather than Thompson sampling: it is deterministic for given statistics, so a decision can
be explained in words and tested exactly, and it needs no per-sample distribution in the row.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

GOALS = ("speed", "cost", "quality", "balanced")
TASK_TYPES = ("summarize", "classify", "extract", "translate", "code", "reason", "chat")
BALANCED_WEIGHTS = (0.4, 0.3, 0.3)  # quality, speed, cost
COST_EPSILON = 1e-7  # dollars: keeps free models comparable by ratio


@dataclass(frozen=True, slots=True)
class Stats:
    """What was measured for one model on one task type."""

    requests: int = 0
    successes: int = 0
    p50_ms: float = 0.0
    p95_ms: float = 0.0
    mean_output_tokens: float | None = None

    @property
    def success_rate(self) -> float:
        return (self.successes + 1) / (self.requests + 2)


@dataclass(frozen=True, slots=True)
class Candidate:
    key: str
    alias: str
    price_in: float = 0.0  # dollars per 1000 tokens
    price_out: float = 0.0
    quality: float = 0.5
    context_window: int = 8192
    task_types: tuple[str, ...] = ()
    latency_prior_ms: float = 0.0
    enabled: bool = True
    cooling_until: float | None = None  # epoch seconds
    is_default: bool = False
    stats: Stats = Stats()
    ref: Any = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class Budget:
    label: str  # "this run", "bot support today"
    limit: float
    spent: float

    @property
    def left(self) -> float:
        return self.limit - self.spent


@dataclass(frozen=True, slots=True)
class Request:
    task: str = "chat"
    goal: str | None = None
    prompt_tokens: int = 0
    max_cost: float | None = None
    max_latency_ms: float | None = None
    pinned: str | None = None
    budgets: tuple[Budget, ...] = ()
    exploration: float = 0.15
    expected_output_tokens: int = 256
    now: float = 0.0
    exclude: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Decision:
    candidate: Candidate
    reason: str
    fallbacks: tuple[Candidate, ...]
    estimated_cost: float
    estimated_latency_ms: float | None


class NoRoute(Exception):
    """No model can take the call; ``kind`` is pinned, window, limit, budget or none."""

    def __init__(self, message: str, kind: str):
        super().__init__(message)
        self.message = message
        self.kind = kind


# --------------------------------------------------------------------------- estimates

def estimate_tokens(text: str) -> int:
    """About four characters a token, the usual rule for English with BPE tokenizers."""
    return max(1, math.ceil(len(text) / 4))


def output_tokens(c: Candidate, request: Request) -> float:
    measured = c.stats.mean_output_tokens
    return measured if measured is not None and c.stats.successes else request.expected_output_tokens


def estimated_cost(c: Candidate, request: Request) -> float:
    return (request.prompt_tokens * c.price_in + output_tokens(c, request) * c.price_out) / 1000


def expected_latency(c: Candidate) -> float | None:
    """p95 once measured, else the prior, else unknown (None)."""
    if c.stats.successes:
        return c.stats.p95_ms
    return c.latency_prior_ms or None


def typical_latency(c: Candidate) -> float | None:
    if c.stats.successes:
        return c.stats.p50_ms
    return c.latency_prior_ms or None


def money(x: float) -> str:
    """Dollars with two decimals, or three significant digits for amounts below ten cents."""
    if x >= 0.1 or x == 0:
        return f"${x:.2f}"
    text = f"{float(f'{x:.3g}'):.8f}".rstrip("0")
    return "$" + (text if len(text.split(".")[1]) >= 2 else text + "0")


# --------------------------------------------------------------------------- task classifier

_TASK_PATTERNS = [
    ("code", r"```|\b(code|python|javascript|typescript|sql|regex|function|bug|stack ?trace|compile|refactor)\b"),
    ("translate", r"\btranslat|\btraduz|\btraduc|\binto (english|spanish|portuguese|french|german|italian)\b"),
    ("summarize", r"\bsummar|\bresum[ea]|\btl;?dr\b|\bin (one|a few|\d+) (sentence|line|word)s?\b|\bgist\b"),
    ("extract", r"\bextract|\bpull out\b|\bfind (all|every)\b|\bparse\b|\bfields?\b|\bas json\b"),
    ("classify", r"\bclassif|\bcategor|\bsentiment\b|\blabel\b|\bwhich (one|of)\b|\bis (it|this) (a|an)\b.*\bor\b"),
    ("reason", r"\bwhy\b|\bstep by step\b|\bcalculat|\bprove\b|\bexplain\b|\bcompare\b|\bplan\b|\bsolve\b"),
]
_COMPILED = [(task, re.compile(pattern, re.IGNORECASE)) for task, pattern in _TASK_PATTERNS]


def classify_task(text: str) -> str:
    """The task type of a prompt by keywords: the first of code, translate, summarize, extract,
    classify, reason whose pattern matches the first 2000 characters; otherwise chat."""
    head = text[:2000]
    for task, pattern in _COMPILED:
        if pattern.search(head):
            return task
    return "chat"


# --------------------------------------------------------------------------- routing

def route(candidates: list[Candidate], request: Request) -> Decision:
    """Choose a model for ``request`` (see module docstring); raises NoRoute."""
    usable = [c for c in candidates if c.enabled and c.key not in request.exclude
              and not (c.cooling_until and c.cooling_until > request.now)]
    if request.pinned:
        pinned = [c for c in usable if c.alias == request.pinned]
        if not pinned:
            cooling = [c for c in candidates if c.alias == request.pinned and c.cooling_until
                       and c.cooling_until > request.now]
            why = ("is cooling down after repeated failures" if cooling else
                   "already failed for this call" if any(c.alias == request.pinned for c in candidates if c.enabled)
                   else "is not an enabled model of this bot")
            raise NoRoute(f"USE MODEL {request.pinned!r}: the model {why}.", "pinned")
        usable = pinned[:1]
    if not usable:
        raise NoRoute("No LLM model is available: none is configured and enabled, or all are cooling down "
                      "or failed for this call.", "none")
    notes: list[str] = []
    suited = usable if request.pinned else [c for c in usable if not c.task_types or request.task in c.task_types]
    if not suited:
        notes.append(f"no model lists {request.task}, all considered")
        suited = usable
    fitting = _within_limits(suited, request, notes)

    if request.pinned:
        chosen = fitting[0]
        return _decision(chosen, (), request, f"pinned by USE MODEL {request.pinned}", notes)
    goal = request.goal
    if goal is None:
        default = next((c for c in suited if c.is_default), None)
        if default is not None and default in fitting:
            rest = _rank(fitting, "balanced", request)
            return _decision(default, tuple(c for c, _s, _r in rest if c is not default), request,
                             f"default model {default.key}", notes)
        if default is not None:
            notes.insert(0, f"default {default.key} is outside the limits")
        goal = "balanced"
    ranked = _rank(fitting, goal, request)
    chosen, _score, _reward = ranked[0]
    reason = _explain(goal, ranked, fitting, request)
    return _decision(chosen, tuple(c for c, _s, _r in ranked[1:]), request, reason, notes)


def _within_limits(models: list[Candidate], request: Request, notes: list[str]) -> list[Candidate]:
    window = [c for c in models if request.prompt_tokens + output_tokens(c, request) <= c.context_window]
    if not window:
        largest = max(c.context_window for c in models)
        raise NoRoute(f"The prompt (~{request.prompt_tokens} tokens) and its answer do not fit the context "
                      f"window of any model (largest: {largest} tokens).", "window")
    fitting = window
    if request.max_cost is not None:
        over = [c for c in fitting if estimated_cost(c, request) > request.max_cost]
        fitting = [c for c in fitting if c not in over]
        if not fitting:
            cheapest = min(over, key=lambda c: estimated_cost(c, request))
            raise NoRoute(f"No model meets MAX_COST {money(request.max_cost)}: the cheapest, {cheapest.key}, "
                          f"costs ~{money(estimated_cost(cheapest, request))} for this call.", "limit")
        if over:
            notes.append(f"{len(over)} over MAX_COST {money(request.max_cost)}")
    if request.max_latency_ms is not None:
        over = [c for c in fitting if (expected_latency(c) or 0) > request.max_latency_ms]
        fitting = [c for c in fitting if c not in over]
        if not fitting:
            fastest = min(over, key=lambda c: expected_latency(c) or 0)
            raise NoRoute(f"No model meets MAX_LATENCY {request.max_latency_ms:g} ms: the fastest, {fastest.key}, "
                          f"takes ~{expected_latency(fastest):.0f} ms (p95).", "limit")
        if over:
            notes.append(f"{len(over)} over MAX_LATENCY {request.max_latency_ms:g} ms")
    for budget in request.budgets:
        over = [c for c in fitting if estimated_cost(c, request) > budget.left]
        fitting = [c for c in fitting if c not in over]
        if not fitting:
            cheapest = min(over, key=lambda c: estimated_cost(c, request))
            raise NoRoute(f"LLM budget of {money(budget.limit)} for {budget.label} would be exceeded: spent "
                          f"{money(budget.spent)}, cheapest model costs ~{money(estimated_cost(cheapest, request))}.",
                          "budget")
        if over:
            notes.append(f"{len(over)} too dear for the budget of {budget.label} ({money(budget.left)} left)")
    return fitting


def _rewards(models: list[Candidate], goal: str, request: Request) -> list[float]:
    costs = [estimated_cost(c, request) for c in models]
    cheapest = min(costs)
    latencies = [typical_latency(c) for c in models]
    known = [lat for lat in latencies if lat]
    fastest = min(known) if known else None
    out = []
    for c, cost, lat in zip(models, costs, latencies):
        speed = fastest / lat if fastest and lat else 1.0
        thrift = (cheapest + COST_EPSILON) / (cost + COST_EPSILON)
        if goal == "speed":
            value = speed
        elif goal == "cost":
            value = thrift
        elif goal == "quality":
            value = c.quality
        else:
            wq, ws, wc = BALANCED_WEIGHTS
            value = wq * c.quality + ws * speed + wc * thrift
        out.append(value * c.stats.success_rate)
    return out


def _rank(models: list[Candidate], goal: str, request: Request) -> list[tuple[Candidate, float, float]]:
    """(candidate, UCB score, reward), best first; ties keep the registry order."""
    rewards = _rewards(models, goal, request)
    total = sum(c.stats.requests for c in models)
    log_total = math.log(total + 1)
    scored = []
    for c, reward in zip(models, rewards):
        n = c.stats.requests
        bonus = math.inf if n == 0 else request.exploration * math.sqrt(log_total / n)
        scored.append((c, reward + bonus, reward))
    order = sorted(range(len(scored)), key=lambda i: (-scored[i][1], -scored[i][2], i))
    return [scored[i] for i in order]


def _explain(goal: str, ranked, fitting, request: Request) -> str:
    chosen, _score, reward = ranked[0]
    task = request.task
    if chosen.stats.requests == 0:
        return f"exploring {chosen.key}: never called for {task}"
    best_known = max(ranked, key=lambda r: r[2])
    if best_known[0] is not chosen:
        return (f"exploring {chosen.key}: {chosen.stats.requests} calls for {task} "
                f"(best measured for {goal}: {best_known[0].key})")
    runner = ranked[1][0] if len(ranked) > 1 else None
    if goal == "speed":
        text = f"fastest p50 for {task}: {chosen.key} {_ms(typical_latency(chosen))}"
        return text + (f" vs {runner.key} {_ms(typical_latency(runner))}" if runner else " (only model)")
    if goal == "cost":
        text = f"cheapest for {task}: {chosen.key} ~{money(estimated_cost(chosen, request))}"
        return text + (f" vs {runner.key} ~{money(estimated_cost(runner, request))}" if runner else " (only model)")
    if goal == "quality":
        text = (f"best quality for {task}: {chosen.key} {chosen.quality:.2f} "
                f"x {chosen.stats.success_rate:.0%} success")
        return text + (f" vs {runner.key} {runner.quality:.2f}" if runner else " (only model)")
    text = f"best balance of quality, speed and cost for {task}: {chosen.key} {reward:.2f}"
    return text + (f" vs {runner.key} {ranked[1][2]:.2f}" if runner else " (only model)")


def _ms(value: float | None) -> str:
    return "unknown" if not value else f"{value:.0f} ms"


def _decision(chosen: Candidate, fallbacks: tuple[Candidate, ...], request: Request, reason: str,
              notes: list[str]) -> Decision:
    if notes:
        reason = f"{reason}; {'; '.join(notes)}"
    return Decision(chosen, reason, fallbacks, estimated_cost(chosen, request), expected_latency(chosen))
