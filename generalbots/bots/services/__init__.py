"""Writes of the bots app: packages and scripts (``generalbots.bots.packages.services``),
conversations (``conversations``)."""

from generalbots.bots.services.conversations import (
    TurnResult,
    conversation_get_or_create,
    conversation_post_message,
    conversation_resume_timer,
    conversation_start,
    conversations_resume_due,
)
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
    "LoadResult", "TurnResult", "bot_reload", "bot_script_upsert", "bot_scripts_sync", "bot_set_active",
    "bot_upsert_from_package", "conversation_get_or_create", "conversation_post_message",
    "conversation_resume_timer", "conversation_start", "conversations_resume_due", "package_upload",
    "packages_load",
]
