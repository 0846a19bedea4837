import itertools
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.db import transaction
from django.test import override_settings

from generalbots.bots.choices import Channel
from generalbots.bots.services import conversation_get_or_create
from memory import vectors
from memory.embeddings import offline_embed
from tests import factories
from workflows.engine import turns


@pytest.fixture(autouse=True)
def qdrant_local(tmp_path):
    """Qdrant's local mode in a fresh folder for each test."""
    vectors.close()
    with override_settings(QDRANT_URL=None, QDRANT_PATH=str(tmp_path / "qdrant")):
        yield tmp_path / "qdrant"
        vectors.close()


@pytest.fixture
def org():
    return factories.OrganizationFactory(name="Acme", slug="acme")


@pytest.fixture
def user():
    return factories.UserFactory(username="ana")


_names = itertools.count(1)


def make_bot(name: str, organization, **config):
    return factories.BotFactory(name=name, organization=organization, config={"Title": name, **config})


def run_script(bot, source: str, *, user, name: str | None = None, conversation=None):
    """Run ``source`` as a new script of ``bot`` in the user's API conversation, one slice, as
    the conversation services do; returns (texts said, the run)."""
    script = factories.BotScriptFactory(bot=bot, name=name or f"script{next(_names)}",
                                        source=source, problems=[])
    conversation = conversation or conversation_get_or_create(bot=bot, user=user, channel=Channel.API)
    with transaction.atomic():
        turn = turns.Turn(conversation)
        run, _result = turns.run_start(turn, script)
        run.refresh_from_db()
    return [m.text for m in turn.replies], run


class EmbeddingServer:
    """An OpenAI-compatible ``/v1/embeddings`` endpoint answering with the offline embedder's
    vectors in 64 dimensions; records every request."""

    def __init__(self):
        self.requests: list[dict] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                server.requests.append({"path": self.path, "body": body, "auth": self.headers.get("Authorization")})
                if not self.path.endswith("/v1/embeddings"):
                    self.send_response(404)
                    self.end_headers()
                    return
                data = [{"index": i, "embedding": offline_embed(t, 64)} for i, t in enumerate(body["input"])]
                payload = json.dumps({"object": "list", "data": data, "model": body["model"]}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def embedding_server():
    server = EmbeddingServer()
    yield server
    server.stop()
