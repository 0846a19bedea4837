"""Writes of the memory app: bot memory and sharing (``bots``), user memory, session variables
and REMEMBER (``users``), the Qdrant index of REMEMBER (``semantic``), knowledge bases (``kb``)."""

from memory.services.bots import (
    bot_memory_delete,
    bot_memory_set,
    live_share_delete,
    memory_share,
    memory_share_check,
    memory_sync,
)
from memory.services.kb import (
    IndexReport,
    KnowledgeBaseError,
    kb_clear,
    kb_delete,
    kb_folder_statistics,
    kb_index,
    kb_index_on_package_loaded,
    kb_progress,
    kb_use,
    kb_website_index,
    kb_website_use,
)
from memory.services.semantic import MemoryCheckReport, memory_vectors_check
from memory.services.tables import table_delete, table_insert, table_merge, table_save, table_update
from memory.services.users import (
    parse_duration,
    remembered_delete,
    remembered_purge_expired,
    remembered_set,
    session_variable_set,
    user_memory_set,
)

__all__ = [
    "IndexReport", "KnowledgeBaseError", "kb_clear", "kb_delete", "kb_folder_statistics", "kb_index", "kb_index_on_package_loaded", "kb_progress", "kb_use",
    "kb_website_index", "kb_website_use",
    "MemoryCheckReport", "bot_memory_delete", "bot_memory_set", "live_share_delete", "memory_share",
    "memory_share_check", "memory_sync", "memory_vectors_check", "parse_duration", "remembered_delete",
    "remembered_purge_expired", "remembered_set", "session_variable_set", "table_delete", "table_insert", "table_merge",
    "table_save", "table_update", "user_memory_set",
]
