from django.db import models


class ModelSource(models.TextChoices):
    """Who wrote a registry entry: an operator in the admin, or a bot's config.csv on load."""

    ADMIN = "admin", "Admin"
    CONFIG = "config", "config.csv"


class Goal(models.TextChoices):
    """What ``LLM ... WITH OPTIMIZE FOR`` asks the router to favour."""

    SPEED = "speed", "Speed"
    COST = "cost", "Cost"
    QUALITY = "quality", "Quality"
    BALANCED = "balanced", "Balanced"
