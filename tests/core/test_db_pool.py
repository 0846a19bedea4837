"""The ASGI server's database connections come from Django's psycopg pool (``DB_POOL_MAX_SIZE``):
requests borrow a few connections and give them back, where without it each request opened and
closed a PostgreSQL backend of its own. A real daphne on the test database, real requests."""

import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from rest_framework.authtoken.models import Token

from tests.browser import daphne_server

pytestmark = pytest.mark.django_db(transaction=True)  # the server must see the user and its token


def server_backends() -> set[int]:
    """The backends connected to the test database other than this process's."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
                       " AND backend_type = 'client backend'")
        return {row[0] for row in cursor.fetchall()}


@pytest.fixture
def token():
    user = get_user_model().objects.create_superuser("pool-admin", "pool@example.com", "pw")
    return Token.objects.create(user=user).key


def requests(url: str, token: str, count: int, *, parallel: int = 1) -> list[int]:
    with httpx.Client(base_url=url, headers={"Authorization": f"Token {token}"}, timeout=30) as client:
        with ThreadPoolExecutor(parallel) as pool:
            return list(pool.map(lambda _: client.get("/api/workflows/").status_code, range(count)))


def test_requests_share_the_pools_connections(tmp_path, token):
    before = server_backends()
    with daphne_server(tmp_path, env={"DB_POOL_MAX_SIZE": "3"}) as url:
        assert requests(url, token, 24, parallel=8) == [200] * 24
        seen = []
        for _ in range(5):  # one at a time now: the same connections serve them, and stay open
            assert requests(url, token, 1) == [200]
            seen.append(server_backends() - before)
        assert not closed_soon(before, within=1.0)  # still open a second after the last request
    assert all(seen), seen  # the pool keeps its connections between requests
    assert len(set().union(*seen)) <= 3, seen  # never more than the pool's size


def test_connections_broken_under_the_pool_fail_no_request(tmp_path, token):
    """As when PostgreSQL restarts: the pool checks a connection before lending it
    (``CONN_HEALTH_CHECKS``), so a broken one is replaced instead of failing a request."""
    before = server_backends()
    with daphne_server(tmp_path, env={"DB_POOL_MAX_SIZE": "3"}) as url:
        assert requests(url, token, 12, parallel=4) == [200] * 12
        pooled = server_backends() - before
        assert pooled
        with connection.cursor() as cursor:
            for pid in pooled:
                cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
        deadline = time.monotonic() + 5
        while server_backends() & pooled and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not server_backends() & pooled

        assert requests(url, token, 12, parallel=4) == [200] * 12
        assert server_backends() - before - pooled  # new connections serve them


def test_without_the_pool_each_request_opens_and_closes_its_own(tmp_path, token):
    before = server_backends()
    with daphne_server(tmp_path, env={"DB_POOL_MAX_SIZE": "0"}) as url:
        for _ in range(3):
            assert requests(url, token, 1) == [200]
            assert closed_soon(before)  # the request's connection is closed once it has ended


def closed_soon(before: set[int], *, within: float = 5.0) -> bool:
    """Whether the server's backends are all gone ``within`` seconds (the server closes a
    request's connection just after its answer has left)."""
    deadline = time.monotonic() + within
    while server_backends() - before:
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True
