"""The marketing-campaign template (bottemplates/marketing-campaign/), installed as a user
installs it and driven through the REST API with two real Celery workers: segments selected in
parallel, a sign-off that escalates, the channel's confirmation and its timeout's compensation,
scheduled A/B sends with a flaky channel, and results collected from events."""

import re

import pytest

from llmrouter.models import LLMCall

from tests.templates.conftest import (TEMPLATES, get_run, pending_approvals, publish, start_run, template_files_report,
                                      wait_run)
from tests.workflows.events_helpers import wait_until

pytestmark = pytest.mark.django_db(transaction=True)

CONTACTS = [
    {"email": "ana@example.com", "orders": 0, "days_since_order": 0},
    {"email": "bruno@example.com", "orders": 7, "days_since_order": 12},
    {"email": "carla@example.com", "orders": 2, "days_since_order": 200},
    {"email": "davi@example.com", "orders": 0, "days_since_order": 0},
    {"email": "elis@example.com", "orders": 9, "days_since_order": 30},
    {"email": "gil@example.com", "orders": 1, "days_since_order": 20},  # in no segment
]
AUDIENCE = ["ana@example.com", "davi@example.com", "bruno@example.com", "elis@example.com", "carla@example.com"]


def memory(client, bot: str, key: str):
    """A bot memory's value over the API; None when the key was never set."""
    response = client.get(f"/api/bots/{bot}/memory/{key}")
    if response.status_code == 404:
        return None
    assert response.status_code == 200, (key, response.json())
    return response.json()["value"]


def reserved(client, campaign: str) -> list[str]:
    return [c["email"] for c in CONTACTS if memory(client, "campaign-audience", f"reserved:{c['email']}") == campaign]


def branches(run: dict) -> list[dict]:
    """The run's PARALLEL branches in start order: the three segments, then the two sends."""
    return [child for child in run["children"] if child["kind"] == "branch"]


def completed_steps(run: dict) -> list[str]:
    return [s["label"] for s in run["steps"] if s["status"] == "completed"]


@pytest.fixture
def campaign(install_template, api_client):
    """The template with short waits; ``campaign(id, provider_failures=n, **params)`` starts one."""
    def start(campaign_id: str, *, provider_failures=0, **params):
        settings = {"signoff_timeout": 30, "sync_timeout": 30, "send_delay": 1, "send_retries": 2,
                    "results_window": 60, **params}
        install_template("marketing-campaign",
                         configs={"campaign-sender": {"param-provider_failures": provider_failures}}, **settings)
        return start_run(api_client, "marketing-campaign", {"campaign_id": campaign_id, "contacts": CONTACTS})
    return start


def signed_off(client, run_id: str) -> None:
    wait_run(client, run_id, "waiting", waiting_for="approval")
    [request] = pending_approvals(client, run_id)
    assert request["approver"] == "marketing-lead@shop.example"
    response = client.post(f"/api/approvals/{request['id']}/approve", {"comment": "go"}, format="json")
    assert response.status_code == 200, response.json()


