"""The web chat websocket end to end: the real ASGI application (session auth, origin check)
on the Redis channel layer of the test settings."""

from datetime import timedelta

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator
from django.test import Client
from django.utils import timezone

from generalbots.asgi import application
from tests.bots.conftest import grant, load, write_package
from tests.workflows.engine_helpers import resume_due

pytestmark = pytest.mark.django_db(transaction=True)


def session_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def connect(path: str, cookie: str | None):
    headers = [(b"origin", b"http://127.0.0.1")]
    if cookie:
        headers.append((b"cookie", f"sessionid={cookie}".encode()))
    return WebsocketCommunicator(application, path, headers=headers)


async def receive_until(communicator, wanted_type: str, *, timeout: float = 5) -> list[dict]:
    """Every message up to and including the first of ``wanted_type``."""
    got = []
    while True:
        message = await communicator.receive_json_from(timeout=timeout)
        got.append(message)
        if message["type"] == wanted_type:
            return got


def texts(messages: list[dict]) -> list[tuple[str, str]]:
    return [(m["message"]["role"], m["message"]["text"]) for m in messages if m["type"] == "message"]


def test_the_test_settings_use_the_redis_channel_layer():
    assert type(get_channel_layer()).__name__ == "RedisChannelLayer"


def test_anonymous_sockets_are_refused(demo_bot):
    async def scenario():
        communicator = connect("/ws/chat/demo/", None)
        connected, code = await communicator.connect()
        await communicator.disconnect()
        return connected, code

    assert async_to_sync(scenario)() == (False, 4401)


def test_an_unknown_bot_gets_an_error_naming_it(user):
    async def scenario():
        communicator = connect("/ws/chat/nobody/", await database_sync_to_async(session_cookie)(user))
        connected, _ = await communicator.connect()
        error = await communicator.receive_json_from(timeout=5)
        closed = await communicator.receive_output(timeout=5)
        await communicator.disconnect()
        return connected, error, closed

    connected, error, closed = async_to_sync(scenario)()
    assert connected
    assert error == {"type": "error", "error": {"code": "bots.not_found", "message": "No bot named 'nobody'.",
                                                "extra": {"name": "nobody"}}}
    assert closed == {"type": "websocket.close", "code": 4404}


def test_a_conversation_over_the_websocket(demo_bot, user):
    async def scenario():
        communicator = connect("/ws/chat/demo/", await database_sync_to_async(session_cookie)(user))
        connected, _ = await communicator.connect()
        opening = await receive_until(communicator, "suggestions")
        await communicator.send_json_to({"type": "message", "text": "Order"})
        first = await receive_until(communicator, "typing")
        first += await receive_until(communicator, "typing")
        await communicator.send_json_to({"type": "message", "text": "many"})
        second = await receive_until(communicator, "typing")
        second += await receive_until(communicator, "typing")
        await communicator.send_json_to({"type": "hello"})
        bad = await communicator.receive_json_from(timeout=5)
        await communicator.disconnect()
        return connected, opening, first, second, bad

    connected, opening, first, second, bad = async_to_sync(scenario)()
    assert connected
    assert opening[0] == {"type": "history", "conversation": opening[0]["conversation"], "messages": [], "suggestions": []}
    assert texts(opening) == [("bot", "Welcome to Acme!")]
    assert opening[-1] == {"type": "suggestions", "suggestions": ["Order", "Ask"]}
    assert first[0] == {"type": "typing", "on": True}
    assert texts(first) == [("user", "Order"), ("bot", "How many boxes?")]
    assert first[-2:] == [{"type": "suggestions", "suggestions": []}, {"type": "typing", "on": False}]
    assert texts(second) == [("user", "many"), ("bot", "Please answer with a whole number."), ("bot", "How many boxes?")]
    assert bad["type"] == "error" and bad["error"]["code"] == "bots.invalid_message"


