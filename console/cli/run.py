"""``gb run FILE [--input TEXT ...] [--allow-private]``: run one script in the console host;
``gb run --batch [--offline] [--json] [--timeout S] [--input TEXT]... PATH...``: run every
``.bas`` under the paths, one line (or JSON entry) per file (``generalbots.basic.batch``).

TALK prints; HEAR takes the ``--input`` values in order, then reads standard input. The HTTP
keywords go through the platform's guard (``workflows.runtime.guard``), the same as in
a bot: a total deadline, a size limit, no redirects, and no private or local address unless
``--allow-private`` is given. ``KB STATISTICS`` counts the package's ``.gbkb`` files
(``memory.services.kb_folder_statistics``).
"""

import functools

HELP = "Run a .bas script in the terminal (TALK prints, HEAR reads --input values then stdin)."


class _CommandOutput:
    """A file-like view of the command's stdout that writes text exactly as given."""

    def __init__(self, wrapper):
        self._wrapper = wrapper

    def write(self, text: str) -> int:
        self._wrapper.write(text, ending="")
        return len(text)

    def flush(self) -> None:
        self._wrapper.flush()


def add_arguments(parser) -> None:
    parser.add_argument("file", nargs="+", metavar="FILE",
                        help="the .bas script to run (with --batch: files or folders)")
    parser.add_argument("--batch", action="store_true",
                        help="run every .bas under the paths, each with a fresh host and a time limit")
    parser.add_argument("--offline", action="store_true",
                        help="with --batch: HTTP answers from a local fake, mail and SMS are recorded")
    parser.add_argument("--json", action="store_true", help="with --batch: print a JSON report")
    parser.add_argument("--timeout", type=float, default=10.0, metavar="S",
                        help="with --batch: seconds each script may run (default 10)")
    parser.add_argument("--input", action="append", default=[], metavar="TEXT",
                        help="an answer for HEAR (repeat for several, in order)")
    parser.add_argument("--allow-private", action="store_true",
                        help="let GET/POST... call private and local addresses (this machine, an intranet)")


def handle(command, options) -> None:
    from django.core.management.base import CommandError

    from generalbots.basic import batch
    from generalbots.basic.console import run_script
    from memory.services import kb_folder_statistics
    from workflows.runtime.guard import http_request

    http = functools.partial(http_request, allow_private=options["allow_private"],
                             private_hint="run with --allow-private to allow it")
    if options["batch"]:
        outcomes = batch.run_batch(options["file"], inputs=options["input"],
                                   offline=options["offline"], timeout=options["timeout"],
                                   http=http, kb_statistics=kb_folder_statistics)
        if not outcomes:
            raise CommandError("no .bas files found in " + ", ".join(options["file"]))
        report = batch.format_json(outcomes) if options["json"] else batch.format_text(outcomes)
        command.stdout.write(report)
        if any(o.outcome == "error" for o in outcomes):
            raise SystemExit(1)
        return
    if len(options["file"]) > 1:
        raise CommandError("gb run takes one FILE (use --batch for several)")
    status = run_script(options["file"][0], inputs=options["input"],
                        stdout=_CommandOutput(command.stdout), http=http,
                        kb_statistics=kb_folder_statistics)
    if status:
        raise SystemExit(status)
