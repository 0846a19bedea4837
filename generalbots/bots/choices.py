from django.db import models


class Channel(models.TextChoices):
    """Where a conversation takes place; one conversation per (bot, user, channel)."""

    WEB = "web", "Web chat"
    API = "api", "REST API"
    TERMINAL = "terminal", "Terminal"


class MessageRole(models.TextChoices):
    USER = "user", "User"
    BOT = "bot", "Bot"
    TOOL = "tool", "Tool"


class ProblemSeverity(models.TextChoices):
    ERROR = "error", "Error"
    WARNING = "warning", "Warning"
    NOTE = "note", "Note"
