"""The runs of the live dashboard (``/dashboard/``): HTMX pages over selectors and services.

Pages render in full, or as their named partial when HTMX asks (``request.htmx``). The
websocket script (``static/workflows/live.js``) fires ``workflow-changed`` on the page when a
``workflow.*`` message arrives, and each partial asks for itself again (``hx-trigger``), so
lists and run pages change without a reload.
"""

import re

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from generalbots.bots.selectors import bots_visible_to, typed_value
from generalbots.core.exceptions import ApplicationError, NotFoundError
from workflows import services
from workflows.choices import ExecutionStatus
from workflows.graph import build_stages, graph_svg, planned_stages
from workflows.selectors import (
    ExecutionFilters,
    execution_get_for_user,
    execution_list_for_user,
    execution_status_counts,
    run_approvals,
    run_failure,
    run_plan,
    run_variables,
)
from workflows.views.run_parts import event_timeline, run_steps_context, shown

PAGE_SIZE = 50
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
RUN_ACTIONS = {
    "cancel": ("execution_cancel", "Run cancelled."),
    "retry": ("execution_retry", "Run retried from the step that failed."),
    "resume": ("execution_resume_now", "Run resumed."),
}


class RunFilterForm(forms.Form):
    """The runs list's filters. Top-level runs only unless ``children`` is ticked; ``variable``
    is ``name=value``: runs started with that value (numbers and true/false read as such)."""

    bot = forms.ChoiceField(required=False)
    status = forms.ChoiceField(required=False, choices=[("", "any status"), *ExecutionStatus.choices])
    name = forms.CharField(required=False, max_length=200, widget=forms.TextInput(attrs={"placeholder": "workflow name"}))
    variable = forms.CharField(required=False, max_length=300,
                               widget=forms.TextInput(attrs={"placeholder": "variable=value"}))
    after = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date", "aria-label": "from"}))
    before = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date", "aria-label": "to"}))
    children = forms.BooleanField(required=False, label="with child runs")

    def __init__(self, *args, bots=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bot"].choices = [("", "any bot"), *((name, name) for name in bots)]

    def clean_variable(self):
        text = self.cleaned_data["variable"].strip()
        if not text:
            return None
        name, sep, value = text.partition("=")
        if not sep or not _NAME.fullmatch(name.strip()):
            raise forms.ValidationError("Write the variable as name=value, e.g. order_id=A-17.")
        return name.strip().lower(), typed_value(value)

    def filters(self) -> ExecutionFilters:
        """The selector's filters: the cleaned ones, or top-level runs only for an unbound or invalid form."""
        if not self.is_bound or not self.is_valid():
            return ExecutionFilters(roots_only=True)
        data = self.cleaned_data
        return ExecutionFilters(bot=data["bot"], status=data["status"], name=data["name"],
                                created_after=data["after"], created_before=data["before"],
                                roots_only=not data["children"], variable=data["variable"])


def _no_access(request):
    return render(request, "workflows/no_access.html", status=403)


@require_GET
@login_required
def dashboard(request):
    """Runs of the bots the user may see, newest first, filtered (top-level runs by default),
    with the count of each status; live over ``ws/workflows/``. Pages keep the filters (the
    links change ``page`` only)."""
    bot_names = list(bots_visible_to(user=request.user).values_list("name", flat=True))
    if not bot_names and not request.user.is_superuser:
        return _no_access(request)
    form = RunFilterForm(request.GET or None, bots=bot_names)
    filters = form.filters()
    page = Paginator(execution_list_for_user(user=request.user, filters=filters), PAGE_SIZE).get_page(
        request.GET.get("page"))
    counts = execution_status_counts(user=request.user, filters=filters)
    context = {"form": form, "page": page, "runs": page.object_list, "bot_filter": filters.bot,
               "counts": [(value, label, counts.get(value, 0)) for value, label in ExecutionStatus.choices],
               "total": sum(counts.values()), "status_filter": filters.status}
    if request.htmx:
        return render(request, "workflows/partials/run_rows.html", context)
    return render(request, "workflows/dashboard.html", context)


def _run_context(request, execution) -> dict:
    parts = run_steps_context(execution)
    steps, children, calls = parts["steps"], parts["children"], parts["calls"]
    run_url = lambda pk: reverse("workflows:run", args=[pk])  # noqa: E731
    planned = planned_stages(execution, run_plan(execution), steps, children, calls=calls, run_url=run_url)
    stages, progress = planned or (build_stages(execution, steps, children, calls=calls, run_url=run_url), None)
    return {
        "run": execution,
        "said": shown(execution.output),
        "failure": run_failure(execution),
        **parts,
        "approvals": list(run_approvals(execution)),
        "timeline": event_timeline(execution, steps),
        "variables": sorted(run_variables(execution).items()),
        "graph": graph_svg(stages),
        "progress": progress,
        "can_operate": request.user.is_superuser
        or bots_visible_to(user=request.user, operate=True).filter(pk=execution.bot_id).exists(),
    }


@require_GET
@login_required
def run_page(request, pk: str):
    """One run: status, graph, steps, approvals, variables, events and child runs; live over
    ``ws/workflows/runs/<id>/``."""
    try:
        execution = execution_get_for_user(user=request.user, execution_id=pk)
    except NotFoundError as exc:
        return render(request, "workflows/not_found.html", {"message": exc.message}, status=404)
    context = _run_context(request, execution)
    if request.htmx:
        return render(request, "workflows/partials/run_body.html", context)
    return render(request, "workflows/run.html", context)


def back_to_run(request, pk):
    """After a POST: the refreshed body for HTMX, a redirect to the run page otherwise."""
    if request.htmx:
        try:
            execution = execution_get_for_user(user=request.user, execution_id=pk)
        except NotFoundError as exc:  # as the run page answers: a hidden run is one that does not exist
            return render(request, "workflows/not_found.html", {"message": exc.message}, status=404)
        return render(request, "workflows/partials/run_body.html", _run_context(request, execution))
    return redirect("workflows:run", pk=pk)


@require_POST
@login_required
def run_action(request, pk: str, action: str):
    """Cancel, retry or resume a run through its service; the outcome is a message on the page."""
    try:
        execution = execution_get_for_user(user=request.user, execution_id=pk, operate=True)
        if action not in RUN_ACTIONS:
            raise NotFoundError(f"No run action {action!r}; use cancel, retry or resume.", code="workflows.no_action")
        service, done = RUN_ACTIONS[action]
        getattr(services, service)(execution=execution)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return back_to_run(request, pk)