def test_a_campaign_sends_both_variants_counts_the_responses_and_picks_the_winner(workers, campaign, api_client):
    run_id = campaign("C-1", provider_failures=1)

    waiting = wait_run(api_client, run_id, "waiting", waiting_for="approval")
    # the join merged the three segments, each selected by its own branch
    merged = waiting["variables"]
    assert (merged["audience_new"], merged["audience_loyal"], merged["audience_lapsed"]) == (
        ["ana@example.com", "davi@example.com"], ["bruno@example.com", "elis@example.com"], ["carla@example.com"])
    assert merged["audience"] == AUDIENCE
    segments = waiting["steps"][1]
    assert (segments["label"], segments["kind"], segments["status"], segments["conflicts"]) == (
        "2", "parallel", "completed", [])
    assert waiting["steps"][0]["output"] == ["A: Reading lamp: 20% off.", "B: Only this week: 20% off on Reading lamp."]
    assert reserved(api_client, "C-1") == sorted(AUDIENCE)

    signed_off(api_client, run_id)
    synced = wait_run(api_client, run_id, "waiting", waiting_for="event:audience_synced", timeout=20)
    [export] = [e for e in synced["events"] if e["event_name"] == "audience_export"]
    assert export["event_data"] == {"campaign": "C-1", "channel": "email", "contacts": AUDIENCE}
    publish(api_client, "audience_synced", {"campaign": "C-1"})

    sent = wait_run(api_client, run_id, "waiting", waiting_for="event:campaign_closed", timeout=40)
    assert (sent["variables"]["sent_a"], sent["variables"]["sent_b"]) == (3, 2)
    sends = [get_run(api_client, child["id"]) for child in branches(sent)[3:]]
    assert [[(s["label"], s["attempt"], s["status"]) for s in run["steps"]] for run in sends] == [
        [("6", 1, "failed"), ("6", 2, "completed")], [("7", 1, "failed"), ("7", 2, "completed")]]
    for variant in ("A", "A", "B"):
        publish(api_client, "campaign_response", {"campaign": "C-1", "variant": variant})
    publish(api_client, "campaign_response", {"campaign": "C-9", "variant": "B"})  # another campaign's
    wait_run(api_client, run_id, "waiting", timeout=20,
             until=lambda run: (run["variables"]["responses_a"], run["variables"]["responses_b"]) == (2, 1))
    publish(api_client, "campaign_closed", {"campaign": "C-1"})
    done = wait_run(api_client, run_id, "completed", timeout=30)

    variables = done["variables"]
    assert (variables["winner"], variables["rate_a"], variables["rate_b"]) == ("A", 66.7, 50)
    assert variables["campaign_status"] == "done"
    assert completed_steps(done) == ["1", "2", "3", "4", "5", "8", "9", "10"]
    assert done["steps"][-2]["output"] == [
        "Variant A: 2 responses from 3 (66.7%); variant B: 1 from 2 (50%). Winner: A."]
    assert memory(api_client, "campaign-results", "campaign:C-1") == {
        "winner": "A", "rate_a": 66.7, "rate_b": 50, "responses_a": 2, "responses_b": 1}
    assert memory(api_client, "campaign-sender", "sent:C-1:A") == 3
    assert reserved(api_client, "C-1") == []  # STEP 10 freed the audience for the next campaign
    assert [e["event_name"] for e in done["events"]] == ["audience_export", "campaign_sent"]
    # the two variants and the report went through the router with the configured goals
    assert sorted(LLMCall.objects.filter(root_execution_id=run_id).values_list("bot__name", "goal", "task_type")) == [
        ("campaign-copy", "quality", "chat"), ("campaign-copy", "quality", "chat"),
        ("campaign-results", "cost", "summarize")]


def test_a_channel_that_never_confirms_the_list_cancels_the_campaign_and_frees_the_audience(workers, campaign,
                                                                                            api_client):
    run_id = campaign("C-2", sync_timeout=2)
    signed_off(api_client, run_id)

    done = wait_run(api_client, run_id, "completed", timeout=40)

    variables = done["variables"]
    assert variables["event_timed_out"] is True and variables["campaign_status"] == "cancelled"
    assert variables["stop_reason"] == "email did not confirm the list within 2 seconds"
    assert completed_steps(done) == ["1", "2", "3", "4", "10"]
    assert done["steps"][-1]["output"] == ["Released 5 contacts of campaign C-2."]
    assert reserved(api_client, "C-2") == []
    assert memory(api_client, "campaign-sender", "sent:C-2:A") is None  # nothing was sent


