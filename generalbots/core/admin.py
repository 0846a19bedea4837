from django.contrib import admin
from django.db.models import Count

from generalbots.core.models import Organization


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "bot_count", "created_at"]
    search_fields = ["name", "slug"]
    ordering = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["id", "created_at", "updated_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(bot_count=Count("bots"))

    @admin.display(description="bots", ordering="bot_count")
    def bot_count(self, obj: Organization) -> int:
        return obj.bot_count
