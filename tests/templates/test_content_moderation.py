"""The content-moderation template (bottemplates/content-moderation) run as a user runs it:
installed with its settings, a batch started over the REST API, reviews and appeals decided and
published over the API, on two real Celery workers."""

import pytest

from tests.templates.conftest import pending_approvals, publish, start_run, wait_run

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

FINE = {"id": "p1", "author": "ana", "text": "Lovely photo of the lake, thanks for sharing"}
SPAM = {"id": "p2", "author": "bob", "text": "Click here: free money at the casino"}
DOUBTFUL = {"id": "p3", "author": "cid", "text": "Is this crypto giveaway legit?"}


def decide(client, approval: dict, verdict: str, comment: str = "") -> dict:
    response = client.post(f"/api/approvals/{approval['id']}/{verdict}", {"comment": comment}, format="json")
    assert response.status_code == 200, response.json()
    return response.json()


def memory(client, bot: str, key: str):
    response = client.get(f"/api/bots/{bot}/memory/{key}")
    assert response.status_code == 200, response.json()
    return response.json()["value"]


def test_a_batch_is_approved_rejected_and_reviewed_by_confidence_then_an_appeal_reinstates(workers, install_template,
                                                                                         api_client):
    install_template("content-moderation", appeal_window=3)
    run_id = start_run(api_client, "content-moderation", {"batch_id": "B-1", "items": [FINE, SPAM, DOUBTFUL]})

    wait_run(api_client, run_id, "waiting", waiting_for="approval")
    [review] = pending_approvals(api_client, run_id)
    assert (review["approver"], review["step_label"]) == ("moderators@example.com", "2")
    decide(api_client, review, "approve", "a fair question")

    wait_run(api_client, run_id, "waiting", waiting_for="event:moderation_appeal")
    publish(api_client, "moderation_appeal", {"batch": "B-1", "item": "p2", "reason": "it was a joke"})
    wait_run(api_client, run_id, "waiting", waiting_for="approval")
    [appeal] = pending_approvals(api_client, run_id)
    assert appeal["approver"] == "appeals@example.com"
    assert memory(api_client, "moderation-classifier", "offences:bob") == 1
    decide(api_client, appeal, "approve")
    done = wait_run(api_client, run_id, "completed")

    results = {r["id"]: (r["decision"], r["label"], r["by"]) for r in done["variables"]["results"]}
    assert results == {"p1": ("approved", "ok", "auto"), "p2": ("reinstated", "spam", "tess"),
                       "p3": ("approved", "spam", "tess")}
    assert memory(api_client, "moderation-records", "offences:bob") == 0
    assert memory(api_client, "moderation-classifier", "offences:bob") == 0
    # the appeal window closed when no other appeal came: the event timeout's path
    assert [e["event_name"] for e in done["events"]] == ["moderation_decided"] * 3 + [
        "moderation_appeal_decided", "timeout_occurred", "moderation_done"]
