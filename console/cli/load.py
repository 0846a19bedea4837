from pathlib import Path

from django.core.management.base import CommandError

HELP = "Load .gbai packages (default: bottemplates/ and GB_BOTS_DIRS) into bots."

STATUSES = ("created", "updated", "unchanged", "skipped", "failed")


def add_arguments(parser) -> None:
    parser.add_argument("paths", nargs="*", metavar="PATH", help="a .gbai folder or a folder holding some")
    parser.add_argument("--organization", metavar="SLUG", default=None,
                        help="load into this organization: new bots are created there and a bot of another "
                             "organization with a package's name is refused (default: new bots go to the "
                             "default organization, existing bots keep theirs)")


def handle(command, options) -> None:
    from console.cli.kb import progress_bar
    from generalbots.bots.models import Bot
    from generalbots.bots.services import packages_load
    from generalbots.core.models import Organization
    from memory.services import kb_progress

    organization = None
    if options.get("organization") is not None:
        organization = Organization.objects.filter(slug=options["organization"]).first()
        if organization is None:
            known = ", ".join(Organization.objects.values_list("slug", flat=True)[:20]) or "none"
            raise CommandError(f"No organization with the slug {options['organization']!r} (known: {known}).")
    roots = [Path(p) for p in options["paths"]] or None
    for root in roots or []:
        if not root.is_dir():
            raise CommandError(f"{root} is not a folder.")
    # Knowledge bases index once each package commits: inline in this process in embedded mode
    # (shown with a bar), on a worker in full mode.
    with kb_progress(progress_bar(command, prefix="  indexing ")):
        results = packages_load(roots=roots, organization=organization)
    problems = dict(Bot.objects.filter(name__in=[r.name for r in results]).values_list("name", "problems"))
    for result in results:
        line = f"{result.status:>9}  {result.name}  ({result.path})"
        if result.detail:
            line += f": {result.detail}"
        found = problems.get(result.name) or []
        if result.status in ("created", "updated") and found:
            errors = sum(p.get("severity") == "error" for p in found)
            line += f" — {len(found)} problem(s), {errors} error(s): see the bot in the admin"
        style = command.style.ERROR if result.status == "failed" else (
            command.style.WARNING if result.status == "skipped" else str)
        command.stdout.write(style(line))
    counts = {status: sum(r.status == status for r in results) for status in STATUSES}
    summary = ", ".join(f"{n} {status}" for status, n in counts.items() if n)
    command.stdout.write(f"{len(results)} package(s) found" + (f": {summary}." if summary else "."))
