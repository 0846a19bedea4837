"""Tenant isolation of what scripts name (issue 13): bots named by BOT steps, PARALLEL branches,
DELEGATE and BOT SHARE / SYNC MEMORY resolve inside the run's organization only (at start and
while the run goes), TALK TO reaches only the chats of the run's own bot, and published events
are attributed to the user they were published for."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from generalbots.bots.models import Message
from generalbots.core.exceptions import ApplicationError
from memory.models import BotMemory, BotSharedMemory, LiveShare, MemoryVersion
from tests import factories
from tests.workflows.engine_helpers import drive, make_bot
from workflows.choices import ExecutionStatus
from workflows.models import WorkflowEvent, WorkflowExecution
from workflows.services import execution_start

pytestmark = pytest.mark.django_db

# A's bot: what a run of it would leak (its memory into the caller's variables) and write.
SECRET = 'SET BOT MEMORY "touched", "by " + input\nleak = GET BOT MEMORY "plans"\nTALK "plans: " + leak\n'

# Each way a script names a bot, with A's bot written literally.
NAMED = {
    "step-bot": 'ORCHESTRATE WORKFLOW "peek"\nSTEP 1: BOT "a-secret" "peek"\nTALK leak\nEND WORKFLOW\n',
    "parallel-bot": ('STEP 1: PARALLEL\n  BRANCH A\n    x = 1\n  END BRANCH\n  BRANCH B\n'
                     '    BOT "a-secret" "peek"\n  END BRANCH\nEND PARALLEL\n'),
    "delegate": 'answer = DELEGATE "peek" TO BOT "a-secret"\nTALK answer\n',
    "share-memory": 'SET BOT MEMORY "plans", "from B"\nBOT SHARE MEMORY "plans" WITH "a-secret" LIVE\n',
    "sync-memory": 'BOT SYNC MEMORY FROM "a-secret"\nTALK GET BOT MEMORY "plans"\n',
}

# The same, with the name computed while the run goes, and the error the run fails with (the
# line of the statement; a branch's failure is reported on the PARALLEL step, with its own line).
AT = "b-flow.gbdialog/start.bas"
COMPUTED = {
    "step-bot": ('b = "a-" + "secret"\nSTEP 1: BOT "${b}" "peek"\nTALK leak\n',
                 f"{AT}:2: BOT: No bot named 'a-secret'."),
    "parallel-bot": ('b = "a-" + "secret"\nSTEP 1: PARALLEL\n  BRANCH A\n    x = 1\n  END BRANCH\n'
                     '  BRANCH B\n    BOT "${b}" "peek"\n  END BRANCH\nEND PARALLEL\n',
                     f"{AT}:2: branch B failed: {AT}:7: BOT: No bot named 'a-secret'."),
    "delegate": ('b = "a-" + "secret"\nanswer = DELEGATE "peek" TO BOT b\nTALK answer\n',
                 f"{AT}:2: DELEGATE: No bot named 'a-secret'."),
    "share-memory": ('b = "a-" + "secret"\nSET BOT MEMORY "plans", "from B"\n'
                     'BOT SHARE MEMORY "plans" WITH "${b}" LIVE\n',
                     f"{AT}:3: BOT SHARE MEMORY: No bot named 'a-secret'."),
    "sync-memory": ('b = "a-" + "secret"\nBOT SYNC MEMORY FROM "${b}"\nTALK GET BOT MEMORY "plans"\n',
                    f"{AT}:2: BOT SYNC MEMORY: No bot named 'a-secret'."),
}


@pytest.fixture
def secret(org_a):
    """Org A's bot ``a-secret`` with a memory B must never read."""
    bot = make_bot("a-secret", SECRET, organization=org_a)
    factories.BotMemoryFactory(bot=bot, key="plans", value="A's plans")
    return bot


def memory(bot) -> dict:
    return dict(BotMemory.objects.filter(bot=bot).values_list("key", "value"))


def assert_untouched(secret) -> None:
    """Nothing of B's reached A's bot: no run of it, its memory as it was, nothing shared."""
    assert memory(secret) == {"plans": "A's plans"}
    assert not MemoryVersion.objects.filter(bot=secret).exists()
    assert not WorkflowExecution.objects.filter(bot=secret).exists()
    assert not BotSharedMemory.objects.exclude(source_bot=secret).exists()
    assert not LiveShare.objects.exists()


def plant_share(secret, target) -> None:
    """A staged share from A's bot to ``target`` (what SYNC would copy if it found the bot)."""
    BotSharedMemory.objects.create(source_bot=secret, target_bot=target, memory_key="plans", memory_value="A's plans")


# --------------------------------------------------------------------------- at start

