"""``POST /api/bots/<bot>/forms/<name>``: a real form post runs the ``ON FORM SUBMIT`` handler
of a waiting conversation run, with the posted ``fields`` and ``metadata``; tenancy and errors."""

import pytest
from rest_framework.test import APIClient

from generalbots.bots.choices import Channel
from generalbots.bots.models import Message
from generalbots.bots.services import conversation_get_or_create
from memory.models import BotMemory
from tests import factories
from tests.bots.conftest import grant
from workflows import engine
from workflows.conversations import conversation_post_message
from workflows.models import WorkflowEvent

pytestmark = pytest.mark.django_db

START = """ON FORM SUBMIT "landing-page"
    TALK "New lead: " + fields.email + " from " + metadata.utm_source
    SET BOT MEMORY "last_lead", NVL(fields.name, "there")
END ON
HEAR anything
TALK "bye"
"""


@pytest.fixture
def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def lead_bot(user):
    bot = factories.BotFactory(name="leads")
    factories.BotScriptFactory(bot=bot, name="start", source=START, problems=[])
    grant(user, bot)
    return bot


def url(bot="leads", form="landing-page"):
    return f"/api/bots/{bot}/forms/{form}"


def test_a_form_post_runs_the_handler_of_the_waiting_run(api, user, lead_bot):
    conversation = conversation_get_or_create(bot=lead_bot, user=user, channel=Channel.API)
    conversation_post_message(conversation=conversation, text="hi")  # start.bas waits at HEAR
    conversation.refresh_from_db()
    run = conversation.run

    response = api.post(url() + "?utm_source=newsletter", {"email": "ana@example.com"})

    assert response.status_code == 201, response.content
    event = WorkflowEvent.objects.get(pk=response.json()["event"])
    assert event.event_name == "form:landing-page" and event.source_bot == lead_bot
    assert event.event_data["fields"] == {"email": "ana@example.com"}
    assert event.event_data["metadata"]["utm_source"] == "newsletter"
    engine.slice_run(run.pk)  # what the worker woken by the event does
    run.refresh_from_db()
    said = [m.text for m in Message.objects.filter(conversation=conversation, role="bot")]
    assert said[-1] == "New lead: ana@example.com from newsletter"
    assert BotMemory.objects.get(bot=lead_bot, key="last_lead").value == "there"
    assert run.status == "waiting", run.error
    assert run.state["wait"]["kind"] == "hear"  # back at its HEAR


def test_a_json_post_keeps_its_types(api, lead_bot):
    response = api.post(url(form="quote"), {"qty": 3, "rush": True}, format="json")

    assert response.status_code == 201
    assert WorkflowEvent.objects.get().event_data["fields"] == {"qty": 3, "rush": True}


def test_a_bot_without_a_grant_is_a_404_and_publishes_nothing(api):
    factories.BotFactory(name="secret", organization=factories.OrganizationFactory(slug="other"))

    assert api.post(url(bot="secret"), {"email": "x@y"}).status_code == 404
    assert APIClient().post(url(), {"email": "x@y"}).status_code in (401, 403)
    assert not WorkflowEvent.objects.exists()


def test_a_bad_form_name_or_body_is_a_400_naming_it(api, lead_bot):
    bad_name = api.post(url(form="two words"), {"email": "x@y"})
    not_an_object = api.post(url(), [1, 2], format="json")

    assert bad_name.status_code == 400 and "event name" in bad_name.json()["error"]["message"].lower()
    assert not_an_object.status_code == 400 and "fields" in str(not_an_object.json())
    assert not WorkflowEvent.objects.exists()
