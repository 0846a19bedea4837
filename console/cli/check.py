"""``gb check PATH...``: parse and check ``.bas`` files without running them."""

from django.core.management.base import CommandError

HELP = "Check .bas files (files or folders, recursively): syntax errors, checker errors and warnings."


def add_arguments(parser) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH", help="a .bas file or a folder to search for *.bas")
    parser.add_argument("--json", action="store_true", help="print a JSON report instead of one line per problem")


def handle(command, options) -> None:
    from generalbots.basic.checking import check_paths, format_json, format_text

    from django.db import DatabaseError

    from generalbots.bots.models import Bot

    def bot_exists(name: str) -> bool:
        """A bot of the database; without a usable database, none (the folder tree decides)."""
        try:
            return Bot.objects.filter(name__iexact=name).exists()
        except DatabaseError:
            return False

    reports = check_paths(options["paths"], bot_exists)
    if not reports:
        raise CommandError("no .bas files found in " + ", ".join(options["paths"]))
    command.stdout.write(format_json(reports) if options["json"] else format_text(reports))
    if any(not report.ok for report in reports):
        raise SystemExit(1)
