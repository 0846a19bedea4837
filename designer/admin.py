from django.contrib import admin
from django.db.models import Count, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce, NullIf

from designer.models import DesignerDocument
from generalbots.bots.admin.scoping import BotScopedAdminMixin
from generalbots.bots.models import BotScript


@admin.register(DesignerDocument)
class DesignerDocumentAdmin(BotScopedAdminMixin, admin.ModelAdmin):
    """Designer documents of the user's bots with their state and published versions; one
    saved into no bot belongs to nobody's organization, so only superusers see it (and staff
    must choose one of their bots for a document)."""

    list_display = ["name", "bot", "state", "revision", "version_count", "updated_at"]
    list_filter = ["state", "bot"]
    search_fields = ["name", "bot__name"]
    ordering = ["-updated_at"]
    list_select_related = ["bot"]
    autocomplete_fields = ["bot"]
    readonly_fields = ["id", "revision", "created_at", "updated_at"]

    def get_queryset(self, request):
        versions = (BotScript.objects.filter(bot=OuterRef("bot"), name=Coalesce(NullIf(OuterRef("script_name"), Value("")),
                                                                                  OuterRef("name")))
                    .order_by().values("bot").annotate(n=Count("pk")).values("n"))
        return super().get_queryset(request).annotate(versions=Coalesce(Subquery(versions), 0))

    @admin.display(description="versions", ordering="versions")
    def version_count(self, obj: DesignerDocument) -> int:
        return obj.versions
