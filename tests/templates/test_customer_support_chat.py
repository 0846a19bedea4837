"""The customer-support template from its chat entry: a customer writes to the bot over the chat
API, HEAR takes the question, and a question the help articles cover is answered from the
knowledge base (the offline model answers with the best passage and its source); with a real
model (the local OpenAI-compatible test server) the triage takes its JSON, and falls back to its
keyword rules when the answer has another shape.

Knowledge bases live in Qdrant; without a Qdrant server (QDRANT_URL) each process has its own
local folder, so this module has no Celery workers: the chat turns run in this process, as the
API runs them, the base is indexed here with ``gb kb index``, and what a worker would do after
an event is done here by ``drive`` (tests/workflows/engine_helpers.py)."""

import pytest

from tests.conftest import gb
from tests.memory.conftest import qdrant_local  # noqa: F401  (autouse: a local Qdrant folder per test)
from tests.templates.conftest import get_run, publish, table, wait_run
from tests.workflows.engine_helpers import drive
from workflows.models import WorkflowExecution

pytestmark = pytest.mark.django_db(transaction=True)


def say(client, text: str) -> dict:
    """One chat message; the first one confirms the workflow run the chat starts (``confirm_run``)."""
    response = client.post("/api/bots/customer-support/messages", {"text": text, "confirm_run": True}, format="json")
    assert response.status_code == 200, response.json()
    return response.json()


@pytest.fixture
def support(install_template):
    bots = install_template("customer-support", followup_delay=0, survey_timeout=0)
    status, out = gb("kb", "index", "support-kb")
    assert status == 0 and "help: 3 indexed" in out, out
    return bots


def test_a_question_the_help_articles_cover_is_answered_from_them_and_the_customer_confirms(support, api_client):
    opened = say(api_client, "hi")
    assert [r["text"] for r in opened["replies"]] == ["Hello! Tell me what happened, in your own words."]
    assert opened["waiting_for"] == "hear"

    answered = say(api_client, "How do I reset my password? I forgot it.")

    texts = [r["text"] for r in answered["replies"]]
    assert texts[0].startswith("Ticket T-") and texts[0].endswith(" opened.")
    assert "Forgot password" in texts[1] and texts[1].endswith("Source: [help/password.md]")
    assert texts[2:] == ["Did this solve your problem?"]
    assert answered["waiting_for"] == "event:support_feedback"
    [run] = api_client.get("/api/workflows/", {"bot": "customer-support"}).json()["results"]
    variables = get_run(api_client, run["id"])["variables"]
    assert (variables["category"], variables["needs_person"], variables["kb_source"]) == ("account", False,
                                                                                          "help/password.md")

    publish(api_client, "support_feedback", {"ticket": variables["ticket_id"], "solved": True})
    drive(WorkflowExecution.objects.get(pk=run["id"]))  # what a worker does; when the template tests'
    # workers are running (another module started them), one of them may take the run instead
    done = wait_run(api_client, run["id"], "completed", timeout=60)
    assert done["variables"]["resolved_by"] == "knowledge base" and done["variables"]["rating"] is None
    assert not done["approvals"]
    assert [(c["bot"], c["status"]) for c in done["children"]] == [
        ("support-triage", "completed"), ("support-kb", "completed"), ("support-survey", "completed")]
    assert [e["event_name"] for e in done["events"]] == ["support_closed"]
    [ticket] = table("customer-support", "tickets")
    assert (ticket["category"], ticket["status"], ticket["resolved_by"]) == ("account", "closed", "knowledge base")


@pytest.mark.parametrize(("reply", "triaged", "asked"), [
    # urgent: straight to a person, no knowledge-base attempt
    ('{"category": "technical", "urgency": "high"}', ("technical", "high", "model"), ["support-triage"]),
    # a chatty answer is not the JSON asked for: the keyword rules decide (an error -> technical);
    # not urgent: the help articles are tried first (none indexed here, so a person takes it)
    ("Sure! This sounds like a billing question to me.", ("technical", "normal", "rules"),
     ["support-triage", "support-kb"]),
])
def test_a_real_model_triages_and_an_answer_of_another_shape_falls_back_to_the_rules(
        install_template, api_client, llm_server, reply, triaged, asked):
    llm_server.configure("triage-model", reply=reply)
    install_template("customer-support", configs={"support-triage": {"llm-url": llm_server.url + "/v1",
                                                                     "llm-model": "triage-model"}})
    say(api_client, "hello")

    answered = say(api_client, "The app shows an error when I pay")

    [run] = api_client.get("/api/workflows/", {"bot": "customer-support"}).json()["results"]
    detail = get_run(api_client, run["id"])
    variables = detail["variables"]
    assert (variables["category"], variables["urgency"], variables["triage_by"]) == triaged
    [request] = llm_server.chat_requests("triage-model")
    assert request["messages"][-1]["content"].endswith("Message: The app shows an error when I pay")
    assert [c["bot"] for c in detail["children"]] == asked
    assert answered["waiting_for"] == "approval"
    assert [r["text"] for r in answered["replies"]][1:] == ["A person from our team will take over."]
