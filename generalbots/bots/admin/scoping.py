"""Tenant scoping of the Django admin: the one mixin every platform ``ModelAdmin`` uses.

Superusers see and change everything. Everyone else — staff included: staff status only opens
the admin, it makes nobody a member of every organization — works under the rule of
``bots_visible_to``: they see the rows of the bots a BotAccess grant gives them (or one of their
groups), and change or delete only the rows of the bots they may operate (``can_operate``). On
top of the Django model permissions, never instead of them.

A ``ModelAdmin`` says where its rows' bot is (``bot_path``) and the mixin applies the rule to
everything the admin offers:

- the changelist, search, date hierarchy, change, delete and history pages (``get_queryset``:
  another organization's row by URL is "does not exist");
- related-field list filters list only the values of visible rows, never every bot;
- every choice of a form (foreign keys, many-to-many, raw-id and autocomplete fields) pointing
  at a bot, an organization or a row of another scoped admin offers only what the user
  operates — a value posted by hand outside it is refused like any invalid choice;
- a raw-id field names the row its value points at only when the user may see that row
  (:class:`ScopedRawIdWidget`): Django's widget names any row, so typing ids into the URL
  (``?llm_model=7``) would list another organization's names; users are named only when they
  share a bot with the user;
- change and delete of a row whose bot they may only watch are refused, and so are change and
  delete of global rows (no bot: global LLM models, the router settings), superusers' alone;
- actions that change or delete act only on the selected rows the user operates; the others
  are left out with a warning.

Rows without a bot stay visible read-only where ``global_rows_visible`` says so.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.admin.filters import RelatedOnlyFieldListFilter
from django.contrib.admin.utils import NotRelationField, get_fields_from_path
from django.contrib.admin.widgets import ForeignKeyRawIdWidget
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import Q, QuerySet

from generalbots.bots.models import Bot
from generalbots.bots.selectors import bots_visible_to
from generalbots.core.models import Organization

# Actions needing one of these model permissions change rows: they get only operable rows.
CHANGING_PERMISSIONS = frozenset({"change", "delete"})
NOTHING = Q(pk__in=[])


def organizations_visible_to(*, user, operate: bool = False) -> QuerySet[Organization]:
    """The organizations of the bots ``user`` may see (``operate``: operate). There is no
    user-to-organization link: a grant on one of its bots makes someone one of its people
    (the rule of the event log and of package uploads too)."""
    if user.is_superuser:
        return Organization.objects.all()
    return Organization.objects.filter(pk__in=bots_visible_to(user=user, operate=operate).values("organization_id"))


def users_visible_to(*, user) -> QuerySet:
    """The user and the people who share a bot with them (a grant of their own or through a
    group on a bot ``user`` sees): whose names a raw-id field may show them."""
    User = get_user_model()
    if user.is_superuser:
        return User.objects.all()
    bots = bots_visible_to(user=user)
    return User.objects.filter(Q(pk=user.pk) | Q(bot_access__bot__in=bots) | Q(groups__bot_access__bot__in=bots))


class ScopedRawIdWidget(ForeignKeyRawIdWidget):
    """A raw-id field that names its value's row only when it is one of ``labelled``."""

    def __init__(self, rel, admin_site, *, labelled: QuerySet, **kwargs):
        super().__init__(rel, admin_site, **kwargs)
        self.labelled = labelled

    def label_and_url_for_value(self, value):
        key = self.rel.get_related_field().name
        try:
            seen = self.labelled.using(self.db).filter(**{key: value}).exists()
        except (ValueError, ValidationError):
            seen = False
        return super().label_and_url_for_value(value) if seen else ("", "")


def is_autocomplete(request) -> bool:
    """Whether ``request`` asks the admin's autocomplete view for choices of a form field."""
    return getattr(request.resolver_match, "url_name", None) == "autocomplete"


def _operable_only(func):
    """Wrap an action so that, for non-superusers, it gets only the selected rows they operate."""

    @wraps(func)
    def action(modeladmin, request, queryset):
        if not request.user.is_superuser:
            allowed = modeladmin.scope_queryset(request, queryset, operate=True)
            kept = allowed.count()
            left_out = queryset.count() - kept
            if left_out:
                modeladmin.message_user(
                    request, f"{left_out} of the selected {modeladmin.model._meta.verbose_name_plural} left out: "
                    "you may view them but not change them (no operator grant on their bot).", messages.WARNING)
            if not kept:
                return None
            queryset = allowed
        return func(modeladmin, request, queryset)

    return action


