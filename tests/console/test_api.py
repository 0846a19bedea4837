"""``/api/bots/<bot>/messages``: authentication, replies, history, bad input."""

import pytest
from rest_framework.test import APIClient

from generalbots.bots.models import Message
from tests import factories
from tests.bots.conftest import grant

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def url(bot="demo"):
    return f"/api/bots/{bot}/messages"


def test_authentication_is_required(demo_bot):
    assert APIClient().post(url(), {"text": "hi"}, format="json").status_code in (401, 403)
    assert APIClient().get(url()).status_code in (401, 403)


def test_a_message_gets_the_replies_suggestions_and_what_the_bot_waits_for(api, demo_bot):
    response = api.post(url(), {"text": "hello"}, format="json")

    assert response.status_code == 200
    body = response.json()
    assert [m["text"] for m in body["replies"]] == ["Welcome to Acme!"]
    assert body["replies"][0]["role"] == "bot"
    assert body["suggestions"] == ["Order", "Ask"]
    assert body["waiting_for"] == "hear"
    follow_up = api.post(url(), {"text": "Order", "conversation": body["conversation"]}, format="json").json()
    assert [m["text"] for m in follow_up["replies"]] == ["How many boxes?"]
    assert follow_up["conversation"] == body["conversation"]


def test_history_lists_the_messages_in_order(api, demo_bot, django_assert_max_num_queries):
    api.post(url(), {"text": "hello"}, format="json")
    api.post(url(), {"text": "Ask"}, format="json")

    with django_assert_max_num_queries(8):
        response = api.get(url())

    body = response.json()
    assert response.status_code == 200
    assert [(m["role"], m["text"]) for m in body["results"]] == [
        ("user", "hello"), ("bot", "Welcome to Acme!"), ("user", "Ask"), ("bot", "Ask me anything.")]
    assert body["count"] == 4


def test_an_unknown_bot_is_a_404_naming_it(api):
    response = api.post(url("nobody"), {"text": "hi"}, format="json")

    assert response.status_code == 404
    assert response.json()["error"]["message"] == "No bot named 'nobody'."


@pytest.mark.parametrize("payload", [{}, {"text": ""}, {"text": ["a"]}, {"text": "hi", "conversation": "nope"},
                                     {"text": "x" * 10_001}])
def test_malformed_messages_are_a_400_and_store_nothing(api, demo_bot, payload):
    response = api.post(url(), payload, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["code"] in ("invalid", "blank", "required", "max_length", "not_a_list")
    assert not Message.objects.exists()


def test_a_body_that_is_not_json_is_a_400(api, demo_bot):
    response = api.post(url(), "{not json", content_type="application/json")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "parse_error"


def test_someone_elses_conversation_is_a_404(api, demo_bot):
    other = APIClient()
    other.force_authenticate(grant(factories.UserFactory(username="bo"), demo_bot).user)
    theirs = other.post(url(), {"text": "hello"}, format="json").json()["conversation"]

    response = api.post(url(), {"text": "hi", "conversation": theirs}, format="json")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "bots.conversation_not_found"
