"""Routed calls against the local OpenAI-compatible test server: convergence, limits, fallback,
cooldown. The statistics fold in on commit, so these tests commit (transaction=True)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from llmrouter.exceptions import RoutingError, UnknownModelError
from llmrouter.models import LLMCall, LLMModel, ModelPerformance
from llmrouter.services import llm_chat

pytestmark = pytest.mark.django_db(transaction=True)


def ask(bot, text="Hello there", **options):
    return llm_chat(bot=bot, messages=[{"role": "user", "content": text}], options=options)


def test_optimize_for_speed_converges_on_the_fastest(bot, fleet):
    answered = [ask(bot, task="classify", **{"optimize for": "speed"})["model"] for _ in range(15)]

    assert sorted(answered[:3]) == ["cheap", "fast", "smart"]  # each tried once
    assert answered[-8:] == ["fast"] * 8
    last = LLMCall.objects.order_by("-id").first()
    assert last.reason.startswith("fastest p50 for classify: fast ")


def test_optimize_for_cost_converges_on_the_cheapest_that_meets_the_limits(bot, fleet, llm_server):
    fleet["cheap"].context_window = 300  # too small for this prompt and its answer
    fleet["cheap"].save()
    prompt = "Please look at this. " * 60

    answered = [ask(bot, prompt, **{"optimize for": "cost"})["model"] for _ in range(10)]

    assert answered[-6:] == ["smart"] * 6
    assert llm_server.chat_requests("cheap") == []


def test_optimize_for_quality_converges_on_the_best(bot, fleet):
    answered = [ask(bot, **{"optimize for": "quality", "task": "reason"})["model"] for _ in range(12)]

    assert answered[-6:] == ["smart"] * 6


def test_quality_leaves_a_failing_best_model(bot, fleet, llm_server, router_settings):
    router_settings.cooldown_failures = 100  # keep it in routing: only the success rate should push it out
    router_settings.save()
    llm_server.configure("smart", reply="answer from smart", failure_rate=1.0, failure_status=503)

    answered = [ask(bot, **{"optimize for": "quality", "task": "reason"})["model"] for _ in range(20)]

    assert "smart" not in answered
    assert answered[-5:] == ["fast"] * 5


def test_max_cost_is_respected(bot, fleet, llm_server):
    answered = {ask(bot, max_cost=0.004, **{"optimize for": "quality"})["model"] for _ in range(8)}

    # ~1 prompt token and 256 answer tokens: fast ~$0.0102, smart ~$0.0026, cheap ~$0.00026
    assert answered == {"smart", "cheap"}
    assert llm_server.chat_requests("fast") == []


def test_max_latency_is_respected_once_measured(bot, fleet, llm_server):
    llm_server.configure("cheap", reply="answer from cheap", latency=0.4)
    for name in ("fast", "cheap", "smart"):  # one measured call each
        ask(bot, model=name)

    answered = {ask(bot, max_latency=250, **{"optimize for": "cost"})["model"] for _ in range(6)}

    assert answered == {"smart"}  # cheap: 400 ms p95 > 250 ms; smart is the cheapest of the rest
    assert len(llm_server.chat_requests("cheap")) == 1


def test_max_latency_uses_the_prior_before_any_measure(bot, fleet, llm_server):
    fleet["cheap"].latency_prior_ms = 5000
    fleet["cheap"].save()

    ask(bot, max_latency=1000, **{"optimize for": "cost"})

    assert llm_server.chat_requests("cheap") == []


def test_a_failure_falls_back_to_the_next_best_model(bot, fleet, llm_server):
    llm_server.configure("fast", failure_rate=1.0, failure_status=503)
    ask(bot, model="smart")  # measured, so speed ranks fast (unknown) first only by exploration
    ask(bot, model="cheap")

    result = ask(bot, **{"optimize for": "speed"})

    assert result["model"] in ("smart", "cheap")
    failed, answered = LLMCall.objects.order_by("-id")[1], LLMCall.objects.order_by("-id")[0]
    assert (failed.model_key, failed.success) == ("fast", False)
    assert "HTTP 503" in failed.error
    assert answered.reason.startswith("fallback after fast failed (The model at ")


def test_a_timeout_falls_back(bot, fleet, llm_server):
    llm_server.configure("fast", reply="late", latency=1.0)
    fleet["fast"].timeout_seconds = 0.2
    fleet["fast"].save()
    ask(bot, model="cheap"), ask(bot, model="smart")  # measured: speed now explores the untried fast first

    result = ask(bot, **{"optimize for": "speed"})

    timed_out = LLMCall.objects.get(model_key="fast")
    assert not timed_out.success and "did not answer within 0.2 s" in timed_out.error
    assert result["model"] in ("cheap", "smart")


def test_every_model_failing_is_an_error_naming_each(bot, fleet, llm_server):
    for name in fleet:
        llm_server.configure(name, failure_rate=1.0, failure_status=500)

    with pytest.raises(RoutingError, match="Every model tried for this call failed: .*fast: .*HTTP 500"):
        ask(bot, **{"optimize for": "speed"})
    assert LLMCall.objects.filter(success=False).count() == 3


def test_repeated_failures_cool_a_model_down_then_it_returns(bot, fleet, llm_server, router_settings):
    router_settings.cooldown_failures, router_settings.cooldown_seconds = 2, 600
    router_settings.save()
    llm_server.configure("fast", failure_rate=1.0, failure_status=503)
    for _ in range(2):
        with pytest.raises(RoutingError, match="fast: The model at .* answered HTTP 503"):
            ask(bot, model="fast")

    with pytest.raises(UnknownModelError, match="USE MODEL 'fast': the model is cooling down"):
        ask(bot, model="fast")
    assert {ask(bot, **{"optimize for": "speed"})["model"] for _ in range(4)} <= {"cheap", "smart"}
    assert len(llm_server.chat_requests("fast")) == 2
    assert LLMModel.objects.get(alias="fast").cooldown_until > timezone.now() + timedelta(seconds=590)

    LLMModel.objects.filter(alias="fast").update(cooldown_until=timezone.now() - timedelta(seconds=1))
    llm_server.configure("fast", reply="back")
    assert ask(bot, model="fast")["content"] == "back"
    assert LLMModel.objects.get(alias="fast").consecutive_failures == 0


def test_requests_the_provider_refuses_as_malformed_do_not_cool_the_model_down(bot, fleet, llm_server,
                                                                               router_settings):
    """HTTP 400/413/422 blame the request, not the model: counted toward the cooldown, one
    organization's bad prompts would put a global model out of service for every other."""
    router_settings.cooldown_failures, router_settings.cooldown_seconds = 2, 600
    router_settings.save()
    llm_server.configure("fast", failure_rate=1.0, failure_status=413)
    for _ in range(3):
        with pytest.raises(RoutingError, match="fast: The model at .* answered HTTP 413"):
            ask(bot, model="fast")

    fast = LLMModel.objects.get(alias="fast")
    assert (fast.consecutive_failures, fast.cooldown_until) == (0, None)
    assert list(LLMCall.objects.filter(model=fast).values_list("success", "counts_toward_cooldown")) == [
        (False, False)] * 3
    llm_server.configure("fast", failure_rate=1.0, failure_status=500)  # the model's own failure still counts
    with pytest.raises(RoutingError, match="HTTP 500"):
        ask(bot, model="fast")
    assert LLMModel.objects.get(alias="fast").consecutive_failures == 1


