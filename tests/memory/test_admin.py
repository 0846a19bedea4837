"""Memory in the admin: history inline, the "share with bot" action, live shares, deletes through services."""

import pytest
from django.urls import reverse

from memory import services, vectors
from memory.models import BotMemory, BotSharedMemory, LiveShare, MemoryVersion, Remembered
from tests.memory.conftest import make_bot

pytestmark = pytest.mark.django_db


def test_a_memory_page_shows_its_history(admin_client, org, django_assert_max_num_queries):
    bot = make_bot("support", org)
    for value in ("first answer", "second answer", "third answer"):
        row = services.bot_memory_set(bot=bot, key="best_reply", value=value)

    with django_assert_max_num_queries(12):
        response = admin_client.get(reverse("admin:memory_botmemory_change", args=[row.pk]))

    content = response.content.decode()
    assert response.status_code == 200
    assert "history (newest first)" in content.lower()
    assert content.index("third answer") < content.index("second answer") < content.index("first answer")


def test_the_changelist_counts_versions_without_a_query_per_row(admin_client, org, django_assert_max_num_queries):
    bot = make_bot("support", org)
    for i in range(8):
        services.bot_memory_set(bot=bot, key=f"k{i}", value=1)
        services.bot_memory_set(bot=bot, key=f"k{i}", value=2)

    with django_assert_max_num_queries(10):
        response = admin_client.get(reverse("admin:memory_botmemory_changelist"))

    assert response.status_code == 200
    assert [m._versions for m in response.context["cl"].result_list] == [2] * 8


def test_saving_in_the_admin_records_a_version_by_the_user(admin_client, admin_user, org):
    bot = make_bot("support", org)
    row = services.bot_memory_set(bot=bot, key="k", value="old")

    response = admin_client.post(reverse("admin:memory_botmemory_change", args=[row.pk]),
                                 {"value": '"new"', "versions-TOTAL_FORMS": "1", "versions-INITIAL_FORMS": "1",
                                  "versions-MIN_NUM_FORMS": "0", "versions-MAX_NUM_FORMS": "1000",
                                  "versions-0-id": MemoryVersion.objects.get().pk, "versions-0-memory": row.pk})

    assert response.status_code == 302, response.content.decode()[:2000]
    latest = MemoryVersion.objects.filter(bot=bot).first()
    assert (latest.value, latest.source, latest.user) == ("new", "admin", admin_user)


def test_the_share_action_asks_for_the_target_then_shares(admin_client, org):
    a, b = make_bot("bot-a", org), make_bot("bot-b", org)
    rows = [services.bot_memory_set(bot=a, key=k, value=k.upper()) for k in ("x", "y")]
    url = reverse("admin:memory_botmemory_changelist")
    selected = [str(r.pk) for r in rows]

    form = admin_client.post(url, {"action": "share_with_bot", "_selected_action": selected})
    done = admin_client.post(url, {"action": "share_with_bot", "_selected_action": selected, "apply": "1",
                                   "target": b.pk, "live": "on"}, follow=True)

    assert form.status_code == 200 and b"Target bot" in form.content
    assert "Shared 2 memories with bot-b (live)." in done.content.decode()
    assert set(BotSharedMemory.objects.filter(target_bot=b).values_list("memory_key", "memory_value")) == {
        ("x", "X"), ("y", "Y")}
    assert LiveShare.objects.filter(target_bot=b).count() == 2


def test_the_share_action_reports_a_refusal(admin_client, org):
    a = make_bot("bot-a", org)
    picky = make_bot("picky", org, **{"memory-accept-from": "bot-c"})
    row = services.bot_memory_set(bot=a, key="x", value=1)

    done = admin_client.post(reverse("admin:memory_botmemory_changelist"), {
        "action": "share_with_bot", "_selected_action": [row.pk], "apply": "1", "target": picky.pk}, follow=True)

    assert "Bot picky does not accept memory from bot bot-a" in done.content.decode()
    assert not BotSharedMemory.objects.exists()


def test_adding_a_live_share_checks_the_rules(admin_client, org):
    a = make_bot("bot-a", org)
    b = make_bot("bot-b", org, **{"memory-accept-from": "bot-c"})
    services.bot_memory_set(bot=a, key="k", value=1)

    refused = admin_client.post(reverse("admin:memory_liveshare_add"),
                                {"source_bot": a.pk, "target_bot": b.pk, "memory_key": "k"})

    assert refused.status_code == 200 and "does not accept memory from bot bot-a" in refused.content.decode()
    assert not LiveShare.objects.exists()


def test_deleting_a_remembered_memory_in_the_admin_removes_its_vector(admin_client, org):
    bot = make_bot("keeper", org)
    row = services.remembered_set(bot=bot, user_key="user:1", key="note", value="the garage code is 4411")

    response = admin_client.post(reverse("admin:memory_remembered_delete", args=[row.pk]), {"post": "yes"})

    assert response.status_code == 302
    assert not Remembered.objects.exists()
    assert not vectors.existing_ids(row.vector_collection, [str(row.vector_id)])


def test_deleting_a_memory_in_the_admin_is_a_version(admin_client, org):
    bot = make_bot("support", org)
    row = services.bot_memory_set(bot=bot, key="k", value=1)

    admin_client.post(reverse("admin:memory_botmemory_delete", args=[row.pk]), {"post": "yes"})

    assert not BotMemory.objects.exists()
    assert MemoryVersion.objects.filter(bot=bot, key="k", deleted=True, source="admin").exists()
