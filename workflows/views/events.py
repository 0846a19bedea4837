"""The live event log of the dashboard (``/dashboard/events/``): the events of the organizations
the user may read, newest first, filtered by name and source bot; the page listens on
``ws/workflows/events/`` and redraws its table (HTMX) when an event is published. ``?event=<id>``
without ``page`` opens the page that holds that event (links from a run's timeline end in its
``#event-<id>`` row)."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from workflows.events import event_list

PAGE_SIZE = 50


class EventFilterForm(forms.Form):
    name = forms.CharField(required=False, max_length=100, widget=forms.TextInput(attrs={"placeholder": "event name"}))
    bot = forms.CharField(required=False, max_length=100, widget=forms.TextInput(attrs={"placeholder": "source bot"}))


def _page_of(events, event_id: str | None) -> int:
    """The page of ``events`` (newest first) that holds the event ``event_id``: one COUNT of the
    newer ones among those the user may read, so an id the user may not read opens page 1."""
    if not (event_id or "").isdigit() or not events.filter(pk=int(event_id)).exists():
        return 1
    return events.filter(pk__gt=int(event_id)).count() // PAGE_SIZE + 1


@require_GET
@login_required
def event_log(request):
    """The event log page, or its table alone for HTMX."""
    form = EventFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    events = event_list(user=request.user, filters=filters)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page") or _page_of(events, request.GET.get("event")))
    context = {"form": form, "page": page, "events": page.object_list, "filters": filters}
    if request.htmx:
        return render(request, "workflows/partials/event_rows.html", context)
    return render(request, "workflows/events.html", context)