def test_a_sign_off_nobody_gives_escalates_and_a_rejection_stops_the_campaign(workers, campaign, api_client):
    run_id = campaign("C-3", signoff_timeout=2)
    wait_run(api_client, run_id, "waiting", waiting_for="approval")

    # the marketing lead does not answer within signoff_timeout: the request goes to the CMO
    assert wait_until(lambda: [a["approver"] for a in pending_approvals(api_client, run_id)] == ["cmo@shop.example"],
                      timeout=20)
    [request] = pending_approvals(api_client, run_id)
    first = api_client.get("/api/approvals/", {"status": "escalated"}).json()["results"]
    assert [(a["approver"], a["run"]) for a in first] == [("marketing-lead@shop.example", run_id)]
    response = api_client.post(f"/api/approvals/{request['id']}/reject", {"comment": "budget cut"}, format="json")
    assert response.status_code == 200, response.json()
    done = wait_run(api_client, run_id, "completed", timeout=30)

    assert done["variables"]["campaign_status"] == "cancelled"
    assert done["variables"]["stop_reason"] == "not signed off (rejected) budget cut"
    assert done["variables"]["approver"] == "tess"
    assert completed_steps(done) == ["1", "2", "3", "10"]
    assert reserved(api_client, "C-3") == []


def test_contacts_held_by_a_running_campaign_are_not_messaged_by_another(workers, campaign, api_client):
    first = campaign("C-5")
    wait_run(api_client, first, "waiting", waiting_for="approval")  # C-5 holds the whole audience

    second = start_run(api_client, "marketing-campaign", {"campaign_id": "C-6", "contacts": CONTACTS})
    done = wait_run(api_client, second, "completed", timeout=30)

    assert done["variables"]["audience"] == [] and done["approvals"] == []
    assert done["variables"]["stop_reason"] == "no contact in any segment"
    assert completed_steps(done) == ["1", "2", "10"]
    assert done["steps"][-1]["output"] == ["Released 0 contacts of campaign C-6."]
    assert reserved(api_client, "C-5") == sorted(AUDIENCE)  # the other campaign's hold is untouched


def test_a_channel_that_keeps_refusing_fails_its_variant_after_the_retries_and_the_run_cleanly(workers, campaign,
                                                                                               api_client):
    run_id = campaign("C-4", provider_failures=9)
    signed_off(api_client, run_id)
    wait_run(api_client, run_id, "waiting", waiting_for="event:audience_synced", timeout=20)
    publish(api_client, "audience_synced", {"campaign": "C-4"})

    failed = wait_run(api_client, run_id, "failed", timeout=40)

    # both variants go out on the same refusing channel: the first to run out of retries fails
    # the step and the run; its sibling ends too (failed, or cancelled while it waited to retry)
    message = failed["failure"]["message"]
    assert failed["failure"]["step"] == "5" and re.search(r"branch ([AB]) failed", message), message
    first = re.search(r"branch ([AB]) failed", message).group(1)
    assert f"email refused the send of variant {first} (call 3)" in message
    assert [(c["branch_label"], c["status"]) for c in branches(failed)[:3]] == [
        ("A", "completed"), ("B", "completed"), ("C", "completed")]
    sends = {c["branch_label"]: c for c in branches(failed)[3:]}
    assert sends[first]["status"] == "failed"
    assert sends["B" if first == "A" else "A"]["status"] in ("failed", "cancelled")
    failing = get_run(api_client, sends[first]["id"])
    label = "6" if first == "A" else "7"
    assert [(s["label"], s["attempt"], s["status"]) for s in failing["steps"]] == [
        (label, 1, "failed"), (label, 2, "failed"), (label, 3, "failed")]
    assert memory(api_client, "campaign-sender", f"provider_calls:C-4:{first}") == 3
    assert memory(api_client, "campaign-sender", "sent:C-4:A") is None
    assert reserved(api_client, "C-4") == sorted(AUDIENCE)  # held until an operator retries or cancels


def test_every_file_checks_clean_and_round_trips():
    checked, tripped = template_files_report(str(TEMPLATES / "marketing-campaign"))

    assert checked["status"] in (0, None) and len(checked["files"]) == 5
    assert [(f["errors"], f["warnings"]) for f in checked["files"]] == [([], [])] * 5, checked
    assert tripped["status"] in (0, None) and [f["identical"] for f in tripped["files"]] == [True] * 5, tripped
