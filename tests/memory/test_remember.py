"""REMEMBER with expiry, RECALL (exact key, else the nearest text memory in Qdrant local mode),
user and session memory, vectors removed with their rows, and ``gb memory-check``."""

import uuid
from datetime import timedelta
from io import StringIO
from generalbots.basic.host import Effect

import pytest
from django.core.management import call_command
from django.utils import timezone

from generalbots.basic import BasicRuntimeError
from workflows.runtime.keywords.memory import MemoryKeywords
from memory import selectors, services, vectors
from memory.embeddings import OFFLINE_DIMS, Embedder, offline_embed
from memory.exceptions import InvalidMemoryInput
from memory.models import Remembered, SessionVariable, UserMemory
from memory.services.semantic import point_id
from memory.tasks import purge_expired_task
from tests import factories
from tests.memory.conftest import make_bot, run_script
from workflows.choices import ExecutionStatus

pytestmark = pytest.mark.django_db

FACTS = ('REMEMBER "favourite_color", "deep blue, like the ocean"\n'
         'REMEMBER "home_city", "Lisbon, in Portugal"\n'
         'REMEMBER "pet", "a cat named Miso"\n'
         'REMEMBER "order_count", 3\n')


def in_qdrant(row: Remembered) -> bool:
    return bool(vectors.existing_ids(row.vector_collection, [str(row.vector_id)]))


def test_remember_stores_an_expiry_and_recall_reads_it_back(org, user):
    bot = make_bot("keeper", org)
    before = timezone.now()

    said, _ = run_script(bot, 'REMEMBER "code", "A-1234", "30 days"\nTALK RECALL "code"\n', user=user)

    row = Remembered.objects.get(bot=bot, key="code")
    assert said == ["A-1234"]
    assert row.user_key == f"user:{user.pk}"
    assert before + timedelta(days=30) <= row.expires_at <= timezone.now() + timedelta(days=30)


def test_an_expired_memory_reads_as_null_and_the_purge_removes_row_and_vector(org, user):
    bot = make_bot("keeper", org)
    run_script(bot, 'REMEMBER "code", "A-1234", "1 hour"\nREMEMBER "keep", "forever text"\n', user=user)
    code = Remembered.objects.get(key="code")
    assert in_qdrant(code)
    Remembered.objects.filter(pk=code.pk).update(expires_at=timezone.now() - timedelta(seconds=1))  # time passes

    said, _ = run_script(bot, 'x = RECALL "code"\nTALK ISNULL(x)\nTALK RECALL "keep"\n', user=user)
    purged = purge_expired_task()

    assert said == ["true", "forever text"]
    assert purged == 1
    assert list(Remembered.objects.values_list("key", flat=True)) == ["keep"]
    assert not in_qdrant(code)


@pytest.mark.parametrize("text, seconds", [
    ("30 days", 30 * 86400), ("2 hours", 7200), ("1 week", 604800), ("10 minutes", 600), (90, 90), ("45", 45),
    ("1.5 h", 5400),
])
def test_durations_are_read(text, seconds):
    assert services.parse_duration(text) == timedelta(seconds=seconds)


@pytest.mark.parametrize("text", [None, "", "forever"])
def test_no_duration_never_expires(text):
    assert services.parse_duration(text) is None


@pytest.mark.parametrize("text", ["soon", "3 fortnights", "-5", 0])
def test_an_unreadable_duration_is_named(text):
    with pytest.raises(InvalidMemoryInput, match="duration"):
        services.parse_duration(text)


def test_a_bad_duration_fails_the_script_at_its_line(org, user):
    bot = make_bot("keeper", org)

    _, run = run_script(bot, 'TALK "x"\nREMEMBER "k", "v", "whenever"\n', user=user)

    assert run.status == ExecutionStatus.FAILED
    assert ":2:" in run.error and "'whenever'" in run.error


def test_recall_returns_the_nearest_text_memory_when_no_key_matches(org, user):
    bot = make_bot("keeper", org)
    run_script(bot, FACTS, user=user)

    said, _ = run_script(bot, '\n'.join([
        'TALK RECALL "what is my favourite colour?"',
        'TALK RECALL "which city is home"',
        'TALK RECALL "the name of my cat"',
        'TALK RECALL "order_count"',
        'x = RECALL "zebra xylophone quantum"',
        'TALK ISNULL(x)',
    ]) + '\n', user=user)

    assert said == ["deep blue, like the ocean", "Lisbon, in Portugal", "a cat named Miso", "3", "true"]
    assert Remembered.objects.get(key="order_count").vector_id is None  # numbers are not indexed


def test_recall_only_sees_the_users_own_unexpired_memories(org, user):
    bot = make_bot("keeper", org)
    other = factories.UserFactory(username="bob")
    run_script(bot, FACTS, user=user)

    said, _ = run_script(bot, 'x = RECALL "favourite colour"\nTALK ISNULL(x)\n', user=other)

    assert said == ["true"]


def test_nearest_memories_are_ranked_by_score(org, user):
    bot = make_bot("keeper", org)
    run_script(bot, FACTS, user=user)

    found = selectors.remembered_nearest(bot=bot, user_key=f"user:{user.pk}", query="my cat Miso", limit=3)

    assert found[0][0].key == "pet"
    assert [score for _, score in found] == sorted((score for _, score in found), reverse=True)


def test_deleting_a_memory_removes_its_vector_and_leaves_no_orphan(org, user):
    bot = make_bot("keeper", org)
    run_script(bot, FACTS, user=user)
    pet = Remembered.objects.get(key="pet")
    assert in_qdrant(pet)

    services.remembered_delete(remembered=pet)

    assert not in_qdrant(pet)
    assert services.memory_vectors_check().ok
    assert selectors.remembered_recall(bot=bot, user_key=f"user:{user.pk}", query="cat named Miso") is None


