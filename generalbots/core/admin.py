from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.db.models import Count, QuerySet
from rest_framework.authtoken.models import TokenProxy

from generalbots.core.models import Organization


class SuperuserOnlyMixin:
    """Admins of what no organization owns — user accounts, groups, API tokens, login records —
    are for superusers only: a staff member of one organization must not read another's tokens
    or change another's people (or make themselves superuser)."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request, *args):
        return request.user.is_active and request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser


for _model in (User, Group, TokenProxy, AccessAttempt, AccessLog, AccessFailureLog):
    _original = type(admin.site._registry[_model])
    admin.site.unregister(_model)
    admin.site.register(_model, type(_original.__name__, (SuperuserOnlyMixin, _original), {}))


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    """Organizations are created, edited and deleted by superusers. Other staff see their own
    organizations, read-only: which ones they are is a rule of the bots layer (a grant on one of
    the organization's bots), so ``generalbots.bots.admin`` registers a subclass that says it
    (``organizations_of``); this class alone shows them none."""

    list_display = ["name", "slug", "bot_count", "created_at"]
    search_fields = ["name", "slug"]
    ordering = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["id", "created_at", "updated_at"]

    def organizations_of(self, request) -> QuerySet[Organization]:
        """The organizations a non-superuser belongs to."""
        return Organization.objects.none()

    def get_queryset(self, request):
        queryset = super().get_queryset(request).annotate(bot_count=Count("bots"))
        if request.user.is_superuser:
            return queryset
        return queryset.filter(pk__in=self.organizations_of(request).values("pk"))

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    @admin.display(description="bots", ordering="bot_count")
    def bot_count(self, obj: Organization) -> int:
        return obj.bot_count
