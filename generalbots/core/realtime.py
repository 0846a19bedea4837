"""The one way domain code sends realtime events to dashboards and websockets.

``publish`` queues a message when the current transaction commits; one background sender per
process (a daemon thread with its own event loop) sends the queued messages in order over one
channel-layer connection. Publishing never waits on the channel layer, so a slow or stopped
Redis delays dashboards but never a workflow slice; the messages are hints (the database is
the truth), so a full queue drops the newest message with a log line rather than growing
without bound.
"""

import asyncio
import logging
import os
import re
import threading
from typing import Any

from channels.layers import get_channel_layer
from django.db import transaction

logger = logging.getLogger(__name__)

# Consumers handle every realtime event in one method, ``realtime_event``.
MESSAGE_TYPE = "realtime.event"
MAX_QUEUED = 10_000
_EVENT_TYPE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")


class _Sender:
    """Sends ``(group, message)`` pairs in order from a background event loop; restarted in a
    forked child (Celery's prefork workers) because threads do not survive a fork."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pid: int | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._queue: asyncio.Queue | None = None

    def _ensure_started(self) -> None:
        with self._lock:
            if self._pid == os.getpid():
                return
            started = threading.Event()

            def run() -> None:
                loop = asyncio.new_event_loop()
                asyncio.set_event_loop(loop)
                self._loop, self._queue = loop, asyncio.Queue()
                started.set()
                loop.run_until_complete(self._drain())

            threading.Thread(target=run, name="realtime-sender", daemon=True).start()
            started.wait()
            self._pid = os.getpid()

    async def _drain(self) -> None:
        layer = get_channel_layer()
        while True:
            group, message, done = await self._queue.get()
            try:
                if group is not None:
                    await layer.group_send(group, message)
            except Exception as exc:
                if isinstance(exc, OSError) or type(exc).__module__.startswith("redis"):
                    # the channel layer is down: one line per message, no traceback
                    logger.warning("Could not publish %s to group %s: %s", message.get("event"), group, exc)
                else:
                    logger.exception("Could not publish %s to group %s", message.get("event"), group)
            finally:
                if done is not None:
                    done.set()

    def _put(self, item) -> None:
        if self._queue.qsize() >= MAX_QUEUED:
            logger.warning("Realtime queue full (%s messages): dropped %s", MAX_QUEUED, item[1].get("event"))
            if item[2] is not None:
                item[2].set()
            return
        self._queue.put_nowait(item)

    def send(self, group: str, message: dict) -> None:
        self._ensure_started()
        self._loop.call_soon_threadsafe(self._put, (group, message, None))

    def flush(self, timeout: float) -> bool:
        """Wait until everything queued before this call was sent; False on timeout."""
        if self._pid != os.getpid():
            return True
        done = threading.Event()
        self._loop.call_soon_threadsafe(self._put, (None, {}, done))
        return done.wait(timeout)


_sender = _Sender()


def publish(*, group: str, type: str, data: dict[str, Any], using: str | None = None) -> None:
    """Send ``{"type": "realtime.event", "event": type, "data": data}`` to a Channels group.

    The message leaves only when the current transaction commits (at once outside one), so a
    rolled-back change is never announced; messages of one process leave in the order they
    were published. ``type`` is namespaced (``workflow.step``). A channel layer that is down is
    logged, never raised to the caller.
    """
    if not _EVENT_TYPE.match(type):
        raise ValueError(f"Realtime event types are namespaced, like 'workflow.step': {type!r}")
    message = {"type": MESSAGE_TYPE, "event": type, "data": data}
    transaction.on_commit(lambda: _sender.send(group, message), using=using)


def flush(timeout: float = 5.0) -> bool:
    """Wait until this process's published messages have been sent (for commands that exit
    right after publishing, and for tests); False when ``timeout`` passed first."""
    return _sender.flush(timeout)
