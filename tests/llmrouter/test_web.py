"""Streaming from the test server, the API, the dashboard and the system checks."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from llmrouter.checks import check_daily_budgets, check_model_registry
from llmrouter.models import LLMModel
from llmrouter.providers import ModelConfig, chat
from tests import factories
from tests.llmrouter.factories import LLMCallFactory, LLMModelFactory

pytestmark = pytest.mark.django_db


def test_streaming_calls_back_with_each_piece_and_returns_the_whole_answer(llm_server):
    llm_server.configure("s", reply="one two three", usage={"prompt_tokens": 4, "completion_tokens": 3,
                                                          "total_tokens": 7})
    pieces = []

    result = chat([{"role": "user", "content": "count"}], None, ModelConfig(url=llm_server.url, model="s"),
                  on_token=pieces.append)

    assert pieces == ["one", " two", " three"]
    assert result == {"content": "one two three", "tool_calls": [],
                      "usage": {"prompt_tokens": 4, "completion_tokens": 3, "total_tokens": 7}}
    assert llm_server.chat_requests("s")[0]["stream"] is True


def test_streamed_tool_calls_are_put_together(llm_server):
    llm_server.configure("t", script=[{"tool_calls": [{"id": "c1", "name": "weather", "arguments": {"city": "Porto"}}]}])

    result = chat([{"role": "user", "content": "?"}], [{"type": "function", "function": {"name": "weather"}}],
                  ModelConfig(url=llm_server.url, model="t"), on_token=lambda piece: None)

    assert result["tool_calls"] == [{"id": "c1", "name": "weather", "arguments": '{"city": "Porto"}'}]


def test_the_offline_model_streams_word_by_word_and_says_it_is_offline():
    pieces = []

    result = chat([{"role": "user", "content": "hi"}], None, None, on_token=pieces.append)

    assert "".join(pieces) == result["content"] == "[offline model] I received: hi"


def test_models_api_needs_authentication(client):
    assert client.get(reverse("llm-model-list")).status_code in (401, 403)
    assert client.get(reverse("llm-performance-list")).status_code in (401, 403)


def test_models_api_lists_models_without_keys_within_the_query_limit(admin_client, django_assert_max_num_queries):
    bot = factories.BotFactory(name="shop")
    LLMModelFactory.create_batch(4)
    LLMModelFactory.create_batch(3, bot=bot, api_key="sk-secret")

    with django_assert_max_num_queries(4):  # session, user, count, page
        response = admin_client.get(reverse("llm-model-list"))

    assert response.status_code == 200
    assert response.json()["count"] == 7
    assert "sk-secret" not in response.content.decode()
    assert {r["bot"] for r in response.json()["results"]} == {None, "shop"}


def test_models_api_hides_the_models_of_bots_a_user_may_not_see(client):
    hidden = factories.BotFactory()
    LLMModelFactory(alias="global")
    LLMModelFactory(alias="private", bot=hidden)
    client.force_login(factories.UserFactory())

    response = client.get(reverse("llm-model-list"))

    assert [r["alias"] for r in response.json()["results"]] == ["global"]


def test_performance_api_lists_rows_within_the_query_limit(admin_client, django_assert_max_num_queries):
    factories.ModelPerformanceFactory.create_batch(6, latency_p50_ms=100)

    with django_assert_max_num_queries(4):  # session, user, count, page
        response = admin_client.get(reverse("llm-performance-list"), {"task_type": "general"})

    assert response.status_code == 200
    assert response.json()["count"] == 6
    assert response.json()["results"][0]["success_rate"] == 0.9


def test_dashboard_shows_table_charts_and_decisions_to_staff(admin_client, django_assert_max_num_queries):
    factories.ModelPerformanceFactory(model="fast", task_type="classify", latency_p50_ms=120, latency_p95_ms=180)
    factories.ModelPerformanceFactory(model="slow", task_type="classify", latency_p50_ms=340, latency_p95_ms=500)
    LLMCallFactory.create_batch(3)

    with django_assert_max_num_queries(5):
        response = admin_client.get(reverse("llmrouter:dashboard"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in html and 'aria-label="Latency p50 (ms)"' in html
    assert "fast / classify" in html and "340 ms" in html
    assert "cheapest for chat: a ~$0.00005 vs b ~$0.0002" in html


def test_dashboard_is_for_staff_only(client):
    client.force_login(factories.UserFactory())

    response = client.get(reverse("llmrouter:dashboard"))

    assert response.status_code == 302 and "/login" in response["Location"]


def test_checks_report_a_missing_key_variable_a_bad_url_and_a_literal_key(monkeypatch):
    monkeypatch.delenv("NOPE_KEY", raising=False)
    LLMModelFactory(alias="a", api_key_env="NOPE_KEY")
    LLMModelFactory(alias="b", provider_url="ftp://models.example")
    LLMModelFactory(alias="c", bot=factories.BotFactory(), api_key="sk-1")

    ids = sorted(p.id for p in check_model_registry(None))

    assert ids == ["llmrouter.E001", "llmrouter.E002", "llmrouter.W001"]


def test_check_reports_a_disabled_default_model(router_settings):
    router_settings.default_model = LLMModelFactory(enabled=False)
    router_settings.save()

    assert [p.id for p in check_model_registry(None)] == ["llmrouter.E003"]


def test_check_reports_a_daily_budget_that_is_not_an_amount():
    factories.BotFactory(name="spendy", config={"llm-daily-budget": "lots"})
    factories.BotFactory(config={"llm-daily-budget": "5.00"})

    problems = check_daily_budgets(None)

    assert [(p.id, p.msg) for p in problems] == [
        ("llmrouter.E004", "Bot spendy: llm-daily-budget is 'lots', not an amount of dollars; its LLM calls are refused.")]


def test_a_healthy_registry_passes_manage_py_check(monkeypatch):
    monkeypatch.setenv("GOOD_KEY", "x")
    LLMModelFactory(alias="ok", api_key_env="GOOD_KEY")

    call_command("check")  # raises SystemCheckError on any error
    assert LLMModel.objects.count() == 1
