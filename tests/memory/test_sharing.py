"""BOT SHARE / SYNC MEMORY between bots inside running scripts: organizations, memory-accept-from,
LIVE, ordering with the script and the version history."""

import pytest

from generalbots.bots.choices import Channel
from generalbots.bots.services import conversation_get_or_create
from workflows.conversations import conversation_start
from memory import selectors, services
from memory.choices import MemorySource
from memory.models import BotMemory, BotSharedMemory, LiveShare, MemoryVersion
from tests import factories
from tests.memory.conftest import make_bot, run_script
from workflows.choices import ExecutionStatus

pytestmark = pytest.mark.django_db


def memory(bot) -> dict:
    return dict(BotMemory.objects.filter(bot=bot).values_list("key", "value"))


def chat(bot, user, start: str) -> list[str]:
    """The bot's start.bas through the conversation service; the texts it said."""
    factories.BotScriptFactory(bot=bot, name="start", source=start, problems=[])
    conversation = conversation_get_or_create(bot=bot, user=user, channel=Channel.API)
    return [m.text for m in conversation_start(conversation=conversation).replies]


def test_three_bots_share_and_sync_in_their_conversations(org, user):
    a, b, c = make_bot("bot-a", org), make_bot("bot-b", org), make_bot("bot-c", org)

    chat(a, user, 'SET BOT MEMORY "best_reply", "Restart the router"\n'
                  'SET BOT MEMORY "tone" AS "friendly"\n'
                  'BOT SHARE MEMORY "best_reply" WITH "bot-b"\n'
                  'BOT SHARE MEMORY "tone" WITH "bot-b"\n'
                  'BOT SHARE MEMORY "best_reply" WITH "bot-c"\n')
    assert memory(b) == {} and memory(c) == {}  # shared, not yet synced
    said_c = chat(c, user, 'BOT SYNC MEMORY FROM "bot-a"\n'
                           'TALK GET BOT MEMORY "best_reply"\n'
                           'SET BOT MEMORY "best_reply", "Check the cable first"\n'
                           'BOT SHARE MEMORY "best_reply" WITH "bot-b"\n')
    said_b = chat(b, user, 'BOT SYNC MEMORY FROM "bot-a"\n'
                           'reply = GET BOT MEMORY("best_reply")\n'
                           'tone = GET BOT MEMORY "tone"\n'
                           'TALK reply + " / " + tone\n'
                           'BOT SYNC MEMORY FROM "bot-c"\n'
                           'TALK GET BOT MEMORY("best_reply")\n')

    assert said_c == ["Restart the router"]
    assert said_b == ["Restart the router / friendly", "Check the cable first"]
    assert memory(b) == {"best_reply": "Check the cable first", "tone": "friendly"}
    assert memory(a) == {"best_reply": "Restart the router", "tone": "friendly"}
    share = BotSharedMemory.objects.get(source_bot=a, target_bot=b, memory_key="tone")
    assert share.shared_by_run.bot == a and share.shared_by_run.workflow_name == "start"


