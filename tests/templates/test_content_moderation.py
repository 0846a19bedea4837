"""The content-moderation template (bottemplates/content-moderation) run as a user runs it:
installed with its settings, a batch started over the REST API, reviews and appeals decided and
published over the API, on two real Celery workers."""

import pytest

from tests.templates.conftest import decide, pending_approvals, publish, start_run, table, wait_run

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

FINE = {"id": "p1", "author": "ana", "text": "Lovely photo of the lake, thanks for sharing"}
SPAM = {"id": "p2", "author": "bob", "text": "Click here: free money at the casino"}
DOUBTFUL = {"id": "p3", "author": "cid", "text": "Is this crypto giveaway legit?"}


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

    # the join merged both branches: the label from the classifier, the signals from the other
    variables = done["variables"]
    assert (variables["classified_by"], variables["label"], variables["confidence"]) == ("rules", "spam", 0.7)
    assert (variables["link_count"], variables["signal_score"]) == (0, 0)
    joins = [s for s in done["steps"] if s["label"] == "1"]
    assert [(s["kind"], s["status"], s["conflicts"]) for s in joins] == [("parallel", "completed", [])] * 3
    results = {r["id"]: (r["decision"], r["label"], r["by"]) for r in done["variables"]["results"]}
    assert results == {"p1": ("approved", "ok", "auto"), "p2": ("reinstated", "spam", "tess"),
                       "p3": ("approved", "spam", "tess")}
    assert memory(api_client, "moderation-records", "offences:bob") == 0
    assert [(r["id"], r["decision"], r["decided_by"], r["confidence"]) for r in table("moderation-records", "decisions")] == [
        ("p1", "approved", "auto", 0.9), ("p2", "reinstated", "tess", 0.99), ("p3", "approved", "tess", 0.7)]
    assert memory(api_client, "moderation-classifier", "offences:bob") == 0
    # the appeal window closed when no other appeal came: the event timeout's path
    assert [e["event_name"] for e in done["events"]] == ["moderation_decided"] * 3 + [
        "moderation_appeal_decided", "timeout_occurred", "moderation_done"]


def test_a_repeat_offender_goes_to_review_and_an_unanswered_review_escalates(workers, install_template, api_client):
    install_template("content-moderation", offender_limit=1, review_timeout=1, appeal_window=1)
    again = {"id": "p4", "author": "bob", "text": "Nice weather for a walk today"}
    run_id = start_run(api_client, "content-moderation", {"batch_id": "B-2", "items": [SPAM, again]})

    # bob's first post is rejected; his offence, shared live, halves the trust in his next one
    escalated = wait_run(api_client, run_id, "waiting", waiting_for="approval", timeout=40,
                         until=lambda run: any(a["status"] == "escalated" for a in run["approvals"]))
    [senior] = pending_approvals(api_client, run_id)
    assert senior["approver"] == "moderation-lead@example.com"
    assert senior["escalated_from"] == escalated["approvals"][0]["id"]
    decide(api_client, senior, "reject", "same spammer")
    done = wait_run(api_client, run_id, "completed", timeout=40)

    assert [(a["approver"], a["status"]) for a in sorted(done["approvals"], key=lambda a: a["created_at"])] == [
        ("moderators@example.com", "escalated"), ("moderation-lead@example.com", "rejected")]
    results = [(r["id"], r["decision"], r["confidence"], r["by"], r["offences"]) for r in done["variables"]["results"]]
    assert results == [("p2", "rejected", 0.99, "auto", 1), ("p4", "rejected", 0.45, "tess", 2)]
    assert memory(api_client, "moderation-classifier", "offences:bob") == 2
    assert done["variables"]["appeals"] == 0  # no appeal came: the window's timeout closed it
    assert [e["event_name"] for e in done["events"]][-2:] == ["timeout_occurred", "moderation_done"]


def test_a_signal_service_that_is_down_fails_its_branch_after_retries_and_the_sibling_ends_clean(
        workers, install_template, api_client, down_service):
    install_template("content-moderation", reputation_url=down_service.url, check_retries=1,
                     configs={"moderation-signals": {"http-allow-private": True}})
    linked = {"id": "p5", "author": "dee", "text": "My review: http://shop.example/item"}
    run_id = start_run(api_client, "content-moderation", {"batch_id": "B-3", "items": [linked]})

    failed = wait_run(api_client, run_id, "failed", timeout=40)

    assert failed["failure"]["step"] == "1" and "answered HTTP 503" in failed["failure"]["message"]
    assert [(c["kind"], c["branch_label"], c["status"]) for c in failed["children"]] == [
        ("branch", "A", "completed"), ("branch", "B", "failed")]
    assert [body["item"] for body in down_service.received] == ["p5", "p5"]  # one call per attempt
    assert [e["event_name"] for e in failed["events"]] == []  # nothing decided on a half-checked item
    assert api_client.get("/api/workflows/", {"status": "waiting"}).json()["count"] == 0
    assert api_client.get("/api/approvals/", {"status": "pending"}).json()["count"] == 0


def test_a_real_model_routed_for_cost_classifies_and_its_confidence_decides(workers, install_template, api_client,
                                                                            llm_server):
    def verdict(body):
        post = body["messages"][-1]["content"]
        return {"content": '{"label": "abuse", "confidence": 0.95}' if "moron" in post else
                '{"label": "ok", "confidence": 0.97}'}

    llm_server.configure("moderator", responder=verdict)
    install_template("content-moderation", appeal_window=1,
                     configs={"moderation-classifier": {"llm-url": llm_server.url + "/v1", "llm-model": "moderator"}})
    rude = {"id": "p6", "author": "eve", "text": "Only a moron would buy this"}
    run_id = start_run(api_client, "content-moderation", {"batch_id": "B-4", "items": [FINE, rude]})

    done = wait_run(api_client, run_id, "completed", timeout=40)

    results = [(r["id"], r["decision"], r["label"], r["confidence"], r["by"]) for r in done["variables"]["results"]]
    assert results == [("p1", "approved", "ok", 0.97, "auto"), ("p6", "rejected", "abuse", 0.95, "auto")]
    assert done["variables"]["classified_by"] == "model" and not done["approvals"]
    assert [r["messages"][-1]["content"].rsplit("Post: ", 1)[1] for r in llm_server.chat_requests("moderator")] == [
        FINE["text"], rude["text"]]
