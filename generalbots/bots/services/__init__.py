"""Writes of the bots app: packages and scripts (``generalbots.bots.packages.services``),
conversations as data (``conversations``; their turns are ``workflows.conversations``)."""

from generalbots.bots.services.conversations import conversation_get_or_create, message_add
from generalbots.bots.packages.services import (
    LoadResult,
    bot_reload,
    bot_script_upsert,
    bot_scripts_sync,
    bot_set_active,
    bot_upsert_from_package,
    package_upload,
    packages_load,
)

__all__ = [
    "LoadResult", "bot_reload", "bot_script_upsert", "bot_scripts_sync", "bot_set_active",
    "bot_upsert_from_package", "conversation_get_or_create", "message_add", "package_upload", "packages_load",
]
