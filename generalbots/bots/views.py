from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from generalbots.bots.selectors import bot_get
from generalbots.core.exceptions import NotFoundError


def _not_found(request, exc: NotFoundError):
    return render(request, "bots/not_found.html", {"message": exc.message}, status=404)


@require_GET
@login_required
def chat_page(request, bot: str):
    """The web chat of a bot; the conversation itself runs over ``ws/chat/<bot>/``."""
    try:
        bot = bot_get(name=bot)
    except NotFoundError as exc:
        return _not_found(request, exc)
    return render(request, "bots/chat.html", {"bot": bot})


@require_GET
@login_required
def chat_theme(request, bot: str):
    """The CSS of the bot's ``.gbtheme``."""
    try:
        bot = bot_get(name=bot)
    except NotFoundError as exc:
        return _not_found(request, exc)
    return HttpResponse(bot.theme_css, content_type="text/css; charset=utf-8")
