"""QUERY METRICS in a real run: the bot's own messages, conversations, runs and LLM calls, in
buckets over a period; another organization's rows never count."""

from datetime import timedelta

import pytest
from django.utils import timezone

from llmrouter.models import LLMCall
from generalbots.bots.models import Message
from tests import factories
from tests.workflows.engine_helpers import drive, make_bot
from workflows.choices import ExecutionStatus
from workflows.services import execution_start

pytestmark = pytest.mark.django_db

SCRIPT = """m = QUERY METRICS "messages" FOR "24h"
prev = QUERY METRICS "messages" FOR "24h" OFFSET 1
t = QUERY METRICS "llm_tokens" FOR "1d"
e = QUERY METRICS "errors" FOR "7d"
c = QUERY METRICS "conversations" FOR "24h" BY "6h"
TALK SUM(m, "count") & " " & SUM(prev, "count") & " " & SUM(t, "total_tokens") & " " & SUM(e, "count")
TALK UBOUND(c) & " buckets, " & SUM(c, "count") & " conversation"
"""


def messages(bot, count, age):
    conversation = factories.ConversationFactory(bot=bot)
    rows = factories.MessageFactory.create_batch(count, conversation=conversation)
    Message.objects.filter(pk__in=[r.pk for r in rows]).update(created_at=timezone.now() - age)


def test_query_metrics_counts_the_bots_own_rows_by_period(org_a, org_b):
    bot = make_bot("reporter", SCRIPT, organization=org_a)
    messages(bot, 3, timedelta(hours=1))
    messages(bot, 1, timedelta(hours=30))  # the period before
    messages(make_bot("stranger", "TALK 1", organization=org_b), 5, timedelta(hours=1))
    LLMCall.objects.create(bot=bot, model_key="m", task_type="chat", tokens_in=10, tokens_out=5)
    LLMCall.objects.create(bot=bot, model_key="m", task_type="chat", tokens_in=20, tokens_out=5)
    factories.WorkflowExecutionFactory(bot=bot, status=ExecutionStatus.FAILED)

    run = drive(execution_start(bot=bot))

    assert run.status == ExecutionStatus.COMPLETED, run.error
    assert run.output == ["3 1 40 1", "4 buckets, 1 conversation"]


def test_an_unknown_metric_held_in_a_variable_fails_the_line_naming_it(org_a):
    bot = make_bot("reporter", 'name = "storage_usage"\nx = QUERY METRICS name FOR "1h"\n', organization=org_a)

    run = drive(execution_start(bot=bot))

    assert run.status == ExecutionStatus.FAILED
    assert run.error_line == 2
    assert "unknown metric 'storage_usage'" in run.error
