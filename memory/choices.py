from django.db import models


class MemorySource(models.TextChoices):
    """Where a write of bot memory came from (``MemoryVersion.source``)."""

    SCRIPT = "script", "script"
    SYNC = "sync", "BOT SYNC MEMORY"
    LIVE = "live", "live share"
    API = "api", "API"
    ADMIN = "admin", "admin"


class KbSource(models.TextChoices):
    """Where a knowledge base's documents come from."""

    PACKAGE = "package", "package folder"
    WEBSITE = "website", "website"


class KbState(models.TextChoices):
    """Index state of a knowledge base or of one of its documents."""

    PENDING = "pending", "pending"
    INDEXING = "indexing", "indexing"
    INDEXED = "indexed", "indexed"
    FAILED = "failed", "failed"
