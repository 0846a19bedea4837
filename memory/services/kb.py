"""Knowledge bases: index a bot's ``NAME.gbkb/<kb>/`` documents and websites into Qdrant.

Indexing a base (:func:`kb_index`) compares every document of its folder with its KbDocument
row: an unchanged document (same SHA-256 of its bytes, indexed by the same embedder) is
skipped, a new or changed one is re-chunked and re-embedded (its old points removed first), a
deleted one loses its points and row, and a base whose folder is gone is removed. One bad
document (a corrupt or encrypted PDF) is marked failed with its problem and the others still
index. Only regular files under the base's folder are read: a symbolic link that leads out of
it is reported, not followed. Chunks are embedded and written ``BATCH`` at a time, so memory
stays bounded for a huge document.

A website base (``USE WEBSITE``) is read the same way from its start page and the pages it links
to under the same folder of the same site, every request through the outbound-HTTP guard.

Loading a package sends ``package_loaded``; :func:`kb_index_on_package_loaded` queues the
indexing task (``memory.kb_index``) once the load commits: a Celery worker in full mode, the
in-process worker (or inline, in a command) in embedded mode.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

from django.utils import timezone

from generalbots.bots.models import Bot
from generalbots.bots.packages import read_knowledge_bases
from generalbots.core import dispatch, outbound
from generalbots.core.exceptions import ApplicationError
from generalbots.core.locks import exclusive
from memory import documents, vectors
from memory.choices import KbSource, KbState
from memory.embeddings import Embedder, sparse_vector
from memory.models import KbDocument, KnowledgeBase
from memory.selectors import IN_USE_KEY, RECENT_DAYS, kb_in_use
from memory.services.users import session_variable_set

logger = logging.getLogger(__name__)

BATCH = 32
WEBSITE_MAX_BYTES = 5_000_000
WEBSITE_DEADLINE = 20.0
WEBSITE_MAX_PAGES = 20
_NAMESPACE = uuid.UUID("3b0d7c52-2f7e-4f0a-a8f4-51d1a6c0e9b7")

Progress = Callable[[str, str, int, int], None]  # (base, document path, documents done, documents total)
_progress: ContextVar[Progress | None] = ContextVar("kb_progress", default=None)


@contextmanager
def kb_progress(callback: Progress) -> Iterator[None]:
    """Report the progress of every indexing run in this context (``gb load``: a task run inline)."""
    token = _progress.set(callback)
    try:
        yield
    finally:
        _progress.reset(token)


class KnowledgeBaseError(ApplicationError):
    code = "memory.kb_error"


@dataclass
class IndexReport:
    """What one indexing did, per base: document paths indexed, skipped unchanged, removed, failed."""

    indexed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    chunks: int = 0

    def as_dict(self) -> dict:
        return {"indexed": self.indexed, "unchanged": self.unchanged, "removed": self.removed,
                "failed": self.failed, "chunks": self.chunks}


def kb_collection(embedder: Embedder, dims: int, organization_id) -> str:
    """``gb_kb_<model>[-<second model>]_<dims>_<organization id>``: a base's vectors live with
    those of the same models in its own organization. One organization's collection each,
    because Qdrant computes the sparse vectors' IDF over a whole collection: shared, another
    organization's documents would move a base's sparse scores, which the search returns (how
    common a word is in the others' documents would show)."""
    return f"{Embedder(model=embedder.kb_model).collection(dims, prefix=vectors.KB_PREFIX)}_{organization_id.hex}"


def _file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _point_id(kb: KnowledgeBase, path: str, position: int) -> str:
    return str(uuid.uuid5(_NAMESPACE, f"{kb.pk}/{path}/{position}"))


def _index_chunks(kb: KnowledgeBase, path: str, blocks, embedder: Embedder) -> int:
    """Embed and write the chunks of one document, ``BATCH`` at a time; returns how many."""
    count = 0
    batch: list[documents.Chunk] = []
    organization = kb.bot.organization_id

    def flush() -> None:
        texts = [c.embedded for c in batch]
        dense = embedder.embed(texts)
        second = embedder.embed_second(texts) if embedder.second else [None] * len(batch)
        collection = kb_collection(embedder, len(dense[0]), organization)
        if kb.collection != collection:
            kb.collection = collection
            KnowledgeBase.objects.filter(pk=kb.pk).update(collection=collection)
        vectors.kb_upsert(collection, [
            (_point_id(kb, path, c.position), vectors.kb_vectors(vector, other), sparse_vector(f"{c.heading} {c.text}"),
             {"bot": str(kb.bot_id), "kb": str(kb.pk), "kb_name": kb.name, "document": path,
              "position": c.position, "heading": c.heading, "text": c.text})
            for c, vector, other in zip(batch, dense, second)])

    for chunk in documents.chunks(blocks):
        batch.append(chunk)
        if len(batch) >= BATCH:
            flush()
            count += len(batch)
            batch = []
    if batch:
        flush()
        count += len(batch)
    return count


def _document_index(kb: KnowledgeBase, row: KbDocument, blocks, embedder: Embedder, digest: str,
                    size: int, report: IndexReport) -> None:
    vectors.kb_delete(kb.collection, kb_id=str(kb.pk), document=row.path)
    try:
        count = _index_chunks(kb, row.path, blocks, embedder)
    except documents.DocumentError as exc:
        vectors.kb_delete(kb.collection, kb_id=str(kb.pk), document=row.path)
        logger.warning("Knowledge base %s of %s: %s not indexed: %s", kb.name, kb.bot_id, row.path, exc.message)
        row.state, row.problem, row.chunks, row.content_hash = KbState.FAILED, exc.message, 0, ""
        report.failed[row.path] = exc.message
    else:
        row.state, row.problem, row.chunks, row.content_hash = KbState.INDEXED, "", count, digest
        row.indexed_at = timezone.now()
        report.indexed.append(row.path)
        report.chunks += count
    row.size = size
    row.save()


def _start(kb: KnowledgeBase, embedder: Embedder, total: int) -> None:
    """Mark the base as indexing; a base embedded by other models starts over (vectors never mix;
    a base indexed without the second model gains it, one indexed with it loses it when it no
    longer loads), and so does one whose points are in a collection not of its organization's
    (indexed before collections were per organization, or its bot moved)."""
    outside = kb.collection and not kb.collection.endswith("_" + kb.bot.organization_id.hex)
    if (kb.embedder and kb.embedder != embedder.kb_model) or outside:
        vectors.kb_delete(kb.collection, kb_id=str(kb.pk))
        kb.documents.update(content_hash="", chunks=0, state=KbState.PENDING)
        kb.collection = ""
    kb.embedder, kb.state, kb.problem = embedder.kb_model, KbState.INDEXING, ""
    kb.documents_total, kb.documents_done = total, 0
    kb.save()


def _finish(kb: KnowledgeBase) -> None:
    kb.state, kb.indexed_at = KbState.INDEXED, timezone.now()
    kb.save(update_fields=["state", "indexed_at", "documents_done"])


def _folder_files(folder: Path) -> tuple[list[Path], dict[str, str]]:
    """The documents under ``folder`` (no hidden files) and the problems of files it refuses."""
    root = folder.resolve()
    files, refused = [], {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if any(part.startswith(".") for part in relative.parts) or not documents.is_document(path):
            continue
        if not path.resolve().is_relative_to(root):
            refused[relative.as_posix()] = "a symbolic link that leads outside the knowledge base: not read"
        elif path.is_file():
            files.append(path)
    return files, refused


def kb_folder_statistics(package: Path, *, now: datetime | None = None) -> dict:
    """``KB STATISTICS`` of a package folder read offline (``gb run``, ``gb run --batch``): the
    object ``selectors.kb_statistics`` gives in a bot, counted from the ``NAME.gbkb/<kb>/``
    files themselves: per base its documents, the chunks they would be cut into, their bytes,
    those that cannot be read (``failed_documents``) and those changed in the last
    ``RECENT_DAYS`` days (``recent_documents``); ``collection`` is empty and ``state``
    ``"offline"`` (nothing is indexed), with the totals."""
    since = (now or datetime.now()).timestamp() - RECENT_DAYS * 86400
    result = {"bases": [], "documents": 0, "chunks": 0, "bytes": 0, "recent_documents": 0}
    for base in read_knowledge_bases(package) if package.is_dir() else []:
        files, refused = _folder_files(package / base["path"])
        row = {"name": base["name"], "source": KbSource.PACKAGE.value, "url": "", "state": "offline",
               "collection": "", "embedder": "", "documents": len(files), "chunks": 0, "bytes": 0,
               "failed_documents": len(refused), "recent_documents": 0, "indexed_at": None}
        for path in files:
            stat = path.stat()
            row["bytes"] += stat.st_size
            row["recent_documents"] += stat.st_mtime >= since
            try:
                row["chunks"] += sum(1 for _ in documents.chunks(documents.sections(path)))
            except documents.DocumentError:
                row["failed_documents"] += 1
        result["bases"].append(row)
        for key in ("documents", "chunks", "bytes", "recent_documents"):
            result[key] += row[key]
    return result


def kb_index_folder(kb: KnowledgeBase, folder: Path, *, embedder: Embedder,
                    progress: Progress | None = None) -> IndexReport:
    """Bring the index of one package base in line with its folder (see module docstring)."""
    progress = progress or _progress.get()
    report = IndexReport()
    files, refused = _folder_files(folder)
    _start(kb, embedder, len(files) + len(refused))
    rows = {row.path: row for row in kb.documents.all()}
    for path in files:
        rel = path.relative_to(folder).as_posix()
        row = rows.pop(rel, None) or KbDocument(kb=kb, path=rel)
        digest = _file_hash(path)
        if row.pk and row.content_hash == digest and row.state == KbState.INDEXED:
            report.unchanged.append(rel)
        else:
            _document_index(kb, row, documents.sections(path), embedder, digest, path.stat().st_size, report)
        kb.documents_done += 1
        KnowledgeBase.objects.filter(pk=kb.pk).update(documents_done=kb.documents_done)
        if progress is not None:
            progress(kb.name, rel, kb.documents_done, kb.documents_total)
    for rel, problem in refused.items():
        row = rows.pop(rel, None) or KbDocument(kb=kb, path=rel)
        vectors.kb_delete(kb.collection, kb_id=str(kb.pk), document=rel)
        row.state, row.problem, row.chunks, row.content_hash = KbState.FAILED, problem, 0, ""
        row.save()
        report.failed[rel] = problem
        kb.documents_done += 1
        if progress is not None:
            progress(kb.name, rel, kb.documents_done, kb.documents_total)
    for rel, row in rows.items():  # gone from the folder
        vectors.kb_delete(kb.collection, kb_id=str(kb.pk), document=rel)
        row.delete()
        report.removed.append(rel)
    _finish(kb)
    return report


def kb_index(*, bot: Bot, kb: str | None = None, embedder: Embedder | None = None,
             progress: Progress | None = None) -> dict[str, IndexReport]:
    """Index the package bases of ``bot`` (only ``kb`` when given) from its package on disk;
    bases whose folder is gone are removed. ``embedder`` overrides the bot's (the benchmark
    compares them; it is used as given, while the bot's gains the second model when that loads
    and its config does not turn it off, ``Embedder.for_bot_kb``). Returns a report per base name."""
    embedder = embedder or Embedder.for_bot_kb(bot)
    root = Path(bot.source_path) if bot.source_path else None
    if root is None or not root.is_dir():
        raise KnowledgeBaseError(f"The package of {bot.name} is not on disk ({bot.source_path or 'no source path'}).",
                                 extra={"bot": bot.name})
    folders = {entry["name"]: root / entry["path"] for entry in read_knowledge_bases(root)}
    if kb is not None and kb not in folders:
        raise KnowledgeBaseError(f"The bot {bot.name} has no knowledge base {kb!r} (its bases: "
                                 f"{', '.join(sorted(folders)) or 'none'}).", code="memory.kb_not_found",
                                 extra={"bot": bot.name, "kb": kb})
    reports = {}
    for name, folder in sorted(folders.items()):
        if kb is not None and name != kb:
            continue
        row, _ = KnowledgeBase.objects.get_or_create(bot=bot, name=name, defaults={"source": KbSource.PACKAGE})
        try:
            with exclusive(f"kb:{row.pk}"):  # a worker and `gb kb index` may index the same base at once
                row.refresh_from_db()
                reports[name] = kb_index_folder(row, folder, embedder=embedder, progress=progress)
        except ApplicationError as exc:  # the embedding endpoint failed: the whole base is failed
            KnowledgeBase.objects.filter(pk=row.pk).update(state=KbState.FAILED, problem=exc.message)
            raise
    if kb is None:
        for gone in KnowledgeBase.objects.filter(bot=bot, source=KbSource.PACKAGE).exclude(name__in=folders):
            kb_delete(gone)
    return reports


def kb_delete(kb: KnowledgeBase) -> None:
    """Remove a base, its documents and its points."""
    vectors.kb_delete(kb.collection, kb_id=str(kb.pk))
    kb.delete()


def kb_index_on_package_loaded(*, sender, bot, package, status, **kwargs) -> None:
    """Receiver of ``package_loaded``: index the bot's bases once the load commits."""
    from memory.tasks import kb_index_task  # tasks imports this module: the cycle is broken here

    if package.knowledge_bases or KnowledgeBase.objects.filter(bot=bot, source=KbSource.PACKAGE).exists():
        dispatch.enqueue(kb_index_task, bot.pk)
    return None


# ---------------------------------------------------------------------------- websites

MAX_URL = 2000
MAX_REFRESH_SECONDS = 2**31 - 1  # what the column holds (68 years)


def _website_name(url: str) -> str:
    parts = urlsplit(url)
    return (f"{parts.netloc}{parts.path}".rstrip("/") or url)[:200]


def kb_website_use(*, bot: Bot, url: str, refresh_seconds: int | None = None,
                   embedder: Embedder | None = None) -> KnowledgeBase:
    """``USE WEBSITE url [REFRESH t]``: the base of that site, read (:func:`kb_website_index`)
    when new, when its refresh time has passed, or after a failure; else as it is."""
    if urlsplit(url).scheme not in ("http", "https"):
        raise KnowledgeBaseError(f"USE WEBSITE needs an http(s) address, not {url[:200]!r}.", extra={"url": url[:200]})
    if len(url) > MAX_URL:
        raise KnowledgeBaseError(f"USE WEBSITE: the address is longer than {MAX_URL} characters.")
    if refresh_seconds is not None:
        refresh_seconds = min(refresh_seconds, MAX_REFRESH_SECONDS)
    kb, created = KnowledgeBase.objects.get_or_create(
        bot=bot, name=_website_name(url),
        defaults={"source": KbSource.WEBSITE, "url": url, "refresh_seconds": refresh_seconds})
    if not created and kb.refresh_seconds != refresh_seconds:
        kb.refresh_seconds = refresh_seconds
        kb.save(update_fields=["refresh_seconds"])
    due = (kb.indexed_at is None or kb.state != KbState.INDEXED
           or (refresh_seconds is not None and kb.indexed_at + timedelta(seconds=refresh_seconds) <= timezone.now()))
    if due:
        kb_website_index(kb, embedder=embedder or Embedder.for_bot_kb(bot))
    return kb


def _fetch_page(url: str) -> outbound.Reply:
    try:
        reply = outbound.fetch("GET", url, deadline=WEBSITE_DEADLINE, max_bytes=WEBSITE_MAX_BYTES)
    except outbound.OutboundError as exc:
        raise KnowledgeBaseError(f"USE WEBSITE {url}: {exc.message}", extra={"url": url}) from None
    if reply.status >= 400:
        raise KnowledgeBaseError(f"USE WEBSITE {url}: the site answered HTTP {reply.status}",
                                 extra={"url": url, "status": reply.status})
    return reply


def _in_scope(url: str, start: str) -> bool:
    """Same scheme and host as the start page, and under its folder."""
    here, root = urlsplit(url), urlsplit(start)
    folder = root.path.rsplit("/", 1)[0] + "/"
    return (here.scheme, here.netloc) == (root.scheme, root.netloc) and (here.path + "/").startswith(folder)


def kb_website_index(kb: KnowledgeBase, *, embedder: Embedder) -> IndexReport:
    """Read the base's page and the pages it links to under the same folder of the same site
    (breadth first, at most ``WEBSITE_MAX_PAGES``), each a document named by its address;
    unchanged pages are skipped, pages no longer reached are removed. The start page failing
    fails the base; another page failing is that document's problem."""
    try:
        first = _fetch_page(kb.url)
    except KnowledgeBaseError as exc:
        KnowledgeBase.objects.filter(pk=kb.pk).update(state=KbState.FAILED, problem=exc.message)
        raise
    report = IndexReport()
    _start(kb, embedder, 1)
    rows = {row.path: row for row in kb.documents.all()}
    queue, seen = [(kb.url, first)], {kb.url}
    while queue:
        url, reply = queue.pop(0)
        row = rows.pop(url, None) or KbDocument(kb=kb, path=url)
        if reply is None:
            try:
                reply = _fetch_page(url)
            except KnowledgeBaseError as exc:
                row.state, row.problem, row.chunks, row.content_hash = KbState.FAILED, exc.message, 0, ""
                row.save()
                report.failed[url] = exc.message
                continue
        digest = hashlib.sha256(reply.content).hexdigest()
        if row.pk and row.content_hash == digest and row.state == KbState.INDEXED:
            report.unchanged.append(url)
        else:
            _document_index(kb, row, documents.html_sections(reply.content), embedder, digest, len(reply.content),
                            report)
        kb.documents_done += 1
        for link in documents.html_links(reply.content, url):
            if len(seen) >= WEBSITE_MAX_PAGES:
                break
            if link not in seen and _in_scope(link, kb.url):
                seen.add(link)
                queue.append((link, None))
        kb.documents_total = len(seen)
        KnowledgeBase.objects.filter(pk=kb.pk).update(documents_done=kb.documents_done,
                                                      documents_total=kb.documents_total)
    for url, row in rows.items():  # no longer linked
        vectors.kb_delete(kb.collection, kb_id=str(kb.pk), document=url)
        row.delete()
        report.removed.append(url)
    kb.save(update_fields=["documents_total"])
    _finish(kb)
    return report


# ---------------------------------------------------------------------------- bases in use

def _known_bases(bot: Bot) -> set[str]:
    names = {entry["name"] for entry in (bot.manifest or {}).get("knowledge_bases", [])}
    return names | set(KnowledgeBase.objects.filter(bot=bot).values_list("name", flat=True))


def kb_use(*, bot: Bot, session_key: str, name: str) -> list[str]:
    """``USE KB name``: add the base to the session's; a base the bot does not have is an error."""
    known = _known_bases(bot)
    if name not in known:
        raise KnowledgeBaseError(f"The bot {bot.name} has no knowledge base {name!r} (its bases: "
                                 f"{', '.join(sorted(known)) or 'none'}).", code="memory.kb_not_found",
                                 extra={"bot": bot.name, "kb": name})
    current = kb_in_use(session_key=session_key)
    if name not in current:
        current.append(name)
        session_variable_set(bot=bot, session_key=session_key, key=IN_USE_KEY, value=current)
    return current


def kb_clear(*, bot: Bot, session_key: str, name: str | None = None) -> list[str]:
    """``CLEAR KB [name]``: stop using one base, or all of them."""
    current = kb_in_use(session_key=session_key)
    remaining = [] if name is None else [n for n in current if n != name]
    session_variable_set(bot=bot, session_key=session_key, key=IN_USE_KEY, value=remaining)
    return remaining
