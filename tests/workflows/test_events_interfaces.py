"""Publishing and reading events over the API, the admin, the dashboard's event log and its
websocket: authentication, organizations, clear errors, query counts."""

import json

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from django.urls import reverse

from tests import factories
from tests.workflows.engine_helpers import make_bot
from tests.workflows.test_dashboard import session_cookie, socket
from workflows import engine, events
from workflows.choices import ExecutionStatus
from workflows.models import WorkflowEvent, WorkflowEventConsumption
from workflows.services import execution_start

EVENTS = "/api/events/"
ADMIN_EVENTS = reverse("admin:workflows_workflowevent_changelist")


def event(bot, name="payment_confirmed", **data):
    return events.event_publish(organization=bot.organization, name=name, data=data, source_bot=bot)


# --------------------------------------------------------------------------- API

@pytest.mark.django_db
def test_the_api_needs_authentication(client):
    assert client.get(EVENTS).status_code in (401, 403)
    assert client.post(EVENTS, {"name": "x"}, content_type="application/json").status_code in (401, 403)


@pytest.mark.django_db
def test_publishing_over_the_api_stores_the_event_and_wakes_the_waiting_run(api, operator):
    bot = make_bot("refund-waiter", 'd = WAIT FOR EVENT "payment_confirmed" TIMEOUT 60\nTALK d.order\n',
                   organization=operator.bot_access.get().bot.organization)
    run = execution_start(bot=bot)
    engine.slice_run(run.pk)

    response = api(operator).post(EVENTS, {"name": "payment_confirmed", "data": {"order": "A-7"}}, format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["name"] == "payment_confirmed" and body["data"] == {"order": "A-7"}
    assert body["organization"] == bot.organization.slug and body["source_bot"] is None
    assert events.waiter_ids(organization_id=bot.organization_id, name="payment_confirmed", data={}) == [run.pk]
    engine.slice_run(run.pk)
    run.refresh_from_db()
    assert run.status == ExecutionStatus.COMPLETED and run.output == ["A-7"]


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["two words", "x" * 101, "", "a/b"])
def test_a_bad_name_gets_a_400_naming_the_problem(api, operator, name):
    response = api(operator).post(EVENTS, {"name": name}, format="json")

    assert response.status_code == 400
    assert "name" in json.dumps(response.json())
    assert not WorkflowEvent.objects.exists()


@pytest.mark.django_db
def test_publishing_needs_an_operator_grant_in_the_organization(api):
    reader = factories.UserFactory(username="rita")
    factories.BotAccessFactory(user=reader, bot=factories.BotFactory(name="watched"), can_operate=False)
    other = factories.OrganizationFactory(slug="elsewhere")

    assert api(reader).post(EVENTS, {"name": "go"}, format="json").status_code == 404
    response = api(reader).post(EVENTS, {"name": "go", "organization": other.slug}, format="json")
    assert response.status_code == 404 and "elsewhere" in json.dumps(response.json())


@pytest.mark.django_db
def test_the_list_shows_only_events_of_visible_organizations_filtered(api, operator, django_assert_max_num_queries):
    mine = operator.bot_access.get().bot
    hidden = factories.BotFactory(name="hidden", organization=factories.OrganizationFactory(slug="hidden-org"))
    for n in range(5):
        event(mine, "tick", n=n)
    event(mine, "other")
    event(hidden, "tick", n=99)

    with django_assert_max_num_queries(8):
        response = api(operator).get(EVENTS, {"name": "tick", "bot": "refunds"})

    assert response.status_code == 200
    assert [e["data"]["n"] for e in response.json()["results"]] == [4, 3, 2, 1, 0]
    assert api(operator).get(EVENTS, {"organization": "hidden-org"}).json()["results"] == []


@pytest.mark.django_db
def test_a_superuser_publishes_into_a_named_organization(api, admin_user):
    org = factories.OrganizationFactory(slug="acme")

    response = api(admin_user).post(EVENTS, {"name": "go", "organization": "acme"}, format="json")

    assert response.status_code == 201
    assert WorkflowEvent.objects.get().organization == org


# --------------------------------------------------------------------------- admin

@pytest.mark.django_db
def test_the_events_changelist_filters_within_the_query_limit(admin_client, django_assert_max_num_queries):
    bot = factories.BotFactory(name="pub")
    for n in range(20):
        event(bot, "tick", n=n)

    with django_assert_max_num_queries(10):
        response = admin_client.get(ADMIN_EVENTS, {"organization__id__exact": str(bot.organization_id)})

    assert response.status_code == 200 and response.content.count(b"tick") >= 20


