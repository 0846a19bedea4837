"""LLM answers through the provider layer against the local OpenAI-compatible test server."""

import json

import pytest

from generalbots.bots.choices import Channel, MessageRole
from generalbots.bots.models import BotScript, Message
from generalbots.bots.services import conversation_get_or_create
from workflows.conversations import conversation_post_message
from llmrouter.providers import ModelConfig, ProviderError, chat
from tests.bots.conftest import load, write_package

pytestmark = pytest.mark.django_db


@pytest.fixture
def asking(demo_bot, user):
    """A demo conversation past start.bas: the next message goes to the model."""
    chat_ = conversation_get_or_create(bot=demo_bot, user=user, channel=Channel.API)
    conversation_post_message(conversation=chat_, text="hi")
    conversation_post_message(conversation=chat_, text="Ask")
    return chat_


def test_the_weather_tool_schema_follows_its_params(demo_bot):
    schema = BotScript.objects.get(bot=demo_bot, name="weather").tool_schema

    assert schema == {
        "type": "function",
        "function": {
            "name": "weather",
            "description": "Current weather in a city",
            "parameters": {
                "type": "object",
                "properties": {
                    "city": {"type": "string", "description": "The city (e.g. Paris)"},
                    "days": {"type": "integer", "description": "How many days"},
                    "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
                    "when": {"type": "string", "format": "date"},
                    "budget": {"type": "number"},
                    "outdoor": {"type": "boolean", "description": "Outdoor plans"},
                },
                "required": ["city", "outdoor"],
            },
        },
    }


def test_a_tool_call_runs_the_script_and_the_model_gets_its_return_value(asking, llm_server):
    llm_server.configure("demo-model", script=[
        {"tool_calls": [{"id": "c1", "name": "weather", "arguments": {"city": "Lisbon", "outdoor": True}}]},
        {"content": "Lisbon will be sunny."},
    ])

    result = conversation_post_message(conversation=asking, text="Weather in Lisbon?")

    assert [m.text for m in result.replies] == ["Lisbon will be sunny."]
    second = llm_server.chat_requests("demo-model")[-1]
    assert second["messages"][-1] == {"role": "tool", "tool_call_id": "c1", "content": "Sunny in Lisbon for 1 day(s)"}
    assert second["messages"][-2]["tool_calls"][0]["function"]["name"] == "weather"
    tool_message = Message.objects.get(conversation=asking, role=MessageRole.TOOL)
    assert tool_message.text == "Sunny in Lisbon for 1 day(s)"
    assert json.loads(tool_message.data["arguments"]) == {"city": "Lisbon", "outdoor": True}


def test_a_call_of_an_unknown_tool_is_reported_to_the_model(asking, llm_server):
    llm_server.configure("demo-model", script=[
        {"tool_calls": [{"id": "c1", "name": "launch_rockets", "arguments": {}}]},
        {"content": "I cannot do that."},
    ])

    result = conversation_post_message(conversation=asking, text="Launch!")

    assert [m.text for m in result.replies] == ["I cannot do that."]
    assert llm_server.chat_requests("demo-model")[-1]["messages"][-1]["content"] == "error: there is no tool named 'launch_rockets'"


def test_without_llm_url_the_offline_model_answers_and_says_so(tmp_path, user):
    write_package(tmp_path, "plain", {})
    bot = load(tmp_path, "plain")
    chat_ = conversation_get_or_create(bot=bot, user=user, channel=Channel.API)

    result = conversation_post_message(conversation=chat_, text="Is anyone there?")

    assert [m.text for m in result.replies] == [
        "[offline model] I received: Is anyone there?\nI am an offline model, so I answer only from what I know "
        'about Plain: ask "what can you do?" or "what do you need?".']


def test_use_tool_of_a_script_that_is_not_a_tool_fails_with_its_line(tmp_path, user):
    write_package(tmp_path, "mixed", {"start.bas": 'TALK "hi"\nUSE TOOL "helper"\n', "helper.bas": 'TALK "no params"\n'})
    bot = load(tmp_path, "mixed")
    chat_ = conversation_get_or_create(bot=bot, user=user, channel=Channel.API)

    conversation_post_message(conversation=chat_, text="hello")

    chat_.refresh_from_db()
    assert chat_.last_error.startswith("mixed.gbdialog/start.bas:2: USE TOOL: bot mixed has no tool named 'helper'")


def test_provider_sends_model_key_and_tools(llm_server):
    llm_server.configure("m1", reply="hey", usage={"prompt_tokens": 7, "completion_tokens": 1, "total_tokens": 8})

    result = chat([{"role": "user", "content": "hi"}], [{"type": "function", "function": {"name": "t"}}],
                  {"url": llm_server.url, "model": "m1", "key": "sk-test"})

    assert result == {"content": "hey", "tool_calls": [], "usage": {"prompt_tokens": 7, "completion_tokens": 1, "total_tokens": 8}}
    request = llm_server.requests[-1]
    assert request["path"] == "/v1/chat/completions"
    assert request["headers"]["Authorization"] == "Bearer sk-test"
    assert request["body"]["tools"] == [{"type": "function", "function": {"name": "t"}}]


def test_provider_errors_name_the_endpoint_and_status(llm_server, closed_port):
    llm_server.configure("down", failure_rate=1.0, failure_status=503)

    with pytest.raises(ProviderError, match=r"answered HTTP 503"):
        chat([{"role": "user", "content": "hi"}], None, ModelConfig(url=llm_server.url + "/v1", model="down"))
    with pytest.raises(ProviderError, match=rf"Cannot reach the model at http://127.0.0.1:{closed_port}/v1/chat/completions"):
        chat([{"role": "user", "content": "hi"}], None, ModelConfig(url=f"http://127.0.0.1:{closed_port}"))


def test_the_test_server_lists_its_models(llm_server):
    import httpx

    llm_server.configure("a")
    llm_server.configure("b")

    assert [m["id"] for m in httpx.get(llm_server.url + "/v1/models").json()["data"]] == ["a", "b"]
