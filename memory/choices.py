from django.db import models


class MemorySource(models.TextChoices):
    """Where a write of bot memory came from (``MemoryVersion.source``)."""

    SCRIPT = "script", "script"
    SYNC = "sync", "BOT SYNC MEMORY"
    LIVE = "live", "live share"
    API = "api", "API"
    ADMIN = "admin", "admin"
