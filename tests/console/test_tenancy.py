"""Chat follows bot access like every other interface: the messages API, the websocket, the chat
page and its theme answer a bot the user may not see (another organization's, no grant) exactly
like a bot that does not exist, and its memory never comes back."""

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from django.db.models import Q
from rest_framework.test import APIClient

from generalbots.bots.models import Bot, BotAccess, Conversation, Message
from generalbots.bots.services import packages_load
from memory.models import BotMemory
from tests import factories
from tests.bots.conftest import grant, write_package
from tests.console.test_consumers import connect, receive_until, session_cookie, texts

pytestmark = pytest.mark.django_db

SECRET = "B's launch code 0000"


@pytest.fixture
def bots(tmp_path):
    """Bot ``alpha`` of organization A and bot ``beta`` of organization B; beta's start.bas says
    its memory aloud."""
    org_a, org_b = factories.OrganizationFactory(slug="org-a"), factories.OrganizationFactory(slug="org-b")
    write_package(tmp_path / "a", "alpha", {"start.bas": 'TALK "alpha here"\nHEAR answer\n'})
    write_package(tmp_path / "b", "beta",
                  {"start.bas": 'TALK "beta knows: " + GET BOT MEMORY("secret")\nHEAR answer\n'},
                  config="Title,Beta\n")
    packages_load(roots=[tmp_path / "a"], organization=org_a)
    packages_load(roots=[tmp_path / "b"], organization=org_b)
    alpha, beta = Bot.objects.get(name="alpha"), Bot.objects.get(name="beta")
    assert (alpha.organization, beta.organization) == (org_a, org_b)
    BotMemory.objects.create(bot=beta, key="secret", value=SECRET)
    return alpha, beta


@pytest.fixture
def ana(bots):
    """A user of organization A: a read-only grant on alpha, nothing on beta."""
    user = factories.UserFactory(username="ana")
    grant(user, bots[0])
    return user


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def nothing_of_beta_was_said():
    assert not Conversation.objects.filter(bot__name="beta").exists()
    assert not Message.objects.filter(Q(text__contains=SECRET) | Q(text__contains="beta knows")).exists()


def test_the_messages_api_answers_another_organizations_bot_like_an_unknown_one(ana):
    client = api(ana)

    beta = client.post("/api/bots/beta/messages", {"text": "hello"}, format="json")
    beta_history = client.get("/api/bots/beta/messages")
    nobody = client.post("/api/bots/nobody/messages", {"text": "hello"}, format="json")

    assert beta.status_code == beta_history.status_code == nobody.status_code == 404
    assert beta.json() == beta_history.json() == {
        "error": {"code": "bots.not_found", "message": "No bot named 'beta'.", "extra": {"name": "beta"}}}
    assert nobody.json()["error"]["message"] == "No bot named 'nobody'."
    assert SECRET not in beta.content.decode()
    nothing_of_beta_was_said()


def test_a_read_only_grant_is_enough_to_chat(ana):
    response = api(ana).post("/api/bots/alpha/messages", {"text": "hello"}, format="json")

    assert response.status_code == 200
    assert [m["text"] for m in response.json()["replies"]] == ["alpha here"]
    assert api(ana).get("/api/bots/alpha/messages").json()["count"] == 2


def test_a_group_grant_and_a_superuser_reach_the_bot(bots):
    member = factories.UserFactory(username="gus")
    group = member.groups.create(name="beta-team")
    BotAccess.objects.create(bot=bots[1], group=group, can_operate=False)
    root = factories.UserFactory(username="root", is_superuser=True, is_staff=True)

    by_group = api(member).post("/api/bots/beta/messages", {"text": "hi"}, format="json")
    by_root = api(root).post("/api/bots/beta/messages", {"text": "hi"}, format="json")

    assert [m["text"] for m in by_group.json()["replies"]] == [f"beta knows: {SECRET}"]
    assert [m["text"] for m in by_root.json()["replies"]] == [f"beta knows: {SECRET}"]