def test_a_new_text_value_replaces_the_vector_and_a_non_text_value_removes_it(org, user):
    bot = make_bot("keeper", org)
    key = f"user:{user.pk}"
    services.remembered_set(bot=bot, user_key=key, key="note", value="the garage code is 4411")
    services.remembered_set(bot=bot, user_key=key, key="note", value="meet at the harbour")

    assert selectors.remembered_recall(bot=bot, user_key=key, query="harbour meeting") == "meet at the harbour"
    assert selectors.remembered_recall(bot=bot, user_key=key, query="garage code") is None
    row = services.remembered_set(bot=bot, user_key=key, key="note", value=12)
    assert row.vector_id is None and services.memory_vectors_check().ok


def test_memory_check_finds_planted_orphans_and_fix_repairs_them(org, user):
    bot = make_bot("keeper", org)
    run_script(bot, FACTS, user=user)
    collection = Remembered.objects.get(key="pet").vector_collection
    orphan = str(uuid.uuid4())
    vectors.upsert(collection, orphan, Embedder.local().embed(["nobody owns me"])[0], {"bot": str(bot.pk), "user_key": "x",
                                                                         "key": "gone"})
    lost = factories.RememberedFactory(bot=bot, user_key=f"user:{user.pk}", key="lost", value="an unindexed note")
    out = StringIO()

    with pytest.raises(SystemExit) as exit_info:
        call_command("gb", "memory-check", stdout=out)
    call_command("gb", "memory-check", "--fix", stdout=StringIO())
    after = StringIO()
    call_command("gb", "memory-check", stdout=after)

    assert exit_info.value.code == 1
    assert orphan in out.getvalue() and f"remembered ids {lost.pk}" in out.getvalue()
    assert "every remembered memory has its vector" in after.getvalue()
    lost.refresh_from_db()
    assert in_qdrant(lost) and not vectors.existing_ids(collection, [orphan])


def test_an_embedding_endpoint_from_the_bot_config_is_used(org, user, embedding_server):
    bot = make_bot("keeper", org, **{"embedding-url": embedding_server.url, "embedding-model": "mini-embed",
                                     "embedding-key": "k-123"})
    run_script(bot, FACTS, user=user)

    said, _ = run_script(bot, 'TALK RECALL "favourite colour"\n', user=user)

    assert said == ["deep blue, like the ocean"]
    assert Remembered.objects.get(key="pet").vector_collection == "gb_memory_mini-embed_64"
    assert embedding_server.requests[0]["body"] == {"model": "mini-embed",
                                                    "input": ["favourite_color: deep blue, like the ocean"]}
    assert embedding_server.requests[0]["auth"] == "Bearer k-123"


def test_an_unreachable_embedding_endpoint_is_a_clear_script_error(org, user, closed_port):
    bot = make_bot("keeper", org, **{"embedding-url": f"http://127.0.0.1:{closed_port}/v1"})

    _, run = run_script(bot, 'REMEMBER "k", "some text"\n', user=user)

    assert run.status == ExecutionStatus.FAILED
    assert f"embedding endpoint http://127.0.0.1:{closed_port}/v1/embeddings failed" in run.error


def test_the_offline_embedder_is_deterministic_and_unit_length():
    a, b = offline_embed("Olá, mundo"), offline_embed("ola mundo")

    assert len(a) == OFFLINE_DIMS and a == b
    assert abs(sum(x * x for x in a) - 1.0) < 1e-9
    assert Embedder().collection(OFFLINE_DIMS) == "gb_memory_offline-hash-256_256"


def test_user_and_session_memory_live_in_their_tables(org, user):
    bot = make_bot("keeper", org)

    run_script(bot, 'SET USER MEMORY "lang", "pt"\nSET "session.step", 2\n', user=user)
    said, _ = run_script(bot, 'TALK GET USER MEMORY("lang")\nTALK GET "session.step"\n', user=user)

    assert said == ["pt", "2"]
    assert UserMemory.objects.get(bot=bot).user_key == f"user:{user.pk}"
    assert SessionVariable.objects.get(bot=bot).session_key.startswith("conversation:")


def test_runs_without_a_conversation_key_user_memory_by_who_started_them(org, user):
    bot = make_bot("keeper", org)
    root = factories.WorkflowExecutionFactory(bot=bot, started_by=user)
    child = factories.WorkflowExecutionFactory(bot=bot, root=root, parent=root)
    host = type("Host", (MemoryKeywords,), {})()
    host.bot, host.run, host.conversation = bot, child, None
    ctx = Effect((1, 1), 1)

    host.memory_set(ctx, "user", "lang", "pt")
    host.memory_set(ctx, "session", "step", 3)

    assert UserMemory.objects.get(bot=bot).user_key == f"user:{user.pk}"
    assert SessionVariable.objects.get(bot=bot).session_key == f"run:{root.pk}"
    host.run = factories.WorkflowExecutionFactory(bot=bot)
    with pytest.raises(BasicRuntimeError, match="no user started it"):
        host.memory_get(ctx, "user", "lang")


def test_point_ids_are_stable_for_a_row_identity(org):
    bot = make_bot("keeper", org)
    row = Remembered(bot=bot, user_key="user:1", key="k")

    assert point_id(row) == point_id(Remembered(bot=bot, user_key="user:1", key="k"))
    assert point_id(row) != point_id(Remembered(bot=bot, user_key="user:2", key="k"))
