from django.contrib import admin, messages

from generalbots.bots import services
from generalbots.bots.models import Bot
from generalbots.core.exceptions import ApplicationError


@admin.register(Bot)
class BotAdmin(admin.ModelAdmin):
    list_display = ["name", "title", "organization", "is_active", "short_version", "updated_at"]
    list_filter = ["is_active", "organization"]
    search_fields = ["name", "title"]
    ordering = ["name"]
    list_select_related = ["organization"]
    autocomplete_fields = ["organization"]
    readonly_fields = ["id", "source_path", "version_hash", "created_at", "updated_at"]
    actions = ["reload_from_package", "activate", "deactivate"]

    @admin.display(description="version", ordering="version_hash")
    def short_version(self, obj: Bot) -> str:
        return obj.version_hash[:12]

    @admin.action(description="Reload selected bots from their packages", permissions=["change"])
    def reload_from_package(self, request, queryset):
        for bot in queryset:
            try:
                status = services.bot_reload(bot=bot)
            except ApplicationError as exc:
                self.message_user(request, exc.message, messages.ERROR)
            else:
                self.message_user(request, f"{bot.name}: {status}.", messages.SUCCESS)

    @admin.action(description="Activate selected bots", permissions=["change"])
    def activate(self, request, queryset):
        for bot in queryset:
            services.bot_set_active(bot=bot, active=True)
        self.message_user(request, f"{queryset.count()} bot(s) activated.", messages.SUCCESS)

    @admin.action(description="Deactivate selected bots", permissions=["change"])
    def deactivate(self, request, queryset):
        for bot in queryset:
            services.bot_set_active(bot=bot, active=False)
        self.message_user(request, f"{queryset.count()} bot(s) deactivated.", messages.SUCCESS)
