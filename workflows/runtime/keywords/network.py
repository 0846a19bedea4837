"""HTTP and mail keywords of the run host (GET/POST/..., SEND MAIL).

HTTP goes through ``runtime.guard`` (private addresses refused unless the bot's
``http-allow-private,true``); mail through Django's mail backend with the bot's ``email-from``.
Both are outside effects: in workflows they are done once (``workflows.engine.effects``).
"""

from __future__ import annotations

import smtplib

from django.conf import settings
from django.core.mail import send_mail

from generalbots.basic import BasicRuntimeError
from generalbots.basic.values import to_text
from workflows.runtime.errors import script_errors
from workflows.runtime.guard import http_request


class NetworkKeywords:
    """HTTP and SEND MAIL (needs ``self.bot``)."""

    def http(self, ctx, method, url, body, headers):
        allow = self.bot.config_value("http-allow-private").strip().lower() in ("true", "yes", "1")
        return http_request(method, url, body, headers, allow_private=allow)

    def send_mail(self, ctx, to, subject, body):
        sender = self.bot.config_value("email-from") or settings.DEFAULT_FROM_EMAIL
        recipients = [a.strip() for a in to_text(to).replace(";", ",").split(",") if a.strip()]
        if not recipients:
            raise BasicRuntimeError("SEND MAIL needs a recipient address")
        try:
            with script_errors("SEND MAIL failed"):  # the mail server's deadline (core.mail)
                send_mail(to_text(subject), to_text(body), sender, recipients)
        except (OSError, smtplib.SMTPException) as exc:
            raise BasicRuntimeError(f"SEND MAIL failed: {exc}") from None
