"""The admin of the event bus: ``WorkflowEventAdmin`` with its consumption inline and the
"publish a test event" action (an intermediate form; the event goes through
``events.event_publish`` like any other)."""

import json

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.template.response import TemplateResponse

from generalbots.bots.admin.scoping import BotScopedAdminMixin
from generalbots.core.exceptions import ApplicationError
from generalbots.core.models import Organization
from workflows import events
from workflows.models import WorkflowEvent, WorkflowEventConsumption


class WorkflowEventConsumptionInline(admin.TabularInline):
    model = WorkflowEventConsumption
    extra = 0
    fields = ["execution", "kind", "consumed_at"]
    readonly_fields = fields
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("execution")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class PublishEventForm(forms.Form):
    organization = forms.ModelChoiceField(
        queryset=Organization.objects.none(),
        error_messages={"invalid_choice": "Choose one of the listed organizations: you may publish events only in "
                                          "organizations where you operate a bot."})
    name = forms.CharField(max_length=100, help_text="Letters, digits and _ . : - (no spaces).")
    data = forms.CharField(widget=forms.Textarea(attrs={"rows": 6, "cols": 60}), required=False, initial="{}",
                           help_text="JSON; empty means {}.")

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations.order_by("name")

    def clean_name(self):
        try:
            return events.event_name_check(self.cleaned_data["name"])
        except ApplicationError as exc:
            raise forms.ValidationError(exc.message) from None

    def clean_data(self):
        raw = (self.cleaned_data.get("data") or "").strip() or "{}"
        try:
            return json.loads(raw)
        except ValueError as exc:
            raise forms.ValidationError(f"Not JSON: {exc}") from None


@admin.action(description="Publish a test event (like the selected one)…", permissions=["publish"])
def publish_test_event(modeladmin, request, queryset):
    """Ask for name, data and organization (pre-filled from the first selected event), then
    publish through the service: waiting runs of that organization wake up. Only organizations
    where the user operates a bot are offered (and accepted)."""
    organizations = events.organizations_visible_to(user=request.user, operate=True)
    if request.POST.get("publish"):
        form = PublishEventForm(request.POST, organizations=organizations)
        if form.is_valid():
            try:
                event = events.event_publish(organization=form.cleaned_data["organization"],
                                             name=form.cleaned_data["name"], data=form.cleaned_data["data"],
                                             published_by=request.user)
            except ApplicationError as exc:
                modeladmin.message_user(request, exc.message, messages.ERROR)
                return None
            modeladmin.message_user(request, f"Published {event.event_name} #{event.pk}.", messages.SUCCESS)
            return None
    else:
        first = queryset.select_related("organization").first()
        form = PublishEventForm(initial={"organization": first.organization_id, "name": first.event_name,
                                         "data": json.dumps(first.event_data, indent=2)} if first else None,
                                organizations=organizations)
    context = {**modeladmin.admin_site.each_context(request), "title": "Publish a test event", "form": form,
               "queryset": queryset, "opts": modeladmin.model._meta,
               "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME}
    return TemplateResponse(request, "admin/workflows/publish_event.html", context)


@admin.register(WorkflowEvent)
class WorkflowEventAdmin(BotScopedAdminMixin, admin.ModelAdmin):
    """Events of the organizations of the bots the user sees — the rule of the dashboard's event
    log and of the events API (``events.event_list``); events never cross organizations."""

    bot_path = None
    organization_path = "organization"
    list_display = ["id", "event_name", "organization", "source_bot", "published_by", "workflow", "created_at"]
    list_filter = ["organization", "created_at"]
    search_fields = ["event_name", "source_bot__name", "published_by__username"]
    ordering = ["-id"]
    date_hierarchy = "created_at"
    list_select_related = ["organization", "source_bot", "published_by", "workflow"]
    autocomplete_fields = ["organization", "source_bot"]
    raw_id_fields = ["workflow"]
    readonly_fields = ["published_by", "created_at"]
    inlines = [WorkflowEventConsumptionInline]
    actions = [publish_test_event]

    def has_add_permission(self, request):
        return False  # a row typed here would wake nobody: the "publish a test event" action publishes

    def has_publish_permission(self, request) -> bool:
        """Publishing needs the model's add permission (the add form itself is off)."""
        opts = self.opts
        return request.user.has_perm(f"{opts.app_label}.add_{opts.model_name}")
