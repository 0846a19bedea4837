"""The admin of bots, their scripts, conversations and messages, access grants and organizations."""

from django import forms
from django.contrib import admin, messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from generalbots.bots import services
from generalbots.bots.admin.scoping import BotScopedAdminMixin, is_autocomplete, organizations_visible_to
from generalbots.bots.models import Bot, BotAccess, BotScript, Conversation, Message
from generalbots.bots.selectors import bot_get, organizations_for_package_upload
from generalbots.core import admin as core_admin
from generalbots.core.exceptions import ApplicationError
from generalbots.core.models import Organization
from generalbots.core.services import organization_get_default


def _problem_lines(problems) -> str:
    if not problems:
        return "-"
    return format_html("<ul>{}</ul>", format_html_join(
        "", "<li><code>{}:{}</code> {}: {}</li>",
        ((p.get("path", ""), p.get("line", 0), p.get("severity", ""), p.get("message", "")) for p in problems)))


class BotScriptInline(admin.TabularInline):
    model = BotScript
    extra = 0
    can_delete = False
    show_change_link = True
    fields = ["name", "path", "is_tool", "problem_count", "short_hash", "updated_at"]
    readonly_fields = fields
    ordering = ["name"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(is_current=True)

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description="problems")
    def problem_count(self, obj: BotScript) -> int:
        return len(obj.problems or [])

    @admin.display(description="version")
    def short_hash(self, obj: BotScript) -> str:
        return obj.source_hash[:12]


class PackageUploadForm(forms.Form):
    package = forms.FileField(help_text="A .zip holding one NAME.gbai folder (or its contents).")
    organization = forms.ModelChoiceField(
        queryset=Organization.objects.none(), empty_label=None,
        help_text="The organization the bot belongs to. A bot that exists already must be this organization's.")

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["organization"]
        field.queryset = organizations
        default = organizations.filter(slug=organization_get_default().slug).first() or organizations.first()
        field.initial = default.pk if default is not None else None
        if default is None:
            field.help_text = ("You operate no bot yet, so there is no organization you may upload into: ask a "
                               "superuser for an operator grant.")


# Organizations: the core admin, with who belongs to one (a grant on one of its bots) said here.
admin.site.unregister(Organization)


@admin.register(Organization)
class OrganizationAdmin(core_admin.OrganizationAdmin):
    def organizations_of(self, request):
        return organizations_visible_to(user=request.user)

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if not request.user.is_superuser and is_autocomplete(request):  # choosing one for a bot or an event
            queryset = queryset.filter(pk__in=organizations_visible_to(user=request.user, operate=True).values("pk"))
        return queryset, may_have_duplicates


@admin.register(Bot)
class BotAdmin(BotScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "title", "organization", "is_active", "problem_count", "short_version", "updated_at",
                    "console_links"]
    list_filter = ["is_active", "organization"]
    search_fields = ["name", "title"]
    ordering = ["name"]
    list_select_related = ["organization"]
    autocomplete_fields = ["organization"]
    readonly_fields = ["id", "source_path", "version_hash", "problem_list", "manifest", "chat_link",
                       "console_links", "created_at", "updated_at"]
    exclude = ["problems", "theme_css"]
    inlines = [BotScriptInline]
    actions = ["reload_from_package", "activate", "deactivate"]
    change_list_template = "admin/bots/bot/change_list.html"

    def get_urls(self):
        return [path("upload/", self.admin_site.admin_view(self.upload_view), name="bots_bot_upload"),
                *super().get_urls()]

    bot_path = ""  # the row is the bot: staff see the bots granted to them, change those they operate

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if obj is not None and not request.user.is_superuser:  # moving a bot between organizations
            return [*fields, "organization"]
        return fields

    def upload_view(self, request):
        """Upload a .gbai zip into an organization: superusers choose any; other staff one whose
        bots they operate (``services.package_upload`` checks, validates, unpacks and loads)."""
        if not self.has_add_permission(request):
            return redirect("admin:bots_bot_changelist")
        form = PackageUploadForm(request.POST or None, request.FILES or None,
                                 organizations=organizations_for_package_upload(user=request.user))
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["package"]
            try:
                result = services.package_upload(file=upload, filename=upload.name,
                                                 organization=form.cleaned_data["organization"], user=request.user)
            except ApplicationError as exc:
                form.add_error("package", exc.message)
            else:
                bot = bot_get(name=result.name)  # the upload checked the user may operate it
                self.message_user(request, f"{result.name}: {result.status} from {upload.name}.", messages.SUCCESS)
                return redirect("admin:bots_bot_change", bot.pk)
        context = {**self.admin_site.each_context(request), "opts": self.model._meta, "form": form,
                   "title": "Upload a .gbai package", "submit_label": "Upload and load"}
        return TemplateResponse(request, "admin/intermediate_form.html", context)

    @admin.display(description="version", ordering="version_hash")
    def short_version(self, obj: Bot) -> str:
        return obj.version_hash[:12]

    @admin.display(description="problems")
    def problem_count(self, obj: Bot) -> int:
        return len(obj.problems or [])

    @admin.display(description="problems")
    def problem_list(self, obj: Bot) -> str:
        return _problem_lines(obj.problems)

    @admin.display(description="web chat")
    def chat_link(self, obj: Bot) -> str:
        if not obj.pk:
            return "-"
        url = reverse("console:chat", args=[obj.name])
        return format_html('<a href="{}">{}</a>', url, url)

    @admin.display(description="console")
    def console_links(self, obj: Bot) -> str:
        """Where the bot is used in the console: start a run from its form, its runs."""
        if not obj.pk:
            return "-"
        return format_html('<a href="{}">start a run</a> · <a href="{}?bot={}">runs</a>',
                           reverse("workflows:start-run", args=[obj.name]), reverse("workflows:dashboard"), obj.name)

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


