from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from generalbots.core.exceptions import ApplicationError
from tests.factories import UserFactory
from tests.workflows.engine_helpers import drive, make_bot
from workflows.choices import ApprovalStatus, ExecutionStatus
from workflows.models import WorkflowApproval
from workflows.services import approval_decide, approval_from_token, approval_link_token, execution_start

pytestmark = pytest.mark.django_db

FLOW = """STEP 2: HUMAN APPROVAL FROM "lead@corp.example"
  TIMEOUT 900
  ON TIMEOUT: ESCALATE TO "boss@corp.example"
TALK approval_status + " by " + approver
"""


def test_an_approval_suspends_the_run_until_someone_decides():
    run = drive(execution_start(bot=make_bot("orchestrator", FLOW)))
    request = WorkflowApproval.objects.get(execution=run)
    assert run.status == ExecutionStatus.WAITING and run.waiting_for == "approval"
    assert request.approver == "lead@corp.example" and request.step_label == "2"
    assert request.deadline is not None and run.resume_at == request.deadline

    approval_decide(approval=request, decision="approve", user=UserFactory(username="lead"), comment="ok")
    run = drive(run)

    assert run.status == ExecutionStatus.COMPLETED
    assert run.output == ["approved by lead"]


def test_a_second_decision_is_refused_and_changes_nothing():
    run = drive(execution_start(bot=make_bot("orchestrator", FLOW)))
    request = WorkflowApproval.objects.get(execution=run)
    approval_decide(approval=request, decision="reject")

    with pytest.raises(ApplicationError, match="already rejected"):
        approval_decide(approval=request, decision="approve")

    request.refresh_from_db()
    assert request.status == ApprovalStatus.REJECTED


def test_a_timeout_escalates_to_a_new_request_linked_to_the_first():
    run = drive(execution_start(bot=make_bot("orchestrator", FLOW)))
    first = WorkflowApproval.objects.get(execution=run)
    WorkflowApproval.objects.filter(pk=first.pk).update(deadline=timezone.now() - timedelta(seconds=1))
    run.__class__.objects.filter(pk=run.pk).update(resume_at=timezone.now() - timedelta(seconds=1))

    run = drive(run)

    first.refresh_from_db()
    second = WorkflowApproval.objects.exclude(pk=first.pk).get(execution=run)
    assert first.status == ApprovalStatus.ESCALATED
    assert second.escalated_from == first and second.approver == "boss@corp.example"
    assert run.status == ExecutionStatus.WAITING


def test_the_approver_gets_signed_single_use_links_by_mail(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run = drive(execution_start(bot=make_bot("orchestrator", FLOW)))
    request = WorkflowApproval.objects.get(execution=run)
    assert mail.outbox and mail.outbox[-1].to == ["lead@corp.example"]
    token = approval_link_token(approval=request, decision="approve")

    found, decision = approval_from_token(token)
    assert found == request and decision == "approve"
    approval_decide(approval=found, decision=decision)

    with pytest.raises(ApplicationError, match="already used"):
        approval_from_token(token)
    with pytest.raises(ApplicationError, match="invalid"):
        approval_from_token(token + "x")


def test_the_mailed_link_confirms_on_get_and_decides_on_post_once(client):
    run = drive(execution_start(bot=make_bot("orchestrator", FLOW)))
    request = WorkflowApproval.objects.get(execution=run)
    url = f"/dashboard/approvals/link/{approval_link_token(approval=request, decision='reject')}/"

    page = client.get(url)
    request.refresh_from_db()
    assert page.status_code == 200 and b"Reject?" in page.content and request.status == ApprovalStatus.PENDING

    assert client.post(url, {"comment": "too much"}).status_code == 200
    request.refresh_from_db()
    assert request.status == ApprovalStatus.REJECTED and request.comment == "too much"
    assert client.post(url).status_code == 400
