"""The example workflow of docs/guides/multi-agent.md, loaded from bottemplates/ and run end to
end through the API, the engine and an approval, like an operator would."""

import re
from pathlib import Path

import pytest

from generalbots.bots.services import packages_load
from workflows import engine, services
from workflows.models import WorkflowExecution

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "bottemplates" / "refund-flow"

pytestmark = pytest.mark.django_db


@pytest.fixture
def refund_bots():
    results = packages_load(roots=[EXAMPLE])
    assert sorted((r.name, r.status) for r in results) == [
        ("followup", "created"), ("payments", "created"), ("refund-flow", "created"), ("stock", "created"),
        ("triage", "created")], results


def drive(run_id) -> WorkflowExecution:
    """What a worker does with the enqueued slice: run until the run ends or waits."""
    engine.slice_run(run_id)
    return WorkflowExecution.objects.get(pk=run_id)


def test_a_large_refund_waits_for_approval_then_refunds_restocks_and_follows_up(refund_bots, api, admin_user):
    client = api(admin_user)
    started = client.post("/api/workflows/", {"bot": "refund-flow", "variables": {"amount": 700, "order_id": "A-17"}},
                          format="json")
    assert started.status_code == 201, started.json()
    run_id = started.json()["id"]

    waiting = drive(run_id)
    assert (waiting.status, waiting.waiting_for) == ("waiting", "approval")
    approvals = client.get("/api/approvals/", {"status": "pending"}).json()["results"]
    assert [(a["run"], a["approver"], a["step_label"]) for a in approvals] == [(run_id, "lead@corp.example", "2")]

    decided = client.post(f"/api/approvals/{approvals[0]['id']}/approve", {"comment": "ok"}, format="json")
    again = client.post(f"/api/approvals/{approvals[0]['id']}/reject", format="json")
    assert decided.status_code == 200 and decided.json()["status"] == "approved"
    assert again.status_code == 409 and "already approved" in again.json()["error"]["message"]

    delayed = drive(run_id)
    assert (delayed.status, delayed.waiting_for) == ("waiting", "timer")  # STEP 4: DELAY 86400
    services.execution_resume_now(execution=delayed)
    finished = drive(run_id)

    body = client.get(f"/api/workflows/{run_id}/").json()
    assert finished.status == "completed", body
    assert body["variables"]["refund_id"] == "RF-A-17" and body["variables"]["restocked"] is True
    assert body["variables"]["priority"] == "high" and body["variables"]["followed_up"] is True
    assert [s["label"] for s in body["steps"] if s["status"] == "completed"] == ["1", "2", "3", "4"]
    assert [(c["kind"], c["bot"], c["branch_label"]) for c in body["children"]] == [
        ("child", "triage", ""), ("branch", "refund-flow", "A"), ("branch", "refund-flow", "B"),
        ("child", "followup", "")]
    assert [e["event_name"] for e in body["events"]] == ["refund_done"]
    assert body["output"][-1] == "Refund RF-A-17 done for order A-17."  # the final TALK


def test_a_small_refund_needs_no_approval(refund_bots, api, admin_user):
    run_id = api(admin_user).post("/api/workflows/", {"bot": "refund-flow", "variables": {"amount": 80}},
                                  format="json").json()["id"]

    run = drive(run_id)

    assert (run.status, run.waiting_for) == ("waiting", "timer")
    assert not run.approvals.exists()


def test_the_run_page_draws_the_branches_side_by_side(refund_bots, api, admin_user, client):
    run_id = api(admin_user).post("/api/workflows/", {"bot": "refund-flow", "variables": {"amount": 80}},
                                  format="json").json()["id"]
    drive(run_id)
    client.force_login(admin_user)

    svg = client.get(f"/dashboard/runs/{run_id}/").content.decode().split("<svg", 1)[1].split("</svg>")[0]

    nodes = re.findall(r'<g class="gb-node gb-(\w+)" data-key="[^"]+" data-status="\w+"><title>([^<]+)</title>', svg)
    # the whole plan: the approval skipped (a small amount) and STEP 4 still to come (its DELAY)
    assert [title.split(":")[0] for _, title in nodes] == ["refund-flow", "STEP 1", "STEP 2", "Branch A", "Branch B",
                                                           "STEP 4", "End"]
    assert [status for status, _ in nodes] == ["completed", "completed", "planned", "completed", "completed",
                                               "planned", "planned"]
    assert "Branch A: completed — BOT payments" in svg and "now: timer" in svg
    # the two branches share one row
    rows = re.findall(r'<rect x="(\d+)" y="(\d+)"', svg)
    assert rows[3][1] == rows[4][1] and rows[3][0] != rows[4][0]
