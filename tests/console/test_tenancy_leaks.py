"""Cross-organization leaks of the REST API, the dashboard's websockets and the console's pages
found by an audit (2026-12-08). Each test failed while the leak it names was there.

- An open dashboard socket keeps what it joined at connect: a grant on another organization's
  bot withdrawn meanwhile still lets that organization's run changes and events through
  (the chat socket checks the grant again; these do not).
- The dashboard socket joins groups named after bots (``workflow.bot.<name>``): once a bot is
  renamed and another organization takes the old name, the old subscribers get its runs.
- LLM calls outlive their bot with ``bot`` NULL, and NULL is read as "global": every staff user
  then sees another organization's call log (its bot name in the model key, the router's
  reasons, errors, cost) on ``/llm/`` and ``/charts/``.
- Model statistics are keyed by text (``alias`` or ``bot-name:alias``): a global model's row sums
  every organization's calls, and a bot that takes a renamed bot's old name inherits its row;
  staff then read the other organization's requests, tokens and spend on ``/api/llm/performance``.
"""

import json
from decimal import Decimal

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.db import transaction
from django.test import Client
from django.urls import reverse

from generalbots.asgi import application
from generalbots.bots.models import BotAccess
from llmrouter.services import performance_record
from tests import factories
from tests.llmrouter.factories import LLMCallFactory, LLMModelFactory
from workflows.choices import ExecutionStatus
from workflows.events import event_publish
from workflows.realtime import run_changed


def session_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def socket(path: str, cookie: str) -> WebsocketCommunicator:
    headers = [(b"origin", b"http://127.0.0.1"), (b"cookie", f"sessionid={cookie}".encode())]
    return WebsocketCommunicator(application, path, headers=headers)


def change_status(execution, status: str) -> None:
    """What the engine does in a slice: save the new status and announce it on commit."""
    with transaction.atomic():
        execution.status = status
        execution.save(update_fields=["status", "updated_at"])
        run_changed(execution)


def publish_in(organization, name: str, data: dict) -> None:
    with transaction.atomic():
        event_publish(organization=organization, name=name, data=data)


def running(bot):
    """A running workflow run of ``bot``."""
    return factories.WorkflowExecutionFactory(bot=bot, is_workflow=True, status=ExecutionStatus.RUNNING)


def withdraw(grant: BotAccess) -> None:
    BotAccess.objects.filter(pk=grant.pk).delete()


@pytest.fixture
def contractor(org_a, org_b):
    """Carl works in organization B (an operator grant on B's bot) and was granted A's bot
    ``a-payroll`` for a while; ``contractor.a_grant`` is that grant."""
    user = factories.UserFactory(username="carl")
    user.b_bot = factories.BotFactory(name="b-desk", organization=org_b)
    factories.BotAccessFactory(user=user, bot=user.b_bot)
    a_bot = factories.BotFactory(name="a-payroll", organization=org_a)
    user.a_grant = factories.BotAccessFactory(user=user, bot=a_bot)
    user.a_bot = a_bot
    return user


# --------------------------------------------------------------------------- websockets

async def frames_until(communicator, last) -> list[dict]:
    """Every frame up to the first one ``last(frame)`` accepts, or up to the socket's close
    (a fix may close it on a withdrawn grant: then the list ends with ``{"closed": code}``)."""
    frames: list[dict] = []
    while not frames or not ("closed" in frames[-1] or last(frames[-1])):
        output = await communicator.receive_output(timeout=5)
        frames.append({"closed": output.get("code")} if output["type"] == "websocket.close"
                      else json.loads(output["text"]))
    return frames


def leaked(frames: list[dict], field: str, value: str) -> list[dict]:
    return [f for f in frames if "closed" not in f and f["data"][field] == value]


