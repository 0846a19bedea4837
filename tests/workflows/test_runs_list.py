"""The runs list of the console (``/dashboard/``): counts per status, durations, the filters
(bot, workflow, status, dates, a variable's value), top-level runs by default."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests import factories
from workflows.choices import ExecutionStatus
from workflows.models import WorkflowExecution


def run(**kwargs) -> WorkflowExecution:
    kwargs.setdefault("is_workflow", True)
    return factories.WorkflowExecutionFactory(**kwargs)


def listed(content: str) -> set[str]:
    return set(re.findall(r'id="run-([0-9a-f-]+)"', content))


def count_of(content: str, status: str) -> int:
    return int(re.search(rf'data-status="{status}"[^>]*>.*?<b>(\d+)</b>', content).group(1))


@pytest.mark.django_db
def test_child_runs_are_left_out_unless_asked_for(client, admin_user):
    parent = run()
    child = run(parent=parent, root=parent)
    client.force_login(admin_user)
    assert listed(client.get("/dashboard/").content.decode()) == {str(parent.pk)}
    assert listed(client.get("/dashboard/", {"children": "on"}).content.decode()) == {str(parent.pk), str(child.pk)}


@pytest.mark.django_db
def test_the_counts_per_status_follow_the_other_filters_but_not_the_status_one(client, admin_user):
    bot = factories.BotFactory(name="shop")
    for status in ("failed", "failed", "completed"):
        run(bot=bot, status=status)
    run(status="failed")  # another bot's
    client.force_login(admin_user)
    content = client.get("/dashboard/", {"bot": "shop", "status": "completed"}).content.decode()
    assert count_of(content, "failed") == 2 and count_of(content, "completed") == 1
    assert count_of(content, "running") == 0 and len(listed(content)) == 1
    # the count links keep the bot filter and change the status
    assert 'href="?bot=shop&amp;status=failed"' in content


@pytest.mark.django_db
def test_a_variables_value_and_dates_filter_the_runs(client, admin_user):
    wanted = run(input={"order_id": "A-17", "amount": 700})
    run(input={"order_id": "B-2", "amount": 700})
    old = run(input={"order_id": "A-17"})
    WorkflowExecution.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=10))
    client.force_login(admin_user)
    since = (timezone.now() - timedelta(days=1)).date().isoformat()
    assert listed(client.get("/dashboard/", {"variable": "order_id=A-17", "after": since}).content.decode()) == {
        str(wanted.pk)}
    assert len(listed(client.get("/dashboard/", {"variable": "amount=700"}).content.decode())) == 2  # a number


@pytest.mark.django_db
def test_a_malformed_variable_filter_says_how_to_write_it(client, admin_user):
    client.force_login(admin_user)
    content = client.get("/dashboard/", {"variable": "order_id"}).content.decode()
    assert 'id="variable-error"' in content and "name=value" in content


@pytest.mark.django_db
def test_durations_read_in_ms_s_and_min(client, admin_user):
    now = timezone.now()
    for took in (timedelta(milliseconds=42), timedelta(seconds=3.5), timedelta(minutes=4, seconds=10)):
        execution = run(status="completed")
        WorkflowExecution.objects.filter(pk=execution.pk).update(created_at=now - took, finished_at=now)
    client.force_login(admin_user)
    content = client.get("/dashboard/").content.decode()
    assert ">42 ms<" in content and ">3.5 s<" in content and ">4 min 10 s<" in content


@pytest.mark.django_db
def test_the_runs_list_is_the_same_number_of_queries_for_one_run_or_many(client, admin_user):
    run(status="failed")
    client.force_login(admin_user)
    client.get("/dashboard/")
    with CaptureQueriesContext(connection) as one:
        client.get("/dashboard/")
    for status in ("completed", "waiting", "running") * 5:
        run(status=status, bot=factories.BotFactory())
    with CaptureQueriesContext(connection) as many:
        content = client.get("/dashboard/").content.decode()
    assert len(listed(content)) == 16
    assert len(many.captured_queries) == len(one.captured_queries) <= 7
