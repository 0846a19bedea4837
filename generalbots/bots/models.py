from django.db import models

from generalbots.core.models import BaseModel, Organization


class BotQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Bot(BaseModel):
    """A bot installed from a ``.gbai`` package."""

    name = models.SlugField(max_length=100, unique=True)
    title = models.CharField(max_length=200, blank=True)
    source_path = models.CharField(max_length=1024, blank=True, help_text="The .gbai folder it was loaded from.")
    version_hash = models.CharField(max_length=64, blank=True, help_text="SHA-256 over every file of the package.")
    config = models.JSONField(default=dict, blank=True, help_text="The rows of config.csv.")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="bots")
    is_active = models.BooleanField(default=True)

    objects = BotQuerySet.as_manager()

    class Meta:
        db_table = "bots"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
