"""The planned picture of a run: every STEP of its script drawn from the start, coloured as
the steps happen, with its progress; a run straying from its plan is drawn from what happened."""

import re

import pytest

from tests.workflows.engine_helpers import drive, make_bot
from workflows.graph import plan_steps
from workflows.models import WorkflowApproval
from workflows.services import approval_decide, execution_start

FLOW = '''ORCHESTRATE WORKFLOW "refund-flow"
STEP 1: BOT "triage" "classify"
IF amount > 500 THEN
  STEP 2: HUMAN APPROVAL FROM "lead@corp.example"
END IF
STEP 3: PARALLEL
  BRANCH A: BOT "payments" "issue refund"
  BRANCH B: BOT "stock" "restock"
END PARALLEL
SUB later()
  STEP 9: BOT "triage" "never planned"
END SUB
END WORKFLOW
'''


def nodes(content: str) -> dict[str, str]:
    return dict(re.findall(r'data-key="([^"]+)" data-status="([^"]+)"', content))


def test_the_plan_is_every_step_of_the_main_body_with_its_bots():
    plan = plan_steps(FLOW, "refund-flow.bas")
    assert [(p.label, p.detail, p.conditional) for p in plan] == [
        ("1", "BOT triage", False), ("2", "approval lead@corp.example", True), ("3", "parallel", False)]
    assert plan[2].branches == [("A", ["payments"]), ("B", ["stock"])]
    assert plan_steps("STEP 1: TALK 1\nSTEP 1: TALK 2\n") == ()  # one label twice: no plan


@pytest.fixture
def bots(db):
    for name in ("triage", "payments", "stock"):
        make_bot(name, 'TALK "ok"\n')
    return make_bot("refunds", FLOW)


@pytest.mark.django_db(transaction=True)
def test_a_run_shows_its_whole_plan_from_the_start_and_its_progress_as_it_goes(client, admin_user, bots):
    client.force_login(admin_user)
    run = execution_start(bot=bots, variables={"amount": 700})
    # before any step: every planned node, the branches named by their bots, nothing done
    content = client.get(f"/dashboard/runs/{run.pk}/").content.decode()
    assert nodes(content) == {"start": "completed", "plan-1": "planned", "plan-2": "planned",
                              "plan-3-A": "planned", "plan-3-B": "planned", "plan-end": "planned"}
    assert ">0 of 3 steps done<" in content and "approval lead@corp.example · if reached" in content
    assert "BOT payments</text>" in content and 'stroke-dasharray="5 4"' in content
    # waiting for the approval: step 1 done, step 2 waiting, the branches still to come
    drive(run)
    content = client.get(f"/dashboard/runs/{run.pk}/").content.decode()
    shown = nodes(content)
    assert sorted(shown.values()).count("completed") == 2 and "waiting" in shown.values()
    assert shown["plan-3-A"] == "planned" and ">1 of 3 steps done<" in content
    # approved: every step done, the branches are the runs that ran, the end node is there
    approval_decide(approval=WorkflowApproval.objects.get(execution=run), decision="approve")
    drive(run)
    content = client.get(f"/dashboard/runs/{run.pk}/").content.decode()
    shown = nodes(content)
    assert ">3 of 3 steps done<" in content and shown["end"] == "completed"
    assert not any(key.startswith("plan-") for key in shown)


@pytest.mark.django_db(transaction=True)
def test_a_step_the_plan_skips_stays_planned_and_the_progress_counts_what_ran(client, admin_user, bots):
    client.force_login(admin_user)
    run = drive(execution_start(bot=bots, variables={"amount": 10}))
    content = client.get(f"/dashboard/runs/{run.pk}/").content.decode()
    assert nodes(content)["plan-2"] == "planned" and ">2 of 3 steps done<" in content