class BotScopedAdminMixin:
    """Scope a ``ModelAdmin`` to the bots of the user (see the module docstring).

    ``bot_path``: the lookup from a row to its bot — ``"bot"``, ``"conversation__bot"``,
    ``"execution__bot"``, ``"llm_model__bot"``; ``""`` when the row is a bot; a tuple when
    any of several bots makes the row visible (a share: source or target); ``None`` for a
    model of global rows only (the router settings). ``organization_path`` instead: rows that
    belong to an organization, not to a bot (events), visible in the organizations of the bots
    the user sees (``organizations_visible_to``). ``global_rows_visible``: rows whose bot is
    empty are shown (read-only) to everyone who may view the model.
    """

    bot_path: str | tuple[str, ...] | None = "bot"
    organization_path: str | None = None
    global_rows_visible = False

    # ----------------------------------------------------------------------------- the rule
    def _bot_paths(self) -> tuple[str, ...]:
        if self.bot_path is None:
            return ()
        return (self.bot_path,) if isinstance(self.bot_path, str) else tuple(self.bot_path)

    def scope_filter(self, request, *, operate: bool) -> Q:
        """The rows a non-superuser may see (``operate``: change and delete)."""
        if self.organization_path is not None:
            organizations = organizations_visible_to(user=request.user, operate=operate)
            return Q(**{f"{self.organization_path}__in": organizations})
        paths = self._bot_paths()
        if not paths:
            return Q() if self.global_rows_visible and not operate else NOTHING
        bots = bots_visible_to(user=request.user, operate=operate)
        condition = Q()
        for path in paths:
            condition |= Q(**{f"{path or 'pk'}__in": bots})
        if self.global_rows_visible and not operate:
            condition |= Q(**{f"{path}__isnull": True for path in paths})
        return condition

    def scope_queryset(self, request, queryset: QuerySet, *, operate: bool = False) -> QuerySet:
        if request.user.is_superuser:
            return queryset
        return queryset.filter(self.scope_filter(request, operate=operate))

    def _row_allowed(self, request, obj, *, operate: bool) -> bool:
        """Whether ``obj`` (as stored) is within the user's scope; one query per row and request."""
        if request.user.is_superuser or obj is None or obj.pk is None:
            return True
        cache = request.__dict__.setdefault("_gb_admin_scope", {})
        key = (self.model._meta.label_lower, obj.pk, operate)
        if key not in cache:
            rows = self.model._default_manager.filter(pk=obj.pk)
            cache[key] = self.scope_queryset(request, rows, operate=operate).exists()
        return cache[key]

    # ------------------------------------------------------------------------ rows and pages
    def get_queryset(self, request):
        return self.scope_queryset(request, super().get_queryset(request))

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if is_autocomplete(request):  # choosing a value for a form field: only what the user operates
            queryset = self.scope_queryset(request, queryset, operate=True)
        return queryset, may_have_duplicates

    def get_list_filter(self, request):
        filters = super().get_list_filter(request)
        if request.user.is_superuser:
            return filters
        return [self._related_only(entry) for entry in filters]

    def _related_only(self, entry):
        """A related-field filter lists every row of the related model (every bot of every
        organization); for scoped users, only the values of the rows they see."""
        if not isinstance(entry, str):
            return entry
        try:
            field = get_fields_from_path(self.model, entry)[-1]
        except (FieldDoesNotExist, NotRelationField):
            return entry
        return (entry, RelatedOnlyFieldListFilter) if field.is_relation else entry

    # --------------------------------------------------------------------------- permissions
    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self._row_allowed(request, obj, operate=False)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._row_allowed(request, obj, operate=True)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._row_allowed(request, obj, operate=True)

    def has_add_permission(self, request):
        global_model = not self._bot_paths() and self.organization_path is None
        if global_model and not request.user.is_superuser:  # global rows: superusers' alone
            return False
        return super().has_add_permission(request)

    # --------------------------------------------------------------------------------- forms
    def choice_queryset(self, request, model) -> QuerySet | None:
        """What a non-superuser may choose for a field pointing at ``model``; None: unscoped."""
        if model is Bot:
            return bots_visible_to(user=request.user, operate=True)
        if model is Organization:
            return organizations_visible_to(user=request.user, operate=True)
        related = self.admin_site._registry.get(model)
        if isinstance(related, BotScopedAdminMixin):
            return related.scope_queryset(request, model._default_manager.all(), operate=True)
        return None

    def label_queryset(self, request, model) -> QuerySet:
        """The rows of ``model`` whose names a non-superuser may read (raw-id fields)."""
        if model is Bot:
            return bots_visible_to(user=request.user)
        if model is Organization:
            return organizations_visible_to(user=request.user)
        if model is get_user_model():
            return users_visible_to(user=request.user)
        related = self.admin_site._registry.get(model)
        if isinstance(related, BotScopedAdminMixin):
            return related.scope_queryset(request, model._default_manager.all())
        return model._default_manager.none()

    def _scoped_choices(self, db_field, request, kwargs: dict) -> dict:
        if request.user.is_superuser or "queryset" in kwargs:
            return kwargs
        queryset = self.choice_queryset(request, db_field.remote_field.model)
        if queryset is not None:
            kwargs["queryset"] = queryset
            if db_field.name in self._bot_paths() and db_field.null:
                kwargs["required"] = True  # an empty bot would make a global row, superusers' alone
        return kwargs

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs = self._scoped_choices(db_field, request, kwargs)
        if not request.user.is_superuser and db_field.name in self.raw_id_fields and "widget" not in kwargs:
            kwargs["widget"] = ScopedRawIdWidget(
                db_field.remote_field, self.admin_site, using=kwargs.get("using"),
                labelled=self.label_queryset(request, db_field.remote_field.model))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        return super().formfield_for_manytomany(db_field, request, **self._scoped_choices(db_field, request, kwargs))

    # ------------------------------------------------------------------------------- actions
    def get_action(self, action):
        found = super().get_action(action)
        if found is None:
            return None
        func, name, description = found
        if CHANGING_PERMISSIONS & set(getattr(func, "allowed_permissions", ())):
            func = _operable_only(func)
        return func, name, description