@pytest.mark.parametrize("source", NAMED.values(), ids=NAMED)
def test_a_workflow_naming_a_bot_of_another_organization_is_refused_at_start_as_unknown(source, org_b, secret):
    flow = make_bot("b-flow", source, organization=org_b)
    plant_share(secret, flow)
    ghost = make_bot("b-ghost-flow", source.replace("a-secret", "no-such-bot"), organization=org_b)

    with pytest.raises(ApplicationError) as refused:
        execution_start(bot=flow)
    with pytest.raises(ApplicationError) as nobody:
        execution_start(bot=ghost)

    assert refused.value.code == "workflows.unknown_bot"
    assert refused.value.message == "The workflow names unknown bot: a-secret."
    # exactly what a bot that does not exist gets: nothing tells that a-secret exists elsewhere
    assert (refused.value.code, refused.value.message.replace("a-secret", "no-such-bot"),
            {"bots": ["no-such-bot"]}) == (nobody.value.code, nobody.value.message, nobody.value.extra)
    assert not WorkflowExecution.objects.exists()
    assert memory(flow) == {}
    assert_untouched(secret)


def test_the_start_api_answers_another_organizations_bot_like_a_bot_that_does_not_exist(api, org_b, secret):
    operator = factories.UserFactory(username="bea")
    for name, target in (("b-flow", "a-secret"), ("b-ghost-flow", "no-such-bot")):
        bot = make_bot(name, f'STEP 1: BOT "{target}" "peek"\n', organization=org_b)
        factories.BotAccessFactory(user=operator, bot=bot, can_operate=True)
    client = api(operator)

    refused = client.post("/api/workflows/", {"bot": "b-flow"}, format="json")
    nobody = client.post("/api/workflows/", {"bot": "b-ghost-flow"}, format="json")

    assert refused.status_code == nobody.status_code == 400
    assert refused.json()["error"]["message"] == "The workflow names unknown bot: a-secret."
    assert refused.content.decode().replace("a-secret", "no-such-bot") == nobody.content.decode()
    assert_untouched(secret)


def test_a_bot_called_by_a_bot_of_the_organization_is_checked_in_that_organization_too(org_b, secret):
    make_bot("b-middle", 'STEP 1: BOT "a-secret" "peek"\n', organization=org_b)
    flow = make_bot("b-flow", 'STEP 1: BOT "b-middle" "go"\n', organization=org_b)

    with pytest.raises(ApplicationError, match=r"unknown bot: a-secret\.$"):
        execution_start(bot=flow)

    assert_untouched(secret)


def test_the_same_script_version_is_checked_in_each_organization_it_starts_in(org_a, org_b, secret):
    # one source, so one entry of the per-process cache of a script version's bot names
    source = NAMED["step-bot"]
    own = make_bot("a-flow", source, organization=org_a)
    flow = make_bot("b-flow", source, organization=org_b)

    started = drive(execution_start(bot=own))
    with pytest.raises(ApplicationError, match="unknown bot: a-secret"):
        execution_start(bot=flow)

    assert started.status == ExecutionStatus.COMPLETED and started.output == ["A's plans"]
    assert not WorkflowExecution.objects.filter(bot=flow).exists()


def test_the_same_statements_with_bots_of_the_organization_itself_work(org_b):
    helper = make_bot("b-helper", SECRET, organization=org_b)
    factories.BotMemoryFactory(bot=helper, key="plans", value="B's plans")
    make_bot("b-peer", 'x = 1\n', organization=org_b)
    flow = make_bot("b-flow", 'ORCHESTRATE WORKFLOW "own"\n'
                              'STEP 1: BOT "b-helper" "step"\n'
                              'STEP 2: PARALLEL\n  BRANCH A\n    x = 1\n  END BRANCH\n'
                              '  BRANCH B\n    BOT "b-helper" "branch"\n  END BRANCH\nEND PARALLEL\n'
                              'answer = DELEGATE "delegate" TO BOT "b-helper"\n'
                              'SET BOT MEMORY "note", "from the flow"\n'
                              'BOT SHARE MEMORY "note" WITH "b-peer"\n'
                              'BOT SYNC MEMORY FROM "b-helper"\n'
                              'TALK leak + " / " + answer\n'
                              'END WORKFLOW\n', organization=org_b)
    BotSharedMemory.objects.create(source_bot=helper, target_bot=flow, memory_key="synced", memory_value=1)

    run = drive(execution_start(bot=flow))

    assert run.status == ExecutionStatus.COMPLETED, run.error
    assert run.output == ["B's plans / plans: B's plans"]
    assert memory(helper) == {"plans": "B's plans", "touched": "by delegate"}
    assert memory(flow) == {"note": "from the flow", "synced": 1}
    assert BotSharedMemory.objects.filter(source_bot=flow, target_bot__name="b-peer", memory_key="note").exists()
    assert WorkflowExecution.objects.filter(root=run, bot=helper).count() == 3  # step, branch, DELEGATE


# --------------------------------------------------------------------------- while the run goes

@pytest.mark.parametrize(("source", "error"), COMPUTED.values(), ids=COMPUTED)
def test_a_name_computed_at_run_time_is_refused_then_naming_the_line(source, error, org_b, secret):
    flow = make_bot("b-flow", source, organization=org_b)
    plant_share(secret, flow)
    ghost = make_bot("b-ghost-flow", source.replace('"a-" + "secret"', '"no-such-" + "bot"'), organization=org_b)

    run = drive(execution_start(bot=flow))
    nobody = drive(execution_start(bot=ghost))

    assert run.status == ExecutionStatus.FAILED
    assert run.error == error
    assert run.error.replace("a-secret", "no-such-bot").replace("b-flow", "b-ghost-flow") == nobody.error
    assert memory(flow) == ({"plans": "from B"} if "SHARE" in source else {})
    assert_untouched(secret)


