"""Checks behind ``/healthz``.

Each check answers ``{"ok": True | False | None, "detail": str}``; ``None`` means not configured
(or not required) and never makes the platform unhealthy. Every check uses a short timeout so
the endpoint answers within a few seconds even when a service hangs.

The endpoint is public (load balancers probe it), so what names the inside — worker host names,
error texts with addresses — is shown to staff only; everyone else gets the same checks with a
plain detail. Apps above core add their own checks with :func:`register` (memory: which embedder
is active), so core never imports them.
"""

import json
import urllib.error
import urllib.request
import uuid
from typing import Any

from asgiref.sync import async_to_sync
from django.conf import settings
from django.db import connection

from generalbots.core.checks import maintenance_off

TIMEOUT = 1.0

Check = dict[str, Any]


def _result(ok: bool | None, detail: str, private: str | None = None) -> Check:
    """``private``: the detail staff see instead of ``detail``."""
    return {"ok": ok, "detail": detail, "private": private}


def check_database() -> Check:
    """Up when a query answers; on PostgreSQL that query reads whether autovacuum maintains the
    tables (check ``core.W002``), which staff see in the detail."""
    off = []
    try:
        if connection.vendor == "postgresql":
            off = maintenance_off(connection)
        else:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
                cursor.fetchone()
    except Exception as exc:
        return _result(False, f"{connection.vendor}: unreachable", f"{connection.vendor}: {exc}")
    if off:
        return _result(True, connection.vendor, f"{connection.vendor}; {' and '.join(off)} off: the run tables are "
                                                "never vacuumed or analyzed (check core.W002)")
    return _result(True, connection.vendor)


def check_redis() -> Check:
    if not settings.REDIS_URL:
        return _result(None, "not configured (REDIS_URL unset)")
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=TIMEOUT, socket_timeout=TIMEOUT)
    try:
        client.ping()
    except Exception as exc:
        return _result(False, "unreachable", str(exc))
    finally:
        client.close()
    return _result(True, "ping answered")


def check_channel_layer() -> Check:
    """A message sent to a fresh channel of the layer comes back."""
    import asyncio

    from channels.layers import get_channel_layer

    layer = get_channel_layer()
    if layer is None:
        return _result(False, "no channel layer configured")
    name = type(layer).__name__

    async def round_trip() -> bool:
        channel = await layer.new_channel()
        token = uuid.uuid4().hex
        await layer.send(channel, {"type": "health.check", "token": token})
        message = await layer.receive(channel)
        return message.get("token") == token

    try:
        ok = async_to_sync(asyncio.wait_for)(round_trip(), TIMEOUT * 2)
    except Exception as exc:
        return _result(False, f"{name}: unreachable", f"{name}: {exc or type(exc).__name__}")
    return _result(ok, f"{name}: round trip {'ok' if ok else 'returned another message'}")


def check_celery() -> Check:
    """In embedded mode the in-process worker thread; in full mode a ping to the workers."""
    if settings.GB_INPROCESS_WORKER:
        from generalbots.core import dispatch

        alive = dispatch.embedded_worker_alive()
        if alive is None:
            return _result(None, "in-process worker not started in this process")
        return _result(alive, "in-process worker " + ("running" if alive else "stopped"))

    from generalbots.celery import app

    try:
        with app.connection_for_write(settings.CELERY_BROKER_URL) as conn:
            conn.ensure_connection(max_retries=1, timeout=TIMEOUT, interval_start=0, interval_step=0)
            replies = app.control.ping(timeout=0.5, connection=conn)
    except Exception as exc:
        return _result(False, "broker unreachable", f"broker: {exc}")
    if replies:
        names = sorted(name for reply in replies for name in reply)
        return _result(True, f"{len(names)} worker(s)", f"{len(names)} worker(s): {', '.join(names)}")
    if settings.GB_HEALTH_REQUIRE_WORKERS:
        return _result(False, "no worker answered the ping")
    return _result(None, "broker reachable; no worker answered (GB_HEALTH_REQUIRE_WORKERS unset)")


def check_qdrant() -> Check:
    if not settings.QDRANT_URL:
        return _result(None, "not configured (QDRANT_URL unset; local mode)")
    request = urllib.request.Request(settings.QDRANT_URL.rstrip("/") + "/")
    if settings.QDRANT_API_KEY:
        request.add_header("api-key", settings.QDRANT_API_KEY)
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            body = json.loads(response.read() or b"{}")
    except (urllib.error.URLError, OSError, ValueError) as exc:
        return _result(False, "unreachable", str(getattr(exc, "reason", exc)))
    return _result(True, f"version {body.get('version', 'unknown')}")


CHECKS = {
    "database": check_database,
    "redis": check_redis,
    "channel_layer": check_channel_layer,
    "celery": check_celery,
    "qdrant": check_qdrant,
}


def register(name: str, check) -> None:
    """Add (or replace) the check ``name``: a callable returning ``{"ok", "detail"[, "private"]}``."""
    CHECKS[name] = check


def health_report(*, staff: bool = False) -> dict[str, Any]:
    """``{"status": "ok" | "degraded", "checks": {...}}``: degraded when a configured check fails;
    ``staff`` gets the private details (host names, error texts)."""
    checks = {}
    for name, check in CHECKS.items():
        result = dict(check())
        private = result.pop("private", None)
        if staff and private:
            result["detail"] = private
        checks[name] = result
    healthy = all(result["ok"] is not False for result in checks.values())
    return {"status": "ok" if healthy else "degraded", "checks": checks}
