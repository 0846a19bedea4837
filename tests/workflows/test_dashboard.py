"""The live dashboard: pages, permissions, decisions and the websockets that keep them live
(real ASGI application, session auth, Redis channel layer)."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.db import transaction
from django.test import Client

from generalbots.asgi import application
from tests import factories
from workflows.choices import ApprovalStatus, ExecutionStatus
from workflows.models import WorkflowExecution
from workflows.models import WorkflowApproval
from workflows.realtime import run_changed
from workflows.services import approval_decide, execution_retry, execution_start
from workflows.views.runs import PAGE_SIZE
from tests.workflows.engine_helpers import drive, make_bot


def run(**kwargs) -> WorkflowExecution:
    kwargs.setdefault("is_workflow", True)
    return factories.WorkflowExecutionFactory(**kwargs)


def session_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def socket(path: str, cookie: str | None = None) -> WebsocketCommunicator:
    headers = [(b"origin", b"http://127.0.0.1")]
    if cookie is not None:
        headers.append((b"cookie", f"sessionid={cookie}".encode()))
    return WebsocketCommunicator(application, path, headers=headers)


def change_status(execution: WorkflowExecution, status: str) -> None:
    """What the engine does in a slice: save the new status and announce it on commit."""
    with transaction.atomic():
        execution.status = status
        execution.save(update_fields=["status", "updated_at"])
        run_changed(execution)


# --------------------------------------------------------------------------- websockets

def approve_and_drive(execution: WorkflowExecution) -> None:
    """A person approves the pending request; the engine runs the slice that it wakes."""
    approval_decide(approval=WorkflowApproval.objects.get(execution=execution), decision="approve")
    drive(execution)


@pytest.mark.django_db(transaction=True)
def test_the_engine_announces_a_run_to_a_client_subscribed_to_it(admin_user):
    bot = make_bot("approver", 'ORCHESTRATE WORKFLOW "w"\nSTEP 1: HUMAN APPROVAL FROM "lead@corp.example"\nTALK "ok"\n')
    execution = drive(execution_start(bot=bot))
    assert execution.status == ExecutionStatus.WAITING

    async def scenario():
        communicator = socket(f"/ws/workflows/runs/{execution.pk}/", await database_sync_to_async(session_cookie)(admin_user))
        connected, _ = await communicator.connect()
        hello = await communicator.receive_json_from(timeout=5)
        await database_sync_to_async(approve_and_drive)(execution)
        decided = await communicator.receive_json_from(timeout=5)
        finished = await communicator.receive_json_from(timeout=5)
        await communicator.disconnect()
        return connected, hello, decided, finished

    connected, hello, decided, finished = async_to_sync(scenario)()

    assert connected and hello["type"] == "hello" and hello["run"]["status"] == "waiting"
    assert decided["type"] == "workflow.approval" and decided["data"]["approval"]["status"] == "approved"
    assert finished["type"] == "workflow.status"
    assert finished["data"]["id"] == str(execution.pk) and finished["data"]["status"] == "completed"


@pytest.mark.django_db(transaction=True)
def test_a_retry_reaches_the_page_of_the_run_it_restarts(admin_user):
    bot = make_bot("fragile", 'STEP 1: x = 1 / 0\n')
    execution = drive(execution_start(bot=bot))
    assert execution.status == ExecutionStatus.FAILED

    async def scenario():
        communicator = socket(f"/ws/workflows/runs/{execution.pk}/", await database_sync_to_async(session_cookie)(admin_user))
        await communicator.connect()
        await communicator.receive_json_from(timeout=5)
        await database_sync_to_async(execution_retry)(execution=execution)
        message = await communicator.receive_json_from(timeout=5)
        await communicator.disconnect()
        return message

    message = async_to_sync(scenario)()
    assert message["data"]["id"] == str(execution.pk) and message["data"]["status"] == "pending"


@pytest.mark.django_db(transaction=True)
def test_a_child_run_change_reaches_the_parents_page(admin_user):
    parent = run(status=ExecutionStatus.WAITING)
    branch = factories.WorkflowExecutionFactory(parent=parent, root=parent, kind="branch", branch_label="A",
                                                status=ExecutionStatus.RUNNING)

    async def scenario():
        communicator = socket(f"/ws/workflows/runs/{parent.pk}/", await database_sync_to_async(session_cookie)(admin_user))
        await communicator.connect()
        await communicator.receive_json_from(timeout=5)
        await database_sync_to_async(change_status)(branch, ExecutionStatus.COMPLETED)
        message = await communicator.receive_json_from(timeout=5)
        await communicator.disconnect()
        return message

    assert async_to_sync(scenario)()["data"]["id"] == str(branch.pk)


@pytest.mark.django_db(transaction=True)
def test_the_dashboard_socket_gets_only_the_runs_of_granted_bots(operator):
    mine = run(bot=operator.bot_access.get().bot, status=ExecutionStatus.RUNNING)
    other = run(status=ExecutionStatus.RUNNING)

    async def scenario():
        communicator = socket("/ws/workflows/", await database_sync_to_async(session_cookie)(operator))
        await communicator.connect()
        hello = await communicator.receive_json_from(timeout=5)
        await database_sync_to_async(change_status)(other, ExecutionStatus.FAILED)
        await database_sync_to_async(change_status)(mine, ExecutionStatus.COMPLETED)
        first = await communicator.receive_json_from(timeout=5)
        nothing_else = await communicator.receive_nothing(timeout=0.3)
        await communicator.disconnect()
        return hello, first, nothing_else

    hello, first, nothing_else = async_to_sync(scenario)()

    assert hello == {"type": "hello", "bots": ["refunds"]}
    assert first["data"]["id"] == str(mine.pk) and nothing_else


@pytest.mark.django_db(transaction=True)
def test_a_run_of_a_bot_not_granted_is_refused_like_a_missing_one(operator):
    hidden = run(status=ExecutionStatus.RUNNING)
    async def scenario():
        communicator = socket(f"/ws/workflows/runs/{hidden.pk}/", await database_sync_to_async(session_cookie)(operator))
        connected, _ = await communicator.connect()
        error = await communicator.receive_json_from(timeout=5)
        closed = await communicator.receive_output(timeout=5)
        await communicator.disconnect()
        return connected, error, closed

    connected, error, closed = async_to_sync(scenario)()

    assert error["type"] == "error" and str(hidden.pk) in error["error"]["message"]
    assert closed == {"type": "websocket.close", "code": 4404}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("path", ["/ws/workflows/", "/ws/workflows/runs/5b0e9a52-8a9f-4a57-9a5e-7d0c1b0f0c11/"])
def test_anonymous_sockets_are_refused(path):
    async def scenario():
        communicator = socket(path)
        connected, code = await communicator.connect()
        await communicator.disconnect()
        return connected, code

    assert async_to_sync(scenario)() == (False, 4401)


# --------------------------------------------------------------------------- pages

@pytest.mark.django_db
def test_the_dashboard_needs_a_login(client):
    response = client.get("/dashboard/")

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.django_db
def test_a_user_without_grants_is_told_to_ask_for_one(client):
    client.force_login(factories.UserFactory())

    response = client.get("/dashboard/")

    assert response.status_code == 403
    assert "Ask an administrator for a bot access grant" in response.content.decode()


@pytest.mark.django_db
def test_the_dashboard_lists_visible_runs_within_the_query_limit(client, operator, django_assert_max_num_queries):
    bot = operator.bot_access.get().bot
    runs = [run(bot=bot) for _ in range(6)]
    hidden = run()
    client.force_login(operator)

    with django_assert_max_num_queries(8):
        response = client.get("/dashboard/")

    content = response.content.decode()
    assert all(f'id="run-{r.pk}"' in content for r in runs)
    assert f'id="run-{hidden.pk}"' not in content
    assert 'data-ws-path="/ws/workflows/"' in content


@pytest.mark.django_db
def test_htmx_gets_the_filtered_rows_partial(client, admin_user):
    failed = run(status=ExecutionStatus.FAILED)
    run(status=ExecutionStatus.COMPLETED)
    client.force_login(admin_user)

    response = client.get("/dashboard/", {"status": "failed"}, HTTP_HX_REQUEST="true")

    content = response.content.decode()
    assert content.startswith('<section id="runs"') and "<html" not in content
    assert 'hx-get="/dashboard/?status=failed"' in content  # the partial refreshes itself with its filters
    assert content.count('class="gb-run"') == 1 and f'id="run-{failed.pk}"' in content


@pytest.mark.django_db
def test_the_page_links_keep_the_status_and_name_filters(client, admin_user):
    # given more filtered runs than one page holds, and runs the filters leave out
    bot = factories.BotFactory()
    kept = [run(bot=bot, status=ExecutionStatus.FAILED, workflow_name="refund-flow") for _ in range(PAGE_SIZE + 1)]
    run(bot=bot, status=ExecutionStatus.COMPLETED, workflow_name="refund-flow")
    run(bot=bot, status=ExecutionStatus.FAILED, workflow_name="restock")
    client.force_login(admin_user)
    # when the first page is shown and its "older" link is followed
    first = client.get("/dashboard/", {"status": "failed", "name": "refund"}).content.decode()
    older = re.search(r'<a href="([^"]+)">older</a>', first).group(1).replace("&amp;", "&")
    second = client.get("/dashboard/" + older).content.decode()
    # then the link carries both filters, and the second page holds the one filtered run left
    assert parse_qs(urlsplit(older).query) == {"status": ["failed"], "name": ["refund"], "page": ["2"]}
    assert second.count('class="gb-run"') == 1
    assert sum(f'id="run-{r.pk}"' in first + second for r in kept) == PAGE_SIZE + 1


@pytest.mark.django_db
def test_the_run_page_shows_graph_steps_variables_events_children_and_approvals(client, admin_user,
                                                                                django_assert_max_num_queries):
    execution = run(status=ExecutionStatus.WAITING, state={"globals": {"amount": 700}})
    factories.WorkflowStepFactory(execution=execution, label="1", kind="bot", input={"bot": "triage"})
    factories.WorkflowStepFactory(execution=execution, label="2", kind="approval", status="waiting")
    factories.WorkflowEventFactory(workflow=execution, event_name="refund_done")
    approval = factories.WorkflowApprovalFactory(execution=execution)
    client.force_login(admin_user)

    with django_assert_max_num_queries(12):
        response = client.get(f"/dashboard/runs/{execution.pk}/")

    content = response.content.decode()
    assert '<svg' in content and content.count('class="gb-node') == 3  # start, STEP 1, STEP 2
    assert 'data-status="waiting"' in content
    assert "amount" in content and "700" in content and "refund_done" in content
    assert f'/dashboard/approvals/{approval.pk}/decide' in content
    assert f'data-ws-path="/ws/workflows/runs/{execution.pk}/"' in content


@pytest.mark.django_db
def test_a_failed_run_shows_step_line_and_message(client, admin_user):
    failed = run(status=ExecutionStatus.FAILED, error="refund-flow.bas:7: division by zero", error_step="3",
                 error_line=7)
    client.force_login(admin_user)

    content = client.get(f"/dashboard/runs/{failed.pk}/").content.decode()

    assert "Failed at STEP 3, line 7: refund-flow.bas:7: division by zero" in content


@pytest.mark.django_db
def test_another_bots_run_page_is_not_found(client, operator):
    hidden = run()
    client.force_login(operator)

    response = client.get(f"/dashboard/runs/{hidden.pk}/")

    assert response.status_code == 404


@pytest.mark.django_db
def test_deciding_from_the_run_page_and_a_second_decision_is_refused_with_a_message(client, operator):
    approval = factories.WorkflowApprovalFactory(execution__bot=operator.bot_access.get().bot)
    client.force_login(operator)
    url = f"/dashboard/approvals/{approval.pk}/decide"

    first = client.post(url, {"decision": "approve", "comment": "fine"}, HTTP_HX_REQUEST="true")
    second = client.post(url, {"decision": "reject"}, HTTP_HX_REQUEST="true")

    approval.refresh_from_db()
    assert (approval.status, approval.comment, approval.decided_by) == (ApprovalStatus.APPROVED, "fine", operator)
    assert first.content.decode().startswith('<div id="run-body"') and "Approval approved." in first.content.decode()
    assert "This approval request is already approved." in second.content.decode()


@pytest.mark.django_db
def test_a_read_only_grant_sees_no_buttons_and_cannot_decide(client):
    user = factories.UserFactory()
    grant = factories.BotAccessFactory(user=user, can_operate=False)
    approval = factories.WorkflowApprovalFactory(execution__bot=grant.bot)
    client.force_login(user)

    page = client.get(f"/dashboard/runs/{approval.execution_id}/").content.decode()
    response = client.post(f"/dashboard/approvals/{approval.pk}/decide", {"decision": "approve"}, follow=True)

    assert "gb-decide" not in page and ">Cancel<" not in page
    assert "not decide their approvals" in response.content.decode()
    approval.refresh_from_db()
    assert approval.status == ApprovalStatus.PENDING


@pytest.mark.django_db
def test_cancel_from_the_run_page_goes_through_the_service(client, operator):
    running = run(bot=operator.bot_access.get().bot, status=ExecutionStatus.RUNNING)
    client.force_login(operator)

    response = client.post(f"/dashboard/runs/{running.pk}/cancel", HTTP_HX_REQUEST="true")

    running.refresh_from_db()
    assert running.status == ExecutionStatus.CANCELLED
    assert "Run cancelled." in response.content.decode() and 'data-status="cancelled"' in response.content.decode()
