"""The customer-support template (bottemplates/customer-support) run as a user runs it: installed
with its settings, started over the REST API, its approvals decided and its events published
over the API, on two real Celery workers. The chat entry and the knowledge-base answer are in
test_customer_support_chat.py."""

import pytest

from tests.templates.conftest import decide, pending_approvals, publish, start_run, table, wait_run

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

BILLING = "I was charged twice for my last invoice"


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
    # the customer adds a detail while the case waits: ON EVENT keeps it on the ticket
    publish(api_client, "support_reply", {"ticket": "T-9", "text": "not mine"})
    publish(api_client, "support_reply", {"ticket": "T-1", "text": "Order 4411, both on May 3"})
    noted = wait_run(api_client, run_id, "waiting", waiting_for="approval",
                     until=lambda run: run["variables"]["customer_notes"])
    assert noted["variables"]["customer_notes"] == ["Order 4411, both on May 3"]

    decide(api_client, request, "approve", "We refunded the second charge.")
    wait_run(api_client, run_id, "waiting", waiting_for="bot", until=lambda run: len(run["children"]) == 3)
    publish(api_client, "support_survey", {"ticket": "T-1", "rating": 4})
    done = wait_run(api_client, run_id, "completed")

    variables = done["variables"]
    assert variables["resolved_by"] == "tess" and variables["rating"] == 4
    assert variables["agent_reply"] == "We refunded the second charge."
    assert variables["returning_customer"] is False
    assert [(c["bot"], c["status"]) for c in done["children"]] == [
        ("support-triage", "completed"), ("support-agent", "completed"), ("support-survey", "completed")]
    outputs = {s["label"]: s["output"] for s in done["steps"] if s["output"]}
    assert outputs["4"] == ["tess took ticket T-1 (billing)."]
    assert outputs["5"] == ["How satisfied are you with how we handled ticket T-1? Rate us from 1 to 5.",
                            "Ticket T-1 rated 4; average 4."]
    assert [e["event_name"] for e in done["events"]] == ["support_escalated", "support_closed"]
    assert done["events"][1]["event_data"] == {"ticket": "T-1", "resolved_by": "tess", "rating": 4}
    assert table("customer-support", "tickets") == [
        {"id": "T-1", "customer": "ana@example.com", "question": BILLING, "category": "billing", "urgency": "normal",
         "status": "closed", "resolved_by": "tess", "rating": 4}]


def test_nobody_answering_climbs_the_two_level_ladder_then_tells_the_customer(workers, install_template,
                                                                              api_client):
    install_template("customer-support", approval_timeout=1, followup_delay=0, survey_timeout=1)
    run_id = start_run(api_client, "customer-support", {"question": "My parcel never arrived, I need it today",
                                                        "customer": "bo@example.com", "ticket_id": "T-2"})

    done = wait_run(api_client, run_id, "completed", timeout=40)

    first, second = sorted(done["approvals"], key=lambda a: a["created_at"])
    assert (first["approver"], first["status"]) == ("support-l1@example.com", "escalated")
    assert (second["approver"], second["status"]) == ("support-lead@example.com", "timeout")
    variables = done["variables"]
    assert (variables["category"], variables["urgency"], variables["resolved_by"]) == ("shipping", "high", "nobody")
    assert variables["rating"] is None and variables["event_timed_out"] is True  # nobody rated it either
    assert [e["event_name"] for e in done["events"]] == ["support_escalated", "support_unanswered",
                                                         "support_closed"]
    assert done["events"][1]["event_data"] == {"ticket": "T-2",
                                               "asked": ["support-l1@example.com", "support-lead@example.com"]}
    [ticket] = table("customer-support", "tickets")
    assert (ticket["status"], ticket["resolved_by"], ticket["rating"]) == ("closed", "nobody", None)


def test_a_crm_that_is_down_fails_the_agent_step_after_its_retries_and_nothing_is_left_open(
        workers, install_template, api_client, down_service):
    install_template("customer-support", crm_url=down_service.url, crm_retries=1,
                     configs={"support-agent": {"http-allow-private": True}})
    run_id = start_run(api_client, "customer-support", {"question": BILLING, "customer": "cy@example.com",
                                                        "ticket_id": "T-3"})
    wait_run(api_client, run_id, "waiting", waiting_for="approval")
    decide(api_client, pending_approvals(api_client, run_id)[0])

    failed = wait_run(api_client, run_id, "failed", timeout=40)

    assert failed["failure"]["step"] == "4" and "answered HTTP 503" in failed["failure"]["message"]
    assert [(s["label"], s["attempt"], s["status"]) for s in failed["steps"] if s["label"] == "4"] == [
        ("4", 1, "failed"), ("4", 2, "failed")]
    assert [(c["bot"], c["status"]) for c in failed["children"]] == [
        ("support-triage", "completed"), ("support-agent", "failed"), ("support-agent", "failed")]
    assert [a["status"] for a in failed["approvals"]] == ["approved"]
    assert [body["ticket"] for body in down_service.received] == ["T-3", "T-3"]  # one POST per attempt
    assert api_client.get("/api/workflows/", {"status": "waiting"}).json()["count"] == 0
    assert [t["status"] for t in table("customer-support", "tickets")] == ["escalated"]
