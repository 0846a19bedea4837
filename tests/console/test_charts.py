"""The charts page (``/charts/``): runs by status per day, step durations per workflow, LLM
calls, cost and latency per model per day; server-rendered SVG with the exact values in titles."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests import factories
from tests.llmrouter import factories as llm_factories
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
    assert content.count('role="img"') == 5


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
    assert len(much.captured_queries) == len(little.captured_queries) <= 6
