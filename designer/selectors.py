"""Reads of the designer: the documents and bots a user may open, a document's versions."""

from __future__ import annotations

from django.db.models import QuerySet

from designer.models import DesignerDocument
from generalbots.bots.models import Bot, BotScript
from generalbots.bots.selectors import bot_access_check, bots_visible_to
from generalbots.core.exceptions import NotFoundError


def documents_visible_to(*, user) -> QuerySet[DesignerDocument]:
    """Documents of the bots ``user`` may see (the per-bot rule of ``bots_visible_to``); a
    document of no bot belongs to nobody's organization, so only superusers see it."""
    docs = DesignerDocument.objects.select_related("bot")
    if user is not None and user.is_authenticated and user.is_superuser:
        return docs.all()
    return docs.filter(bot__in=bots_visible_to(user=user))


def document_get_for_user(*, document_id, user, operate: bool = False) -> DesignerDocument:
    """The document when ``user`` may see it (``operate``: and change it: the operator grant of
    its bot); else NotFoundError (a hidden document is answered like a missing one) or
    PermissionDeniedError from the bot's access check."""
    document = documents_visible_to(user=user).filter(pk=document_id).first()
    if document is None:
        raise NotFoundError("No such designer document.", code="designer.not_found",
                            extra={"id": str(document_id)})
    if operate and document.bot is not None:
        bot_access_check(user=user, bot=document.bot, operate=True)
    return document


def bot_scripts_for_user(*, user) -> QuerySet[BotScript]:
    """The current scripts of the bots ``user`` may see, for *Open a bot's script*."""
    return (BotScript.objects.current().filter(bot__in=bots_visible_to(user=user))
            .select_related("bot").order_by("bot__name", "name"))


def document_versions(*, document: DesignerDocument) -> QuerySet[BotScript]:
    """The published versions of the document's script, newest first."""
    if document.bot is None:
        return BotScript.objects.none()
    return (BotScript.objects.filter(bot=document.bot, name=document.script_name or document.name)
            .order_by("-created_at"))


def bot_names_in_organization(*, bot: Bot | None) -> set[str]:
    """Names of the bots a BOT step of ``bot``'s workflow may call (its organization's)."""
    if bot is None:
        return set(Bot.objects.values_list("name", flat=True))
    return set(Bot.objects.filter(organization_id=bot.organization_id).values_list("name", flat=True))
