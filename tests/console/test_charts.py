"""The charts page (``/charts/``): runs by status per day, step durations per workflow, LLM
calls, cost and latency per model per day, each bot's LLM spend against its daily budget;
server-rendered SVG with the exact values in titles."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests import factories
from tests.llmrouter import factories as llm_factories
from llmrouter.models import LLMCall, RouterSettings
from workflows.models import WorkflowExecution, WorkflowStep


def titles(content: str) -> set[str]:
    return set(re.findall(r"<title>([^<]+)</title>", content))


def add_data(n: int = 1):
    today, yesterday = timezone.localdate(), timezone.localdate() - timedelta(days=1)
    for _ in range(n):
        for status, day_offset in (("completed", 0), ("completed", 0), ("failed", 1)):
            run = factories.WorkflowExecutionFactory(is_workflow=True, status=status, workflow_name="refund-flow")
            WorkflowExecution.objects.filter(pk=run.pk).update(created_at=timezone.now() - timedelta(days=day_offset))
            step = factories.WorkflowStepFactory(execution=run, label="1", status="completed")
            WorkflowStep.objects.filter(pk=step.pk).update(duration=timedelta(seconds=3))
        llm_factories.LLMCallFactory(model_key="fast", cost=Decimal("0.25"), latency_ms=100)
    return today.isoformat(), yesterday.isoformat()


@pytest.mark.django_db
def test_the_charts_show_runs_by_status_step_durations_and_llm_use(client, admin_user):
    today, yesterday = add_data()
    client.force_login(admin_user)
    content = client.get("/charts/").content.decode()
    shown = titles(content)
    assert f"{today} · Completed: 2" in shown and f"{yesterday} · Failed: 1" in shown
    assert "refund-flow · STEP 1: 3 s" in shown
    assert f"{today} · fast: 1" in shown and f"{today} · fast: 0.25 $" in shown and f"{today} · fast: 100 ms" in shown
    assert content.count('role="img"') == 5  # no bot has a daily budget: no budget chart
    assert "No bot with a daily budget spent anything in this period." in content


@pytest.mark.django_db
def test_the_charts_of_a_new_site_say_there_is_no_data(client, admin_user):
    client.force_login(admin_user)
    content = client.get("/charts/", {"days": "7"}).content.decode()
    assert "Runs by status per day: no data yet." in content and "<svg" not in content.split("<main")[1]


@pytest.mark.django_db
def test_llm_charts_are_for_staff_and_the_runs_only_those_of_granted_bots(client):
    user = factories.UserFactory()
    mine = factories.BotAccessFactory(user=user).bot
    factories.WorkflowExecutionFactory(bot=mine, is_workflow=True, status="completed")
    factories.WorkflowExecutionFactory(is_workflow=True, status="failed")  # another bot's
    client.force_login(user)
    content = client.get("/charts/").content.decode()
    assert any(t.endswith("Completed: 1") for t in titles(content))
    assert not any("Failed" in t for t in titles(content)) and 'id="chart-llm"' not in content


@pytest.mark.django_db
def test_the_charts_are_the_same_queries_for_little_or_much_data(client, admin_user):
    add_data()
    client.force_login(admin_user)
    client.get("/charts/")
    with CaptureQueriesContext(connection) as little:
        client.get("/charts/")
    add_data(4)
    with CaptureQueriesContext(connection) as much:
        client.get("/charts/")
    assert len(much.captured_queries) == len(little.captured_queries) <= 7, len(much.captured_queries)


def spend(bot, cost: str, *, days_ago: int = 0):
    call = llm_factories.LLMCallFactory(bot=bot, cost=Decimal(cost))
    LLMCall.objects.filter(pk=call.pk).update(created_at=timezone.now() - timedelta(days=days_ago))


@pytest.mark.django_db
def test_the_budget_chart_shows_each_bots_spend_per_day_against_its_daily_budget(client, admin_user):
    today, yesterday = (timezone.localdate() - timedelta(days=n) for n in (0, 1))
    capped = factories.BotFactory(name="capped", config={"llm-daily-budget": "1.00"})
    spend(capped, "0.75"), spend(capped, "0.50"), spend(capped, "0.25", days_ago=1)
    spend(factories.BotFactory(name="free"), "9")  # no budget anywhere: no chart
    client.force_login(admin_user)

    content = client.get("/charts/").content.decode()

    section = re.search(r'<section id="chart-budget">(.*?)</section>', content, re.S).group(1)
    assert re.findall(r'<figure data-bot="(\w+)">', section) == ["capped"]
    assert titles(section) == {f"{today.isoformat()}: 1.25 $ of 1 $ (over the budget)",
                               f"{yesterday.isoformat()}: 0.25 $ of 1 $", "daily budget: 1 $"}
    assert section.count('class="gb-segment gb-over"') == 1  # today, over the line
    # the axes are named, the budget is a line
    assert '<text class="gb-axis-name" x="0" y="9" font-size="11">dollars spent</text>' in section
    assert re.search(r'<text class="gb-axis-name"[^>]*>day</text>', section)
    assert 'class="gb-limit"' in section and 'aria-label="LLM spend of capped per day against its daily budget"' in section


@pytest.mark.django_db
def test_the_router_settings_budget_applies_to_bots_without_their_own(client, admin_user):
    RouterSettings.objects.create(daily_budget=Decimal("2"))
    spend(factories.BotFactory(name="plain"), "0.5")
    client.force_login(admin_user)
    content = client.get("/charts/").content.decode()
    assert f"{timezone.localdate().isoformat()}: 0.5 $ of 2 $" in titles(content)
