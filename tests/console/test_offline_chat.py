"""The bundled example bots hold a real conversation offline (no model, no download): over the
chat socket (the real ASGI application and Channels layer) they greet, say what they do and
what their workflow needs, from their config.csv and start dialogs."""

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async

from tests.bots.conftest import grant, load
from tests.conftest import REPO
from tests.console.test_consumers import connect, receive_until, session_cookie, texts

pytestmark = pytest.mark.django_db(transaction=True)
EXAMPLES = REPO / "bottemplates" / "refund-flow"


def chat(user, bot: str, lines: list[str], *, confirm: bool = False) -> list[tuple[str, str]]:
    """Open the bot's chat socket, confirm its run when asked to, send ``lines``; what was said."""
    async def scenario():
        communicator = connect(f"/ws/chat/{bot}/", await database_sync_to_async(session_cookie)(user))
        await communicator.connect()
        said = await receive_until(communicator, "confirm" if confirm else "suggestions")
        if confirm:
            await communicator.send_json_to({"type": "confirm"})
            said += await receive_until(communicator, "typing")
            said += await receive_until(communicator, "typing")
        for line in lines:
            await communicator.send_json_to({"type": "message", "text": line})
            said += await receive_until(communicator, "typing")
            said += await receive_until(communicator, "typing")
        await communicator.disconnect()
        return said

    return texts(async_to_sync(scenario)())


@pytest.fixture
def examples(user):
    bots = {name: load(EXAMPLES, name) for name in ("refund-flow", "payments", "stock", "triage", "followup")}
    for bot in bots.values():
        grant(user, bot)
    return bots


def test_the_refund_workflow_bot_greets_says_what_it_does_and_what_it_needs(examples, user):
    said = chat(user, "refund-flow", ["Hello!", "What do you need?", "thanks"], confirm=True)

    bot = [text for role, text in said if role == "bot"]
    assert bot[0] == ("[offline model] Hello! I am Refund flow. Refunds an order: triages the ticket, asks a person "
                      "to approve amounts over 500, refunds and restocks in parallel, then follows up a day later. "
                      "I run the workflow 'refund-flow'. "
                      'Ask me "what do you need?" to see what I need to start.')
    assert bot[1] == ("[offline model] To start the workflow 'refund-flow' I need:\n"
                      "- amount (optional, default 120)\n- approval_amount (optional, default 500)\n"
                      "- approve_from (optional, default lead@corp.example)\n- approval_timeout (optional, default 900)\n"
                      "- escalate_to (optional, default boss@corp.example)\n- followup_delay (optional, default 86400)\n"
                      "- order_id (optional, default A-1)")
    assert bot[2] == "[offline model] You are welcome. Anything else Refund flow can do for you?"
    assert [role for role, _ in said] == ["user", "bot"] * 3


def test_a_bot_the_workflow_calls_says_what_it_does(examples, user):
    said = chat(user, "stock", ["what can you do?"])

    assert said[-1] == ("bot", "[offline model] I am Stock (refund-flow). Puts the returned item of an order back "
                               "in stock; the refund-flow workflow calls it.\nI work with these values:\n"
                               "- order_id (optional)")


def test_a_bot_chatted_without_its_inputs_says_what_it_is_for_instead_of_acting_on_empty_values(examples, user):
    said = chat(user, "payments", ["thanks"])

    bot = [text for role, text in said if role == "bot"]
    assert bot[0] == ("I issue the refunds of the refund-flow workflow: it calls me with an order_id and an amount. "
                      "Start that workflow to refund an order.")
    assert not any("RF-" in text or "for order  " in text for text in bot)
