from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db.models import Count, Q, Sum
from django.template.response import TemplateResponse
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from generalbots.bots.admin.scoping import BotScopedAdminMixin
from generalbots.bots.models import Bot
from generalbots.bots.selectors import bots_visible_to
from generalbots.core.exceptions import ApplicationError
from generalbots.core import dispatch
from memory import selectors, services
from memory.choices import KbSource, KbState, MemorySource
from memory.embeddings import Embedder, local_status, second_model_enabled, second_status
from memory.tasks import kb_index_task
from memory.models import (
    BotMemory,
    BotSharedMemory,
    BotTableRow,
    KbDocument,
    KnowledgeBase,
    LiveShare,
    MemoryVersion,
    Remembered,
    SessionVariable,
    UserMemory,
)

SHARE_INTRO = mark_safe("Share these memories with another bot of the same organization. Without <em>live</em> the "
                        "target sees them after <code>BOT SYNC MEMORY FROM</code>; with it, every later write reaches it.")


def _preview(value) -> str:
    return Truncator(repr(value) if not isinstance(value, str) else value).chars(60)


class ReadOnlyAdmin(BotScopedAdminMixin, admin.ModelAdmin):
    """Rows only the platform writes: visible (to the people of their bot), never added or edited here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class MemoryVersionInline(admin.TabularInline):
    model = MemoryVersion
    fk_name = "memory"
    extra = 0
    can_delete = False
    ordering = ["-created_at", "-id"]
    fields = ["created_at", "source", "source_bot", "run", "user", "value", "deleted"]
    readonly_fields = fields
    verbose_name_plural = "history (newest first)"

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("source_bot", "run", "user")


class ShareForm(forms.Form):
    target = forms.ModelChoiceField(
        queryset=Bot.objects.none(), label="Target bot",
        error_messages={"invalid_choice": "Choose one of the listed bots: memories are shared only with bots of "
                                          "their own organization that you operate."})
    live = forms.BooleanField(required=False, help_text="Keep the target updated on every later write.")

    def __init__(self, *args, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = targets


def _share_targets(*, user, memories: list[BotMemory]):
    """Where ``memories`` (of one organization) may go: the other bots of that organization
    that ``user`` operates."""
    sources = {m.bot_id for m in memories}
    organizations = {m.bot.organization_id for m in memories}
    targets = bots_visible_to(user=user, operate=True).filter(organization_id__in=organizations)
    if len(sources) == 1:
        targets = targets.exclude(pk__in=sources)
    return targets.order_by("name")


class ShareRulesForm(forms.ModelForm):
    """A share added here obeys the rules of ``BOT SHARE MEMORY`` (same organization, the
    target's ``memory-accept-from``)."""

    def clean(self):
        data = super().clean()
        if data.get("source_bot") and data.get("target_bot"):
            try:
                services.memory_share_check(source=data["source_bot"], target=data["target_bot"])
            except ApplicationError as exc:
                raise forms.ValidationError(exc.message) from None
        return data


@admin.register(BotMemory)
class BotMemoryAdmin(BotScopedAdminMixin, admin.ModelAdmin):
    list_display = ["key", "bot", "value_preview", "version_count", "updated_at"]
    list_filter = ["bot"]
    search_fields = ["key", "bot__name"]
    ordering = ["bot__name", "key"]
    list_select_related = ["bot"]
    autocomplete_fields = ["bot"]
    readonly_fields = ["updated_at"]
    inlines = [MemoryVersionInline]
    actions = ["share_with_bot"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_versions=Count("versions"))

    def get_readonly_fields(self, request, obj=None):
        return ["bot", "key", "updated_at"] if obj is not None else ["updated_at"]

    @admin.display(description="value")
    def value_preview(self, obj: BotMemory) -> str:
        return _preview(obj.value)

    @admin.display(description="versions", ordering="_versions")
    def version_count(self, obj: BotMemory) -> int:
        return obj._versions

    def save_model(self, request, obj, form, change):
        saved = services.bot_memory_set(bot=obj.bot, key=obj.key, value=obj.value, source=MemorySource.ADMIN,
                                        user=request.user)
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        services.bot_memory_delete(bot=obj.bot, key=obj.key, source=MemorySource.ADMIN, user=request.user)

    def delete_queryset(self, request, queryset):
        for memory in queryset.select_related("bot"):
            self.delete_model(request, memory)

    @admin.action(description="Share with another bot", permissions=["change"])
    def share_with_bot(self, request, queryset):
        memories = list(queryset.select_related("bot"))
        if len({m.bot.organization_id for m in memories}) > 1:
            self.message_user(request, "Select memories of one organization: memories are shared only with bots of "
                              "their own organization.", messages.ERROR)
            return None
        form = ShareForm(request.POST if "apply" in request.POST else None,
                         targets=_share_targets(user=request.user, memories=memories))
        if form.is_bound and form.is_valid():
            target, live = form.cleaned_data["target"], form.cleaned_data["live"]
            shared = 0
            for memory in memories:
                try:
                    services.memory_share(source_bot=memory.bot, target=target, key=memory.key, live=live,
                                          user=request.user)
                    shared += 1
                except ApplicationError as exc:
                    self.message_user(request, exc.message, messages.ERROR)
            if shared:
                self.message_user(request, f"Shared {shared} memories with {target.name}"
                                  + (" (live)." if live else "."), messages.SUCCESS)
            return None
        return TemplateResponse(request, "admin/intermediate_form.html", {
            **self.admin_site.each_context(request), "title": "Share memories with a bot", "opts": self.model._meta,
            "intro": SHARE_INTRO, "objects": memories, "form": form, "action": "share_with_bot",
            "action_checkbox_name": ACTION_CHECKBOX_NAME, "submit_label": "Share",
        })


@admin.register(MemoryVersion)
class MemoryVersionAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "bot", "key", "source", "source_bot", "run", "user", "value_preview", "deleted"]
    list_filter = ["source", "deleted", "bot"]
    search_fields = ["key", "bot__name"]
    ordering = ["-created_at", "-id"]
    list_select_related = ["bot", "source_bot", "run", "user"]
    date_hierarchy = "created_at"

    @admin.display(description="value")
    def value_preview(self, obj: MemoryVersion) -> str:
        return _preview(obj.value)


