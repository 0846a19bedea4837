from django.contrib import admin

from designer.models import DesignerDocument
from generalbots.bots.admin.scoping import BotScopedAdminMixin


@admin.register(DesignerDocument)
class DesignerDocumentAdmin(BotScopedAdminMixin, admin.ModelAdmin):
    """Canvases of the user's bots; one saved into no bot belongs to nobody's organization, so
    only superusers see it (and staff must choose one of their bots for a canvas)."""

    list_display = ["name", "bot", "node_count", "updated_at"]
    list_filter = ["bot"]
    search_fields = ["name", "bot__name"]
    ordering = ["-updated_at"]
    list_select_related = ["bot"]
    autocomplete_fields = ["bot"]
    readonly_fields = ["id", "created_at", "updated_at"]

    @admin.display(description="nodes")
    def node_count(self, obj: DesignerDocument) -> int:
        return len((obj.graph or {}).get("nodes", []))