@admin.register(BotScript)
class BotScriptAdmin(BotScopedAdminMixin, admin.ModelAdmin):
    """Scripts are written by packages: read-only here."""

    list_display = ["name", "bot", "path", "is_current", "is_tool", "problem_count", "short_hash", "updated_at"]
    list_filter = ["is_current", "is_tool", "bot"]
    search_fields = ["name", "path", "bot__name", "=source_hash"]
    ordering = ["bot__name", "name", "-created_at"]
    list_select_related = ["bot"]
    readonly_fields = ["bot", "name", "path", "source_hash", "is_current", "is_tool", "tool_schema", "problem_list",
                       "source", "created_at", "updated_at"]
    exclude = ["problems"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="problems")
    def problem_count(self, obj: BotScript) -> int:
        return len(obj.problems or [])

    @admin.display(description="problems")
    def problem_list(self, obj: BotScript) -> str:
        return _problem_lines(obj.problems)

    @admin.display(description="version", ordering="source_hash")
    def short_hash(self, obj: BotScript) -> str:
        return obj.source_hash[:12]


class MessageInline(admin.TabularInline):
    model = Message
    extra = 0
    can_delete = False
    fields = ["id", "role", "text", "data", "created_at"]
    readonly_fields = fields
    ordering = ["id"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Conversation)
class ConversationAdmin(BotScopedAdminMixin, admin.ModelAdmin):
    list_display = ["short_id", "bot", "user_key", "channel", "waiting_for", "has_error", "updated_at"]
    list_filter = ["channel", "bot"]
    search_fields = ["=id", "bot__name", "user_key", "user__username", "last_error", "messages__text"]
    ordering = ["-updated_at"]
    date_hierarchy = "updated_at"
    list_select_related = ["bot", "run"]
    raw_id_fields = ["user", "run"]
    readonly_fields = ["id", "bot", "user", "user_key", "channel", "run", "started_at", "last_error", "last_error_at",
                       "system_prompt", "contexts", "tools", "suggestions", "user_memory", "session",
                       "created_at", "updated_at"]
    inlines = [MessageInline]

    def has_add_permission(self, request):
        return False

    @admin.display(description="conversation", ordering="id")
    def short_id(self, obj: Conversation) -> str:
        return str(obj.id)[:8]

    @admin.display(description="waiting for")
    def waiting_for(self, obj: Conversation) -> str:
        return obj.run.waiting_for if obj.run is not None else "-"

    @admin.display(description="error", boolean=True, ordering="last_error_at")
    def has_error(self, obj: Conversation) -> bool:
        return bool(obj.last_error)


@admin.register(Message)
class MessageAdmin(BotScopedAdminMixin, admin.ModelAdmin):
    bot_path = "conversation__bot"
    list_display = ["id", "conversation", "role", "short_text", "created_at"]
    list_filter = ["role", "conversation__bot"]
    search_fields = ["text", "conversation__bot__name", "conversation__user_key"]
    ordering = ["-id"]
    date_hierarchy = "created_at"
    list_select_related = ["conversation__bot"]
    raw_id_fields = ["conversation"]
    readonly_fields = ["conversation", "role", "text", "data", "created_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="text")
    def short_text(self, obj: Message) -> str:
        return obj.text[:80]


@admin.register(BotAccess)
class BotAccessAdmin(BotScopedAdminMixin, admin.ModelAdmin):
    """Who may watch or operate a bot's runs in the dashboard, the workflow API and approvals.

    Staff who are not superusers grant only the bots they operate (the mixin limits the bot
    choices), so nobody grants themselves or anyone else more than they hold; and they grant to
    users or to one of their own groups (the group names of other organizations are not listed)."""

    list_display = ["bot", "user", "group", "can_operate", "updated_at"]
    list_filter = ["can_operate", "bot"]
    search_fields = ["bot__name", "user__username", "group__name"]
    list_select_related = ["bot", "user", "group"]
    autocomplete_fields = ["bot"]
    raw_id_fields = ["user"]
    readonly_fields = ["created_at", "updated_at"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "group" and not request.user.is_superuser:
            kwargs["queryset"] = request.user.groups.order_by("name")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
