"""The console's home page (``/``), the approvals inbox, and the admin under the product's name
linking back to the console."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories
from tests.workflows.engine_helpers import make_bot
from workflows.models import WorkflowApproval


def home_queries(client) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        content = client.get("/").content.decode()
    return len(queries.captured_queries), content


@pytest.mark.django_db
def test_home_needs_a_login(client):
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_home_shows_bots_runs_waiting_for_a_person_and_failures_in_the_same_queries_for_few_or_many(
        client, admin_user):
    client.force_login(admin_user)
    client.get("/")
    few, _ = home_queries(client)
    for n in range(4):
        bot = factories.BotFactory(name=f"bot-{n}")
        factories.WorkflowApprovalFactory(execution=factories.WorkflowExecutionFactory(
            bot=bot, is_workflow=True, workflow_name=f"needs-ok-{n}", status="waiting"), approver="lead@corp.example")
        factories.WorkflowExecutionFactory(bot=bot, is_workflow=True, status="failed", workflow_name=f"broke-{n}",
                                           error="division by zero")
    many, content = home_queries(client)
    assert many == few <= 6
    assert all(f"needs-ok-{n}" in content and f"broke-{n}" in content and f"bot-{n}" in content for n in range(4))
    assert "division by zero" in content and 'href="/dashboard/start/bot-0/"' in content


@pytest.mark.django_db
def test_home_of_a_new_site_says_how_to_get_a_bot(client, admin_user):
    client.force_login(admin_user)
    content = client.get("/").content.decode()
    assert "Nothing waits for a person." in content and "No run failed." in content
    assert "manage.py gb load" in content


@pytest.mark.django_db
def test_logging_in_lands_on_home(client):
    factories.UserFactory(username="ana", password="s3cret-pass")
    response = client.post("/accounts/login/", {"username": "ana", "password": "s3cret-pass"})
    assert response.status_code == 302 and response["Location"] == "/"


@pytest.mark.django_db
def test_the_inbox_lists_pending_approvals_and_deciding_there_comes_back_there(client, admin_user):
    pending = factories.WorkflowApprovalFactory(
        execution=factories.WorkflowExecutionFactory(is_workflow=True, status="waiting", workflow_name="refund-flow"))
    decided = factories.WorkflowApprovalFactory(status="approved", execution=factories.WorkflowExecutionFactory(
        is_workflow=True, workflow_name="old-flow"))
    client.force_login(admin_user)
    content = client.get("/dashboard/approvals/").content.decode()
    assert "refund-flow" in content and "old-flow" not in content
    assert "old-flow" in client.get("/dashboard/approvals/", {"status": "all"}).content.decode()
    response = client.post(f"/dashboard/approvals/{pending.pk}/decide",
                           {"decision": "reject", "comment": "no", "next": "inbox"})
    assert response.status_code == 302 and response["Location"] == "/dashboard/approvals/"
    assert WorkflowApproval.objects.get(pk=pending.pk).status == "rejected"
    assert decided.status == "approved"


@pytest.mark.django_db
def test_the_inbox_is_the_same_number_of_queries_for_one_request_or_many(client, admin_user):
    factories.WorkflowApprovalFactory(execution=factories.WorkflowExecutionFactory(is_workflow=True))
    client.force_login(admin_user)
    client.get("/dashboard/approvals/")
    with CaptureQueriesContext(connection) as one:
        client.get("/dashboard/approvals/")
    for _ in range(5):
        factories.WorkflowApprovalFactory(execution=factories.WorkflowExecutionFactory(
            is_workflow=True, started_by=factories.UserFactory()))
    with CaptureQueriesContext(connection) as many:
        content = client.get("/dashboard/approvals/").content.decode()
    assert content.count('class="gb-approval"') == 6
    assert len(many.captured_queries) == len(one.captured_queries) <= 5


@pytest.mark.django_db
def test_the_admin_names_the_product_and_links_back_to_the_console(admin_client):
    content = admin_client.get("/admin/").content.decode()
    assert "General Bots administration" in content and "Django administration" not in content
    assert 'href="/">View site</a>' in content and 'href="/">Console home</a>' in content
    for path in ("/dashboard/", "/dashboard/approvals/", "/chat/", "/llm/"):
        assert f'href="{path}"' in content, path


@pytest.mark.django_db
def test_a_bots_admin_pages_link_to_starting_a_run_and_to_its_runs(admin_client):
    bot = factories.BotFactory(name="refunds")
    for url in ("/admin/bots/bot/", f"/admin/bots/bot/{bot.pk}/change/"):
        content = admin_client.get(url).content.decode()
        assert 'href="/dashboard/start/refunds/">start a run</a>' in content, url
        assert 'href="/dashboard/?bot=refunds">runs</a>' in content, url


@pytest.mark.django_db
def test_a_workflow_bots_chat_says_what_it_does_and_asks_before_starting_a_run(client, admin_user):
    # given a bot whose start dialog is a workflow, with a header comment, and a plain chat bot
    make_bot("refunds", "' Refund flow: refunds and restocks an order.\nORCHESTRATE WORKFLOW \"refund-flow\"\n"
                        "TALK \"done\"\nEND WORKFLOW\n")
    make_bot("helper", 'TALK "Hello"\n')
    client.force_login(admin_user)
    # when their chat pages are opened
    asked = client.get("/chat/refunds/").content.decode()
    chat = client.get("/chat/refunds/", {"start": "yes"}).content.decode()
    # then the workflow bot explains itself and offers the form or the chat; the other chats at once
    assert "<b>refund-flow</b>: Refund flow: refunds and restocks an order." in asked
    assert 'href="/dashboard/start/refunds/"' in asked and 'href="?start=yes"' in asked
    assert "data-ws-path" not in asked and 'data-ws-path="/ws/chat/refunds/"' in chat
    assert 'data-ws-path="/ws/chat/helper/"' in client.get("/chat/helper/").content.decode()
