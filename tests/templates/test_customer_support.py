"""The customer-support template (bottemplates/customer-support) run as a user runs it: installed
with its settings, started over the REST API (or from a chat), its approvals decided and its
events published over the API, on two real Celery workers."""

import pytest

from tests.templates.conftest import pending_approvals, publish, start_run, wait_run

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

BILLING = "I was charged twice for my last invoice"


def approve(client, approval: dict, comment: str = "") -> dict:
    response = client.post(f"/api/approvals/{approval['id']}/approve", {"comment": comment}, format="json")
    assert response.status_code == 200, response.json()
    return response.json()


def events_named(client, name: str) -> list[dict]:
    return client.get("/api/events/", {"name": name}).json()["results"]


def test_a_billing_question_goes_to_a_person_who_answers_then_the_customer_rates_it(workers, install_template,
                                                                                    api_client):
    install_template("customer-support", followup_delay=1, survey_timeout=60)
    run_id = start_run(api_client, "customer-support", {"question": BILLING, "customer": "ana@example.com",
                                                        "ticket_id": "T-1"})

    waiting = wait_run(api_client, run_id, "waiting", waiting_for="approval")
    [request] = pending_approvals(api_client, run_id)
    assert (request["approver"], request["step_label"]) == ("support-l1@example.com", "3")
    assert waiting["variables"]["category"] == "billing" and waiting["variables"]["triage_by"] == "rules"
    assert [e["data"] for e in events_named(api_client, "support_escalated")] == [
        {"ticket": "T-1", "category": "billing", "urgency": "normal", "to": "support-l1@example.com"}]

    approve(api_client, request, "We refunded the second charge.")
    wait_run(api_client, run_id, "waiting", waiting_for="bot")
    publish(api_client, "support_survey", {"ticket": "T-1", "rating": 4})
    done = wait_run(api_client, run_id, "completed")

    variables = done["variables"]
    assert variables["resolved_by"] == "tess" and variables["rating"] == 4
    assert variables["agent_reply"] == "We refunded the second charge."
    assert [(c["bot"], c["status"]) for c in done["children"]] == [
        ("support-triage", "completed"), ("support-agent", "completed"), ("support-survey", "completed")]
    assert [e["event_name"] for e in done["events"]] == ["support_escalated", "support_closed"]
