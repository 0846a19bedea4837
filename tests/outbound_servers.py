"""A local HTTP server that misbehaves on purpose, for the outbound deadline and size tests.

    server = HostileServer().start()
    server.url("/trickle")            # headers, then the body one byte every ``interval`` seconds
    server.url("/trickle-headers")    # the status line and headers themselves one byte at a time
    server.url("/huge")               # 400 MB with no Content-Length, made lazily in 64 kB blocks
    server.url("/huge-declared")      # the same with ``Content-Length: 400000000``
    server.url("/gzip-bomb")          # 200 MB of zeros, gzip-compressed to ~200 kB
    server.url("/redirect?to=URL")    # 302 to URL
    server.url("/json")               # a small JSON object (and a session cookie)

A path containing one of these names behaves the same (``/trickle/embeddings``).
``server.sent[path]`` counts the body bytes the server managed to write (the socket accepted
them), so a test can show the client stopped reading instead of swallowing everything;
``server.requests`` lists the paths asked for. Every handler stops when the client goes away.
"""

from __future__ import annotations

import threading
import time
import urllib.parse
import zlib
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

HUGE = 400_000_000
BLOCK = b"x" * 65_536


class HostileServer:
    def __init__(self, *, interval: float = 0.5, trickle_bytes: int = 40) -> None:
        self.interval = interval
        self.trickle_bytes = trickle_bytes
        self.sent: Counter[str] = Counter()
        self.requests: list[str] = []
        self._stop = threading.Event()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._httpd.daemon_threads = True

    @property
    def port(self) -> int:
        return self._httpd.server_address[1]

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def start(self) -> "HostileServer":
        threading.Thread(target=self._httpd.serve_forever, name="hostile-server", daemon=True).start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._httpd.shutdown()
        self._httpd.server_close()

    def _handler(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def _body(self, path: str, data: bytes) -> bool:
                try:
                    self.wfile.write(data)
                    self.wfile.flush()
                except OSError:
                    return False
                server.sent[path] += len(data)
                return not server._stop.is_set()

            def _trickle(self, path: str, data: bytes) -> None:
                for i in range(len(data)):
                    if not self._body(path, data[i:i + 1]):
                        return
                    time.sleep(server.interval)

            def do_GET(self) -> None:
                self._answer()

            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                self._answer()

            def _answer(self) -> None:
                parts = urllib.parse.urlsplit(self.path)
                path, query = parts.path, urllib.parse.parse_qs(parts.query)
                server.requests.append(path)
                if "/trickle-headers" in path:
                    head = b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n" + b"X-Slow: " + b"y" * server.trickle_bytes
                    self._trickle(path, head + b"\r\n\r\nok")
                elif "/trickle" in path:
                    self.send_response(200)
                    self.send_header("Content-Type", "text/plain")
                    self.end_headers()
                    self._trickle(path, b"z" * server.trickle_bytes)
                elif "/huge" in path:
                    self.send_response(200)
                    self.send_header("Content-Type", "text/plain")
                    if "/huge-declared" in path:
                        self.send_header("Content-Length", str(HUGE))
                    self.end_headers()
                    for _ in range(HUGE // len(BLOCK)):
                        if not self._body(path, BLOCK):
                            return
                elif "/gzip-bomb" in path:
                    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
                    zeros = bytes(1_000_000)
                    bomb = b"".join(packer.compress(zeros) for _ in range(200)) + packer.flush()
                    self.send_response(200)
                    self.send_header("Content-Type", "text/plain")
                    self.send_header("Content-Encoding", "gzip")
                    self.send_header("Content-Length", str(len(bomb)))
                    self.end_headers()
                    self._body(path, bomb)
                elif "/redirect" in path:
                    self.send_response(302)
                    self.send_header("Location", query["to"][0])
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                else:
                    body = b'{"ok": true}'
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Set-Cookie", "session=s3cret; Path=/")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self._body(path, body)

        return Handler


@pytest.fixture
def hostile_server():
    """A started :class:`HostileServer` (one byte every 0.5 s when trickling), stopped after the test."""
    server = HostileServer().start()
    yield server
    server.stop()
