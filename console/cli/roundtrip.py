"""``gb roundtrip PATH...``: open ``.bas`` files as designer graphs and write them back, saying
whether each comes back identical (DESIGN.md section 7)."""

import json

from django.core.management.base import CommandError

from designer.graph.files import roundtrip_paths

HELP = "Open .bas files (files or folders) in the designer's graph and write them back: identical or not."


def add_arguments(parser) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH", help="a .bas file or a folder to search for *.bas")
    parser.add_argument("--json", action="store_true",
                        help='print {"files": [{"path", "identical", "error"}]} instead of one line per file')


def handle(command, options) -> None:
    reports = roundtrip_paths(options["paths"])
    if not reports:
        raise CommandError("no .bas files found in " + ", ".join(options["paths"]))
    if options["json"]:
        command.stdout.write(json.dumps({"files": reports}, indent=2))
    else:
        for report in reports:
            state = "identical" if report["identical"] else "DIFFERENT"
            error = f" (does not parse: {report['error']})" if "error" in report else ""
            command.stdout.write(f"{report['path']}: {state}{error}")
        same = sum(r["identical"] for r in reports)
        command.stdout.write(f"round-tripped {len(reports)} files: {same} identical, {len(reports) - same} different")
    if not all(r["identical"] for r in reports):
        raise SystemExit(1)
