from django.db import models

from generalbots.bots.models import Bot
from generalbots.core.models import BaseModel


class DocumentState(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class DesignerDocument(BaseModel):
    """A workflow open in the designer. ``basic_source`` is the program (the truth, DESIGN.md
    section 7); the canvas graph is rebuilt from it, and ``graph`` keeps only what BASIC does
    not carry: the node positions (``{"positions": {node id: [x, y]}}``). ``revision`` grows by
    one on every save, so a save made from an older revision is refused as a conflict."""

    name = models.CharField(max_length=200)
    bot = models.ForeignKey(Bot, null=True, blank=True, on_delete=models.SET_NULL, related_name="designer_documents")
    script_name = models.CharField(
        max_length=200, blank=True,
        help_text="The dialog of the bot this document publishes (a BotScript name); empty: the document's name.")
    graph = models.JSONField(default=dict, blank=True, help_text="Layout only: node positions by node id.")
    basic_source = models.TextField(blank=True)
    revision = models.PositiveIntegerField(default=1)
    state = models.CharField(max_length=16, choices=DocumentState.choices, default=DocumentState.DRAFT)

    class Meta:
        db_table = "designer_documents"
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return self.name