@pytest.mark.django_db
def test_an_event_page_shows_who_consumed_it(admin_client, django_assert_max_num_queries):
    bot = make_bot("waiter", 'd = WAIT FOR EVENT "tick" TIMEOUT 60\n')
    runs = [execution_start(bot=bot) for _ in range(3)]
    published = event(bot, "tick")
    for run in runs:
        engine.slice_run(run.pk)

    with django_assert_max_num_queries(20):
        response = admin_client.get(reverse("admin:workflows_workflowevent_change", args=[published.pk]))

    assert response.status_code == 200
    assert WorkflowEventConsumption.objects.filter(event=published).count() == 3
    assert response.content.count(b"WAIT FOR EVENT") >= 3


@pytest.mark.django_db
def test_the_admin_publishes_a_test_event_through_an_intermediate_form(admin_client):
    bot = factories.BotFactory(name="pub")
    template = event(bot, "order.paid", order=1)
    post = {"action": "publish_test_event", "_selected_action": [template.pk]}

    form = admin_client.post(ADMIN_EVENTS, post)
    assert form.status_code == 200 and b"order.paid" in form.content
    assert WorkflowEvent.objects.count() == 1

    bad = admin_client.post(ADMIN_EVENTS, {**post, "publish": "1", "organization": bot.organization_id,
                                           "name": "no spaces please", "data": "{}"})
    assert bad.status_code == 200 and b"Not an event name" in bad.content
    done = admin_client.post(ADMIN_EVENTS, {**post, "publish": "1", "organization": bot.organization_id,
                                            "name": "order.paid", "data": '{"order": 2}'}, follow=True)
    assert done.status_code == 200 and b"Published order.paid" in done.content
    assert WorkflowEvent.objects.order_by("id").last().event_data == {"order": 2}


# --------------------------------------------------------------------------- event log

@pytest.mark.django_db
def test_the_event_log_page_lists_filtered_events(client, operator, django_assert_max_num_queries):
    client.force_login(operator)
    mine = operator.bot_access.get().bot
    event(mine, "tick", n=1)
    event(mine, "tock", n=2)

    with django_assert_max_num_queries(8):
        response = client.get("/dashboard/events/", {"name": "tick"})

    assert response.status_code == 200
    assert b"tick" in response.content and b"tock" not in response.content
    assert b"/ws/workflows/events/?name=tick" in response.content


@pytest.mark.django_db
def test_a_link_to_an_event_opens_the_page_that_holds_it(client, operator):
    from workflows.views.events import PAGE_SIZE

    client.force_login(operator)
    mine = operator.bot_access.get().bot
    oldest = event(mine, "tick", n=0)
    for n in range(1, PAGE_SIZE + 5):
        event(mine, "tick", n=n)
    hidden = event(factories.BotFactory(name="hidden", organization=factories.OrganizationFactory(slug="hidden-org")),
                   "tick", n=-1)

    linked = client.get("/dashboard/events/", {"name": "tick", "event": oldest.pk})
    first = client.get("/dashboard/events/", {"name": "tick"})
    other = client.get("/dashboard/events/", {"name": "tick", "event": hidden.pk})

    assert f'id="event-{oldest.pk}"'.encode() in linked.content and b"page 2 of 2" in linked.content
    assert f'id="event-{oldest.pk}"'.encode() not in first.content and b"page 1 of 2" in first.content
    assert b"page 1 of 2" in other.content and f'id="event-{hidden.pk}"'.encode() not in other.content


@pytest.mark.django_db(transaction=True)
def test_the_event_log_socket_streams_published_events_matching_its_filters(operator):
    mine = operator.bot_access.get().bot
    hidden = factories.BotFactory(name="hidden", organization=factories.OrganizationFactory(slug="hidden-org"))

    async def scenario():
        communicator = socket("/ws/workflows/events/?name=tick",
                              await database_sync_to_async(session_cookie)(operator))
        connected, _ = await communicator.connect()
        hello = await communicator.receive_json_from(timeout=5)
        await database_sync_to_async(event)(hidden, "tick", n=0)
        await database_sync_to_async(event)(mine, "tock", n=1)
        await database_sync_to_async(event)(mine, "tick", n=2)
        got = await communicator.receive_json_from(timeout=5)
        nothing_else = await communicator.receive_nothing(timeout=0.5)
        await communicator.disconnect()
        return connected, hello, got, nothing_else

    connected, hello, got, nothing_else = async_to_sync(scenario)()

    assert connected and hello["type"] == "hello"
    assert got["type"] == "workflow.event" and got["data"]["name"] == "tick" and got["data"]["data"] == {"n": 2}
    assert nothing_else


@pytest.mark.django_db(transaction=True)
def test_anonymous_event_log_sockets_are_refused():
    async def scenario():
        return await socket("/ws/workflows/events/").connect()

    assert async_to_sync(scenario)() == (False, 4401)
