"""The admin of runs and approvals: inlines, filters, actions through services, confirmation of
destructive bulk actions, the approvals inbox, query counts."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from tests import factories
from workflows.choices import ApprovalStatus, ExecutionStatus
from workflows.models import WorkflowApproval, WorkflowExecution

pytestmark = pytest.mark.django_db

RUNS = reverse("admin:workflows_workflowexecution_changelist")
APPROVALS = reverse("admin:workflows_workflowapproval_changelist")


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_runs_changelist_filters_within_the_query_limit(admin_client, django_assert_max_num_queries):
    for status in ("running", "failed", "waiting", "failed"):
        factories.WorkflowExecutionFactory(status=status, is_workflow=True)

    with django_assert_max_num_queries(12):
        response = admin_client.get(RUNS, {"status__exact": "failed", "kind__exact": "workflow"})

    assert response.status_code == 200
    assert response.context["cl"].result_count == 2


def test_a_run_page_shows_its_steps_read_only(admin_client, django_assert_max_num_queries):
    run = factories.WorkflowExecutionFactory(is_workflow=True, status="failed")
    factories.WorkflowStepFactory(execution=run, label="1", status="completed")
    factories.WorkflowStepFactory(execution=run, label="2", status="failed", error="boom", error_line=7)

    with django_assert_max_num_queries(20):
        response = admin_client.get(reverse("admin:workflows_workflowexecution_change", args=[run.pk]))

    content = response.content.decode()
    assert response.status_code == 200
    assert "boom" in content and 'name="steps-0-label"' not in content  # shown, not editable
    assert response.context["inline_admin_formsets"][0].formset.total_form_count() == 2


def test_cancel_asks_for_confirmation_first(admin_client):
    running = factories.WorkflowExecutionFactory(status=ExecutionStatus.RUNNING)

    response = admin_client.post(RUNS, {"action": "cancel", "_selected_action": [running.pk]})

    assert response.status_code == 200
    assert "Yes, I" in response.content.decode() and str(running) in response.content.decode()
    running.refresh_from_db()
    assert running.status == ExecutionStatus.RUNNING


def test_confirmed_cancel_cancels_through_the_service(admin_client):
    running = factories.WorkflowExecutionFactory(status=ExecutionStatus.RUNNING)
    factories.WorkflowApprovalFactory(execution=running)

    response = admin_client.post(RUNS, {"action": "cancel", "_selected_action": [running.pk], "confirm": "yes"},
                                 follow=True)

    running.refresh_from_db()
    assert running.status == ExecutionStatus.CANCELLED
    assert running.approvals.get().status == ApprovalStatus.CANCELLED  # the service's work, not a bare update
    assert "1 run(s) cancelled." in messages_of(response)


def test_retry_reports_runs_that_did_not_fail(admin_client):
    failed = factories.WorkflowExecutionFactory(status=ExecutionStatus.FAILED, error="boom", is_workflow=True)
    done = factories.WorkflowExecutionFactory(status=ExecutionStatus.COMPLETED)

    response = admin_client.post(RUNS, {"action": "retry", "_selected_action": [failed.pk, done.pk]}, follow=True)

    assert dict(WorkflowExecution.objects.values_list("pk", "status")) == {
        failed.pk: ExecutionStatus.PENDING, done.pk: ExecutionStatus.COMPLETED}
    messages = messages_of(response)
    assert "1 run(s) retried." in messages
    assert any(m.startswith(str(done)) and "cannot become pending" in m for m in messages)


def test_resume_now_refuses_a_run_not_waiting_on_a_timer(admin_client):
    waiting = factories.WorkflowExecutionFactory(status=ExecutionStatus.WAITING, waiting_for="approval")

    response = admin_client.post(RUNS, {"action": "resume_now", "_selected_action": [waiting.pk]}, follow=True)

    assert any("waiting on a timer" in m for m in messages_of(response))


def test_the_approvals_inbox_lists_pending_requests_first(admin_client, django_assert_max_num_queries):
    decided = factories.WorkflowApprovalFactory(status=ApprovalStatus.APPROVED)
    pending = factories.WorkflowApprovalFactory.create_batch(3)

    with django_assert_max_num_queries(10):
        response = admin_client.get(APPROVALS)

    rows = list(response.context["cl"].result_list)
    assert {a.pk for a in rows[:3]} == {a.pk for a in pending} and rows[3].pk == decided.pk


def test_approve_decides_through_the_service_and_a_second_decision_is_refused(admin_client):
    approval = factories.WorkflowApprovalFactory()

    first = admin_client.post(APPROVALS, {"action": "approve", "_selected_action": [approval.pk]}, follow=True)
    second = admin_client.post(APPROVALS, {"action": "approve", "_selected_action": [approval.pk]}, follow=True)

    approval.refresh_from_db()
    assert approval.status == ApprovalStatus.APPROVED and approval.decided_by.is_superuser
    assert "1 request(s) approved." in messages_of(first)
    assert any("already approved" in m for m in messages_of(second))


def test_reject_asks_for_confirmation_first(admin_client):
    approval = factories.WorkflowApprovalFactory()

    page = admin_client.post(APPROVALS, {"action": "reject", "_selected_action": [approval.pk]})
    confirmed = admin_client.post(APPROVALS, {"action": "reject", "_selected_action": [approval.pk],
                                              "confirm": "yes"}, follow=True)

    assert "Yes, I" in page.content.decode()
    assert WorkflowApproval.objects.get().status == ApprovalStatus.REJECTED
    assert "1 request(s) rejected." in messages_of(confirmed)


def test_staff_see_only_the_runs_of_bots_granted_to_them(client):
    staff = factories.UserFactory(is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_workflowexecution"))
    grant = factories.BotAccessFactory(user=staff)
    mine = factories.WorkflowExecutionFactory(bot=grant.bot)
    factories.WorkflowExecutionFactory()
    client.force_login(staff)

    response = client.get(RUNS)

    assert [r.pk for r in response.context["cl"].result_list] == [mine.pk]


def test_a_run_cannot_be_edited_by_hand_only_through_the_actions(admin_client):
    # given a waiting run with a VM state
    run = factories.WorkflowExecutionFactory(is_workflow=True, status="waiting", state={"globals": {"amount": 7}})
    url = reverse("admin:workflows_workflowexecution_change", args=[run.pk])
    # when its admin page is shown, and a hand-made form is posted to it
    content = admin_client.get(url).content.decode()
    admin_client.post(url, {"status": "completed", "state": "{}", "workflow_name": "changed"})
    # then state and status are shown, not editable, and nothing changed
    assert 'name="state"' not in content and 'name="status"' not in content and 'name="_save"' not in content
    assert "amount" in content
    run.refresh_from_db()
    assert (run.status, run.state, run.workflow_name) == ("waiting", {"globals": {"amount": 7}}, run.workflow_name)
    assert admin_client.get(reverse("admin:workflows_workflowexecution_add")).status_code == 403


def test_the_runs_list_shows_top_level_runs_unless_asked(admin_client):
    parent = factories.WorkflowExecutionFactory(is_workflow=True)
    children = [factories.WorkflowExecutionFactory(parent=parent, root=parent, workflow_name="start")
                for _ in range(6)]
    assert [r.pk for r in admin_client.get(RUNS).context["cl"].result_list] == [parent.pk]
    assert {r.pk for r in admin_client.get(RUNS, {"level": "children"}).context["cl"].result_list} == {
        c.pk for c in children}
    assert admin_client.get(RUNS, {"level": "all"}).context["cl"].result_count == 7