@pytest.mark.django_db(transaction=True)
def test_the_dashboard_socket_stops_sending_another_organizations_runs_once_the_grant_is_withdrawn(contractor):
    theirs = running(contractor.a_bot)
    own = running(contractor.b_bot)

    async def scenario():
        communicator = socket("/ws/workflows/", await database_sync_to_async(session_cookie)(contractor))
        await communicator.connect()
        hello = await communicator.receive_json_from(timeout=5)
        await database_sync_to_async(withdraw)(contractor.a_grant)
        await database_sync_to_async(change_status)(theirs, ExecutionStatus.FAILED)
        await database_sync_to_async(change_status)(own, ExecutionStatus.COMPLETED)  # published after: arrives last
        frames = await frames_until(communicator, lambda f: f["data"]["id"] == str(own.pk))
        await communicator.disconnect()
        return hello, frames

    hello, frames = async_to_sync(scenario)()

    assert sorted(hello["bots"]) == ["a-payroll", "b-desk"]  # both granted when the socket opened
    assert not leaked(frames, "bot", "a-payroll"), f"organization A's run reached a user without a grant: {frames}"


@pytest.mark.django_db(transaction=True)
def test_a_run_page_socket_stops_sending_the_run_once_the_grant_is_withdrawn(contractor):
    run = running(contractor.a_bot)

    async def scenario():
        communicator = socket(f"/ws/workflows/runs/{run.pk}/", await database_sync_to_async(session_cookie)(contractor))
        await communicator.connect()
        hello = await communicator.receive_json_from(timeout=5)
        await database_sync_to_async(change_status)(run, ExecutionStatus.WAITING)
        while_granted = await communicator.receive_json_from(timeout=5)
        await database_sync_to_async(withdraw)(contractor.a_grant)
        await database_sync_to_async(change_status)(run, ExecutionStatus.FAILED)
        after = None if await communicator.receive_nothing(timeout=1) else await communicator.receive_output(timeout=1)
        await communicator.disconnect()
        return hello, while_granted, after

    hello, while_granted, after = async_to_sync(scenario)()

    assert hello["run"]["id"] == str(run.pk) and while_granted["data"]["status"] == "waiting"
    assert after is None or json.loads(after.get("text") or "{}").get("type") in (None, "error"), (
        f"organization A's run reached a user without a grant: {after}")  # nothing, a close or an error frame


@pytest.mark.django_db(transaction=True)
def test_the_event_log_socket_stops_sending_another_organizations_events_once_the_grant_is_withdrawn(
        contractor, org_a, org_b):
    async def scenario():
        communicator = socket("/ws/workflows/events/", await database_sync_to_async(session_cookie)(contractor))
        await communicator.connect()
        hello = await communicator.receive_json_from(timeout=5)
        await database_sync_to_async(withdraw)(contractor.a_grant)
        await database_sync_to_async(publish_in)(org_a, "salary_paid", {"employee": "dora", "amount": 5100})
        await database_sync_to_async(publish_in)(org_b, "ticket_opened", {"id": 7})  # published after: arrives last
        frames = await frames_until(communicator, lambda f: f["data"]["name"] == "ticket_opened")
        await communicator.disconnect()
        return hello, frames

    hello, frames = async_to_sync(scenario)()

    assert hello["type"] == "hello"
    assert not leaked(frames, "organization", "org-a"), f"organization A's event reached a user without a grant: {frames}"


def rename(bot, name: str) -> None:
    bot.name = name
    bot.save()


