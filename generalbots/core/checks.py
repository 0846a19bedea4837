import django
from django.conf import settings
from django.core.checks import Warning, register

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
