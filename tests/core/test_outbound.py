"""generalbots.core.outbound: the one way out — total deadline, bounded bodies, the address guard."""

import socket
import time

import pytest
from django.test import override_settings

from generalbots.core import outbound
from tests.outbound_servers import HUGE, hostile_server  # noqa: F401  (fixture)

DEADLINE = 2.0
MARGIN = 5.0  # a correctness bound, not a benchmark


@pytest.mark.parametrize("address", [
    "64:ff9b::7f00:1", "64:ff9b::a00:1", "64:ff9b::a9fe:a9fe",  # NAT64 of 127.0.0.1, 10.0.0.1, metadata
    "64:ff9b:1::7f00:1", "64:ff9b:1:ff00::1",  # local-use NAT64: refused whatever it embeds
    "2002:7f00:1::1", "2002:a9fe:a9fe::1", "2002:c0a8:1::1",  # 6to4 of 127.0.0.1, 169.254.169.254, 192.168.0.1
    "::ffff:127.0.0.1", "::ffff:10.1.2.3", "::ffff:0:7f00:1",  # IPv4-mapped and -translated
    "::127.0.0.1", "::169.254.169.254", "::", "::1",  # IPv4-compatible
    "2001:0:7f00:1::1", "2001:0:4136:e378:8000:63bf:80ff:fffe",  # Teredo: server 127.0.0.1 / client 127.0.0.1
    "fec0::1", "fe80::1%eth0", "fd00::1", "ff02::1",  # site-local, link-local, unique local, multicast
    "127.0.0.1", "10.0.0.1", "100.64.0.1", "169.254.169.254", "0.0.0.0", "224.0.0.1", "255.255.255.255",
])
def test_private_and_embedded_private_addresses_are_not_public(address):
    assert outbound.address_is_public(address) is False


@pytest.mark.parametrize("address", [
    "8.8.8.8", "2606:4700:4700::1111", "64:ff9b::808:808", "2002:808:808::1", "::ffff:8.8.8.8",
])
def test_public_addresses_and_their_ipv6_forms_are_public(address):
    assert outbound.address_is_public(address) is True


def test_a_body_trickled_one_byte_at_a_time_ends_at_the_deadline(hostile_server):
    started = time.monotonic()
    with pytest.raises(outbound.OutboundTimeout, match="no complete answer within 2 s"):
        outbound.fetch("GET", hostile_server.url("/trickle"), guarded=False, deadline=DEADLINE)

    assert time.monotonic() - started < DEADLINE + MARGIN
    assert 0 < hostile_server.sent["/trickle"] < hostile_server.trickle_bytes


def test_headers_trickled_one_byte_at_a_time_end_at_the_deadline(hostile_server):
    started = time.monotonic()
    with pytest.raises(outbound.OutboundTimeout, match="no complete answer within 2 s"):
        outbound.fetch("GET", hostile_server.url("/trickle-headers"), guarded=False, deadline=DEADLINE)

    assert time.monotonic() - started < DEADLINE + MARGIN


def test_a_huge_body_is_read_only_up_to_the_limit(hostile_server):
    with pytest.raises(outbound.OutboundTooLarge, match="reply larger than 5 MB"):
        outbound.fetch("GET", hostile_server.url("/huge"), guarded=False, max_bytes=5_000_000)

    # the client stopped and closed: the server could not push much past the limit (socket buffers)
    assert hostile_server.sent["/huge"] < 50_000_000 < HUGE


def test_a_declared_huge_body_is_refused_before_reading_it(hostile_server):
    with pytest.raises(outbound.OutboundTooLarge, match="reply larger than 5 MB"):
        outbound.fetch("GET", hostile_server.url("/huge-declared"), guarded=False, max_bytes=5_000_000)

    assert hostile_server.sent["/huge-declared"] < 50_000_000


def test_a_compression_bomb_is_cut_off_at_the_decoded_limit(hostile_server):
    with pytest.raises(outbound.OutboundTooLarge, match="reply larger than 1 MB"):
        outbound.fetch("GET", hostile_server.url("/gzip-bomb"), guarded=False, max_bytes=1_000_000)


def test_a_stream_is_bounded_line_by_line(hostile_server):
    with pytest.raises(outbound.OutboundTooLarge, match="reply larger than 1 MB"):
        with outbound.stream("GET", hostile_server.url("/huge"), guarded=False, max_bytes=1_000_000) as reply:
            for _line in reply.iter_lines():
                pass


def test_redirects_are_answered_not_followed(hostile_server):
    reply = outbound.fetch("GET", hostile_server.url("/redirect?to=" + hostile_server.url("/json")), guarded=False)

    assert reply.status == 302 and reply.headers["location"] == hostile_server.url("/json")
    assert hostile_server.requests == ["/redirect"]


def test_the_guard_refuses_loopback_and_sends_nothing(hostile_server):
    with pytest.raises(outbound.OutboundRefused, match="refusing to call 127.0.0.1: it resolves to the private"):
        outbound.fetch("GET", hostile_server.url("/json"))

    assert hostile_server.requests == []


def test_allowed_networks_let_an_intranet_through_and_nothing_else(hostile_server):
    with override_settings(GB_HTTP_ALLOWED_NETWORKS=["127.0.0.0/8"]):
        assert outbound.fetch("GET", hostile_server.url("/json")).json() == {"ok": True}
        with pytest.raises(outbound.OutboundRefused, match="169.254.169.254"):
            outbound.fetch("GET", "http://169.254.169.254/latest/meta-data")


def test_the_connection_goes_to_the_address_that_was_checked(hostile_server, monkeypatch):
    # A name whose DNS answer changes after the check (rebinding): public first, loopback after.
    real = socket.getaddrinfo
    answers = iter(["8.8.4.4", "127.0.0.1", "127.0.0.1"])
    asked, connected = [], []

    def fake_getaddrinfo(host, port, *args, **kwargs):
        if host != "rebind.example":
            return real(host, port, *args, **kwargs)
        asked.append(host)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (next(answers), port))]

    def fake_create_connection(address, *args, **kwargs):
        connected.append(address[0])
        raise ConnectionRefusedError(111, "Connection refused")

    monkeypatch.setattr(socket, "getaddrinfo", fake_getaddrinfo)
    monkeypatch.setattr(socket, "create_connection", fake_create_connection)

    with pytest.raises(outbound.OutboundError, match="Connection refused"):
        outbound.fetch("GET", f"http://rebind.example:{hostile_server.port}/json")

    assert asked == ["rebind.example"] and connected == ["8.8.4.4"]
    assert hostile_server.requests == []


def test_cookies_are_not_kept_between_calls(hostile_server):
    client = outbound.make_client(guarded=False)
    try:
        reply = outbound.fetch("GET", hostile_server.url("/json"), client=client)
        assert reply.headers["set-cookie"] == "session=s3cret; Path=/"
        assert len(client.cookies.jar) == 0
    finally:
        client.close()
