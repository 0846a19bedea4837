import uuid

from django.db import models


class TimeStampedModel(models.Model):
    """Audit timestamps every table carries."""

    created_at = models.DateTimeField(auto_now_add=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True, editable=False)

    class Meta:
        abstract = True


class BaseModel(TimeStampedModel):
    """A row addressed from outside (URLs, API, other processes): a UUID key."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)

    class Meta:
        abstract = True


class Organization(BaseModel):
    """The tenant: bots, runs and events belong to one, and events never cross them."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True)

    class Meta:
        db_table = "organizations"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
