"""A run's outputs in place on its page: the final TALK, each BOT step's bot and what it said,
PARALLEL branches with their bots' messages, durations people read, JSON pretty-printed."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories
from tests.workflows.engine_helpers import drive, make_bot
from workflows.services import execution_start

FLOW = '''ORCHESTRATE WORKFLOW "refund-flow"
STEP 1: BOT "payments" "issue refund"
STEP 2: PARALLEL
  BRANCH A: BOT "payments" "issue refund"
  BRANCH B: BOT "stock" "restock"
END PARALLEL
TALK "Refund " + refund_id + " done for order " + order_id + "."
END WORKFLOW
'''


@pytest.fixture
def finished_run(db):
    make_bot("payments", 'refund_id = "RF-" + order_id\nTALK "Refunded " + amount + " for order " + order_id\n')
    make_bot("stock", 'TALK "Restocked item " + order_id\n')
    return drive(execution_start(bot=make_bot("refunds", FLOW), variables={"order_id": "A-17", "amount": 700}))


@pytest.mark.django_db(transaction=True)
def test_the_run_page_shows_the_final_talk_and_every_bots_messages(client, admin_user, finished_run):
    client.force_login(admin_user)
    content = client.get(f"/dashboard/runs/{finished_run.pk}/").content.decode()
    said = re.search(r'<pre class="gb-said" id="run-output">(.*?)</pre>', content, re.S).group(1)
    assert said == "Refund RF-A-17 done for order A-17."
    assert "<b>payments</b>: <span class=\"gb-output\">Refunded 700 for order A-17</span>" in content
    branches = dict(re.findall(r'data-branch="(\w)">(.*?)</li>', content, re.S))
    assert "<b>payments</b>: <span class=\"gb-said-line\">Refunded 700 for order A-17</span>" in branches["A"]
    assert "<b>stock</b>: <span class=\"gb-said-line\">Restocked item A-17</span>" in branches["B"]
    assert "[{" not in content and "&#x27;label&#x27;" not in content  # no raw branch JSON
    # the picture names the branches' bots, not the workflow's
    assert "BOT payments</text>" in content and "BOT stock</text>" in content


@pytest.mark.django_db(transaction=True)
def test_durations_are_in_ms_and_json_is_indented(client, admin_user, finished_run):
    factories.WorkflowEventFactory(workflow=finished_run, event_name="refund_done",
                                   event_data={"order_id": "A-17", "amount": 700})
    client.force_login(admin_user)
    content = client.get(f"/dashboard/runs/{finished_run.pk}/").content.decode()
    tooks = re.findall(r'<td class="gb-took">([^<]*)</td>', content)
    assert tooks and all(re.fullmatch(r"\d+ ms|\d+(\.\d)? s", took) for took in tooks), tooks
    assert "0:00:00" not in content
    data = re.search(r'data-event="\d+">.*?<pre class="gb-json">(.*?)</pre>', content, re.S).group(1)
    assert re.sub(r"<[^>]+>", "", data) == '{\n  "amount": 700,\n  "order_id": "A-17"\n}'  # indented
    assert '<span class="nt">"amount"</span>' in data and '<span class="mi">700</span>' in data  # highlighted


@pytest.mark.django_db(transaction=True)
def test_the_run_page_reads_the_branches_calls_in_one_query_whatever_their_number(client, admin_user,
                                                                                    finished_run):
    client.force_login(admin_user)
    client.get(f"/dashboard/runs/{finished_run.pk}/")
    with CaptureQueriesContext(connection) as queries:
        client.get(f"/dashboard/runs/{finished_run.pk}/")
    assert sum("workflow_executions" in q["sql"] and '"parent_id" IN' in q["sql"]
               for q in queries.captured_queries) == 1
    assert len(queries.captured_queries) <= 13
