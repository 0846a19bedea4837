"""Outbound HTTP from scripts refuses private addresses unless the bot allows them."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from generalbots.basic import BasicRuntimeError
from generalbots.bots.choices import Channel
from generalbots.bots.runtime.guard import http_request
from generalbots.bots.services import conversation_get_or_create, conversation_start
from tests.bots.conftest import load, write_package


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