def test_three_bots_share_and_sync_inside_a_running_workflow(org):
    from tests.workflows.engine_helpers import drive
    from workflows.services import execution_start

    a, b, c = make_bot("bot-a", org), make_bot("bot-b", org), make_bot("bot-c", org)
    flow = make_bot("desk-flow", org)
    for bot, source in [
        (a, 'SET BOT MEMORY "best_reply", "Restart the router"\n'
            'BOT SHARE MEMORY "best_reply" WITH "bot-b"\n'
            'BOT SHARE MEMORY "best_reply" WITH "bot-c"\n'),
        (c, 'BOT SYNC MEMORY FROM "bot-a"\n'
            'seen_by_c = GET BOT MEMORY "best_reply"\n'
            'SET BOT MEMORY "best_reply", seen_by_c + ", then check the cable"\n'
            'BOT SHARE MEMORY "best_reply" WITH "bot-b"\n'),
        (b, 'BOT SYNC MEMORY FROM "bot-a"\n'
            'first = GET BOT MEMORY "best_reply"\n'
            'BOT SYNC MEMORY FROM "bot-c"\n'
            'final = GET BOT MEMORY "best_reply"\n'),
        (flow, 'ORCHESTRATE WORKFLOW "knowledge-sync"\n'
               'STEP 1: BOT "bot-a" "learn"\n'
               'STEP 2: BOT "bot-c" "refine"\n'
               'STEP 3: BOT "bot-b" "answer"\n'
               'TALK seen_by_c + " | " + first + " | " + final\n'
               'END WORKFLOW\n'),
    ]:
        factories.BotScriptFactory(bot=bot, name="start", source=source, problems=[])

    run = drive(execution_start(bot=flow))

    assert run.status == ExecutionStatus.COMPLETED, run.error
    assert run.output == ["Restart the router | Restart the router | Restart the router, then check the cable"]
    assert memory(b) == {"best_reply": "Restart the router, then check the cable"}
    assert memory(c) == {"best_reply": "Restart the router, then check the cable"}
    assert memory(a) == {"best_reply": "Restart the router"}
    children = {child.bot.name: child for child in run.children.all()}
    versions = list(MemoryVersion.objects.filter(bot=b).order_by("id").values_list("source", "source_bot__name", "run"))
    assert versions == [(MemorySource.SYNC, "bot-a", children["bot-b"].pk), (MemorySource.SYNC, "bot-c", children["bot-b"].pk)]
    share = BotSharedMemory.objects.get(source_bot=c, target_bot=b, memory_key="best_reply")
    assert share.shared_by_run == children["bot-c"] and share.shared_by_run.root_id == run.pk


def test_a_share_copies_the_value_at_that_point_of_the_script(org, user):
    a, b = make_bot("bot-a", org), make_bot("bot-b", org)

    run_script(a, 'SET BOT MEMORY "n", 1\nBOT SHARE MEMORY "n" WITH "bot-b"\nSET BOT MEMORY "n", 2\n', user=user)
    said, _ = run_script(b, 'BOT SYNC MEMORY FROM "bot-a"\nTALK GET BOT MEMORY("n")\n', user=user)

    assert said == ["1"]
    assert memory(a) == {"n": 2}


def test_a_share_with_a_bot_of_another_organization_is_refused_as_an_unknown_bot(org, user):
    a = make_bot("bot-a", org)
    make_bot("outsider", factories.OrganizationFactory(name="Other Corp"))

    said, run = run_script(a, 'SET BOT MEMORY "k", "v"\nTALK "before"\nBOT SHARE MEMORY "k" WITH "outsider"\n'
                              'TALK "after"\n', user=user)

    assert said == ["before"]
    assert run.status == ExecutionStatus.FAILED
    assert run.error.endswith(":3: BOT SHARE MEMORY: No bot named 'outsider'.")  # as if it did not exist
    assert not BotSharedMemory.objects.exists()


def test_a_sync_from_another_organization_is_refused(org, user):
    a = make_bot("bot-a", org)
    outsider = make_bot("outsider", factories.OrganizationFactory(name="Other Corp"))
    BotSharedMemory.objects.create(source_bot=outsider, target_bot=a, memory_key="k", memory_value="planted")

    _, run = run_script(a, 'BOT SYNC MEMORY FROM "outsider"\n', user=user)

    assert run.status == ExecutionStatus.FAILED and "outsider" in run.error and "bot-a" in run.error
    assert memory(a) == {}


def test_an_unknown_target_bot_is_named(org, user):
    a = make_bot("bot-a", org)

    _, run = run_script(a, 'SET BOT MEMORY "k", 1\nBOT SHARE MEMORY "k" WITH "nobody"\n', user=user)

    assert run.status == ExecutionStatus.FAILED and "No bot named 'nobody'" in run.error


def test_sharing_a_key_the_bot_does_not_have_is_an_error(org, user):
    a = make_bot("bot-a", org)
    make_bot("bot-b", org)

    _, run = run_script(a, 'BOT SHARE MEMORY "ghost" WITH "bot-b"\n', user=user)

    assert run.status == ExecutionStatus.FAILED and "has no memory 'ghost'" in run.error


