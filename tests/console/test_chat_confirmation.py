"""Chatting a workflow bot starts a real run only once the user said yes, whatever the client:
the chat consumer (through the real ASGI application and Channels layer), the chat API and the
terminal chat refuse a first message that was not confirmed, and start nothing."""

import sys
from io import StringIO

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from django.core.management import call_command
from rest_framework.test import APIClient

from generalbots.bots.models import Message
from tests.bots.conftest import grant, load, write_package
from tests.console.test_consumers import connect, receive_until, session_cookie, texts
from workflows.models import WorkflowExecution

FLOW = ("' Refunds an order and restocks its item.\n"
        'ORCHESTRATE WORKFLOW "refund-flow"\n'
        'order_id = "A-17"\n'
        'STEP 1: TALK "Refund issued for order " + order_id\n'
        "END WORKFLOW\n")


@pytest.fixture
def flow_bot(tmp_path, user):
    write_package(tmp_path, "refunder", {"start.bas": FLOW})
    bot = load(tmp_path, "refunder")
    grant(user, bot)
    return bot


def runs() -> int:
    return WorkflowExecution.objects.count()


@pytest.mark.django_db(transaction=True)
def test_the_socket_asks_first_refuses_an_unconfirmed_message_and_starts_on_confirm(flow_bot, user):
    async def scenario():
        communicator = connect("/ws/chat/refunder/", await database_sync_to_async(session_cookie)(user))
        await communicator.connect()
        opening = await receive_until(communicator, "confirm")
        await communicator.send_json_to({"type": "message", "text": "refund my order"})
        refused = await receive_until(communicator, "typing")
        refused += await receive_until(communicator, "typing")
        before = await database_sync_to_async(runs)(), await database_sync_to_async(Message.objects.count)()
        await communicator.send_json_to({"type": "confirm"})
        started = await receive_until(communicator, "typing")
        started += await receive_until(communicator, "typing")
        await communicator.disconnect()
        return opening, refused, before, started

    opening, refused, before, started = async_to_sync(scenario)()

    assert opening[0]["type"] == "history" and opening[0]["messages"] == []
    assert opening[-1] == {"type": "confirm", "bot": "refunder", "workflow": "refund-flow",
                           "summary": "Refunds an order and restocks its item.",
                           "question": "Chatting with refunder starts a real run of the workflow 'refund-flow': "
                                       "Refunds an order and restocks its item. Start it?"}
    error = next(m for m in refused if m["type"] == "error")["error"]
    assert error["code"] == "bots.confirm_run" and "refund-flow" in error["message"]
    assert before == (0, 0)  # no run, not even the user's message stored
    assert texts(started) == [("bot", "Refund issued for order A-17")]
    assert runs() == 1


@pytest.mark.django_db(transaction=True)
def test_a_message_carrying_confirm_starts_the_run(flow_bot, user):
    async def scenario():
        communicator = connect("/ws/chat/refunder/", await database_sync_to_async(session_cookie)(user))
        await communicator.connect()
        await receive_until(communicator, "confirm")
        await communicator.send_json_to({"type": "message", "text": "go", "confirm": True})
        got = await receive_until(communicator, "typing")
        got += await receive_until(communicator, "typing")
        await communicator.disconnect()
        return got

    # the run starts (then, the run done, the model answers the message, as for any first message)
    assert texts(async_to_sync(scenario)())[:2] == [("user", "go"), ("bot", "Refund issued for order A-17")]
    assert runs() == 1


@pytest.mark.django_db
def test_the_api_refuses_an_unconfirmed_first_message_with_a_409_and_starts_on_confirm_run(flow_bot, user):
    api = APIClient()
    api.force_authenticate(user)

    refused = api.post("/api/bots/refunder/messages", {"text": "refund"}, format="json")

    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "bots.confirm_run"
    assert "Refunds an order and restocks its item." in refused.json()["error"]["message"]
    assert runs() == 0 and Message.objects.count() == 0
    started = api.post("/api/bots/refunder/messages", {"text": "refund", "confirm_run": True}, format="json")
    assert started.status_code == 200
    assert [m["text"] for m in started.json()["replies"]][0] == "Refund issued for order A-17"
    assert runs() == 1
    # once started, the conversation goes on without asking again
    assert api.post("/api/bots/refunder/messages", {"text": "thanks"}, format="json").status_code == 200


@pytest.mark.django_db
def test_the_terminal_chat_asks_and_a_no_starts_nothing(flow_bot, monkeypatch):
    monkeypatch.setattr(sys, "stdin", StringIO("n\n"))
    out = StringIO()

    call_command("chat", "refunder", "--user", "tester", stdout=out)

    assert out.getvalue().splitlines()[-1] == "Not started."
    assert "starts a real run of the workflow 'refund-flow'" in out.getvalue()
    assert runs() == 0
