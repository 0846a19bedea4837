"""Tables of bot memory, user memory, session variables, REMEMBER, memory sharing and knowledge bases.

Values are JSON (BASIC values encoded with ``values.encode_value``). Every write of a bot's
memory leaves a :class:`MemoryVersion`; sharing between bots goes through ``bot_shared_memory``
(staged until the target syncs) or a :class:`LiveShare` subscription (mirrored on every write).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from generalbots.bots.models import Bot
from memory.choices import KbSource, KbState, MemorySource


class BotMemory(models.Model):
    """A value a bot keeps between runs (``SET BOT MEMORY``); any JSON value."""

    bot = models.ForeignKey(Bot, on_delete=models.CASCADE, related_name="memories")
    key = models.CharField(max_length=200)
    value = models.JSONField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "bot_memories"
        ordering = ["bot", "key"]
        verbose_name_plural = "bot memories"
        constraints = [models.UniqueConstraint(fields=["bot", "key"], name="bot_memories_bot_key_uniq")]

    def __str__(self) -> str:
        return f"{self.bot}: {self.key}"


class MemoryVersion(models.Model):
    """One write of one bot memory key: what was written, when, by whom and from which run.

    ``memory`` links the current row (for the admin inline); it is cleared when the key is
    deleted, and the delete itself is a version with ``deleted`` set.
    """

    bot = models.ForeignKey(Bot, on_delete=models.CASCADE, related_name="memory_versions")
    key = models.CharField(max_length=200)
    memory = models.ForeignKey(BotMemory, null=True, blank=True, on_delete=models.SET_NULL, related_name="versions")
    value = models.JSONField(null=True, blank=True)
    deleted = models.BooleanField(default=False)
    source = models.CharField(max_length=16, choices=MemorySource.choices)
    source_bot = models.ForeignKey(
        Bot, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text="The bot the value came from (share, sync, live share).",
    )
    run = models.ForeignKey(
        "workflows.WorkflowExecution", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+", help_text="Who wrote it through the admin or the API.")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        db_table = "bot_memory_versions"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["bot", "key", "-created_at"], name="memver_bot_key_created_idx")]

    def __str__(self) -> str:
        return f"{self.bot}: {self.key} @ {self.created_at:%Y-%m-%d %H:%M:%S}"


class BotSharedMemory(models.Model):
    """A memory one bot shared with another; sharing the same key again replaces it."""

    source_bot = models.ForeignKey(Bot, on_delete=models.CASCADE, related_name="shared_memories_out")
    target_bot = models.ForeignKey(Bot, on_delete=models.CASCADE, related_name="shared_memories_in")
    memory_key = models.CharField(max_length=200)
    memory_value = models.JSONField(null=True, blank=True)
    shared_at = models.DateTimeField(auto_now=True)
    shared_by_run = models.ForeignKey(
        "workflows.WorkflowExecution", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text="The run whose BOT SHARE MEMORY (or LIVE update) wrote this value.",
    )
    shared_by_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                       on_delete=models.SET_NULL, related_name="+")

    class Meta:
        db_table = "bot_shared_memory"
        ordering = ["-shared_at"]
        verbose_name_plural = "bot shared memories"
        constraints = [
            models.UniqueConstraint(
                fields=["source_bot", "target_bot", "memory_key"], name="bot_shared_memory_src_tgt_key_uniq"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source_bot} -> {self.target_bot}: {self.memory_key}"


class LiveShare(models.Model):
    """``BOT SHARE MEMORY key WITH bot LIVE``: every later write of ``key`` reaches the target."""

    source_bot = models.ForeignKey(Bot, on_delete=models.CASCADE, related_name="live_shares_out")
    target_bot = models.ForeignKey(Bot, on_delete=models.CASCADE, related_name="live_shares_in")
    memory_key = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by_run = models.ForeignKey(
        "workflows.WorkflowExecution", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        db_table = "bot_memory_live_shares"
        ordering = ["source_bot", "memory_key", "target_bot"]
        constraints = [
            models.UniqueConstraint(fields=["source_bot", "target_bot", "memory_key"], name="live_share_uniq")
        ]

    def __str__(self) -> str:
        return f"{self.source_bot} -> {self.target_bot}: {self.memory_key} (live)"


class UserMemory(models.Model):
    """``SET USER MEMORY``: a value a bot keeps per user (``user_key`` as on conversations)."""

    bot = models.ForeignKey(Bot, on_delete=models.CASCADE, related_name="user_memories")
    user_key = models.CharField(max_length=200)
    key = models.CharField(max_length=200)
    value = models.JSONField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "user_memories"
        ordering = ["bot", "user_key", "key"]
        verbose_name_plural = "user memories"
        constraints = [models.UniqueConstraint(fields=["bot", "user_key", "key"], name="user_memory_uniq")]

    def __str__(self) -> str:
        return f"{self.bot} / {self.user_key}: {self.key}"


class BotTableRow(models.Model):
    """One row of a bot's table (``SAVE``, ``INSERT``, ``FIND``, ``UPDATE``, ``DELETE`` in
    BASIC): a JSON object. Tables need no declaration; ``tables.bas`` documents their columns."""

    bot = models.ForeignKey(Bot, on_delete=models.CASCADE, related_name="table_rows")
    table = models.CharField(max_length=100)
    data = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "bot_table_rows"
        ordering = ["bot", "table", "id"]
        indexes = [models.Index(fields=["bot", "table", "id"], name="bot_table_rows_bot_table")]

    def __str__(self) -> str:
        return f"{self.bot} / {self.table} #{self.pk}"


class SessionVariable(models.Model):
    """``SET "session.k", v``: per conversation (``conversation:<id>``) or per root run (``run:<id>``)."""

    bot = models.ForeignKey(Bot, on_delete=models.CASCADE, related_name="session_variables")
    session_key = models.CharField(max_length=200)
    key = models.CharField(max_length=200)
    value = models.JSONField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "session_variables"
        ordering = ["bot", "session_key", "key"]
        constraints = [models.UniqueConstraint(fields=["session_key", "key"], name="session_variable_uniq")]

    def __str__(self) -> str:
        return f"{self.session_key}: {self.key}"


class RememberedQuerySet(models.QuerySet):
    def live(self, now=None):
        """Not expired (NULL ``expires_at`` never expires)."""
        now = now or timezone.now()
        return self.filter(models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now))

    def expired(self, now=None):
        return self.filter(expires_at__lte=now or timezone.now())


class Remembered(models.Model):
    """``REMEMBER k, v[, duration]`` per (bot, user); a text value is also a vector in Qdrant."""

    bot = models.ForeignKey(Bot, on_delete=models.CASCADE, related_name="remembered")
    user_key = models.CharField(max_length=200)
    key = models.CharField(max_length=200)
    value = models.JSONField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True, db_index=True)
    vector_id = models.UUIDField(null=True, blank=True, help_text="Point id in Qdrant (text values only).")
    vector_collection = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RememberedQuerySet.as_manager()

    class Meta:
        db_table = "remembered_memories"
        ordering = ["bot", "user_key", "key"]
        verbose_name = "remembered memory"
        verbose_name_plural = "remembered memories"
        constraints = [models.UniqueConstraint(fields=["bot", "user_key", "key"], name="remembered_uniq")]

    def __str__(self) -> str:
        return f"{self.bot} / {self.user_key}: {self.key}"

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()


class KnowledgeBase(models.Model):
    """A knowledge base of a bot: ``NAME.gbkb/<name>/`` of its package, or a website (``USE WEBSITE``).

    The rows are the truth about what is indexed (documents, hashes, chunk counts); the points
    in Qdrant (``collection``) are the index. ``documents_done``/``documents_total`` are the
    progress of the indexing under way (the admin shows them).
    """

    bot = models.ForeignKey(Bot, on_delete=models.CASCADE, related_name="knowledge_bases")
    name = models.CharField(max_length=200)
    source = models.CharField(max_length=16, choices=KbSource.choices, default=KbSource.PACKAGE)
    url = models.URLField(max_length=2000, blank=True, help_text="The website's address (website bases).")
    refresh_seconds = models.PositiveIntegerField(null=True, blank=True,
                                                  help_text="USE WEBSITE ... REFRESH: re-read after this long.")
    state = models.CharField(max_length=16, choices=KbState.choices, default=KbState.PENDING)
    collection = models.CharField(max_length=200, blank=True, help_text="Qdrant collection of its chunks.")
    embedder = models.CharField(max_length=200, blank=True, help_text="The model that embedded the chunks.")
    documents_total = models.PositiveIntegerField(default=0)
    documents_done = models.PositiveIntegerField(default=0)
    problem = models.TextField(blank=True, help_text="Why the last indexing of the whole base failed.")
    indexed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "knowledge_bases"
        ordering = ["bot", "name"]
        constraints = [models.UniqueConstraint(fields=["bot", "name"], name="knowledge_base_bot_name_uniq")]

    def __str__(self) -> str:
        return f"{self.bot}: {self.name}"


class KbDocument(models.Model):
    """One document of a knowledge base: ``path`` under the base's folder (or a page's address),
    the SHA-256 of its content when last indexed, and what became of it."""

    kb = models.ForeignKey(KnowledgeBase, on_delete=models.CASCADE, related_name="documents")
    path = models.CharField(max_length=1000)
    content_hash = models.CharField(max_length=64, blank=True)
    size = models.PositiveBigIntegerField(default=0, help_text="Bytes.")
    chunks = models.PositiveIntegerField(default=0)
    state = models.CharField(max_length=16, choices=KbState.choices, default=KbState.PENDING)
    problem = models.TextField(blank=True, help_text="Why this document could not be indexed.")
    indexed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "kb_documents"
        ordering = ["kb", "path"]
        verbose_name = "knowledge base document"
        constraints = [models.UniqueConstraint(fields=["kb", "path"], name="kb_document_kb_path_uniq")]

    def __str__(self) -> str:
        return f"{self.kb}: {self.path}"
