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
# The sender takes up to this many queued messages at a time and asks the channel layer, in one
# round trip, which of their groups anyone listens to (``_listened``).
DRAIN_CHUNK = 500
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
            items = [await self._queue.get()]
            while len(items) < DRAIN_CHUNK and not self._queue.empty():
                items.append(self._queue.get_nowait())
            listened = await _listened(layer, {group for group, _, _ in items if group is not None})
            for item in items:
                await self._send_one(layer, listened, *item)

    async def _send_one(self, layer, listened, group, message, done) -> None:
        try:
            if group is not None and (listened is None or group in listened):
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


async def _listened(layer, groups: set) -> set | None:
    """Which of ``groups`` have members on the Redis channel layer, asked in one pipeline per
    Redis host; None when that cannot be told (another layer, an error: every message is then
    sent as usual). ``group_send`` to a group nobody joined sends nothing but costs two round
    trips, and most runs (a batch of 10,000 timers, say) have no page open: a message to such a
    group is left out here, as ``group_send`` would leave it."""
    if not groups or not all(hasattr(layer, name) for name in ("_group_key", "consistent_hash", "connection")):
        return None
    try:
        by_host: dict[int, list[str]] = {}
        for group in groups:
            by_host.setdefault(layer.consistent_hash(group), []).append(group)
        found = set()
        for index, names in by_host.items():
            pipe = layer.connection(index).pipeline(transaction=False)
            for group in names:
                pipe.zcard(layer._group_key(group))
            found.update(group for group, members in zip(names, await pipe.execute()) if members)
        return found
    except Exception:  # the sends report what is wrong, one line per message
        return None


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
