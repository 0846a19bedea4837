"""The one way domain code sends realtime events to dashboards and websockets."""

import logging
import re
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

logger = logging.getLogger(__name__)

# Consumers handle every realtime event in one method, ``realtime_event``.
MESSAGE_TYPE = "realtime.event"
_EVENT_TYPE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")


def publish(*, group: str, type: str, data: dict[str, Any], using: str | None = None) -> None:
    """Send ``{"type": "realtime.event", "event": type, "data": data}`` to a Channels group.

    The message leaves only when the current transaction commits (at once outside one), so a
    rolled-back change is never announced. ``type`` is namespaced (``workflow.step``). Realtime
    messages are hints: a channel layer that is down is logged, never raised to the caller.
    """
    if not _EVENT_TYPE.match(type):
        raise ValueError(f"Realtime event types are namespaced, like 'workflow.step': {type!r}")
    message = {"type": MESSAGE_TYPE, "event": type, "data": data}

    def send() -> None:
        try:
            async_to_sync(get_channel_layer().group_send)(group, message)
        except Exception:
            logger.exception("Could not publish %s to group %s", type, group)

    transaction.on_commit(send, using=using)
