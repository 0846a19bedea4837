"""The console's home page (``/``) and the web chat's pages (``/chat/``): the list of bots to
chat with, a bot's chat, its theme."""

from datetime import datetime, time, timedelta

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from console.charts import bars, budget_columns, stacked_columns
from console.templatetags.console import took
from designer.gallery.selectors import templates_list

from generalbots.bots.selectors import bot_get_for_user, bots_visible_to
from generalbots.core.exceptions import NotFoundError
from workflows.choices import ApprovalStatus, ExecutionStatus
from llmrouter.selectors import budget_use_by_day, calls_by_day
from workflows.graph import STATUS_COLOURS
from workflows.selectors import (ExecutionFilters, approval_list_for_user, execution_list_for_user, runs_by_day,
                                 startable_scripts, step_durations, workflow_summary)

HOME_ROWS = 10
CHART_DAYS = (7, 14, 30, 90)


def _not_found(request, exc: NotFoundError):
    return render(request, "bots/not_found.html", {"message": exc.message}, status=404)


@require_GET
@login_required
def home(request):
    """Where the site starts: the user's bots, the runs waiting for a person (pending approvals),
    the latest failed runs, the workflow templates (read from disk), and links to every section.
    Four queries, whatever the data."""
    bots = list(bots_visible_to(user=request.user).order_by("name")[:50])
    context = {
        "bots": bots,
        "approvals": list(approval_list_for_user(user=request.user, status=ApprovalStatus.PENDING)[:HOME_ROWS]),
        "failures": list(execution_list_for_user(
            user=request.user, filters=ExecutionFilters(status=ExecutionStatus.FAILED, roots_only=True))[:HOME_ROWS]),
        "templates": templates_list(),
    }
    return render(request, "console/home.html", context)


def _pivot(rows, key: str, value: str) -> dict[str, dict[str, float]]:
    series: dict[str, dict[str, float]] = {}
    for row in rows:
        series.setdefault(str(row[key]), {})[row["day"].isoformat()] = float(row[value] or 0)
    return series


@require_GET
@login_required
def charts(request):
    """Charts where a table reads worse: runs by status per day, step durations per workflow,
    and for staff LLM calls, cost and latency per model per day and each bot's spend against
    its daily budget (``?days=`` 7, 14, 30 or 90). Six queries: one per chart's data, and the
    router settings with the budgets' spend."""
    days = int(request.GET["days"]) if request.GET.get("days", "").isdigit() else 14
    days = days if days in CHART_DAYS else 14
    today = timezone.localdate()
    since = timezone.make_aware(datetime.combine(today - timedelta(days=days - 1), time.min))
    xs = [(today - timedelta(days=n)).isoformat() for n in range(days - 1, -1, -1)]
    runs = _pivot(runs_by_day(user=request.user, since=since), "status", "count")
    labels = dict(ExecutionStatus.choices)
    context = {
        "days": days, "choices": CHART_DAYS,
        "runs_chart": stacked_columns("Runs by status per day", xs,
                                      {labels.get(s, s): v for s, v in runs.items()},
                                      colours={labels[s]: c for s, c in STATUS_COLOURS.items() if s in labels}),
        "durations": (durations := step_durations(user=request.user, since=since)),
        "durations_chart": bars("Mean step duration", [
            (f"{row['workflow']} · STEP {row['step']}", row["mean"].total_seconds(), took(row["mean"]))
            for row in durations]),
    }
    if request.user.is_staff:
        calls = calls_by_day(user=request.user, since=since)
        context["llm_charts"] = [
            stacked_columns("LLM calls per model per day", xs, _pivot(calls, "model_key", "calls")),
            stacked_columns("LLM cost per model per day", xs, _pivot(calls, "model_key", "cost"), unit=" $"),
            stacked_columns("Mean LLM latency per model per day (stacked)", xs,
                            _pivot(calls, "model_key", "latency_ms"), unit=" ms"),
        ]
        context["budget_charts"] = [
            (use["bot"], use["limit"], budget_columns(f"LLM spend of {use['bot']} per day against its daily budget", xs,
                                                      {day: float(spent) for day, spent in use["days"].items()},
                                                      float(use["limit"])))
            for use in budget_use_by_day(user=request.user, since=since)]
    return render(request, "console/charts.html", context)


@require_GET
@login_required
def chat_list(request):
    """The bots the user may chat with (the rule of ``chat_page``), by name: where the
    navigation's "Chat" leads."""
    return render(request, "bots/chat_list.html", {"bots": bots_visible_to(user=request.user).order_by("name")})


@require_GET
@login_required
def chat_page(request, bot: str):
    """The web chat of a bot the user may see (else the 404 of an unknown bot); the
    conversation itself runs over ``ws/chat/<bot>/``. A bot whose start dialog is a workflow
    first says what it does and that chatting starts a real run (``?start=yes`` goes on, and the
    chat then confirms the run on the socket, which refuses to start it unconfirmed)."""
    try:
        bot = bot_get_for_user(name=bot, user=request.user)
    except NotFoundError as exc:
        return _not_found(request, exc)
    if request.GET.get("start") != "yes":
        script = startable_scripts(bots=[bot]).filter(is_workflow=True).first()
        summary = workflow_summary(script) if script is not None else None
        if summary is not None:
            return render(request, "bots/chat_confirm.html",
                          {"bot": bot, "script": script, "workflow": summary[0], "summary": summary[1]})
    return render(request, "bots/chat.html", {"bot": bot, "confirmed": request.GET.get("start") == "yes"})


@require_GET
@login_required
def chat_theme(request, bot: str):
    """The CSS of the ``.gbtheme`` of a bot the user may see (else 404)."""
    try:
        bot = bot_get_for_user(name=bot, user=request.user)
    except NotFoundError as exc:
        return _not_found(request, exc)
    return HttpResponse(bot.theme_css, content_type="text/css; charset=utf-8")
