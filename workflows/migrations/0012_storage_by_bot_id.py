"""Bot storage moves from ``GB_STORAGE_DIR/<bot name>/`` to ``GB_STORAGE_DIR/<bot id>/``.

A folder named after a bot went, with its files, to whichever bot took the name next, in any
organization (``workflows.runtime.keywords.files``). Each bot's folder is moved to its id; a
folder that no bot is named after now stays where it is, reachable by no bot.
"""

import logging
import re
from pathlib import Path

from django.conf import settings
from django.db import migrations

logger = logging.getLogger(__name__)

_NAME = re.compile(r"^[-a-zA-Z0-9_]+\Z")  # what a bot's folder was named by (a slug)


def by_id(apps, schema_editor):
    root = Path(settings.GB_STORAGE_DIR)
    if not root.is_dir():
        return
    for pk, name in apps.get_model("bots", "Bot").objects.values_list("pk", "name"):
        old, new = root / name, root / pk.hex
        if not _NAME.match(name or "") or old.is_symlink() or not old.is_dir():
            continue
        if new.exists():
            logger.warning("Bot %s: both %s and %s exist; %s was left where it is", name, old, new, old)
            continue
        old.rename(new)


def by_name(apps, schema_editor):
    root = Path(settings.GB_STORAGE_DIR)
    if not root.is_dir():
        return
    for pk, name in apps.get_model("bots", "Bot").objects.values_list("pk", "name"):
        new, old = root / pk.hex, root / name
        if _NAME.match(name or "") and new.is_dir() and not old.exists():
            new.rename(old)


class Migration(migrations.Migration):

    dependencies = [
        ("bots", "0003_bot_access"),
        ("workflows", "0011_partial_indexes"),
    ]

    operations = [migrations.RunPython(by_id, by_name, elidable=True)]
