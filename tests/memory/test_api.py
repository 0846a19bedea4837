"""``/api/bots/<bot>/memory/`` and ``/memory-shares/``: auth, bot access, versions, errors, query counts."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from memory import services
from memory.models import BotMemory, MemoryVersion
from tests import factories
from tests.memory.conftest import make_bot

pytestmark = pytest.mark.django_db


def api(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


@pytest.fixture
def bot(org):
    return make_bot("support", org)


@pytest.fixture
def operator(bot):
    user = factories.UserFactory(username="olga")
    factories.BotAccessFactory(user=user, bot=bot, can_operate=True)
    return user


@pytest.fixture
def watcher(bot):
    user = factories.UserFactory(username="walt")
    factories.BotAccessFactory(user=user, bot=bot, can_operate=False)
    return user


def test_anonymous_requests_are_refused(client, bot):
    assert client.get("/api/bots/support/memory/").status_code in (401, 403)
    assert APIClient().put("/api/bots/support/memory/k", {"value": 1}, format="json").status_code in (401, 403)


def test_put_get_and_delete_one_memory_with_its_history(operator, bot):
    client = api(operator)

    put = client.put("/api/bots/support/memory/greeting", {"value": {"text": "Hi", "n": 2}}, format="json")
    client.put("/api/bots/support/memory/greeting", {"value": "Hello"}, format="json")
    got = client.get("/api/bots/support/memory/greeting")
    deleted = client.delete("/api/bots/support/memory/greeting")

    assert put.status_code == 200 and put.json()["value"] == {"text": "Hi", "n": 2}
    assert got.status_code == 200
    assert got.json()["value"] == "Hello"
    assert [(v["value"], v["source"], v["user"]) for v in got.json()["versions"]] == [
        ("Hello", "api", "olga"), ({"text": "Hi", "n": 2}, "api", "olga")]
    assert deleted.status_code == 204
    assert not BotMemory.objects.filter(bot=bot).exists()
    assert MemoryVersion.objects.filter(bot=bot, deleted=True, user=operator).count() == 1
    assert client.get("/api/bots/support/memory/greeting").status_code == 404


def test_a_put_without_a_value_names_the_field(operator):
    response = api(operator).put("/api/bots/support/memory/k", {"valu": 1}, format="json")

    assert response.status_code == 400
    assert "value" in response.json()["error"]["extra"]["fields"]


def test_a_key_that_is_too_long_is_refused_with_the_limit(operator):
    response = api(operator).put("/api/bots/support/memory/" + "k" * 201, {"value": 1}, format="json")

    assert response.status_code == 400 and "the limit is 200" in response.json()["error"]["message"]


def test_a_read_only_grant_reads_but_cannot_write(watcher, bot):
    services.bot_memory_set(bot=bot, key="k", value=1)
    client = api(watcher)

    assert client.get("/api/bots/support/memory/k").status_code == 200
    assert client.put("/api/bots/support/memory/k", {"value": 2}, format="json").status_code == 403
    assert client.delete("/api/bots/support/memory/k").status_code == 403


def test_a_bot_without_a_grant_is_404_like_a_missing_one(org):
    make_bot("secret", org)
    stranger = factories.UserFactory(username="eve")

    assert api(stranger).get("/api/bots/secret/memory/").status_code == 404
    assert api(stranger).get("/api/bots/nobody/memory/").status_code == 404


def test_a_put_feeds_live_shares(operator, bot, org):
    other = make_bot("followup", org)
    services.bot_memory_set(bot=bot, key="price", value=1)
    services.memory_share(source_bot=bot, target=other, key="price", live=True)

    api(operator).put("/api/bots/support/memory/price", {"value": 9}, format="json")

    assert BotMemory.objects.get(bot=other, key="price").value == 9


def test_the_memory_list_is_paginated_within_a_fixed_number_of_queries(admin_user, bot,
                                                                        django_assert_max_num_queries):
    for i in range(30):
        services.bot_memory_set(bot=bot, key=f"k{i:02}", value=i)

    client = api(admin_user)

    with django_assert_max_num_queries(6):  # token+user, bot, access, count, page
        response = client.get("/api/bots/support/memory/", {"limit": 20})

    assert response.status_code == 200
    assert response.json()["count"] == 30
    assert [row["key"] for row in response.json()["results"]][:3] == ["k00", "k01", "k02"]


def test_the_share_list_shows_both_directions_with_live_flags(admin_user, bot, org,
                                                              django_assert_max_num_queries):
    peers = [make_bot(f"peer-{i}", org) for i in range(5)]
    for i, peer in enumerate(peers):
        services.bot_memory_set(bot=bot, key=f"out{i}", value=i)
        services.memory_share(source_bot=bot, target=peer, key=f"out{i}", live=i % 2 == 0)
        services.bot_memory_set(bot=peer, key="in", value=f"from {peer.name}")
        services.memory_share(source_bot=peer, target=bot, key="in")

    client = api(admin_user)

    with django_assert_max_num_queries(6):
        response = client.get("/api/bots/support/memory-shares/")

    rows = response.json()["results"]
    assert response.status_code == 200 and len(rows) == 10
    assert {(r["source_bot"], r["target_bot"], r["key"], r["live"]) for r in rows if r["source_bot"] == "support"} == {
        ("support", f"peer-{i}", f"out{i}", i % 2 == 0) for i in range(5)}
    assert {r["value"] for r in rows if r["target_bot"] == "support"} == {f"from peer-{i}" for i in range(5)}


def test_the_schema_lists_the_memory_endpoints(admin_client):
    schema = admin_client.get("/api/schema/", {"format": "json"}).json()

    assert {"/api/bots/{bot}/memory/", "/api/bots/{bot}/memory/{key}", "/api/bots/{bot}/memory-shares/"} <= set(
        schema["paths"])
