from django.db import models

from generalbots.bots.models import Bot
from generalbots.core.models import BaseModel


class DesignerDocument(BaseModel):
    """A canvas drawn on the designer: its graph and the BASIC generated from it."""

    name = models.CharField(max_length=200)
    bot = models.ForeignKey(Bot, null=True, blank=True, on_delete=models.SET_NULL, related_name="designer_documents")
    graph = models.JSONField(default=dict, blank=True)
    basic_source = models.TextField(blank=True)

    class Meta:
        db_table = "designer_documents"
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return self.name
