"""Simulated LLM routing: regret against an oracle per goal, and routing overhead per call.

    python bench/router.py [--calls 10000] [--seed 1]

Five models with known distributions (latency: log-normal around a median; output tokens;
failure probability; quality prior). For each goal the router (``llmrouter.router.route``,
the code the platform runs, UCB1 with the default exploration 0.15) routes ``--calls``
calls; after each call the chosen model's statistics are updated the way
``performance_record`` does (counts, a 200-call latency window for p50/p95, mean output
tokens). The oracle knows the true distributions and always takes the best model for the goal.

Printed, one JSON object per line:
- ``router_regret_<goal>``: per-call regret, in the goal's unit (speed: ms of expected latency
  of a successful answer, cost: dollars, quality: quality x success probability; balanced:
  score points), with ``oracle_share`` = share of calls that went to the oracle's model and
  ``regret_last_1000`` (regret over the last 1000 calls: does it converge?).
- ``router_overhead``: microseconds of ``route()`` per call over 5 candidates (median, p95).
"""

from __future__ import annotations

import argparse
import json
import math
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from llmrouter.router import BALANCED_WEIGHTS, Candidate, Request, Stats, route  # noqa: E402

WINDOW = 200
PROMPT_TOKENS = 400
# name: latency median ms, spread (sigma of log), output tokens mean, failure p, quality, $/1k in, $/1k out
MODELS = {
    "tiny": (600, 0.25, 120, 0.02, 0.35, 0.0001, 0.0002),  # cheapest, slow
    "small": (250, 0.30, 180, 0.01, 0.55, 0.0005, 0.0015),  # fast and reliable
    "mid": (400, 0.30, 250, 0.01, 0.75, 0.003, 0.006),
    "large": (1500, 0.35, 300, 0.03, 0.92, 0.01, 0.03),  # best, dearest
    "flaky": (180, 0.40, 200, 0.25, 0.85, 0.001, 0.002),  # fastest median, fails one call in four
}


def true_cost(spec) -> float:
    _med, _s, out, _f, _q, pin, pout = spec
    return (PROMPT_TOKENS * pin + out * pout) / 1000


def true_latency(spec) -> float:
    med, sigma, *_ = spec
    return med * math.exp(sigma * sigma / 2)  # log-normal mean


def value(goal: str, name: str) -> float:
    """Expected value for a goal in its natural unit, higher is better (negated costs)."""
    spec = MODELS[name]
    ok = 1 - spec[3]
    if goal == "speed":  # expected latency until a successful answer (failures retried)
        return -true_latency(spec) / ok
    if goal == "cost":  # expected dollars per successful answer
        return -true_cost(spec) / ok
    if goal == "quality":
        return spec[4] * ok
    lat = {n: true_latency(s) for n, s in MODELS.items()}
    cost = {n: true_cost(s) for n, s in MODELS.items()}
    wq, ws, wc = BALANCED_WEIGHTS
    return ok * (wq * spec[4] + ws * min(lat.values()) / lat[name] + wc * min(cost.values()) / cost[name])


def simulate(goal: str, calls: int, rng: random.Random) -> tuple[dict, list[float]]:
    state = {n: {"req": 0, "ok": 0, "window": [], "out": 0} for n in MODELS}
    oracle = max(MODELS, key=lambda n: value(goal, n))
    best = value(goal, oracle)
    regrets, overhead, oracle_hits = [], [], 0
    for _ in range(calls):
        candidates = []
        for n, spec in MODELS.items():
            s = state[n]
            window = sorted(s["window"])
            stats = Stats(s["req"], s["ok"], window[len(window) // 2] if window else 0.0,
                          window[min(len(window) - 1, int(len(window) * 0.95))] if window else 0.0,
                          s["out"] / s["ok"] if s["ok"] else None)
            candidates.append(Candidate(key=n, alias=n, price_in=spec[5], price_out=spec[6], quality=spec[4],
                                        stats=stats))
        started = time.perf_counter()
        chosen = route(candidates, Request(task="chat", goal=goal, prompt_tokens=PROMPT_TOKENS)).candidate.key
        overhead.append((time.perf_counter() - started) * 1e6)
        oracle_hits += chosen == oracle
        regrets.append(best - value(goal, chosen))
        spec, s = MODELS[chosen], state[chosen]
        s["req"] += 1
        if rng.random() >= spec[3]:
            s["ok"] += 1
            s["window"] = [*s["window"], spec[0] * math.exp(rng.gauss(0, spec[1]))][-WINDOW:]
            s["out"] += max(1, int(rng.gauss(spec[2], spec[2] * 0.2)))
    unit = {"speed": "ms", "cost": "$", "quality": "quality", "balanced": "score"}[goal]
    result = {"name": f"router_regret_{goal}", "unit": f"{unit} per call", "median": round(statistics.median(regrets), 6),
              "p95": round(sorted(regrets)[int(len(regrets) * 0.95)], 6), "n": calls,
              "mean": round(statistics.fmean(regrets), 6),
              "regret_last_1000": round(statistics.fmean(regrets[-1000:]), 6),
              "oracle": oracle, "oracle_share": round(oracle_hits / calls, 4),
              "reference": f"oracle expected value {best:.6g} {unit}"}
    return result, overhead


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    overhead: list[float] = []
    for goal in ("speed", "cost", "quality", "balanced"):
        result, spent = simulate(goal, args.calls, rng)
        overhead += spent
        print(json.dumps(result))
    overhead.sort()
    print(json.dumps({"name": "router_overhead", "unit": "us per call", "median": round(statistics.median(overhead), 1),
                      "p95": round(overhead[int(len(overhead) * 0.95)], 1), "n": len(overhead),
                      "models": len(MODELS), "target": "under 1000 us"}))


if __name__ == "__main__":
    main()
