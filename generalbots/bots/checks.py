from pathlib import Path

from django.conf import settings
from django.core.checks import Warning, register


@register()
def check_bots_dirs(app_configs, **kwargs):
    """Every folder in GB_BOTS_DIRS exists: a typo would silently load no bot."""
    return [
        Warning(
            f"GB_BOTS_DIRS names {path}, which is not a folder.",
            hint="Fix the path or remove it from GB_BOTS_DIRS (folders are separated by ':').",
            id="bots.W001",
        )
        for path in map(Path, settings.GB_BOTS_DIRS)
        if not path.is_dir()
    ]
