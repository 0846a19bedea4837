"""The console's home page (``/``) and the web chat's pages (``/chat/``): the list of bots to
chat with, a bot's chat, its theme."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from generalbots.bots.selectors import bot_get_for_user, bots_visible_to
from generalbots.core.exceptions import NotFoundError
from workflows.choices import ApprovalStatus, ExecutionStatus
from workflows.selectors import ExecutionFilters, approval_list_for_user, execution_list_for_user

HOME_ROWS = 10


def _not_found(request, exc: NotFoundError):
    return render(request, "bots/not_found.html", {"message": exc.message}, status=404)


@require_GET
@login_required
def home(request):
    """Where the site starts: the user's bots, the runs waiting for a person (pending approvals),
    the latest failed runs, and links to every section. Four queries, whatever the data."""
    bots = list(bots_visible_to(user=request.user).order_by("name")[:50])
    context = {
        "bots": bots,
        "approvals": list(approval_list_for_user(user=request.user, status=ApprovalStatus.PENDING)[:HOME_ROWS]),
        "failures": list(execution_list_for_user(
            user=request.user, filters=ExecutionFilters(status=ExecutionStatus.FAILED, roots_only=True))[:HOME_ROWS]),
    }
    return render(request, "console/home.html", context)


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
    conversation itself runs over ``ws/chat/<bot>/``."""
    try:
        bot = bot_get_for_user(name=bot, user=request.user)
    except NotFoundError as exc:
        return _not_found(request, exc)
    return render(request, "bots/chat.html", {"bot": bot})


@require_GET
@login_required
def chat_theme(request, bot: str):
    """The CSS of the ``.gbtheme`` of a bot the user may see (else 404)."""
    try:
        bot = bot_get_for_user(name=bot, user=request.user)
    except NotFoundError as exc:
        return _not_found(request, exc)
    return HttpResponse(bot.theme_css, content_type="text/css; charset=utf-8")
