import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
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


EXPIRING = """STEP 2: HUMAN APPROVAL FROM "lead@corp.example"
  TIMEOUT 3
  ON TIMEOUT: REJECT
TALK approval_status
"""


def _past_its_deadline(run) -> WorkflowApproval:
    """The run's request with its deadline a few seconds ago, and no worker having noticed."""
    request = WorkflowApproval.objects.get(execution=run)
    WorkflowApproval.objects.filter(pk=request.pk).update(deadline=timezone.now() - timedelta(seconds=2.6))
    return request


def test_a_mailed_link_used_after_the_deadline_is_refused_and_the_timeout_rule_applies(client):
    run = drive(execution_start(bot=make_bot("orchestrator", EXPIRING)))
    request = _past_its_deadline(run)
    path = reverse("workflows:approval-link", args=[approval_link_token(approval=request, decision="approve")])

    response = client.post(path)

    assert response.status_code == 409
    assert "expired" in response.content.decode()
    request.refresh_from_db()
    assert request.status == ApprovalStatus.TIMEOUT and request.decided_by is None
    run = drive(run)
    assert run.status == ExecutionStatus.COMPLETED and run.output == ["rejected"]  # ON TIMEOUT: REJECT


def test_opening_an_expired_link_says_so_instead_of_offering_a_decision(client):
    run = drive(execution_start(bot=make_bot("orchestrator", EXPIRING)))
    request = _past_its_deadline(run)
    path = reverse("workflows:approval-link", args=[approval_link_token(approval=request, decision="reject")])

    response = client.get(path)

    assert response.status_code == 409
    assert "expired" in response.content.decode() and "<form" not in response.content.decode()


def test_the_api_refuses_a_decision_after_the_deadline(client):
    operator = UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(operator)
    run = drive(execution_start(bot=make_bot("orchestrator", EXPIRING)))
    request = _past_its_deadline(run)

    response = client.post(f"/api/approvals/{request.pk}/approve", content_type="application/json")

    assert response.status_code == 409, response.content
    assert response.json()["error"]["code"] == "workflows.approval_expired"
    request.refresh_from_db()
    assert request.status == ApprovalStatus.TIMEOUT
    assert drive(run).output == ["rejected"]


def test_a_decision_before_the_deadline_still_counts():
    run = drive(execution_start(bot=make_bot("orchestrator", EXPIRING)))
    request = WorkflowApproval.objects.get(execution=run)

    approval_decide(approval=request, decision="approve")

    assert drive(run).output == ["approved"]


def test_mailed_links_are_absolute_addresses_of_the_public_site(django_capture_on_commit_callbacks, settings):
    settings.GB_PUBLIC_URL = "https://bots.example.com/"
    with django_capture_on_commit_callbacks(execute=True):
        run = drive(execution_start(bot=make_bot("orchestrator", FLOW)))

    body = mail.outbox[-1].body
    request = WorkflowApproval.objects.get(execution=run)
    base = "https://bots.example.com" + reverse("workflows:approval-link", args=["TOKEN"]).removesuffix("TOKEN/")
    for decision in ("approve", "reject"):
        # the token's signature holds the second it was signed at: read it back from the mail
        found = re.search(rf"^{decision.title()}: {re.escape(base)}([^/\s]+)/$", body, re.MULTILINE)
        assert found, body
        assert approval_from_token(found.group(1)) == (request, decision)
