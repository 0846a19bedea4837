"""Form posts (``ON FORM SUBMIT "name"`` in BASIC): a post is an event of the bot's organization.

``POST /api/bots/<bot>/forms/<name>`` (``console.api``) calls ``form_submit``; the event
``form:<name>`` wakes the organization's runs that handle it, like any event (``workflows.events``).
"""

from __future__ import annotations

from django.utils import timezone

from generalbots.basic import FORM_EVENT_PREFIX
from generalbots.bots.models import Bot
from workflows.events import event_publish
from workflows.models import WorkflowEvent


def form_submit(*, bot: Bot, form: str, fields: dict, metadata: dict | None = None,
                submitted_by=None) -> WorkflowEvent:
    """One post of form ``form`` of ``bot``: the event ``form:<form>`` with data
    ``{"fields": fields, "metadata": {...}}`` (``metadata`` such as utm_source, then the form,
    the bot, when and by whom), which runs the ``ON FORM SUBMIT "<form>"`` handlers of the
    organization's waiting runs. The caller has checked that ``submitted_by`` may use ``bot``
    (``bot_get_for_user``); a bad form name or too much data is an ApplicationError naming it."""
    meta = {**(metadata or {}), "form": form, "bot": bot.name, "submitted_at": timezone.now().isoformat(),
            "submitted_by": getattr(submitted_by, "username", None) or None}
    return event_publish(organization=bot.organization, name=f"{FORM_EVENT_PREFIX}{form}",
                         data={"fields": fields, "metadata": meta}, source_bot=bot, published_by=submitted_by)
