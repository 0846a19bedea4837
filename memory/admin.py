from django.contrib import admin
from django.utils.text import Truncator

from memory.models import BotMemory, BotSharedMemory


def _preview(value) -> str:
    return Truncator(repr(value) if not isinstance(value, str) else value).chars(60)


@admin.register(BotMemory)
class BotMemoryAdmin(admin.ModelAdmin):
    list_display = ["key", "bot", "value_preview", "updated_at"]
    list_filter = ["bot"]
    search_fields = ["key", "bot__name"]
    ordering = ["bot__name", "key"]
    list_select_related = ["bot"]
    autocomplete_fields = ["bot"]
    readonly_fields = ["updated_at"]

    @admin.display(description="value")
    def value_preview(self, obj: BotMemory) -> str:
        return _preview(obj.value)


@admin.register(BotSharedMemory)
class BotSharedMemoryAdmin(admin.ModelAdmin):
    list_display = ["memory_key", "source_bot", "target_bot", "value_preview", "shared_at"]
    list_filter = ["source_bot", "target_bot"]
    search_fields = ["memory_key", "source_bot__name", "target_bot__name"]
    ordering = ["-shared_at"]
    list_select_related = ["source_bot", "target_bot"]
    autocomplete_fields = ["source_bot", "target_bot"]
    readonly_fields = ["shared_at"]

    @admin.display(description="value")
    def value_preview(self, obj: BotSharedMemory) -> str:
        return _preview(obj.memory_value)
