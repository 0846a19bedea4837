"""``gb kb index|stats|search``: the knowledge bases of a bot from the command line.

- ``gb kb index BOT [--kb NAME]``: index the bot's bases from its package (new and changed
  documents; unchanged ones skipped, deleted ones removed), with a progress bar.
- ``gb kb stats BOT [--json]``: documents, chunks, sizes and state per base.
- ``gb kb search BOT "question" [--kb NAME] [--top K] [--mode hybrid|dense|sparse] [--json]``:
  the best passages; ``--json`` prints ``{"hits": [{"kb", "document", "score", "text", ...}]}``.
"""

import json

from django.core.management.base import CommandError

HELP = "Knowledge bases of a bot: index them, show their statistics, search them."
BAR = 30


def add_arguments(parser) -> None:
    actions = parser.add_subparsers(dest="kb_action", metavar="ACTION", required=True)
    index = actions.add_parser("index", help="index the bot's bases from its package")
    index.add_argument("bot", metavar="BOT")
    index.add_argument("--kb", metavar="NAME", default=None, help="only this base")
    stats = actions.add_parser("stats", help="documents, chunks, sizes and state per base")
    stats.add_argument("bot", metavar="BOT")
    stats.add_argument("--json", action="store_true", help="print JSON")
    search = actions.add_parser("search", help="the best passages for a question")
    search.add_argument("bot", metavar="BOT")
    search.add_argument("question")
    search.add_argument("--kb", metavar="NAME", action="append", default=None, help="only this base (repeatable)")
    search.add_argument("--top", metavar="K", type=int, default=5, help="how many passages (default 5)")
    search.add_argument("--mode", choices=("hybrid", "dense", "sparse"), default="hybrid")
    search.add_argument("--json", action="store_true", help='print {"hits": [...]} as JSON')


def handle(command, options) -> None:
    from generalbots.bots.selectors import bot_get
    from generalbots.core.exceptions import ApplicationError, NotFoundError

    try:  # the operator's command line: every bot of the machine, through the one selector
        bot = bot_get(name=options["bot"])
    except NotFoundError:
        raise CommandError(f"No bot named {options['bot']!r}: load its package first (gb load).") from None
    try:
        {"index": _index, "stats": _stats, "search": _search}[options["kb_action"]](command, options, bot)
    except ApplicationError as exc:
        raise CommandError(exc.message) from None
    except RuntimeError as exc:  # Qdrant's local mode: one process at a time per folder
        if "already accessed" not in str(exc):
            raise
        raise CommandError("The Qdrant folder is in use by another process (local mode allows one): stop the "
                           "server, or set QDRANT_URL to a Qdrant server.") from None


def progress_bar(command, prefix: str = ""):
    """A progress callback of ``memory.services.kb_index`` writing one bar line per document."""

    def progress(kb: str, path: str, done: int, total: int) -> None:
        filled = BAR * done // max(total, 1)
        command.stdout.write(f"{prefix}[{'#' * filled}{'.' * (BAR - filled)}] {done}/{total} {kb}/{path}")

    return progress


def _index(command, options, bot) -> None:
    from memory.services import kb_index

    reports = kb_index(bot=bot, kb=options["kb"], progress=progress_bar(command))
    for name, report in reports.items():
        command.stdout.write(f"{name}: {len(report.indexed)} indexed, {len(report.unchanged)} unchanged, "
                             f"{len(report.removed)} removed, {len(report.failed)} failed; {report.chunks} chunks")
        for path, problem in sorted(report.failed.items()):
            command.stdout.write(command.style.WARNING(f"  {path}: {problem}"))
    if not reports:
        command.stdout.write(f"{bot.name} has no knowledge base (no folder under its NAME.gbkb/).")


def _stats(command, options, bot) -> None:
    from memory.selectors import kb_statistics

    stats = kb_statistics(bot=bot)
    if options["json"]:
        command.stdout.write(json.dumps(stats, ensure_ascii=False, indent=2))
        return
    for base in stats["bases"]:
        command.stdout.write(f"{base['name']} ({base['source']}, {base['state']}): {base['documents']} documents, "
                             f"{base['failed_documents']} failed, {base['chunks']} chunks, {base['bytes']} bytes, "
                             f"{base['recent_documents']} indexed in the last 7 days; collection "
                             f"{base['collection'] or '-'} ({base['embedder'] or 'not indexed'})")
    command.stdout.write(f"total: {stats['documents']} documents, {stats['chunks']} chunks, {stats['bytes']} bytes")


def _search(command, options, bot) -> None:
    from memory.selectors import kb_search

    if options["top"] < 1:
        raise CommandError("--top needs a positive number.")
    hits = kb_search(bot=bot, query=options["question"], kbs=options["kb"], top=options["top"], mode=options["mode"])
    if options["json"]:
        command.stdout.write(json.dumps({"hits": [h.as_dict() for h in hits]}, ensure_ascii=False))
        return
    for n, hit in enumerate(hits, 1):
        where = f"{hit.kb}/{hit.document}" + (f" — {hit.heading}" if hit.heading else "")
        command.stdout.write(f"{n}. {hit.score:.4f}  {where}\n   {hit.text[:300]}")
    if not hits:
        command.stdout.write("No passage found.")
