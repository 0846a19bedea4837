"""``gb memory-check [--fix]``: compare REMEMBER rows with their vectors in Qdrant."""

HELP = "Report vectors without memories and memories without vectors (Qdrant vs. database); --fix repairs both."


def add_arguments(parser) -> None:
    parser.add_argument("--fix", action="store_true",
                        help="delete the orphan vectors and index the memories that have none")


def handle(command, options) -> None:
    from memory.services import memory_vectors_check

    report = memory_vectors_check(fix=options["fix"])
    verb = "deleted" if report.fixed else "found"
    for collection, ids in sorted(report.orphan_vectors.items()):
        command.stdout.write(f"{collection}: {len(ids)} vector(s) without a memory {verb}: {', '.join(ids[:20])}"
                             + (" ..." if len(ids) > 20 else ""))
    if report.rows_without_vectors:
        ids = ", ".join(str(pk) for pk in report.rows_without_vectors[:20])
        command.stdout.write(f"{len(report.rows_without_vectors)} memory row(s) without a vector "
                             f"{'indexed' if report.fixed else 'found'} (remembered ids {ids})")
    if report.ok:
        command.stdout.write("memory-check: every remembered memory has its vector and every vector its memory")
    elif not report.fixed:
        command.stdout.write("memory-check: run with --fix to repair")
        raise SystemExit(1)