def test_talk_to_reaches_only_the_chats_of_the_runs_own_bot(org_a, org_b, secret):
    alice = factories.UserFactory(username="alice", email="alice@a.example")
    chat = factories.ConversationFactory(bot=secret, user=alice, run=None)
    flow = make_bot("b-flow", 'TALK TO "alice", "Send me your plans"\n', organization=org_b)
    by_key = make_bot("b-flow-key", f'TALK TO "user:{alice.pk}", "Send me your plans"\n', organization=org_b)

    runs = [drive(execution_start(bot=flow)), drive(execution_start(bot=by_key))]

    assert [r.status for r in runs] == [ExecutionStatus.FAILED, ExecutionStatus.FAILED]
    assert runs[0].error == "b-flow.gbdialog/start.bas:1: TALK TO: nobody called 'alice' has talked with bot b-flow"
    assert runs[1].error.endswith(f"TALK TO: nobody called 'user:{alice.pk}' has talked with bot b-flow-key")
    assert not Message.objects.filter(conversation=chat).exists()


# --------------------------------------------------------------------------- events

def test_what_a_chat_users_script_publishes_is_attributed_to_that_user(org_b):
    ana = factories.UserFactory(username="ana")
    bot = make_bot("b-desk", 'PUBLISH EVENT "ticket_opened" WITH {"topic": "printer"}\nTALK "Ticket opened."\n'
                             'HEAR more\n', organization=org_b)
    factories.BotAccessFactory(user=ana, bot=bot, can_operate=False)
    client = APIClient()
    client.force_authenticate(ana)

    reply = client.post("/api/bots/b-desk/messages", {"text": "my printer is broken"}, format="json")

    assert reply.status_code == 200 and [m["text"] for m in reply.json()["replies"]] == ["Ticket opened."]
    event = WorkflowEvent.objects.get()
    assert (event.event_name, event.organization, event.source_bot, event.published_by) == (
        "ticket_opened", org_b, bot, ana)


def test_an_event_published_by_a_workflow_is_attributed_to_the_user_who_started_it(org_b):
    olga = factories.UserFactory(username="olga")
    make_bot("b-notifier", 'PUBLISH EVENT "step_done" WITH {"by": "child"}\n', organization=org_b)
    flow = make_bot("b-flow", 'PUBLISH EVENT "flow_started"\nSTEP 1: BOT "b-notifier" "go"\n', organization=org_b)

    run = drive(execution_start(bot=flow, started_by=olga))
    unattended = drive(execution_start(bot=flow))

    assert run.status == unattended.status == ExecutionStatus.COMPLETED
    rows = list(WorkflowEvent.objects.order_by("id").values_list("event_name", "source_bot__name",
                                                                 "published_by__username"))
    assert rows == [("flow_started", "b-flow", "olga"), ("step_done", "b-notifier", "olga"),
                    ("flow_started", "b-flow", None), ("step_done", "b-notifier", None)]


def test_events_published_over_the_api_are_attributed_to_the_api_user_and_shown(api, org_b,
                                                                               django_assert_max_num_queries):
    operator = factories.UserFactory(username="oscar")
    factories.BotAccessFactory(user=operator, bot=factories.BotFactory(organization=org_b), can_operate=True)
    client = api(operator)
    for n in range(3):
        assert client.post("/api/events/", {"name": f"batch.{n}"}, format="json").status_code == 201

    with django_assert_max_num_queries(8):
        listed = client.get("/api/events/")

    assert [e["published_by"] for e in listed.json()["results"]] == ["oscar", "oscar", "oscar"]
    assert set(WorkflowEvent.objects.values_list("published_by__username", flat=True)) == {"oscar"}


def test_the_admin_shows_who_published_each_event_and_records_its_own_test_events(admin_client, admin_user, org_b,
                                                                                  django_assert_max_num_queries):
    chat_user = factories.UserFactory(username="carla")
    rows = [factories.WorkflowEventFactory(workflow=None, source_bot=None, organization=org_b, published_by=chat_user)
            for _ in range(3)]
    changelist = reverse("admin:workflows_workflowevent_changelist")

    with django_assert_max_num_queries(10):
        page = admin_client.get(changelist)
    published = admin_client.post(changelist, {"action": "publish_test_event", "_selected_action": [rows[0].pk],
                                               "publish": "1", "organization": org_b.pk, "name": "from.admin",
                                               "data": "{}"}, follow=True)

    assert page.status_code == 200 and page.content.decode().count(">carla<") == 3
    assert published.status_code == 200 and b"Published from.admin" in published.content
    assert WorkflowEvent.objects.get(event_name="from.admin").published_by == admin_user
