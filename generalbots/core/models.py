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
    llm_key_variables = models.TextField(
        blank=True, verbose_name="LLM key variables",
        help_text="Environment variables holding API keys that this organization's bots may use (comma- or "
                  "line-separated). An LLM model of one of its bots, from a package's config.csv "
                  "(llm-key,env:NAME) or from the admin, reads only these; set by superusers.")

    class Meta:
        db_table = "organizations"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def allows_key_variable(self, name: str) -> bool:
        """Whether this organization's bots may read the API key in the environment variable
        ``name``: a package's config.csv is written by the organization's people, so naming any
        variable would send the server's secrets (another organization's key, the secret key)
        to the URL the same file names."""
        return name in {part.strip() for part in self.llm_key_variables.replace("\n", ",").split(",") if part.strip()}