@pytest.mark.django_db(transaction=True)
def test_the_dashboard_socket_does_not_follow_a_bot_name_to_another_organization(org_a, org_b):
    bea = factories.UserFactory(username="bea")
    theirs = factories.BotFactory(name="b-old", organization=org_b)
    factories.BotAccessFactory(user=bea, bot=theirs)
    own_run = factories.WorkflowExecutionFactory(bot=theirs, is_workflow=True, status=ExecutionStatus.RUNNING)

    def a_takes_the_name():
        return factories.WorkflowExecutionFactory(bot=factories.BotFactory(name="b-old", organization=org_a),
                                                  is_workflow=True, status=ExecutionStatus.RUNNING)

    async def scenario():
        communicator = socket("/ws/workflows/", await database_sync_to_async(session_cookie)(bea))
        await communicator.connect()
        hello = await communicator.receive_json_from(timeout=5)
        await database_sync_to_async(change_status)(own_run, ExecutionStatus.WAITING)
        own = await communicator.receive_json_from(timeout=5)
        await database_sync_to_async(rename)(theirs, "b-new")  # B renames its bot; A then takes the old name
        a_run = await database_sync_to_async(a_takes_the_name)()
        await database_sync_to_async(change_status)(a_run, ExecutionStatus.FAILED)
        after = None if await communicator.receive_nothing(timeout=1) else await communicator.receive_output(timeout=1)
        await communicator.disconnect()
        return hello, own, a_run, after

    hello, own, a_run, after = async_to_sync(scenario)()

    assert hello["bots"] == ["b-old"] and own["data"]["id"] == str(own_run.pk)
    frame = json.loads(after.get("text") or "{}") if after else {}
    assert (frame.get("data") or {}).get("id") != str(a_run.pk), f"organization A's run reached a user of B: {frame}"


# --------------------------------------------------------------------------- LLM calls of a deleted bot

@pytest.fixture
def deleted_b_bot(org_a, org_b):
    """Staff ``a-ops`` operates A's bot; B's bot ``b-secret`` made an LLM call with its own model
    entry, then was deleted (its call log stays, ``bot`` and ``model`` set to NULL)."""
    staff = factories.UserFactory(username="a-ops", is_staff=True)
    mine = factories.BotFactory(name="a-chat", organization=org_a)
    BotAccess.objects.create(bot=mine, user=staff)
    own = LLMModelFactory(alias="default", bot=mine)
    LLMCallFactory(model=own, model_key=own.key, bot=mine, reason="a's own decision")
    theirs = factories.BotFactory(name="b-secret", organization=org_b)
    model = LLMModelFactory(alias="default", bot=theirs)
    LLMCallFactory(model=model, model_key=model.key, bot=theirs, cost=Decimal("3.250000"),
                   reason="b's private decision", error="401 from http://b-llm.internal/v1")
    theirs.delete()
    return staff


@pytest.mark.django_db
def test_the_llm_dashboard_does_not_show_a_deleted_bots_calls_to_another_organizations_staff(client, deleted_b_bot):
    client.force_login(deleted_b_bot)

    html = client.get(reverse("llmrouter:dashboard")).content.decode()

    assert "a&#x27;s own decision" in html
    assert "b-secret" not in html and "private decision" not in html and "b-llm.internal" not in html


@pytest.mark.django_db
def test_the_charts_do_not_show_a_deleted_bots_calls_to_another_organizations_staff(client, deleted_b_bot):
    client.force_login(deleted_b_bot)

    html = client.get(reverse("charts")).content.decode()

    assert "a-chat:default" in html
    assert "b-secret" not in html


# --------------------------------------------------------------------------- a global model's statistics

@pytest.mark.django_db
def test_the_performance_api_does_not_give_staff_another_organizations_use_of_a_global_model(org_a, org_b):
    staff = factories.UserFactory(username="a-ops", is_staff=True)
    mine = factories.BotFactory(name="a-chat", organization=org_a)
    BotAccess.objects.create(bot=mine, user=staff)
    theirs = factories.BotFactory(name="b-secret", organization=org_b)
    shared = LLMModelFactory(alias="fast")  # global: serves every bot
    calls = [LLMCallFactory(model=shared, model_key="fast", bot=mine, cost=Decimal("0.010000"))]
    calls += [LLMCallFactory(model=shared, model_key="fast", bot=theirs, cost=Decimal("2.000000")) for _ in range(4)]
    for call in calls:
        performance_record(call_id=call.pk)
    client = Client()
    client.force_login(staff)

    rows = client.get(reverse("llm-performance-list")).json()["results"]

    fast = [(row["organization"], row["requests"], row["cost"]) for row in rows if row["model"] == "fast"]
    assert fast == [(org_a.slug, 1, "0.010000")], f"organization B's calls and spend on the global model reach A's staff"


