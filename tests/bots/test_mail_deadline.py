"""SEND MAIL goes through the platform's SMTP backend: one deadline for the whole send."""

import socketserver
import threading
import time

import pytest
from django.test import override_settings

from generalbots.bots.choices import Channel
from generalbots.bots.services import conversation_get_or_create
from workflows.conversations import conversation_start
from tests.bots.conftest import load, write_package

pytestmark = pytest.mark.django_db

DEADLINE = 2


class FakeSMTP(socketserver.ThreadingTCPServer):
    """A tiny SMTP server on 127.0.0.1: polite, or (``slow``) trickling its greeting a byte every 0.5 s."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, *, slow: bool):
        self.slow = slow
        self.messages: list[bytes] = []
        self.greeting_bytes_sent = 0
        super().__init__(("127.0.0.1", 0), self.Handler)
        threading.Thread(target=self.serve_forever, daemon=True).start()

    class Handler(socketserver.StreamRequestHandler):
        def reply(self, line: bytes) -> None:
            self.wfile.write(line + b"\r\n")
            self.wfile.flush()

        def handle(self) -> None:
            server = self.server
            if server.slow:
                for i, byte in enumerate(b"220 slow.example ESMTP at your service\r\n"):
                    try:
                        self.wfile.write(bytes([byte]))
                        self.wfile.flush()
                    except OSError:
                        return
                    server.greeting_bytes_sent = i + 1
                    time.sleep(0.5)
                return
            self.reply(b"220 fake.example ESMTP")
            while line := self.rfile.readline():
                verb = line[:4].upper()
                if verb == b"DATA":
                    self.reply(b"354 go ahead")
                    data = b"".join(iter(self.rfile.readline, b".\r\n"))
                    server.messages.append(data)
                    self.reply(b"250 queued")
                elif verb == b"QUIT":
                    self.reply(b"221 bye")
                    return
                else:
                    self.reply(b"250 ok")


@pytest.fixture
def smtp_server(request):
    server = FakeSMTP(slow=request.param == "slow")
    with override_settings(EMAIL_BACKEND="generalbots.core.mail.EmailBackend", EMAIL_HOST="127.0.0.1",
                           EMAIL_PORT=server.server_address[1], EMAIL_USE_TLS=False, EMAIL_TIMEOUT=DEADLINE):
        yield server
    server.shutdown()
    server.server_close()


def send_mail_script(tmp_path, user):
    write_package(tmp_path, "mailer", {"start.bas": 'SEND MAIL "ana@example.com", "Hi", "Hello Ana"\nTALK "sent"\n'})
    chat = conversation_get_or_create(bot=load(tmp_path, "mailer"), user=user, channel=Channel.API)
    started = time.monotonic()
    replies = [m.text for m in conversation_start(conversation=chat).replies]
    elapsed = time.monotonic() - started
    chat.refresh_from_db()
    return chat, replies, elapsed


@pytest.mark.parametrize("smtp_server", ["slow"], indirect=True)
def test_a_mail_server_that_trickles_fails_the_send_at_the_deadline(tmp_path, user, smtp_server):
    chat, replies, elapsed = send_mail_script(tmp_path, user)

    assert elapsed < DEADLINE + 5
    assert "sent" not in replies
    assert chat.last_error == ("mailer.gbdialog/start.bas:1: SEND MAIL failed: the mail server gave no complete "
                               "answer within 2 s")
    assert smtp_server.greeting_bytes_sent < 20


@pytest.mark.parametrize("smtp_server", ["polite"], indirect=True)
def test_a_polite_mail_server_gets_the_message(tmp_path, user, smtp_server):
    chat, replies, _ = send_mail_script(tmp_path, user)

    assert replies == ["sent"] and chat.last_error == ""
    assert len(smtp_server.messages) == 1 and b"Hello Ana" in smtp_server.messages[0]
