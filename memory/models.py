from django.db import models

from generalbots.bots.models import Bot


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


class BotSharedMemory(models.Model):
    """A memory one bot shared with another; sharing the same key again replaces it."""

    source_bot = models.ForeignKey(Bot, on_delete=models.CASCADE, related_name="shared_memories_out")
    target_bot = models.ForeignKey(Bot, on_delete=models.CASCADE, related_name="shared_memories_in")
    memory_key = models.CharField(max_length=200)
    memory_value = models.JSONField(null=True, blank=True)
    shared_at = models.DateTimeField(auto_now=True)

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