@admin.register(BotSharedMemory)
class BotSharedMemoryAdmin(BotScopedAdminMixin, admin.ModelAdmin):
    bot_path = ("source_bot", "target_bot")  # the people of either bot see (and operators change) a share
    form = ShareRulesForm
    list_display = ["memory_key", "source_bot", "target_bot", "value_preview", "shared_at", "shared_by_run"]
    list_filter = ["source_bot", "target_bot"]
    search_fields = ["memory_key", "source_bot__name", "target_bot__name"]
    ordering = ["-shared_at"]
    list_select_related = ["source_bot", "target_bot", "shared_by_run"]
    autocomplete_fields = ["source_bot", "target_bot"]
    readonly_fields = ["shared_at", "shared_by_run", "shared_by_user"]

    @admin.display(description="value")
    def value_preview(self, obj: BotSharedMemory) -> str:
        return _preview(obj.memory_value)


class LiveShareForm(ShareRulesForm):
    class Meta:
        model = LiveShare
        fields = ["source_bot", "target_bot", "memory_key"]


@admin.register(LiveShare)
class LiveShareAdmin(BotScopedAdminMixin, admin.ModelAdmin):
    bot_path = ("source_bot", "target_bot")
    form = LiveShareForm
    list_display = ["memory_key", "source_bot", "target_bot", "created_at", "created_by_run"]
    list_filter = ["source_bot", "target_bot"]
    search_fields = ["memory_key", "source_bot__name", "target_bot__name"]
    list_select_related = ["source_bot", "target_bot", "created_by_run"]
    autocomplete_fields = ["source_bot", "target_bot"]
    readonly_fields = ["created_at", "created_by_run"]

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        """Adding a live share is ``BOT SHARE MEMORY ... LIVE``: the same checks, the same effect."""
        services.memory_share(source_bot=obj.source_bot, target=obj.target_bot, key=obj.memory_key, live=True,
                              user=request.user)
        obj.pk = LiveShare.objects.get(source_bot=obj.source_bot, target_bot=obj.target_bot,
                                       memory_key=obj.memory_key).pk

    def delete_model(self, request, obj):
        services.live_share_delete(live_share=obj)


@admin.register(UserMemory)
class UserMemoryAdmin(ReadOnlyAdmin):
    list_display = ["key", "user_key", "bot", "value_preview", "updated_at"]
    list_filter = ["bot"]
    search_fields = ["key", "user_key", "bot__name"]
    list_select_related = ["bot"]

    @admin.display(description="value")
    def value_preview(self, obj: UserMemory) -> str:
        return _preview(obj.value)


@admin.register(BotTableRow)
class BotTableRowAdmin(ReadOnlyAdmin):
    """Rows of the bots' tables (SAVE / INSERT in BASIC): written by the bots' scripts only."""

    list_display = ["table", "bot", "data_preview", "updated_at"]
    list_filter = ["bot", "table"]
    search_fields = ["table", "bot__name"]
    list_select_related = ["bot"]
    readonly_fields = ["bot", "table", "data", "created_at", "updated_at"]

    @admin.display(description="data")
    def data_preview(self, obj: BotTableRow) -> str:
        return _preview(obj.data)


@admin.register(SessionVariable)
class SessionVariableAdmin(ReadOnlyAdmin):
    list_display = ["key", "session_key", "bot", "value_preview", "updated_at"]
    list_filter = ["bot"]
    search_fields = ["key", "session_key", "bot__name"]
    list_select_related = ["bot"]

    @admin.display(description="value")
    def value_preview(self, obj: SessionVariable) -> str:
        return _preview(obj.value)


