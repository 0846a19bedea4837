"""The routing rules on plain values (no database, no network)."""

import pytest

from llmrouter.router import Budget, Candidate, NoRoute, Request, Stats, classify_task, estimate_tokens, route


def model(key, **kw) -> Candidate:
    return Candidate(key=key, alias=key, **kw)


def measured(n=20, ok=None, p50=100.0, p95=150.0, out=100.0) -> Stats:
    return Stats(requests=n, successes=n if ok is None else ok, p50_ms=p50, p95_ms=p95, mean_output_tokens=out)


@pytest.mark.parametrize("prompt, task", [
    ("Summarize this article in two sentences", "summarize"),
    ("Classify the sentiment of this review", "classify"),
    ("Extract the invoice number and total as JSON", "extract"),
    ("Translate into French: good morning", "translate"),
    ("Write a Python function that reverses a list", "code"),
    ("Explain step by step why the sky is blue", "reason"),
    ("Hello, how are you?", "chat"),
])
def test_the_classifier_names_the_task_by_keywords(prompt, task):
    assert classify_task(prompt) == task


def test_a_model_never_called_for_the_task_is_explored_first():
    known = model("known", stats=measured(p50=50))
    new = model("new")

    decision = route([known, new], Request(task="classify", goal="speed"))

    assert decision.candidate.key == "new"
    assert decision.reason == "exploring new: never called for classify"


def test_speed_picks_the_fastest_p50_and_says_by_how_much():
    fast = model("fast", stats=measured(p50=120))
    slow = model("slow", stats=measured(p50=340))

    decision = route([slow, fast], Request(task="classify", goal="speed"))

    assert decision.candidate.key == "fast"
    assert decision.reason == "fastest p50 for classify: fast 120 ms vs slow 340 ms"
    assert [c.key for c in decision.fallbacks] == ["slow"]


def test_cost_picks_the_cheapest_estimate():
    dear = model("dear", price_in=0.01, price_out=0.03, stats=measured())
    cheap = model("cheap", price_in=0.0001, price_out=0.0002, stats=measured())

    decision = route([dear, cheap], Request(task="chat", goal="cost", prompt_tokens=1000))

    assert decision.candidate.key == "cheap"
    assert decision.estimated_cost == pytest.approx((1000 * 0.0001 + 100 * 0.0002) / 1000)
    assert decision.reason.startswith("cheapest for chat: cheap ~$")


def test_quality_weighs_the_prior_by_the_success_rate():
    flaky = model("flaky", quality=0.95, stats=measured(n=20, ok=5))
    solid = model("solid", quality=0.8, stats=measured(n=20))

    decision = route([flaky, solid], Request(task="reason", goal="quality"))

    assert decision.candidate.key == "solid"


def test_max_cost_is_a_hard_limit_estimated_before_the_call():
    dear = model("dear", price_in=0.01, price_out=0.03, quality=0.9, stats=measured(out=500))
    cheap = model("cheap", price_in=0.0001, price_out=0.0002, quality=0.3, stats=measured(out=500))

    decision = route([dear, cheap], Request(task="chat", goal="quality", prompt_tokens=500, max_cost=0.005))

    assert decision.candidate.key == "cheap"
    assert "1 over MAX_COST $0.005" in decision.reason


def test_max_latency_uses_the_p95_or_the_prior():
    slow = model("slow", quality=0.9, stats=measured(p50=100, p95=900))
    prior_slow = model("prior-slow", quality=0.95, latency_prior_ms=2000)
    ok = model("ok", quality=0.5, stats=measured(p50=100, p95=200))

    decision = route([slow, prior_slow, ok], Request(task="chat", goal="quality", max_latency_ms=500))

    assert decision.candidate.key == "ok"


def test_no_model_within_max_cost_is_refused_naming_the_cheapest():
    dear = model("dear", price_in=0.01, price_out=0.03)

    with pytest.raises(NoRoute) as caught:
        route([dear], Request(task="chat", goal="cost", prompt_tokens=1000, max_cost=0.001))

    assert caught.value.kind == "limit"
    assert caught.value.message == "No model meets MAX_COST $0.001: the cheapest, dear, costs ~$0.0177 for this call."


def test_a_budget_routes_to_a_cheaper_model_that_fits():
    dear = model("dear", price_in=0.01, price_out=0.03, quality=0.9, stats=measured(out=1000))
    cheap = model("cheap", price_in=0.001, price_out=0.001, quality=0.3, stats=measured(out=1000))

    decision = route([dear, cheap], Request(task="chat", goal="quality", prompt_tokens=1000,
                                            budgets=(Budget("this run", 0.50, 0.48),)))

    assert decision.candidate.key == "cheap"
    assert "too dear for the budget of this run ($0.02 left)" in decision.reason


def test_a_budget_no_model_fits_is_refused_with_spend_and_cheapest_cost():
    cheap = model("cheap", price_in=0.01, price_out=0.02, stats=measured(out=1000))

    with pytest.raises(NoRoute) as caught:
        route([cheap], Request(task="chat", goal="cost", prompt_tokens=100, budgets=(Budget("this run", 0.50, 0.48),)))

    assert caught.value.kind == "budget"
    assert caught.value.message == ("LLM budget of $0.50 for this run would be exceeded: spent $0.48, "
                                    "cheapest model costs ~$0.021.")


def test_a_model_in_cooldown_is_skipped():
    broken = model("broken", quality=0.9, stats=measured(), cooling_until=1_000.0)
    spare = model("spare", quality=0.1, stats=measured())

    assert route([broken, spare], Request(goal="quality", now=999.0)).candidate.key == "spare"
    assert route([broken, spare], Request(goal="quality", now=1_001.0)).candidate.key == "broken"


def test_use_model_pins_without_fallbacks():
    a, b = model("a", stats=measured()), model("b", stats=measured())

    decision = route([a, b], Request(goal="speed", pinned="b"))

    assert (decision.candidate.key, decision.fallbacks) == ("b", ())
    assert decision.reason == "pinned by USE MODEL b"


def test_without_a_goal_the_default_answers_and_the_others_are_fallbacks():
    a, b = model("a", stats=measured()), model("b", is_default=True, stats=measured())

    decision = route([a, b], Request(task="chat"))

    assert decision.candidate.key == "b"
    assert decision.reason == "default model b"
    assert [c.key for c in decision.fallbacks] == ["a"]


def test_task_types_restrict_the_models_when_some_suit():
    coder = model("coder", task_types=("code",), quality=0.2, stats=measured())
    general = model("general", quality=0.9, task_types=("chat",), stats=measured())

    assert route([coder, general], Request(task="code", goal="quality")).candidate.key == "coder"


def test_a_prompt_beyond_every_context_window_is_refused():
    small = model("small", context_window=1000)

    with pytest.raises(NoRoute, match="do not fit the context window of any model"):
        route([small], Request(prompt_tokens=estimate_tokens("x" * 8000)))


def test_ucb_converges_on_the_best_model_in_a_simulation():
    # reward = measured p50 only; each round the chosen model's statistics grow
    truth = {"a": 300.0, "b": 100.0, "c": 200.0}
    stats = {k: Stats() for k in truth}
    picks = []
    for _ in range(300):
        candidates = [model(k, stats=stats[k]) for k in truth]
        chosen = route(candidates, Request(goal="speed")).candidate.key
        picks.append(chosen)
        s = stats[chosen]
        stats[chosen] = Stats(s.requests + 1, s.successes + 1, truth[chosen], truth[chosen], 100.0)

    assert picks[-100:].count("b") >= 95
