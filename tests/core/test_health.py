import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from unittest import mock

import pytest
from celery.contrib.testing.worker import start_worker
from django.test import override_settings

from generalbots.celery import app as celery_app
from tests.core.test_checks import server_setting
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def get_health(client):
    response = client.get("/healthz")
    return response.status_code, response.json()


def redis_settings(url: str) -> dict:
    return {
        "REDIS_URL": url,
        "CELERY_BROKER_URL": url,
        "CHANNEL_LAYERS": {"default": {"BACKEND": "channels_redis.core.RedisChannelLayer", "CONFIG": {"hosts": [url]}}},
    }


@pytest.fixture
def fake_qdrant():
    """A local HTTP server answering like Qdrant's root endpoint."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            body = json.dumps({"title": "qdrant - vector search engine", "version": "1.12.0"}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_healthz_reports_every_service_up(client):
    status, body = get_health(client)

    assert status == 200
    assert body["status"] == "ok"
    checks = body["checks"]
    assert set(checks) == {"database", "redis", "channel_layer", "celery", "qdrant", "embedder"}
    assert checks["database"] == {"ok": True, "detail": "postgresql"}
    assert checks["redis"]["ok"] is True
    assert checks["channel_layer"]["ok"] is True
    assert checks["qdrant"]["ok"] is None  # QDRANT_URL unset: local mode


def test_healthz_is_503_naming_redis_when_redis_is_down(client, closed_port):
    with override_settings(**redis_settings(f"redis://127.0.0.1:{closed_port}/0")):
        status, body = get_health(client)

    assert status == 503
    assert body["status"] == "degraded"
    assert body["checks"]["redis"]["ok"] is False
    assert body["checks"]["channel_layer"]["ok"] is False
    assert body["checks"]["celery"]["ok"] is False
    assert body["checks"]["database"]["ok"] is True


def test_healthz_is_503_naming_qdrant_when_qdrant_is_down(client, closed_port):
    with override_settings(QDRANT_URL=f"http://127.0.0.1:{closed_port}"):
        status, body = get_health(client)

    assert status == 503
    assert body["checks"]["qdrant"]["ok"] is False
    assert body["checks"]["redis"]["ok"] is True


def test_healthz_reports_a_reachable_qdrant(client, fake_qdrant):
    with override_settings(QDRANT_URL=fake_qdrant):
        status, body = get_health(client)

    assert status == 200
    assert body["checks"]["qdrant"] == {"ok": True, "detail": "version 1.12.0"}


def test_missing_celery_workers_count_as_down_only_when_required(client):
    with override_settings(GB_HEALTH_REQUIRE_WORKERS=False):
        relaxed_status, relaxed = get_health(client)
    with override_settings(GB_HEALTH_REQUIRE_WORKERS=True):
        strict_status, strict = get_health(client)

    assert (relaxed_status, relaxed["checks"]["celery"]["ok"]) == (200, None)
    assert (strict_status, strict["checks"]["celery"]["ok"]) == (503, False)


@pytest.mark.django_db(transaction=True)
def test_a_running_celery_worker_answers_the_health_ping(client):
    with override_settings(GB_HEALTH_REQUIRE_WORKERS=True):
        with start_worker(celery_app, pool="solo", perform_ping_check=False, loglevel="WARNING"):
            status, body = get_health(client)

    assert status == 200
    assert body["checks"]["celery"]["ok"] is True
    assert "worker(s)" in body["checks"]["celery"]["detail"]


@pytest.mark.django_db(transaction=True)
def test_worker_host_names_are_shown_to_staff_only(client):
    import socket

    from tests.factories import UserFactory

    host = socket.gethostname()
    with override_settings(GB_HEALTH_REQUIRE_WORKERS=True):
        with start_worker(celery_app, pool="solo", perform_ping_check=False, loglevel="WARNING"):
            _, anonymous = get_health(client)
            client.force_login(UserFactory(username="plain"))
            _, user = get_health(client)
            client.force_login(UserFactory(username="ops", is_staff=True))
            _, staff = get_health(client)

    assert anonymous["checks"]["celery"] == {"ok": True, "detail": "1 worker(s)"}
    assert user["checks"]["celery"] == {"ok": True, "detail": "1 worker(s)"}
    assert staff["checks"]["celery"]["detail"].startswith("1 worker(s): ") and host in staff["checks"]["celery"]["detail"]


def test_error_texts_naming_addresses_are_shown_to_staff_only(client, closed_port):
    from tests.factories import UserFactory

    with override_settings(**redis_settings(f"redis://127.0.0.1:{closed_port}/0")):
        _, anonymous = get_health(client)
        client.force_login(UserFactory(username="ops", is_staff=True))
        _, staff = get_health(client)

    assert anonymous["checks"]["redis"] == {"ok": False, "detail": "unreachable"}
    assert str(closed_port) not in json.dumps(anonymous)
    assert str(closed_port) in staff["checks"]["redis"]["detail"]


@override_settings(GB_INPROCESS_WORKER=True)
def test_embedded_mode_reports_the_in_process_worker(client):
    from generalbots.core import dispatch

    _, before = get_health(client)
    dispatch.embedded_start(tick=0.05)
    try:
        _, running = get_health(client)
    finally:
        dispatch.embedded_stop()

    assert before["checks"]["celery"]["ok"] is None
    assert running["checks"]["celery"] == {"ok": True, "detail": "in-process worker running"}


def test_staff_are_told_when_autovacuum_does_not_maintain_the_database(client):
    from generalbots.core import health

    with mock.patch.object(health, "maintenance_off", return_value=["autovacuum"]):
        _, public = get_health(client)
        client.force_login(UserFactory(username="ops", is_staff=True))
        _, staff = get_health(client)

    assert public["checks"]["database"] == {"ok": True, "detail": "postgresql"}
    assert staff["checks"]["database"] == {
        "ok": True, "detail": "postgresql; autovacuum off: the run tables are never vacuumed or analyzed (check core.W002)"}
    assert public["status"] == "ok"  # a warning, not an outage


def test_the_database_detail_follows_this_servers_setting(client):
    client.force_login(UserFactory(username="ops", is_staff=True))
    _, staff = get_health(client)

    off = server_setting("autovacuum") == "off" or server_setting("track_counts") == "off"
    assert ("core.W002" in staff["checks"]["database"]["detail"]) == off