@pytest.mark.parametrize("name", ["beta%20", "..", "b%C3%A9ta", "BETA"])
def test_odd_bot_names_in_the_url_are_a_404(ana, name):
    response = api(ana).post(f"/api/bots/{name}/messages", {"text": "hi"}, format="json")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "bots.not_found"


@pytest.mark.parametrize("name", ["%00", "be%00ta"])
def test_a_nul_in_the_bot_name_is_refused_not_a_server_error(ana, name):
    response = api(ana).post(f"/api/bots/{name}/messages", {"text": "hi"}, format="json")

    assert response.status_code in (400, 404)  # 400 where the API refuses NUL in any URL parameter
    assert response.json()["error"]["code"] in ("invalid", "bots.not_found")
    nothing_of_beta_was_said()


def test_the_chat_page_and_its_theme_are_a_404_for_another_organizations_bot(client, ana):
    client.force_login(ana)

    page, theme = client.get("/chat/beta/"), client.get("/chat/beta/theme.css")
    mine = client.get("/chat/alpha/")

    assert page.status_code == theme.status_code == 404
    assert "No bot named &#x27;beta&#x27;." in page.content.decode()
    assert "Beta" not in page.content.decode()
    assert mine.status_code == 200
    assert 'data-ws-path="/ws/chat/alpha/"' in mine.content.decode()


def test_the_workflow_and_memory_apis_use_the_same_rule(ana):
    start = api(ana).post("/api/workflows/", {"bot": "beta"}, format="json")
    memory = api(ana).get("/api/bots/beta/memory/secret")
    watch_only = api(ana).post("/api/workflows/", {"bot": "alpha"}, format="json")

    assert (start.status_code, memory.status_code) == (404, 404)
    assert start.json()["error"] == memory.json()["error"] == {
        "code": "bots.not_found", "message": "No bot named 'beta'.", "extra": {"name": "beta"}}
    assert watch_only.status_code == 403
    assert watch_only.json()["error"]["code"] == "bots.not_operator"


@pytest.mark.django_db(transaction=True)
def test_the_websocket_closes_4404_for_another_organizations_bot_and_works_for_ones_own(ana):
    async def scenario():
        cookie = await database_sync_to_async(session_cookie)(ana)
        refused = connect("/ws/chat/beta/", cookie)
        connected, _ = await refused.connect()
        error = await refused.receive_json_from(timeout=5)
        closed = await refused.receive_output(timeout=5)
        await refused.disconnect()
        mine = connect("/ws/chat/alpha/", cookie)
        await mine.connect()
        opening = await receive_until(mine, "suggestions")
        await mine.disconnect()
        return connected, error, closed, opening

    connected, error, closed, opening = async_to_sync(scenario)()
    assert connected
    assert error == {"type": "error", "error": {"code": "bots.not_found", "message": "No bot named 'beta'.",
                                                "extra": {"name": "beta"}}}
    assert closed == {"type": "websocket.close", "code": 4404}
    assert texts(opening) == [("bot", "alpha here")]
    nothing_of_beta_was_said()


@pytest.mark.django_db(transaction=True)
def test_a_grant_withdrawn_while_the_socket_is_open_ends_the_chat_at_the_next_message(ana):
    async def scenario():
        socket = connect("/ws/chat/alpha/", await database_sync_to_async(session_cookie)(ana))
        await socket.connect()
        await receive_until(socket, "suggestions")
        await database_sync_to_async(lambda: BotAccess.objects.filter(user=ana).delete())()
        await socket.send_json_to({"type": "message", "text": "still there?"})
        error = await socket.receive_json_from(timeout=5)
        closed = await socket.receive_output(timeout=5)
        await socket.disconnect()
        return error, closed

    error, closed = async_to_sync(scenario)()
    assert error["error"]["code"] == "bots.not_found"
    assert closed == {"type": "websocket.close", "code": 4404}
    assert not Message.objects.filter(text="still there?").exists()