@admin.register(Remembered)
class RememberedAdmin(ReadOnlyAdmin):
    list_display = ["key", "user_key", "bot", "value_preview", "expires_at", "indexed"]
    list_filter = ["bot", ("expires_at", admin.EmptyFieldListFilter)]
    search_fields = ["key", "user_key", "bot__name"]
    list_select_related = ["bot"]

    @admin.display(description="value")
    def value_preview(self, obj: Remembered) -> str:
        return _preview(obj.value)

    @admin.display(description="in Qdrant", boolean=True)
    def indexed(self, obj: Remembered) -> bool:
        return obj.vector_id is not None

    def delete_model(self, request, obj):
        services.remembered_delete(remembered=obj)

    def delete_queryset(self, request, queryset):
        for row in queryset:
            services.remembered_delete(remembered=row)


class KbDocumentInline(admin.TabularInline):
    model = KbDocument
    extra = 0
    can_delete = False
    fields = ["path", "state", "chunks", "size", "problem", "indexed_at"]
    readonly_fields = fields
    ordering = ["path"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(KnowledgeBase)
class KnowledgeBaseAdmin(ReadOnlyAdmin):
    """Each base with its documents, index state, progress and problems; a re-index action and,
    on a base's page, a search box over its passages. The list says which embedder is active."""

    list_display = ["name", "bot", "source", "state", "progress", "document_count", "failed_count", "chunk_count",
                    "embedder", "second_model", "indexed_at"]
    list_filter = ["state", "source", "bot"]
    search_fields = ["name", "bot__name", "url"]
    list_select_related = ["bot"]
    readonly_fields = ["bot", "name", "source", "url", "refresh_seconds", "state", "collection", "embedder",
                       "second_model", "documents_total", "documents_done", "problem", "indexed_at", "created_at"]
    inlines = [KbDocumentInline]
    actions = ["reindex"]
    change_form_template = "admin/memory/knowledgebase/change_form.html"
    change_list_template = "admin/memory/knowledgebase/change_list.html"

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(
            _documents=Count("documents"), _failed=Count("documents", filter=Q(documents__state=KbState.FAILED)),
            _chunks=Sum("documents__chunks", default=0))

    @admin.display(description="progress")
    def progress(self, obj: KnowledgeBase) -> str:
        return f"{obj.documents_done}/{obj.documents_total}"

    @admin.display(description="documents", ordering="_documents")
    def document_count(self, obj: KnowledgeBase) -> int:
        return obj._documents

    @admin.display(description="failed", ordering="_failed")
    def failed_count(self, obj: KnowledgeBase) -> int:
        return obj._failed

    @admin.display(description="chunks", ordering="_chunks")
    def chunk_count(self, obj: KnowledgeBase) -> int:
        return obj._chunks

    @admin.display(description="second model (kb-second-model)")
    def second_model(self, obj: KnowledgeBase) -> str:
        """What the bot's config asks of the second model: on (the default) or off."""
        try:
            return "on" if second_model_enabled(obj.bot) else "off"
        except ApplicationError as exc:
            return exc.message

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(request, {**(extra_context or {}), "embedder": local_status(),
                                                 "second": second_status()})

    def change_view(self, request, object_id, form_url="", extra_context=None):
        context = {**(extra_context or {}), "embedder": local_status()}
        kb = self.get_object(request, object_id)
        query = request.GET.get("q", "").strip()
        if kb is not None and query:
            context["query"] = query
            try:
                context["hits"] = selectors.kb_search(bot=kb.bot, query=query, kbs=[kb.name], top=10)
            except ApplicationError as exc:
                context["search_error"] = exc.message
        return super().change_view(request, object_id, form_url, context)

    @admin.action(description="Re-index (package bases: from the package; websites: read again)",
                  permissions=["change"])
    def reindex(self, request, queryset):
        queued = 0
        for kb in queryset.select_related("bot"):
            if kb.source == KbSource.PACKAGE:
                dispatch.enqueue(kb_index_task, kb.bot_id, kb.name)
                queued += 1
                continue
            try:
                services.kb_website_index(kb, embedder=Embedder.for_bot_kb(kb.bot))
                self.message_user(request, f"{kb.name}: read again.", messages.SUCCESS)
            except ApplicationError as exc:
                self.message_user(request, exc.message, messages.ERROR)
        if queued:
            self.message_user(request, f"Re-indexing {queued} base(s): the progress shows here.", messages.SUCCESS)

    def has_change_permission(self, request, obj=None):
        """No form to change a base, but operators may run the re-index action on theirs."""
        return obj is None and BotScopedAdminMixin.has_change_permission(self, request, obj)
