"""The one way domain code sends realtime events to dashboards and websockets.

``publish`` queues a message when the current transaction commits; one background sender per
process (a daemon thread with its own event loop) sends the queued messages in order over one
channel-layer connection. Publishing never waits on the channel layer, so a slow or stopped
Redis delays dashboards but never a workflow slice; the messages are hints (the database is
the truth), so a full queue drops the newest message with a log line rather than growing
without bound.

Most messages have nobody listening (a worker slicing runs no page shows), and a send to a
group without members still costs channels-redis two round trips. The sender therefore takes
everything queued at once and asks Redis, in one pipeline, which of its groups have a member
now (``_listened``: the members channels-redis itself would send to); only those get their
messages. The check is made when the messages leave, as channels-redis makes it in
``group_send``, so a page that joined before the commit gets the message.
"""

import asyncio
import logging
import os
import re
import threading
import time
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
        while True:
            batch = [await self._queue.get()]
            while not self._queue.empty():
                batch.append(self._queue.get_nowait())
            layer = get_channel_layer()  # per batch: the layer the settings name now (a dict lookup)
            groups = {group for group, _message, _done in batch if group is not None}
            try:
                listened = await _listened(layer, groups) if groups else set()
            except Exception as exc:
                _log_failure(exc, "the groups' members", ", ".join(sorted(groups)))
                listened = set()  # the channel layer is down: group_send would fail the same way
            for group, message, done in batch:
                try:
                    if group in listened:
                        await layer.group_send(group, message)
                except Exception as exc:
                    _log_failure(exc, message.get("event"), group)
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

    def send_many(self, pairs: list[tuple[str, dict]]) -> None:
        """``send`` for each pair, waking the sender once."""
        self._ensure_started()
        self._loop.call_soon_threadsafe(self._put_many, pairs)

    def _put_many(self, pairs) -> None:
        for group, message in pairs:
            self._put((group, message, None))

    def flush(self, timeout: float) -> bool:
        """Wait until everything queued before this call was sent; False on timeout."""
        if self._pid != os.getpid():
            return True
        done = threading.Event()
        self._loop.call_soon_threadsafe(self._put, (None, {}, done))
        return done.wait(timeout)


def _log_failure(exc: Exception, what, group) -> None:
    if isinstance(exc, OSError) or type(exc).__module__.startswith("redis"):
        # the channel layer is down: one line per message, no traceback
        logger.warning("Could not publish %s to group %s: %s", what, group, exc)
    else:
        logger.exception("Could not publish %s to group %s", what, group)


async def _listened(layer, groups: set[str]) -> set[str]:
    """The groups of ``groups`` that have a member now: with channels-redis, one pipeline per
    Redis shard counting the members ``group_send`` would send to (those joined less than
    ``group_expiry`` ago); with another layer, all of them."""
    from channels_redis.core import RedisChannelLayer

    if type(layer) is not RedisChannelLayer:
        return set(groups)
    shards: dict[int, list[str]] = {}
    for group in groups:
        shards.setdefault(layer.consistent_hash(group), []).append(group)
    fresh = f"({int(time.time()) - layer.group_expiry}"  # group_send drops members up to that score
    found = set()
    for index, names in shards.items():
        pipe = layer.connection(index).pipeline(transaction=False)
        for group in names:
            pipe.zcount(layer._group_key(group), fresh, "+inf")
        found.update(group for group, members in zip(names, await pipe.execute()) if members)
    return found


_sender = _Sender()


def _message(type: str, data: dict[str, Any]) -> dict[str, Any]:
    if not _EVENT_TYPE.match(type):
        raise ValueError(f"Realtime event types are namespaced, like 'workflow.step': {type!r}")
    return {"type": MESSAGE_TYPE, "event": type, "data": data}


def publish(*, group: str, type: str, data: dict[str, Any], using: str | None = None) -> None:
    """Send ``{"type": "realtime.event", "event": type, "data": data}`` to a Channels group.

    The message leaves only when the current transaction commits (at once outside one), so a
    rolled-back change is never announced; messages of one process leave in the order they
    were published. ``type`` is namespaced (``workflow.step``). A channel layer that is down is
    logged, never raised to the caller.
    """
    message = _message(type, data)
    transaction.on_commit(lambda: _sender.send(group, message), using=using)


def publish_many(messages: list[tuple[str, str, dict[str, Any]]], *, using: str | None = None) -> None:
    """``publish`` for each ``(group, type, data)`` of ``messages``, in that order, with one
    ``on_commit`` hook and one wake-up of the sender for all of them."""
    pairs = [(group, _message(type, data)) for group, type, data in messages]
    if pairs:
        transaction.on_commit(lambda: _sender.send_many(pairs), using=using)


def flush(timeout: float = 5.0) -> bool:
    """Wait until this process's published messages have been sent (for commands that exit
    right after publishing, and for tests); False when ``timeout`` passed first."""
    return _sender.flush(timeout)
