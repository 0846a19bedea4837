from pathlib import Path

from django.core.management.base import CommandError

HELP = "Load .gbai packages (default: bottemplates/ and GB_BOTS_DIRS) into bots."


def add_arguments(parser) -> None:
    parser.add_argument("paths", nargs="*", metavar="PATH", help="a .gbai folder or a folder holding some")


def handle(command, options) -> None:
    from generalbots.bots.services import packages_load

    roots = [Path(p) for p in options["paths"]] or None
    for root in roots or []:
        if not root.is_dir():
            raise CommandError(f"{root} is not a folder.")
    results = packages_load(roots=roots)
    for result in results:
        line = f"{result.status:>9}  {result.name}  ({result.path})"
        if result.detail:
            line += f": {result.detail}"
        command.stdout.write(command.style.WARNING(line) if result.status == "skipped" else line)
    counts = {status: sum(r.status == status for r in results) for status in ("created", "updated", "unchanged", "skipped")}
    summary = ", ".join(f"{n} {status}" for status, n in counts.items() if n)
    command.stdout.write(f"{len(results)} package(s) found" + (f": {summary}." if summary else "."))
