"""Outbound HTTP from scripts refuses private addresses unless the bot allows them."""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.test import override_settings

from generalbots.basic import BasicRuntimeError
from generalbots.bots.choices import Channel
from workflows.runtime.guard import http_request
from generalbots.bots.services import conversation_get_or_create
from workflows.conversations import conversation_start
from workflows.runtime.keywords.files import storage_path
from tests.bots.conftest import load, write_package
from tests.outbound_servers import HUGE, hostile_server  # noqa: F401  (fixture)

# 22 ways of writing "this machine" that resolvers and URL parsers accept (or reject).
LOOPBACK_SPELLINGS = [
    "127.0.0.1", "localhost", "LOCALHOST", "127.1", "127.0.1", "127.127.127.127", "2130706433",
    "0x7f000001", "0x7f.1", "017700000001", "0177.0.0.1", "127.000.000.001", "0.0.0.0", "0",
    "127\u30020\u30020\u30021",  # ideographic full stops
    "[::1]", "[0::1]", "[0:0:0:0:0:0:0:1]", "[::]", "[::ffff:127.0.0.1]", "[::ffff:7f00:1]", "[::127.0.0.1]",
]
# IPv6 addresses that carry a private IPv4 one: NAT64, 6to4, Teredo, mapped / translated / compatible.
EMBEDDED_PRIVATE = [
    "[64:ff9b::7f00:1]", "[64:ff9b::a9fe:a9fe]", "[64:ff9b:1::a00:1]", "[2002:7f00:1::1]", "[2002:a9fe:a9fe::1]",
    "[2001:0:4136:e378:8000:63bf:80ff:fffe]", "[::ffff:169.254.169.254]", "[::ffff:0:a00:1]", "[::10.0.0.1]",
]
DEADLINE = 2


@pytest.fixture
def local_json_server():
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            body = b'{"temp": 21, "city": "Porto"}'
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("url", ["http://127.0.0.1/", "http://localhost:8000/x", "http://10.1.2.3/",
                                 "http://169.254.169.254/latest/meta-data", "http://[::1]/", "http://192.168.0.1/"])
def test_private_and_local_addresses_are_refused(url):
    with pytest.raises(BasicRuntimeError, match="refusing to call"):
        http_request("GET", url, None, {})


def test_only_http_urls(tmp_path):
    with pytest.raises(BasicRuntimeError, match="only http:// and https://"):
        http_request("GET", f"file://{tmp_path}", None, {})


@pytest.mark.django_db
def test_a_script_gets_json_when_the_bot_allows_private_addresses(tmp_path, user, local_json_server):
    source = f'data = GET "{local_json_server}/weather"\nTALK data.city + " " + data.temp\n'
    write_package(tmp_path, "allowed", {"start.bas": source}, config="http-allow-private,true\n")
    write_package(tmp_path, "guarded", {"start.bas": source})
    allowed, guarded = load(tmp_path, "allowed"), load(tmp_path, "guarded")

    ok = conversation_start(conversation=conversation_get_or_create(bot=allowed, user=user, channel=Channel.API))
    refused_chat = conversation_get_or_create(bot=guarded, user=user, channel=Channel.API)
    conversation_start(conversation=refused_chat)

    assert [m.text for m in ok.replies] == ["Porto 21"]
    refused_chat.refresh_from_db()
    assert refused_chat.last_error.startswith("guarded.gbdialog/start.bas:1: refusing to call 127.0.0.1")


@pytest.mark.parametrize("host", LOOPBACK_SPELLINGS + EMBEDDED_PRIVATE)
def test_every_spelling_of_a_local_address_is_refused_and_nothing_is_sent(host, hostile_server):
    with pytest.raises(BasicRuntimeError, match=r"refusing to call|not a valid http\(s\) URL"):
        http_request("GET", f"http://{host}:{hostile_server.port}/json", None, {})

    assert hostile_server.requests == []


def run_get(tmp_path, user, url: str):
    """A bot allowed private addresses whose script GETs ``url``; (the conversation, seconds taken)."""
    source = f'data = GET "{url}"\nTALK "got " + LEN(data)\n'
    write_package(tmp_path, "fetcher", {"start.bas": source}, config="http-allow-private,true\n")
    chat = conversation_get_or_create(bot=load(tmp_path, "fetcher"), user=user, channel=Channel.API)
    started = time.monotonic()
    conversation_start(conversation=chat)
    elapsed = time.monotonic() - started
    chat.refresh_from_db()
    return chat, elapsed


@pytest.mark.django_db
@override_settings(GB_HTTP_DEADLINE_SECONDS=DEADLINE)
def test_a_script_get_of_a_trickling_server_fails_at_the_deadline(tmp_path, user, hostile_server):
    chat, elapsed = run_get(tmp_path, user, hostile_server.url("/trickle"))

    assert elapsed < DEADLINE + 5
    assert chat.last_error == (f"fetcher.gbdialog/start.bas:1: GET {hostile_server.url('/trickle')} failed: "
                               "no complete answer within 2 s")
    assert hostile_server.sent["/trickle"] < hostile_server.trickle_bytes


@pytest.mark.django_db
def test_a_script_get_of_a_huge_reply_stops_reading_at_5_mb(tmp_path, user, hostile_server):
    chat, _ = run_get(tmp_path, user, hostile_server.url("/huge"))

    assert chat.last_error == (f"fetcher.gbdialog/start.bas:1: GET {hostile_server.url('/huge')} failed: "
                               "reply larger than 5 MB")
    assert hostile_server.sent["/huge"] < 50_000_000 < HUGE


@pytest.mark.django_db
def test_a_script_get_is_not_redirected_to_the_metadata_address(tmp_path, user, hostile_server):
    url = hostile_server.url("/redirect?to=http://169.254.169.254/latest/meta-data")
    chat, _ = run_get(tmp_path, user, url)

    assert chat.last_error == (f"fetcher.gbdialog/start.bas:1: GET {url} answered HTTP 302, a redirect to "
                               "http://169.254.169.254/latest/meta-data: redirects are not followed "
                               "(call that URL directly)")


@pytest.mark.django_db
def test_download_saves_the_reply_into_the_bots_storage_through_the_guard(tmp_path, user, local_json_server,
                                                                          settings):
    settings.GB_STORAGE_DIR = str(tmp_path / "storage")
    source = (f'p = DOWNLOAD "{local_json_server}/data/weather.json"\nTALK p\nw = READ p\nTALK w.city\n'
              f'DOWNLOAD "{local_json_server}/x", "saved/copy.json"\nTALK UBOUND(LIST "saved")\n')
    write_package(tmp_path, "fetcher", {"start.bas": source}, config="http-allow-private,true\n")
    write_package(tmp_path, "guarded", {"start.bas": source})
    fetcher, guarded = load(tmp_path, "fetcher"), load(tmp_path, "guarded")

    ok = conversation_start(conversation=conversation_get_or_create(bot=fetcher, user=user, channel=Channel.API))
    refused_chat = conversation_get_or_create(bot=guarded, user=user, channel=Channel.API)
    conversation_start(conversation=refused_chat)

    assert [m.text for m in ok.replies] == ["weather.json", "Porto", "1"]
    assert (storage_path(fetcher.pk) / "saved" / "copy.json").read_bytes() == b'{"temp": 21, "city": "Porto"}'
    refused_chat.refresh_from_db()
    assert refused_chat.last_error.startswith("guarded.gbdialog/start.bas:1: refusing to call 127.0.0.1")
    assert not (storage_path(guarded.pk) / "weather.json").exists()
    assert storage_path(fetcher.pk).parent == tmp_path / "storage"
