from django.contrib import admin

from designer.models import DesignerDocument


@admin.register(DesignerDocument)
class DesignerDocumentAdmin(admin.ModelAdmin):
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