def test_performance_rows_count_calls_latency_tokens_and_cost(bot, fleet, llm_server):
    llm_server.configure("smart", reply="answer from smart", latency=0.03,
                         usage={"prompt_tokens": 1000, "completion_tokens": 500, "total_tokens": 1500})
    for _ in range(3):
        ask(bot, model="smart", task="summarize")

    perf = ModelPerformance.objects.get(model="smart", task_type="summarize")
    assert (perf.requests, perf.successes, perf.tokens_in, perf.tokens_out) == (3, 3, 3000, 1500)
    assert str(perf.cost) == "0.030000"  # 3 x (1000 x 0.005 + 500 x 0.01) / 1000
    assert len(perf.latency_window) == 3
    assert perf.latency_p50_ms >= 30 and perf.latency_p95_ms >= perf.latency_p50_ms


def test_no_model_configured_the_offline_model_answers_and_is_logged(bot, router_settings):
    result = ask(bot, "ping")

    assert result["content"] == "[offline model] I received: ping"
    call = LLMCall.objects.get()
    assert (call.model_key, call.reason) == ("offline", "no model is configured for this bot: the built-in "
                                                        "offline model answered")


def test_a_bad_option_is_a_clear_error(bot, fleet):
    from generalbots.core.exceptions import ApplicationError

    with pytest.raises(ApplicationError, match="OPTIMIZE FOR must be one of speed, cost, quality, balanced, not 'fastest'"):
        ask(bot, **{"optimize for": "fastest"})
    with pytest.raises(ApplicationError, match="MAX_COST must be a positive number of dollars per call, not 'cheap'"):
        ask(bot, max_cost="cheap")
