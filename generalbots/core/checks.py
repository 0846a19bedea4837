import django
from django.conf import settings
from django.core.checks import Tags, Warning, register
from django.db import connections

from generalbots.core import fastsql


@register()
def check_fast_sql_django_version(app_configs, **kwargs):
    """The engine's fast SQL (``generalbots.core.fastsql``) relies on Django internals that change
    between releases: on a Django it was not verified on, the operator is told to switch it off."""
    if not settings.GB_ENGINE_FAST_SQL or fastsql.verified_django(django.VERSION):
        return []
    verified = ", ".join(f"{major}.{minor}.x" for major, minor in fastsql.VERIFIED_DJANGO)
    return [
        Warning(
            f"The engine's fast SQL was verified on Django {verified}; this is Django {django.get_version()}.",
            hint="Set GB_ENGINE_FAST_SQL=0 to use the plain ORM (same results, slower) until a release of "
                 "General Bots verified on this Django version is installed.",
            id="core.W001",
        )
    ]


# The statistics a connection plans by are kept fresh by autovacuum, which needs track_counts.
_MAINTENANCE = ("autovacuum", "track_counts")


def maintenance_off(connection) -> list[str]:
    """Which of PostgreSQL's ``autovacuum`` and ``track_counts`` are off for ``connection``
    (in that order; empty when both are on)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting(%s), current_setting(%s)", _MAINTENANCE)
        values = cursor.fetchone()
    return [name for name, value in zip(_MAINTENANCE, values) if value == "off"]


@register(Tags.database)
def check_statistics_maintenance(app_configs, databases=None, **kwargs):
    """A PostgreSQL database whose autovacuum is off never cleans the run tables' dead rows (every
    slice updates its run) and never refreshes their statistics: once they were analyzed while
    small or empty, a connection plans the engine's foreign-key checks (a step's run, a child's
    parent) as sequential scans that grow with every run kept (measured in the benches: 0.003 ms
    per check with fresh statistics, 0.92 ms after 700 runs with stale ones). Runs with
    ``check --database default`` and before ``migrate``."""
    problems = []
    for alias in databases or ():
        connection = connections[alias]
        if connection.vendor != "postgresql":
            continue
        off = maintenance_off(connection)
        if off:
            problems.append(Warning(
                f"PostgreSQL's {' and '.join(off)} {'is' if len(off) == 1 else 'are'} off for database "
                f"'{alias}': the run tables' dead rows are never cleaned up and their statistics never "
                "refreshed, so plans made while they were small (the engine's foreign-key checks among "
                "them) stay slow as runs accumulate.",
                hint="Set autovacuum = on and track_counts = on in postgresql.conf (the defaults), or run "
                     "VACUUM ANALYZE on the database regularly (for example `vacuumdb --analyze` from cron).",
                id="core.W002",
            ))
    return problems