def test_memory_accept_from_limits_who_may_share(org, user):
    a, c = make_bot("bot-a", org), make_bot("bot-c", org)
    b = make_bot("bot-b", org, **{"memory-accept-from": "bot-c, master"})

    _, refused = run_script(a, 'SET BOT MEMORY "k", "from a"\nBOT SHARE MEMORY "k" WITH "bot-b"\n', user=user)
    _, accepted = run_script(c, 'SET BOT MEMORY "k", "from c"\nBOT SHARE MEMORY "k" WITH "bot-b"\n', user=user)

    assert refused.status == ExecutionStatus.FAILED
    assert "bot-b does not accept memory from bot bot-a" in refused.error
    assert accepted.status == ExecutionStatus.COMPLETED
    assert list(BotSharedMemory.objects.filter(target_bot=b).values_list("source_bot__name", "memory_value")) == [
        ("bot-c", "from c")]


def test_live_share_keeps_the_target_updated_on_every_write(org, user, admin_user):
    a, b = make_bot("bot-a", org), make_bot("bot-b", org)

    _, run = run_script(a, 'SET BOT MEMORY "price", 10\nBOT SHARE MEMORY "price" WITH "bot-b" LIVE\n'
                           'SET BOT MEMORY "price", 12\n', user=user)
    assert memory(b) == {"price": 12}  # no SYNC needed
    services.bot_memory_set(bot=a, key="price", value=15, source=MemorySource.API, user=admin_user)
    services.bot_memory_set(bot=a, key="other", value=1)  # not shared

    assert memory(b) == {"price": 15}
    assert LiveShare.objects.get(source_bot=a, target_bot=b).created_by_run == run
    assert BotSharedMemory.objects.get(source_bot=a, target_bot=b).memory_value == 15
    history = list(selectors.memory_versions(bot=b, key="price").values_list("value", "source", "source_bot__name"))
    assert history == [(15, "live", "bot-a"), (12, "live", "bot-a"), (10, "live", "bot-a")]


def test_live_shares_in_a_cycle_stop_after_one_round(org, user):
    a, b = make_bot("bot-a", org), make_bot("bot-b", org)
    services.bot_memory_set(bot=a, key="k", value=0)
    services.memory_share(source_bot=a, target=b, key="k", live=True)
    services.memory_share(source_bot=b, target=a, key="k", live=True)

    services.bot_memory_set(bot=b, key="k", value=7)

    assert memory(a) == {"k": 7} and memory(b) == {"k": 7}
    assert MemoryVersion.objects.filter(bot=a, key="k", value=7).count() == 1


def test_every_write_is_a_version_with_its_source_run_and_user(org, user, admin_user):
    a, b = make_bot("bot-a", org), make_bot("bot-b", org)
    _, first = run_script(a, 'SET BOT MEMORY "plan", "basic"\n', user=user)
    services.bot_memory_set(bot=a, key="plan", value="pro", source=MemorySource.ADMIN, user=admin_user)
    services.memory_share(source_bot=a, target=b, key="plan")
    _, sync = run_script(b, 'BOT SYNC MEMORY FROM "bot-a"\n', user=user)
    services.bot_memory_delete(bot=a, key="plan", source=MemorySource.API, user=admin_user)

    history_a = list(selectors.memory_versions(bot=a, key="plan"))
    history_b = list(selectors.memory_versions(bot=b, key="plan"))

    assert [(v.value, v.source, v.deleted, v.run, v.user) for v in history_a] == [
        (None, "api", True, None, admin_user), ("pro", "admin", False, None, admin_user),
        ("basic", "script", False, first, None)]
    assert [(v.value, v.source, v.source_bot, v.run) for v in history_b] == [("pro", "sync", a, sync)]


def test_a_sync_of_many_keys_writes_each_one_with_a_version(org):
    a, b = make_bot("bot-a", org), make_bot("bot-b", org)
    for i in range(50):
        services.bot_memory_set(bot=a, key=f"k{i}", value=i)
        services.memory_share(source_bot=a, target=b, key=f"k{i}")

    assert services.memory_sync(bot=b, source="bot-a") == 50

    assert memory(b) == {f"k{i}": i for i in range(50)}
    assert MemoryVersion.objects.filter(bot=b, source="sync").count() == 50