@pytest.mark.django_db
def test_a_bot_named_like_another_organizations_renamed_bot_does_not_inherit_its_llm_statistics(org_a, org_b):
    # B's bot makes a call of $3.25, then B renames it: its old name is free, and A takes it
    theirs = factories.BotFactory(name="b-old", organization=org_b)
    their_model = LLMModelFactory(alias="default", bot=theirs)
    performance_record(call_id=LLMCallFactory(model=their_model, model_key=their_model.key, bot=theirs,
                                              cost=Decimal("3.250000"), tokens_in=900).pk)
    theirs.name = "b-new"
    theirs.save()
    staff = factories.UserFactory(username="a-ops", is_staff=True)
    mine = factories.BotFactory(name="b-old", organization=org_a)
    BotAccess.objects.create(bot=mine, user=staff)
    my_model = LLMModelFactory(alias="default", bot=mine)
    performance_record(call_id=LLMCallFactory(model=my_model, model_key=my_model.key, bot=mine,
                                              cost=Decimal("0.010000"), tokens_in=10).pk)
    client = Client()
    client.force_login(staff)

    rows = client.get(reverse("llm-performance-list")).json()["results"]

    assert [(r["model"], r["requests"], r["tokens_in"], r["cost"]) for r in rows] == [
        ("b-old:default", 1, 10, "0.010000")], f"organization B's statistics reach A's staff: {rows}"


@pytest.mark.django_db(transaction=True)
def test_the_dashboard_socket_starts_sending_a_bot_granted_while_it_is_open(contractor, org_a):
    """The check that stops a withdrawn grant also joins a new one: no reload needed."""
    late = factories.BotFactory(name="a-late", organization=org_a)
    run, b_run = running(late), running(contractor.b_bot)

    async def scenario():
        communicator = socket("/ws/workflows/", await database_sync_to_async(session_cookie)(contractor))
        await communicator.connect()
        hello = await communicator.receive_json_from(timeout=5)
        await database_sync_to_async(factories.BotAccessFactory)(user=contractor, bot=late)
        # the first message after the grant (a change of a bot it already had) makes the socket
        # check again and join the new bot's group
        await database_sync_to_async(change_status)(b_run, ExecutionStatus.COMPLETED)
        first = await communicator.receive_json_from(timeout=5)
        await database_sync_to_async(change_status)(run, ExecutionStatus.FAILED)
        second = await communicator.receive_json_from(timeout=5)
        await communicator.disconnect()
        return hello, first, second

    hello, first, second = async_to_sync(scenario)()

    assert "a-late" not in hello["bots"]
    assert first["data"]["id"] != str(run.pk)
    assert (second["data"]["id"], second["data"]["status"]) == (str(run.pk), "failed")


@pytest.mark.django_db(transaction=True)
def test_a_socket_of_a_user_deactivated_while_it_is_open_closes(contractor):
    run = running(contractor.a_bot)

    def deactivate():
        contractor.is_active = False
        contractor.save(update_fields=["is_active"])

    async def scenario():
        communicator = socket("/ws/workflows/", await database_sync_to_async(session_cookie)(contractor))
        await communicator.connect()
        await communicator.receive_json_from(timeout=5)
        await database_sync_to_async(deactivate)()
        await database_sync_to_async(change_status)(run, ExecutionStatus.FAILED)
        output = await communicator.receive_output(timeout=5)
        await communicator.disconnect()
        return output

    output = async_to_sync(scenario)()

    assert output == {"type": "websocket.close", "code": 4401}