def test_a_reconnecting_client_gets_the_history_and_start_does_not_run_twice(demo_bot, user):
    async def session():
        communicator = connect("/ws/chat/demo/", await database_sync_to_async(session_cookie)(user))
        await communicator.connect()
        got = await receive_until(communicator, "suggestions")
        await communicator.disconnect()
        return got

    async_to_sync(session)()
    again = async_to_sync(session)()

    assert [(m["role"], m["text"]) for m in again[0]["messages"]] == [("bot", "Welcome to Acme!")]
    assert texts(again) == []
    assert again[-1] == {"type": "suggestions", "suggestions": ["Order", "Ask"]}


def test_what_a_timer_says_later_reaches_the_open_socket(tmp_path, user):
    write_package(tmp_path, "later", {"start.bas": 'TALK "soon"\nWAIT 30\nTALK "now"\n'})
    grant(user, load(tmp_path, "later"))

    async def scenario():
        communicator = connect("/ws/chat/later/", await database_sync_to_async(session_cookie)(user))
        await communicator.connect()
        opening = await receive_until(communicator, "suggestions")
        resumed = await database_sync_to_async(resume_due)(now=timezone.now() + timedelta(seconds=31))
        pushed = await communicator.receive_json_from(timeout=5)
        await communicator.disconnect()
        return opening, resumed, pushed

    opening, resumed, pushed = async_to_sync(scenario)()
    assert texts(opening) == [("bot", "soon")]
    assert resumed == 1
    assert pushed["type"] == "message" and pushed["message"]["text"] == "now"


def test_a_client_asking_for_a_stream_gets_the_llm_answer_piece_by_piece(demo_bot, user, llm_server):
    llm_server.configure("demo-model", reply="We open from nine to five")

    async def scenario():
        communicator = connect("/ws/chat/demo/", await database_sync_to_async(session_cookie)(user))
        await communicator.connect()
        await receive_until(communicator, "suggestions")
        await communicator.send_json_to({"type": "message", "text": "Ask"})
        await receive_until(communicator, "typing")
        await receive_until(communicator, "typing")
        await communicator.send_json_to({"type": "message", "text": "When do you open?", "stream": True})
        streamed = await receive_until(communicator, "typing")
        streamed += await receive_until(communicator, "typing")
        await communicator.send_json_to({"type": "message", "text": "And on Sunday?"})
        plain = await receive_until(communicator, "typing")
        plain += await receive_until(communicator, "typing")
        await communicator.disconnect()
        return streamed, plain

    streamed, plain = async_to_sync(scenario)()
    deltas = [m["text"] for m in streamed if m["type"] == "delta"]
    assert len(deltas) > 1 and "".join(deltas) == "We open from nine to five"
    kinds = [m["type"] for m in streamed]
    assert kinds.index("delta") < max(i for i, m in enumerate(streamed) if m["type"] == "message")
    assert texts(streamed)[-1] == ("bot", "We open from nine to five")
    assert llm_server.chat_requests("demo-model")[-2].get("stream") is True
    assert not [m for m in plain if m["type"] == "delta"]
    assert texts(plain)[-1] == ("bot", "We open from nine to five")


def test_a_message_the_database_cannot_store_is_an_error_and_the_socket_goes_on(demo_bot, user):
    async def scenario():
        communicator = connect("/ws/chat/demo/", await database_sync_to_async(session_cookie)(user))
        await communicator.connect()
        await receive_until(communicator, "suggestions")
        await communicator.send_json_to({"type": "message", "text": "Or\u0000der"})
        refused = await receive_until(communicator, "error")
        await receive_until(communicator, "typing")
        await communicator.send_json_to({"type": "message", "text": "Order"})
        after = await receive_until(communicator, "suggestions")
        await communicator.disconnect()
        return refused, after

    refused, after = async_to_sync(scenario)()
    error = refused[-1]["error"]
    assert error["code"] == "bots.invalid_message" and "NUL" in error["message"]
    assert texts(after) == [("user", "Order"), ("bot", "How many boxes?")]
