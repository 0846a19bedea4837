"""``gb run``: the console's HTTP keywords go through the same guard as a bot's."""

import io
import socket
import time

import pytest
from django.core.management import call_command
from django.test import override_settings

from tests.outbound_servers import hostile_server  # noqa: F401  (fixture)

METADATA = "http://169.254.169.254/latest/meta-data"


def gb_run(tmp_path, source: str, *args: str):
    """``manage.py gb run`` on ``source``; (exit status, output lines)."""
    path = tmp_path / "fetch.bas"
    path.write_text(source)
    out = io.StringIO()
    status = 0
    try:
        call_command("gb", "run", str(path), *args, stdout=out)
    except SystemExit as exc:
        status = exc.code
    return status, out.getvalue().splitlines()


@override_settings(GB_HTTP_ALLOWED_NETWORKS=["127.0.0.1/32"])
def test_a_redirect_to_the_metadata_address_is_not_followed(tmp_path, hostile_server):
    url = hostile_server.url(f"/redirect?to={METADATA}")

    status, lines = gb_run(tmp_path, f'x = GET "{url}"\nTALK "never"\n')

    assert status == 1
    assert lines[-1].endswith(f"GET {url} answered HTTP 302, a redirect to {METADATA}: "
                              "redirects are not followed (call that URL directly)")
    assert hostile_server.requests == ["/redirect"]


@override_settings(GB_HTTP_ALLOWED_NETWORKS=["127.0.0.1/32"])
def test_the_metadata_address_itself_is_refused_with_the_console_hint(tmp_path):
    status, lines = gb_run(tmp_path, f'x = GET "{METADATA}"\n')

    assert status == 1
    assert lines[-1].endswith("refusing to call 169.254.169.254: it resolves to the private or local address "
                              "169.254.169.254 (run with --allow-private to allow it)")


def test_the_console_connects_to_the_address_it_checked(tmp_path, hostile_server, monkeypatch):
    # DNS rebinding: the name is public when checked, then points at this machine.
    real_getaddrinfo, real_connect = socket.getaddrinfo, socket.create_connection
    answers = iter(["8.8.4.4", "127.0.0.1", "127.0.0.1"])
    connected = []

    def getaddrinfo(host, port, *args, **kwargs):
        if host == "rebind.example":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (next(answers), port))]
        return real_getaddrinfo(host, port, *args, **kwargs)

    def create_connection(address, *args, **kwargs):
        connected.append(address[0])
        if address[0] == "8.8.4.4":  # no internet in tests: the public address answers "refused"
            raise ConnectionRefusedError(111, "Connection refused")
        return real_connect(address, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(socket, "create_connection", create_connection)
    url = f"http://rebind.example:{hostile_server.port}/json"

    status, lines = gb_run(tmp_path, f'x = GET "{url}"\n')

    assert status == 1 and lines[-1].endswith(f"GET {url} failed: [Errno 111] Connection refused")
    assert connected == ["8.8.4.4"]
    assert hostile_server.requests == []


def test_private_addresses_need_allow_private(tmp_path, hostile_server):
    source = f'x = GET "{hostile_server.url("/json")}"\nTALK x.ok\n'

    refused_status, refused = gb_run(tmp_path, source)
    allowed_status, allowed = gb_run(tmp_path, source, "--allow-private")

    assert refused_status == 1 and refused[-1].endswith("(run with --allow-private to allow it)")
    assert allowed_status == 0 and allowed == ["true"]
    assert hostile_server.requests == ["/json"]


@override_settings(GB_HTTP_DEADLINE_SECONDS=2)
def test_the_console_has_the_total_deadline(tmp_path, hostile_server):
    url = hostile_server.url("/trickle")
    started = time.monotonic()

    status, lines = gb_run(tmp_path, f'x = GET "{url}"\n', "--allow-private")

    assert time.monotonic() - started < 2 + 5
    assert status == 1 and lines[-1].endswith(f"GET {url} failed: no complete answer within 2 s")


@pytest.mark.parametrize("host", ["[64:ff9b::a9fe:a9fe]", "[2002:a9fe:a9fe::1]", "0x7f000001"])
def test_the_console_refuses_embedded_and_odd_local_addresses(tmp_path, host):
    status, lines = gb_run(tmp_path, f'x = GET "http://{host}/latest/meta-data"\n')

    assert status == 1 and "refusing to call" in lines[-1]
