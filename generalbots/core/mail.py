"""The SMTP backend of the platform (``EMAIL_BACKEND`` when ``EMAIL_HOST`` is set).

Django's SMTP backend with one change: ``EMAIL_TIMEOUT`` bounds each ``send_messages`` call as a
whole (connect, greeting, STARTTLS, login, every message, QUIT), not each socket operation, so a
mail server that answers one byte a second cannot hold a worker longer than that. Past the
deadline the connection is shut down and :class:`~generalbots.core.outbound.OutboundTimeout`
is raised ("the mail server gave no complete answer within 20 s").
"""

from __future__ import annotations

import contextvars
import smtplib
import socket
import threading

from django.core.mail.backends import smtp

from generalbots.core.outbound import OutboundTimeout

_watch: contextvars.ContextVar["_Watch | None"] = contextvars.ContextVar("mail_watch", default=None)


class _Watch:
    """The connections of one send; ``expire`` (from a timer thread) shuts their sockets down."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.expired = False
        self._connections: list[smtplib.SMTP] = []
        self._lock = threading.Lock()

    def error(self) -> OutboundTimeout:
        return OutboundTimeout(f"the mail server gave no complete answer within {self.seconds:g} s",
                               extra={"deadline": self.seconds})

    def add(self, connection: smtplib.SMTP) -> None:
        with self._lock:
            if self.expired:
                raise self.error()
            self._connections.append(connection)

    def expire(self) -> None:
        with self._lock:
            self.expired = True
            for connection in self._connections:
                sock = getattr(connection, "sock", None)
                if sock is not None:
                    try:
                        sock.shutdown(socket.SHUT_RDWR)  # wakes a blocked recv/send at once
                    except OSError:
                        pass


class _Watched:
    def connect(self, host="localhost", port=0, source_address=None):
        watch = _watch.get()
        if watch is not None:
            watch.add(self)
        return super().connect(host, port, source_address)


class _SMTP(_Watched, smtplib.SMTP):
    pass


class _SMTPSSL(_Watched, smtplib.SMTP_SSL):
    pass


class EmailBackend(smtp.EmailBackend):
    """SMTP with a total deadline per send (see module docstring)."""

    @property
    def connection_class(self):
        return _SMTPSSL if self.use_ssl else _SMTP

    def send_messages(self, email_messages):
        if not self.timeout:
            return super().send_messages(email_messages)
        watch = _Watch(float(self.timeout))
        if self.connection is not None:
            watch.add(self.connection)
        token = _watch.set(watch)
        timer = threading.Timer(watch.seconds, watch.expire)
        timer.daemon = True
        timer.start()
        try:
            return super().send_messages(email_messages)
        except (OSError, smtplib.SMTPException):
            if watch.expired:
                raise watch.error() from None
            raise
        finally:
            timer.cancel()
            _watch.reset(token)
